package sim

import (
	"testing"

	"checkout/devices/scanner"
)

func TestSimulatedScanner(t *testing.T) {
	s := NewScanner("simulated")
	s.Scan("5449000000996")
	if ev := <-s.Events(); ev.Kind != scanner.StatusChange || ev.Status != scanner.Connected || ev.Scanner != "simulated" {
		t.Fatalf("first event %+v, want connected", ev)
	}
	if ev := <-s.Events(); ev.Kind != scanner.Scan || ev.Code != "5449000000996" {
		t.Fatalf("second event %+v, want the scan", ev)
	}
	s.Close()
	s.Scan("12345670") // after Close: ignored, no panic
	if _, open := <-s.Events(); open {
		t.Fatal("events open after Close")
	}
	s.Close()
}
