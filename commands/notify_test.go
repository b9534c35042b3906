package commands

import "testing"

// The canonical forms are redis-server 7.0's CONFIG GET answers.
func TestNotifyFlags(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"", ""},
		{"KEA", "AKE"},
		{"AKE", "AKE"},
		{"g$lshzxetd", "A"},
		{"g$lshzxet", "g$lshzxet"},
		{"Kg", "gK"},
		{"Ex", "xE"},
		{"KA", "AK"},
		{"Kgm", "gKm"},
		{"Kn", "nK"},
		{"KEAmn", "AKEm"},
		{"KE$", "$KE"},
		{"KEmn", "nKEm"},
		{"Kdd", "dK"},
		{"Eld", "ldE"},
	} {
		flags, ok := ParseNotifyFlags(tc.in)
		if !ok {
			t.Errorf("%q: refused", tc.in)
			continue
		}
		if got := FormatNotifyFlags(flags); got != tc.out {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.out)
		}
	}
	for _, bad := range []string{"Z", "K E", "k", "a"} {
		if _, ok := ParseNotifyFlags(bad); ok {
			t.Errorf("%q: accepted", bad)
		}
	}
}
