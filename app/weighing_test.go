package app

import (
	"errors"
	"testing"
)

func TestScaleReadingSellable(t *testing.T) {
	for _, tt := range []struct {
		r    ScaleReading
		want Quantity
		err  error
	}{
		{ScaleReading{Grams: 455, Weighed: true, Stable: true}, Grams(455), nil},
		{ScaleReading{Grams: 455, Weighed: true}, 0, ErrScaleMoving},
		{ScaleReading{Weighed: true, Stable: true}, 0, ErrScaleEmpty},
		{ScaleReading{Grams: -5, Weighed: true, Stable: true}, 0, ErrScaleNegative},
		{ScaleReading{Underload: true, Stable: true}, 0, ErrScaleNegative},
		{ScaleReading{Overload: true, Stable: true}, 0, ErrScaleOverload},
		{ScaleReading{Stable: true}, 0, ErrScaleNoWeight},
	} {
		got, err := tt.r.Sellable()
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%+v: %v, %v; want %v, %v", tt.r, got, err, tt.want, tt.err)
		}
	}
}
