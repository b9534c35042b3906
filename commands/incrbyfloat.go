package commands

import (
	"bytes"
	"math/big"
)

// INCRBYFLOAT key increment — https://redis.io/commands/incrbyfloat/
var incrbyfloatCommand = &Command{
	Name: "incrbyfloat", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "2.6.0",
	Summary: "Increment the float value of a key by the given amount", Complexity: "O(1)",
	Syntax: "key increment", Run: runIncrbyfloat,
}

// runIncrbyfloat adds increment to the number at key (0 when missing),
// keeping the TTL. Redis checks the type, then the stored value, then the
// increment, computes in C long double (x87 80-bit extended precision on the
// platforms Redis ships for) and prints with "%.17Lf" minus trailing zeros;
// longDouble reproduces all three. The effect is SET key result KEEPTTL, as
// Redis propagates it, so a replay never recomputes.
func runIncrbyfloat(ctx *Context) {
	key := ctx.Args[1]
	e := ctx.lookupWrite(key)
	value := new(big.Float).SetPrec(longDoubleMantissa)
	if e != nil {
		sv, ok := e.value.(*stringValue)
		if !ok {
			ctx.Fail(ErrWrongType)
			return
		}
		if value, ok = parseLongDouble(sv.b); !ok {
			ctx.Fail(ErrNotFloat)
			return
		}
	}
	incr, ok := parseLongDouble(ctx.Args[2])
	if !ok {
		ctx.Fail(ErrNotFloat)
		return
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		ctx.Error(msgNaNOrInf)
		return
	}
	result := formatLongDoubleHuman(sum)
	setStringKeepTTL(ctx, key, e, &stringValue{b: result, plain: true})
	ctx.Propagate([]byte("SET"), key, result, []byte("KEEPTTL"))
	ctx.Notify(NotifyString, "incrbyfloat", ctx.Client.DB, key)
	ctx.Out.Bulk(result)
}

// x87 extended precision: a 64-bit significand, finite values below 2^16384,
// and subnormals down to 2^-16445.
const (
	longDoubleMantissa = 64
	// maxLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are
	// refused before parsing.
	maxLongDoubleChars = 5 * 1024
	// Magnitudes (decimal: 10^(m-1) <= |x| < 10^m; binary: 2^(m-1) <= |x| <
	// 2^m) beyond which a number certainly overflows or underflows: refused
	// before building a huge exact value.
	maxDecimalMagnitude = 4934
	minDecimalMagnitude = -4952
	maxBinaryMagnitude  = 16386
	minBinaryMagnitude  = -16448
)

var (
	// longDoubleOverflow is 2^16384: a rounded value this large is infinite.
	longDoubleOverflow = new(big.Float).SetMantExp(big.NewFloat(1), 16384)
	// longDoubleUnderflow is half the smallest subnormal, 2^-16446: a value no
	// larger rounds to zero.
	longDoubleUnderflow = new(big.Float).SetMantExp(big.NewFloat(1), -16446)
)

// parseLongDouble parses b as Redis's string2ld does with glibc's strtold:
// the whole string must be a number (decimal, hexadecimal with a binary
// exponent, "inf" or "infinity", any case, optionally signed), it must not
// start with a space, NaN is refused, and so is a value that overflows to
// infinity or underflows to zero (ERANGE). The result is rounded to 64 bits
// of significand, ties to even, and may be infinite.
func parseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= maxLongDoubleChars || isCSpace(b[0]) {
		return nil, false
	}
	s := b
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	var f *big.Float
	var ok bool
	switch {
	case bytes.EqualFold(s, []byte("inf")) || bytes.EqualFold(s, []byte("infinity")):
		f, ok = new(big.Float).SetInf(false), true
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		f, ok = parseHexLongDouble(s[2:])
	default:
		f, ok = parseDecimalLongDouble(s)
	}
	if !ok {
		return nil, false
	}
	if !f.IsInf() && f.Sign() != 0 {
		abs := new(big.Float).Abs(f)
		if abs.Cmp(longDoubleOverflow) >= 0 || abs.Cmp(longDoubleUnderflow) <= 0 {
			return nil, false
		}
	}
	if neg {
		f.Neg(f)
	}
	return f, true
}

// parseDecimalLongDouble parses digits[.digits][e[+-]digits] (at least one
// mantissa digit) and rounds it correctly to 64 bits.
func parseDecimalLongDouble(s []byte) (*big.Float, bool) {
	digits, frac, rest := scanMantissa(s, isDigit)
	if len(digits)+len(frac) == 0 {
		return nil, false
	}
	exp, ok := scanExponent(rest, 'e')
	if !ok {
		return nil, false
	}
	mant, exp10 := significantDigits(append(digits, frac...), exp-int64(len(frac)))
	f := new(big.Float).SetPrec(longDoubleMantissa)
	if len(mant) == 0 {
		return f, true
	}
	magnitude := int64(len(mant)) + exp10 // 10^(magnitude-1) <= x < 10^magnitude
	if magnitude > maxDecimalMagnitude || magnitude < minDecimalMagnitude {
		return nil, false // certainly overflows or underflows: ERANGE
	}
	n, _ := new(big.Int).SetString(string(mant), 10)
	if exp10 >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(exp10), nil))
		return f.SetInt(n), true
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(-exp10), nil)
	return f.Quo(new(big.Float).SetInt(n), new(big.Float).SetInt(den)), true
}

// parseHexLongDouble parses the part after "0x": hexdigits[.hexdigits]
// [p[+-]digits]. glibc rounds the significand to 64 bits, then scales it.
func parseHexLongDouble(s []byte) (*big.Float, bool) {
	digits, frac, rest := scanMantissa(s, isHexDigit)
	if len(digits)+len(frac) == 0 {
		return nil, false
	}
	exp, ok := scanExponent(rest, 'p')
	if !ok {
		return nil, false
	}
	all := bytes.TrimLeft(append(digits, frac...), "0")
	f := new(big.Float).SetPrec(longDoubleMantissa)
	if len(all) == 0 {
		return f, true
	}
	n, _ := new(big.Int).SetString(string(all), 16)
	exp2 := exp - 4*int64(len(frac))
	magnitude := int64(n.BitLen()) + exp2
	if magnitude > maxBinaryMagnitude || magnitude < minBinaryMagnitude {
		return nil, false // certainly overflows or underflows: ERANGE
	}
	f.SetInt(n)
	return f.SetMantExp(f, int(exp2)), true
}

// scanMantissa splits s at the end of digits[.digits] and returns the
// integer digits, the fraction digits and what follows.
func scanMantissa(s []byte, digit func(byte) bool) (intPart, frac, rest []byte) {
	i := 0
	for i < len(s) && digit(s[i]) {
		i++
	}
	intPart = append([]byte(nil), s[:i]...)
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && digit(s[i]) {
			i++
		}
		frac = s[j:i]
	}
	return intPart, frac, s[i:]
}

// scanExponent parses what follows a mantissa: nothing, or the exponent
// letter, an optional sign and at least one decimal digit, and nothing
// after. Huge exponents saturate: they overflow or underflow either way.
func scanExponent(s []byte, letter byte) (int64, bool) {
	if len(s) == 0 {
		return 0, true
	}
	if s[0]|0x20 != letter || len(s) < 2 {
		return 0, false
	}
	s = s[1:]
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	var exp int64
	for _, c := range s {
		if !isDigit(c) {
			return 0, false
		}
		if exp < 1e9 {
			exp = exp*10 + int64(c-'0')
		}
	}
	if neg {
		exp = -exp
	}
	return exp, true
}

// significantDigits drops leading and trailing zeros from the decimal
// digits of digits × 10^exp10, adjusting the exponent.
func significantDigits(digits []byte, exp10 int64) ([]byte, int64) {
	digits = bytes.TrimLeft(digits, "0")
	trimmed := bytes.TrimRight(digits, "0")
	return trimmed, exp10 + int64(len(digits)-len(trimmed))
}

// addLongDouble adds in extended precision; false when the sum is NaN or
// infinite.
func addLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	sum := new(big.Float).SetPrec(longDoubleMantissa).Add(a, b)
	if new(big.Float).Abs(sum).Cmp(longDoubleOverflow) >= 0 {
		return nil, false
	}
	return sum, true
}

// formatLongDoubleHuman is Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf"
// (the exact value rounded half to even at 17 decimals), trailing zeros and
// a trailing point removed, and "-0" written as "0".
func formatLongDoubleHuman(f *big.Float) []byte {
	b := []byte(f.Text('f', 17))
	if bytes.IndexByte(b, '.') >= 0 {
		b = bytes.TrimRight(b, "0")
		b = bytes.TrimSuffix(b, []byte("."))
	}
	if string(b) == "-0" {
		b = []byte("0")
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}
