package classroom

// A small QR code encoder (ISO/IEC 18004, model 2), enough for the join
// address a class shows on the projector: byte mode, the four error
// correction levels, versions 1 to 40, the standard mask penalty. It draws
// offline (SVG), so the page loads nothing from the network.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// QRLevel is an error correction level.
type QRLevel uint8

const (
	QRLow      QRLevel = iota // recovers about 7% of the symbol
	QRMedium                  // about 15%
	QRQuartile                // about 25%
	QRHigh                    // about 30%
)

// formatBits are the two bits that name a level in the format information.
var qrFormatBits = [4]int{1, 0, 3, 2}

// Error correction codewords per block, and blocks, by level and version
// (index 0 unused).
var qrECCPerBlock = [4][41]int{
	{-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	{-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
	{-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	{-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
}

var qrBlocks = [4][41]int{
	{-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
	{-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
	{-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
	{-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
}

// QR is an encoded symbol: Size×Size modules, without the quiet zone.
type QR struct {
	Size    int
	Version int
	Level   QRLevel
	Mask    int
	dark    []bool
	fn      []bool // function modules (not data)
}

// Dark reports whether the module at column x, row y is dark; outside the
// symbol it is light.
func (q *QR) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= q.Size || y >= q.Size {
		return false
	}
	return q.dark[y*q.Size+x]
}

// ErrQRTooLong is returned when the data does not fit a version 40 symbol.
var ErrQRTooLong = errors.New("qr: data too long for a QR code")

// EncodeQR encodes data in byte mode at the given level, in the smallest
// version that holds it, with the mask of least penalty.
func EncodeQR(data []byte, level QRLevel) (*QR, error) {
	return encodeQR(data, level, -1)
}

func qrRawModules(v int) int {
	n := (16*v+128)*v + 64
	if v >= 2 {
		a := v/7 + 2
		n -= (25*a-10)*a - 55
		if v >= 7 {
			n -= 36
		}
	}
	return n
}

func qrDataCodewords(v int, l QRLevel) int {
	return qrRawModules(v)/8 - qrECCPerBlock[l][v]*qrBlocks[l][v]
}

func encodeQR(data []byte, level QRLevel, mask int) (*QR, error) {
	if level > QRHigh {
		return nil, fmt.Errorf("qr: unknown error correction level %d", level)
	}
	v := 1
	for ; v <= 40; v++ {
		cc := 8
		if v >= 10 {
			cc = 16
		}
		if len(data) < 1<<cc && 4+cc+8*len(data) <= 8*qrDataCodewords(v, level) {
			break
		}
	}
	if v > 40 {
		return nil, ErrQRTooLong
	}
	// Data bits: mode, count, bytes, terminator, padding.
	var bb qrBits
	bb.put(0b0100, 4)
	if v >= 10 {
		bb.put(len(data), 16)
	} else {
		bb.put(len(data), 8)
	}
	for _, c := range data {
		bb.put(int(c), 8)
	}
	capBits := 8 * qrDataCodewords(v, level)
	bb.put(0, min(4, capBits-bb.n))
	bb.put(0, (8-bb.n%8)%8)
	for pad := 0xEC; bb.n < capBits; pad ^= 0xEC ^ 0x11 {
		bb.put(pad, 8)
	}
	q := &QR{Size: 4*v + 17, Version: v, Level: level}
	q.dark = make([]bool, q.Size*q.Size)
	q.fn = make([]bool, q.Size*q.Size)
	q.drawFunctions()
	q.drawData(qrInterleave(bb.bytes, v, level))
	if mask < 0 {
		best := -1
		for m := range 8 {
			q.applyMask(m)
			q.drawFormat(m)
			if p := q.penalty(); best < 0 || p < best {
				best, mask = p, m
			}
			q.applyMask(m) // undo (XOR)
		}
	}
	q.applyMask(mask)
	q.drawFormat(mask)
	q.Mask = mask
	return q, nil
}

type qrBits struct {
	bytes []byte
	n     int
}

func (b *qrBits) put(v, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if b.n%8 == 0 {
			b.bytes = append(b.bytes, 0)
		}
		if v>>i&1 != 0 {
			b.bytes[b.n/8] |= 0x80 >> (b.n % 8)
		}
		b.n++
	}
}

// qrInterleave splits the data codewords into blocks, appends each block's
// Reed-Solomon codewords and interleaves them.
func qrInterleave(data []byte, v int, l QRLevel) []byte {
	nb, ecc := qrBlocks[l][v], qrECCPerBlock[l][v]
	raw := qrRawModules(v) / 8
	short := nb - raw%nb
	shortLen := raw / nb
	gen := rsGenerator(ecc)
	blocks := make([][]byte, nb)
	k := 0
	for i := range nb {
		n := shortLen - ecc
		if i >= short {
			n++
		}
		d := data[k : k+n]
		k += n
		blocks[i] = append(append([]byte{}, d...), rsRemainder(d, gen)...)
	}
	out := make([]byte, 0, raw)
	for i := 0; i <= shortLen; i++ {
		for j, b := range blocks {
			// Short blocks have no data codeword at index shortLen-ecc.
			idx := i
			if j < short && i >= shortLen-ecc {
				if i == shortLen-ecc {
					continue
				}
				idx = i - 1
			}
			if idx < len(b) {
				out = append(out, b[idx])
			}
		}
	}
	return out
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
func gfMul(x, y byte) byte {
	var z byte
	for i := 7; i >= 0; i-- {
		hi := z & 0x80
		z <<= 1
		if hi != 0 {
			z ^= 0x1D
		}
		if y>>i&1 != 0 {
			z ^= x
		}
	}
	return z
}

// rsGenerator returns the coefficients (highest first, leading 1 dropped)
// of the product of (x - α^i) for i < degree.
func rsGenerator(degree int) []byte {
	g := make([]byte, degree)
	g[degree-1] = 1
	root := byte(1)
	for range degree {
		for j := range g {
			g[j] = gfMul(g[j], root)
			if j+1 < len(g) {
				g[j] ^= g[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return g
}

func rsRemainder(data, gen []byte) []byte {
	r := make([]byte, len(gen))
	for _, b := range data {
		f := b ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i := range r {
			r[i] ^= gfMul(gen[i], f)
		}
	}
	return r
}

func (q *QR) set(x, y int, dark bool) {
	q.dark[y*q.Size+x] = dark
	q.fn[y*q.Size+x] = true
}

func qrAlignment(v int) []int {
	if v == 1 {
		return nil
	}
	n := v/7 + 2
	step := (v*8 + n*3 + 5) / (n*4 - 4) * 2
	out := make([]int, n)
	out[0] = 6
	for i, pos := n-1, 4*v+17-7; i >= 1; i, pos = i-1, pos-step {
		out[i] = pos
	}
	return out
}

func (q *QR) drawFunctions() {
	s := q.Size
	for i := range s { // timing patterns
		q.set(6, i, i%2 == 0)
		q.set(i, 6, i%2 == 0)
	}
	finder := func(cx, cy int) {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := cx+dx, cy+dy
				if x < 0 || y < 0 || x >= s || y >= s {
					continue
				}
				d := max(abs(dx), abs(dy))
				q.set(x, y, d != 2 && d != 4)
			}
		}
	}
	finder(3, 3)
	finder(s-4, 3)
	finder(3, s-4)
	al := qrAlignment(q.Version)
	for i, ay := range al {
		for j, ax := range al {
			if i == 0 && j == 0 || i == 0 && j == len(al)-1 || i == len(al)-1 && j == 0 {
				continue // the finders' corners
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					q.set(ax+dx, ay+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	q.drawFormat(0) // reserve the format areas (redrawn with the mask)
	if q.Version >= 7 {
		rem := q.Version
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1F25
		}
		bits := q.Version<<12 | rem
		for i := range 18 {
			d := bits>>i&1 != 0
			a, b := s-11+i%3, i/3
			q.set(a, b, d)
			q.set(b, a, d)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (q *QR) drawFormat(mask int) {
	data := qrFormatBits[q.Level]<<3 | mask
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	s := q.Size
	bit := func(i int) bool { return bits>>i&1 != 0 }
	for i := 0; i <= 5; i++ {
		q.set(8, i, bit(i))
	}
	q.set(8, 7, bit(6))
	q.set(8, 8, bit(7))
	q.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		q.set(14-i, 8, bit(i))
	}
	for i := range 8 {
		q.set(s-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		q.set(8, s-15+i, bit(i))
	}
	q.set(8, s-8, true) // the dark module
}

func (q *QR) drawData(cw []byte) {
	s := q.Size
	i := 0
	for right := s - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range s {
			for j := range 2 {
				x := right - j
				up := (right+1)&2 == 0
				y := vert
				if up {
					y = s - 1 - vert
				}
				if q.fn[y*s+x] {
					continue
				}
				if i < len(cw)*8 {
					q.dark[y*s+x] = cw[i/8]>>(7-i%8)&1 != 0
					i++
				}
			}
		}
	}
}

func (q *QR) applyMask(m int) {
	s := q.Size
	for y := range s {
		for x := range s {
			var inv bool
			switch m {
			case 0:
				inv = (x+y)%2 == 0
			case 1:
				inv = y%2 == 0
			case 2:
				inv = x%3 == 0
			case 3:
				inv = (x+y)%3 == 0
			case 4:
				inv = (x/3+y/2)%2 == 0
			case 5:
				inv = x*y%2+x*y%3 == 0
			case 6:
				inv = (x*y%2+x*y%3)%2 == 0
			case 7:
				inv = ((x+y)%2+x*y%3)%2 == 0
			}
			if inv && !q.fn[y*s+x] {
				q.dark[y*s+x] = !q.dark[y*s+x]
			}
		}
	}
}

// penalty scores the symbol as the standard does (runs, 2×2 blocks,
// finder-like patterns, balance of dark and light).
func (q *QR) penalty() int {
	s := q.Size
	p := 0
	line := func(get func(i int) bool) {
		colour, run := false, 0
		var hist [7]int
		for i := range s {
			if get(i) == colour {
				run++
				if run == 5 {
					p += 3
				} else if run > 5 {
					p++
				}
				continue
			}
			finderAdd(run, &hist, s)
			if !colour {
				p += finderCount(&hist) * 40
			}
			colour, run = get(i), 1
		}
		if colour {
			finderAdd(run, &hist, s)
			run = 0
		}
		finderAdd(run+s, &hist, s)
		p += finderCount(&hist) * 40
	}
	for y := range s {
		line(func(x int) bool { return q.dark[y*s+x] })
	}
	for x := range s {
		line(func(y int) bool { return q.dark[y*s+x] })
	}
	dark := 0
	for y := range s {
		for x := range s {
			c := q.dark[y*s+x]
			if c {
				dark++
			}
			if x+1 < s && y+1 < s && c == q.dark[y*s+x+1] && c == q.dark[(y+1)*s+x] && c == q.dark[(y+1)*s+x+1] {
				p += 3
			}
		}
	}
	total := s * s
	k := (abs(dark*20-total*10)+total-1)/total - 1
	return p + k*10
}

func finderAdd(run int, h *[7]int, size int) {
	if h[0] == 0 {
		run += size // the light border before the line
	}
	copy(h[1:], h[:6])
	h[0] = run
}

func finderCount(h *[7]int) int {
	n := h[1]
	core := n > 0 && h[2] == n && h[3] == n*3 && h[4] == n && h[5] == n
	c := 0
	if core && h[0] >= n*4 && h[6] >= n {
		c++
	}
	if core && h[6] >= n*4 && h[0] >= n {
		c++
	}
	return c
}

// SVG draws the symbol with a quiet zone of four modules, each module one
// unit, as one path; it scales to its container.
func (q *QR) SVG() string {
	const quiet = 4
	n := q.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := range q.Size {
		for x := 0; x < q.Size; {
			if !q.Dark(x, y) {
				x++
				continue
			}
			x0 := x
			for x < q.Size && q.Dark(x, y) {
				x++
			}
			b.WriteString("M" + strconv.Itoa(x0+quiet) + " " + strconv.Itoa(y+quiet) + "h" + strconv.Itoa(x-x0) + "v1h-" + strconv.Itoa(x-x0) + "z")
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}
