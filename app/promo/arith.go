package promo

import "math/bits"

// mulDiv returns x*num/den for non-negative x, num and positive den, rounded half to even when halfEven
// and down otherwise. The product is taken in 128 bits: a saving times a line's gross overflows int64.
func mulDiv(x, num, den int64, halfEven bool) int64 {
	q, r := mulDivRem(x, num, den)
	if halfEven && (2*r > den || (2*r == den && q%2 == 1)) {
		q++
	}
	return q
}

// mulDivRem returns the quotient and remainder of x*num/den for non-negative x, num and positive den
// whose quotient fits in int64.
func mulDivRem(x, num, den int64) (q, r int64) {
	hi, lo := bits.Mul64(uint64(x), uint64(num))
	uq, ur := bits.Div64(hi, lo, uint64(den))
	return int64(uq), int64(ur)
}

// percentOf returns bp basis points of x, rounded half to even as the cart rounds a line.
func percentOf(x, bp int64) int64 { return mulDiv(x, bp, 10_000, true) }
