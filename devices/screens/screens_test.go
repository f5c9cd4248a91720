package screens

import "testing"

func TestPlace(t *testing.T) {
	one := []Rect{{0, 0, 1366, 768}}
	for _, tt := range []struct {
		name     string
		monitors []Rect
		x, y     int
	}{
		{"a second monitor", []Rect{{0, 0, 1366, 768}, {1366, 0, 800, 600}}, 1366, 0},
		{"a second monitor on the left", []Rect{{800, 0, 1366, 768}, {0, 0, 800, 600}}, 0, 0},
		{"a mirror is not a second monitor", []Rect{{0, 0, 1920, 1080}, {0, 0, 800, 600}}, 1024, 0},
		{"beside the till's window", []Rect{{0, 0, 1920, 1080}}, 1024, 0},
		{"below it when it does not fit beside", []Rect{{0, 0, 1280, 1600}}, 0, 700},
		{"over its right edge on a small screen", one, 1366 - 480, 0},
		{"no monitor known", nil, 0, 0},
	} {
		if x, y := Place(tt.monitors, 1024, 700, 480, 760); x != tt.x || y != tt.y {
			t.Errorf("%s: (%d, %d), want (%d, %d)", tt.name, x, y, tt.x, tt.y)
		}
	}
}
