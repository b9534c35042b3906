package commands

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Argument parsing shared by the handlers. Each follows the Redis helper of
// the same purpose so that the same input is accepted or refused.

// argInt parses an integer argument as getLongLongFromObject does.
func argInt(b []byte) (int64, error) {
	n, ok := parseStrictInt(b)
	if !ok {
		return 0, ErrNotInt
	}
	return n, nil
}

// argFloat parses a float argument as getLongDoubleFromObject does: strtold
// over the whole string, no spaces, no NaN.
func argFloat(b []byte) (float64, error) {
	s := string(b)
	if len(s) == 0 || s[0] == ' ' || s[len(s)-1] == ' ' || strings.ContainsAny(s, "\t\n\r\v\f") {
		return 0, ErrNotFloat
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// strtold accepts hex floats and out-of-range values that ParseFloat
		// reports as range errors (it returns ±Inf with ERANGE, which Redis
		// refuses).
		return 0, ErrNotFloat
	}
	if math.IsNaN(f) {
		return 0, ErrNotFloat
	}
	return f, nil
}

// is compares an option argument with its name, case-insensitively.
func is(arg []byte, name string) bool {
	return len(arg) == len(name) && bytes.EqualFold(arg, []byte(name))
}

// formatFloat renders a double the way Redis 7.0's addReplyDouble does for
// RESP2 bulk replies (%.17g).
func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "inf"
	}
	if math.IsInf(f, -1) {
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
