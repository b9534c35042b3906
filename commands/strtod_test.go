package commands

import (
	"math"
	"testing"
)

func TestStrtod(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		in     string
		f      float64
		n      int
		erange bool
	}{
		{"1", 1, 1, false},
		{" \t1.5x", 1.5, 5, false},
		{"-.5", -0.5, 3, false},
		{"5.", 5, 2, false},
		{".", 0, 0, false},
		{"", 0, 0, false},
		{"   ", 0, 0, false},
		{"1e", 1, 1, false},
		{"1e+", 1, 1, false},
		{"1e5", 1e5, 3, false},
		{"1E-2", 0.01, 4, false},
		{"0x10", 16, 4, false},
		{"0x", 0, 1, false},
		{"0x.8", 0.5, 4, false},
		{"0X1P3", 8, 5, false},
		{"0x1p", 1, 3, false},
		{"-0x1.8p1", -3, 8, false},
		{"inf", inf, 3, false},
		{"-Infinity", -inf, 9, false},
		{"infinit", inf, 3, false},
		{"1e400", inf, 5, true},
		{"-1e400", -inf, 6, true},
		{"1e-400", 0, 6, true},
		{"0e-400", 0, 6, false},
		{"4.9e-324", 4.9e-324, 8, false},
		{"1_0", 1, 1, false},
		{"+-1", 0, 0, false},
	}
	for _, tt := range tests {
		f, n, erange := strtod([]byte(tt.in))
		if f != tt.f || n != tt.n || erange != tt.erange {
			t.Errorf("strtod(%q) = %v, %d, %v; want %v, %d, %v", tt.in, f, n, erange, tt.f, tt.n, tt.erange)
		}
	}
	if f, n, _ := strtod([]byte("nan(abc)x")); !math.IsNaN(f) || n != 8 {
		t.Errorf("strtod(nan(abc)x) = %v, %d", f, n)
	}
	if f, n, _ := strtod([]byte("nan(")); !math.IsNaN(f) || n != 3 {
		t.Errorf("strtod(nan() = %v, %d", f, n)
	}
}

func TestParseScore(t *testing.T) {
	good := map[string]float64{"1": 1, "-2.5": -2.5, "+inf": math.Inf(1), "0x10": 16, ".5": 0.5, "4.9e-324": 4.9e-324}
	for in, want := range good {
		if f, err := parseScore([]byte(in)); err != nil || f != want {
			t.Errorf("parseScore(%q) = %v, %v", in, f, err)
		}
	}
	for _, in := range []string{"", " 1", "1 ", "nan", "1e400", "1e-400", "abc", "1e", "1\x00"} {
		if _, err := parseScore([]byte(in)); err != ErrNotFloat {
			t.Errorf("parseScore(%q) accepted", in)
		}
	}
}

func TestListpackScoreText(t *testing.T) {
	tests := map[float64]string{
		1e17: "100000000000000000", 123456789012345678: "123456789012345680",
		1 << 62: "4611686018427387904", -(1 << 62): "-4611686018427387904",
		1 << 63: "9.2233720368547758e+18", 0.5: "0.5", math.Copysign(0, -1): "0",
		math.Inf(-1): "-inf", 1e22: "1e+22",
	}
	for f, want := range tests {
		if got := listpackScoreText(f); got != want {
			t.Errorf("listpackScoreText(%v) = %q, want %q", f, got, want)
		}
	}
}
