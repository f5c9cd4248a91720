package app

import (
	"testing"
	"time"
)

func TestDisplaySettings(t *testing.T) {
	s := DefaultSettings()
	if s.Value("display.logo") != "" || s.Value("display.slideshow") != "" || s.Value("display.slideshow_seconds") != "8" {
		t.Fatalf("defaults: %+v", s.Display)
	}
	for key, value := range map[string]string{"display.logo": " /srv/shop/logo.png ", "display.slideshow": "/srv/shop/ads",
		"display.slideshow_seconds": "2"} {
		if err := s.Set(key, value); err != nil {
			t.Fatal(err)
		}
	}
	if s.Display != (Display{Logo: "/srv/shop/logo.png", Slideshow: "/srv/shop/ads", SlideEvery: 2 * time.Second}) {
		t.Fatalf("after set: %+v", s.Display)
	}
	if err := s.Set("display.slideshow_seconds", "600"); err != nil || s.Display.SlideEvery != 10*time.Minute {
		t.Fatalf("600 s: %v, %v", s.Display.SlideEvery, err)
	}
	for _, bad := range []string{"1", "601", "0", "-8", "8s", "", "2.5"} {
		before := s.Display
		if err := s.Set("display.slideshow_seconds", bad); err == nil {
			t.Errorf("display.slideshow_seconds %q was taken", bad)
		}
		if s.Display != before {
			t.Errorf("a refused %q changed the settings", bad)
		}
	}
	if err := s.Set("display.logo", ""); err != nil || s.Display.Logo != "" {
		t.Fatalf("no logo: %v", err)
	}
}
