package sim

import "strings"

// levenshtein is the edit distance between a and b, by runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Closest returns the candidate nearest to s (for did-you-mean hints) (case-insensitive edit
// distance), or "" when none is near enough to be a likely typo.
func Closest(s string, cands []string) string {
	if s == "" || len(s) > 200 {
		return ""
	}
	ls := strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, c := range cands {
		lc := strings.ToLower(c)
		d := levenshtein(ls, lc)
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
	return best
}
