package streams

import (
	"strings"
	"testing"
)

// Element sizes by listpack.c's rules: encoding + data + backlen.
func TestListpackElementSizes(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 2},                      // 6-bit string header, backlen
		{"v", 3},                     // 1 + 1 + 1
		{"0", 2},                     // 7-bit uint
		{"127", 2},                   // 7-bit uint
		{"128", 3},                   // 13-bit int
		{"-1", 3},                    // 13-bit int
		{"-4096", 3},                 // 13-bit int
		{"4096", 4},                  // 16-bit int
		{"-32768", 4},                // 16-bit int
		{"32768", 5},                 // 24-bit int
		{"8388608", 6},               // 32-bit int
		{"2147483648", 10},           // 64-bit int
		{"-9223372036854775808", 10}, // 64-bit int
		{"9223372036854775808", 21},  // does not fit int64: a 19-byte string
		{"01", 4},                    // not canonical: a string
		{"-0", 4},                    // not canonical: a string
		{"+5", 4},                    // not canonical: a string
		{strings.Repeat("x", 63), 65},
		{strings.Repeat("x", 64), 67},     // 12-bit string header
		{strings.Repeat("x", 126), 130},   // 128-byte element: 2-byte backlen
		{strings.Repeat("x", 4095), 4099}, // 12-bit string header, 2-byte backlen
		{strings.Repeat("x", 4096), 4103}, // 32-bit string header
	}
	for _, tt := range tests {
		if got := lpStringSize([]byte(tt.in)); got != tt.want {
			t.Errorf("lpStringSize(%.20q (len %d)) = %d, want %d", tt.in, len(tt.in), got, tt.want)
		}
	}
	// An empty listpack is 7 bytes; a node with one "f v" entry, as
	// streamAppendItem builds it: header+EOF 7, count 1, deleted 0,
	// num-fields 1, "f", master terminator 0, flags, ms-diff, seq-diff, "v",
	// lp-count 4.
	b := newBlock(ID{1, 0}, pairs("f", "v"), 16)
	if got, want := b.lpSize(), 7+2+2+2+3+2+2+2+2+3+2; got != want {
		t.Errorf("one-entry node lpSize = %d, want %d", got, want)
	}
}
