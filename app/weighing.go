package app

// A product sold by weight takes the scale's weight only once the scale says it has settled: a moving,
// empty, negative or overloaded scale sells nothing.

// ScaleReading is what a counter scale displays, as the till hands it to the sale screen.
type ScaleReading struct {
	Grams               int64 // negative below zero
	Weighed             bool  // the scale sent a weight (not only a status)
	Stable              bool  // the scale says the weight has settled
	Overload, Underload bool  // over the scale's capacity, under its zero range
}

// Why a scale's reading cannot be sold.
var (
	ErrScaleMoving   = &Error{"scale_moving", "the scale has not settled"}
	ErrScaleEmpty    = &Error{"scale_empty", "the scale reads zero"}
	ErrScaleNegative = &Error{"scale_negative", "the scale reads below zero"}
	ErrScaleOverload = &Error{"scale_overload", "the load is over the scale's capacity"}
	ErrScaleNoWeight = &Error{"scale_no_weight", "the scale sent no weight"}
)

// Sellable returns the weight the reading sells, or why it sells nothing. Overload and underload come
// first (they are never a weight), then a weight that is still moving, then zero and below zero.
func (r ScaleReading) Sellable() (Quantity, error) {
	switch {
	case r.Overload:
		return 0, ErrScaleOverload
	case r.Underload || r.Weighed && r.Grams < 0:
		return 0, ErrScaleNegative
	case !r.Weighed:
		return 0, ErrScaleNoWeight
	case !r.Stable:
		return 0, ErrScaleMoving
	case r.Grams == 0:
		return 0, ErrScaleEmpty
	}
	return Grams(r.Grams), nil
}
