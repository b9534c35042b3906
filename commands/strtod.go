package commands

import (
	"math"
	"strconv"
)

// Sorted-set scores are C doubles read by strtod: ZADD and ZINCRBY through
// Redis's string2d (the whole argument, no leading space, no NaN, no
// overflow or underflow to zero), ranges through zslParseRange (strtod with
// only a trailing-garbage and NaN check). strtod reproduces glibc's parse
// so that both accept exactly what Redis accepts.

// strtod parses the longest prefix of b that C's strtod accepts. n is the
// number of bytes consumed (0 when there is no number at all, even after
// white space) and erange reports glibc's ERANGE: an overflow to infinity
// or an underflow to zero.
func strtod(b []byte) (f float64, n int, erange bool) {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if m := matchFold(b[i:], "infinity"); m > 0 || matchFold(b[i:], "inf") > 0 {
		if m == 0 {
			m = 3
		}
		return math.Copysign(math.Inf(1), signOf(neg)), i + m, false
	}
	if matchFold(b[i:], "nan") > 0 {
		j := i + 3
		if j < len(b) && b[j] == '(' {
			k := j + 1
			for k < len(b) && (isAlnum(b[k]) || b[k] == '_') {
				k++
			}
			if k < len(b) && b[k] == ')' {
				j = k + 1
			}
		}
		return math.NaN(), j, false
	}
	if i+1 < len(b) && b[i] == '0' && (b[i+1] == 'x' || b[i+1] == 'X') {
		if f, end, erange, ok := parseHexDouble(b, i+2, neg); ok {
			return f, end, erange
		}
	}
	j := i
	digits, nonzero := 0, false
	for j < len(b) && isDigit(b[j]) {
		nonzero = nonzero || b[j] != '0'
		j++
		digits++
	}
	if j < len(b) && b[j] == '.' {
		j++
		for j < len(b) && isDigit(b[j]) {
			nonzero = nonzero || b[j] != '0'
			j++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	j = scanExponentSuffix(b, j, 'e')
	f, err := strconv.ParseFloat(string(b[start:j]), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, 0, false
	}
	return f, j, math.IsInf(f, 0) || (f == 0 && nonzero)
}

// parseHexDouble parses the hex digits after "0x" at b[i:]: at least one
// digit in the mantissa, then an optional binary exponent. ok is false
// when there is no digit (strtod then reads just the "0").
func parseHexDouble(b []byte, i int, neg bool) (f float64, end int, erange, ok bool) {
	j := i
	var mant []byte
	for j < len(b) && isHexDigit(b[j]) {
		mant = append(mant, b[j])
		j++
	}
	frac := []byte{}
	if j < len(b) && b[j] == '.' {
		k := j + 1
		for k < len(b) && isHexDigit(b[k]) {
			frac = append(frac, b[k])
			k++
		}
		if len(mant)+len(frac) > 0 {
			j = k
		}
	}
	if len(mant)+len(frac) == 0 {
		return 0, 0, false, false
	}
	end = scanExponentSuffix(b, j, 'p')
	exp := "p0"
	if end > j {
		exp = string(b[j:end])
	}
	s := "0x" + string(mant)
	if len(mant) == 0 {
		s += "0"
	}
	if len(frac) > 0 {
		s += "." + string(frac)
	}
	f, err := strconv.ParseFloat(s+exp, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, 0, false, false
	}
	nonzero := false
	for _, c := range append(mant, frac...) {
		nonzero = nonzero || c != '0'
	}
	return math.Copysign(f, signOf(neg)), end, math.IsInf(f, 0) || (f == 0 && nonzero), true
}

// scanExponentSuffix returns the end of an exponent ("e", "p") at b[j:],
// or j when there is none with at least one digit.
func scanExponentSuffix(b []byte, j int, marker byte) int {
	if j >= len(b) || (b[j]|0x20) != marker {
		return j
	}
	k := j + 1
	if k < len(b) && (b[k] == '+' || b[k] == '-') {
		k++
	}
	if k >= len(b) || !isDigit(b[k]) {
		return j
	}
	for k < len(b) && isDigit(b[k]) {
		k++
	}
	return k
}

func signOf(neg bool) float64 {
	if neg {
		return -1
	}
	return 1
}

// matchFold returns len(word) when b starts with word, ignoring ASCII case.
func matchFold(b []byte, word string) int {
	if len(b) < len(word) {
		return 0
	}
	for i := 0; i < len(word); i++ {
		if b[i]|0x20 != word[i] {
			return 0
		}
	}
	return len(word)
}

func isAlnum(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// parseScore parses a ZADD or ZINCRBY score as Redis's string2d does.
func parseScore(b []byte) (float64, error) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, ErrNotFloat
	}
	f, n, erange := strtod(b)
	if n != len(b) || erange || math.IsNaN(f) {
		return 0, ErrNotFloat
	}
	return f, nil
}
