package sim

import "strings"

// editDistance is the optimal-string-alignment distance between a and b,
// by runes: insertions, deletions, substitutions and transpositions of
// neighbours (Asai -> Asia) each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	pp := make([]int, len(rb)+1) // row i-2
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}

// Closest returns the candidate nearest to s (case-insensitive edit
// distance), for did-you-mean hints in error messages, or "" when none is near enough to be a likely typo.
func Closest(s string, cands []string) string {
	if s == "" || len(s) > 200 {
		return ""
	}
	ls := strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, c := range cands {
		lc := strings.ToLower(c)
		d := editDistance(ls, lc)
		if lc != ls && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)) && len(ls) >= 3 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(s))/3)
	if bestD > limit {
		return ""
	}
	// two edits in a short word leave little of it: suggest only when the
	// first letter agrees (JAP -> JPN, Asai -> Asia, but not CHN -> IDN)
	if bestD >= 2 && len([]rune(s)) < 6 && []rune(ls)[0] != []rune(strings.ToLower(best))[0] {
		return ""
	}
	return best
}
