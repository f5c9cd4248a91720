package promo

import "sort"

// allocate splits amount over weights in proportion, by largest remainder: the parts sum to amount exactly,
// and when amount ≤ the weights' sum no part exceeds its weight (a share's floor is below its weight whenever
// it has a remainder, so the extra unit still fits). Ties in the remainder go to the earlier weight.
// Weights must be non-negative and amount at most their sum.
func allocate(amount int64, weights []int64) []int64 {
	parts := make([]int64, len(weights))
	var total int64
	for _, w := range weights {
		total += w
	}
	if amount <= 0 || total <= 0 {
		return parts
	}
	rems := make([]int64, len(weights))
	left := amount
	for i, w := range weights {
		parts[i], rems[i] = mulDivRem(amount, w, total)
		left -= parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]] > rems[order[b]] })
	for _, i := range order[:left] {
		parts[i]++
	}
	return parts
}
