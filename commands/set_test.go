package commands

import (
	"math"
	"strings"
	"testing"
)

func TestParseStringOptions(t *testing.T) {
	type opts = stringOptions
	cases := []struct {
		args   string // space separated
		forSet bool
		want   opts
		err    bool
	}{
		{"", true, opts{}, false},
		{"NX", true, opts{nx: true}, false},
		{"nx", true, opts{nx: true}, false},
		{"XX", true, opts{xx: true}, false},
		{"NX NX", true, opts{nx: true}, false},
		{"NX XX", true, opts{}, true},
		{"XX NX", true, opts{}, true},
		{"GET", true, opts{get: true}, false},
		{"GET get NX", true, opts{get: true, nx: true}, false},
		{"KEEPTTL", true, opts{keepTTL: true}, false},
		{"KEEPTTL KEEPTTL", true, opts{keepTTL: true}, false},
		{"EX 10", true, opts{expire: expireEX, expireArg: []byte("10")}, false},
		{"px 10", true, opts{expire: expirePX, expireArg: []byte("10")}, false},
		{"ExAt 10", true, opts{expire: expireEXAT, expireArg: []byte("10")}, false},
		{"PXAT 10", true, opts{expire: expirePXAT, expireArg: []byte("10")}, false},
		{"EX 10 EX 20", true, opts{expire: expireEX, expireArg: []byte("20")}, false},
		{"EX abc EX 20", true, opts{expire: expireEX, expireArg: []byte("20")}, false},
		{"EX 10 PX 10", true, opts{}, true},
		{"PX 10 EX 10", true, opts{}, true},
		{"EX 10 EXAT 10", true, opts{}, true},
		{"EXAT 10 PXAT 10", true, opts{}, true},
		{"PXAT 10 PX 10", true, opts{}, true},
		{"KEEPTTL EX 10", true, opts{}, true},
		{"EX 10 KEEPTTL", true, opts{}, true},
		{"EX", true, opts{}, true},
		{"EX 10 EX", true, opts{}, true},
		{"PERSIST", true, opts{}, true},
		{"FOO", true, opts{}, true},
		{"NXX", true, opts{}, true},
		{"NX EX 10 GET", true, opts{nx: true, get: true, expire: expireEX, expireArg: []byte("10")}, false},

		{"", false, opts{}, false},
		{"PERSIST", false, opts{persist: true}, false},
		{"persist PERSIST", false, opts{persist: true}, false},
		{"EX 10", false, opts{expire: expireEX, expireArg: []byte("10")}, false},
		{"PXAT 1", false, opts{expire: expirePXAT, expireArg: []byte("1")}, false},
		{"PERSIST EX 10", false, opts{}, true},
		{"EX 10 PERSIST", false, opts{}, true},
		{"EX 10 PX 10", false, opts{}, true},
		{"NX", false, opts{}, true},
		{"XX", false, opts{}, true},
		{"GET", false, opts{}, true},
		{"KEEPTTL", false, opts{}, true},
		{"PX", false, opts{}, true},
	}
	for _, c := range cases {
		var args [][]byte
		for _, a := range strings.Fields(c.args) {
			args = append(args, []byte(a))
		}
		got, err := parseStringOptions(args, c.forSet)
		if c.err {
			if err != ErrSyntax {
				t.Errorf("%q (set=%v): err %v, want syntax error", c.args, c.forSet, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q (set=%v): %v", c.args, c.forSet, err)
			continue
		}
		if got.nx != c.want.nx || got.xx != c.want.xx || got.get != c.want.get || got.keepTTL != c.want.keepTTL ||
			got.persist != c.want.persist || got.expire != c.want.expire || string(got.expireArg) != string(c.want.expireArg) {
			t.Errorf("%q (set=%v): got %+v, want %+v", c.args, c.forSet, got, c.want)
		}
	}
}

// Option names are compared as C strings: Redis stops at a NUL byte.
func TestParseStringOptionsNUL(t *testing.T) {
	got, err := parseStringOptions([][]byte{[]byte("NX\x00junk"), []byte("get\x00")}, true)
	if err != nil || !got.nx || !got.get {
		t.Fatalf("got %+v, %v", got, err)
	}
	if w := withoutGet([][]byte{[]byte("SET"), []byte("k"), []byte("get"), []byte("GET\x00x"), []byte("NX")}); len(w) != 4 {
		t.Fatalf("withoutGet kept %q", w)
	}
}

func TestExpireAt(t *testing.T) {
	const now = 1_700_000_000_000
	cases := []struct {
		kind expireKind
		arg  string
		want int64
		err  string
	}{
		{expireEX, "10", now + 10_000, ""},
		{expirePX, "10", now + 10, ""},
		{expireEXAT, "10", 10_000, ""},
		{expirePXAT, "10", 10, ""},
		{expirePXAT, "1", 1, ""},
		{expireEX, "0", 0, "ERR invalid expire time in 'set' command"},
		{expirePX, "-1", 0, "ERR invalid expire time in 'set' command"},
		{expireEXAT, "0", 0, "ERR invalid expire time in 'set' command"},
		{expireEX, "abc", 0, "ERR value is not an integer or out of range"},
		{expireEX, "1.5", 0, "ERR value is not an integer or out of range"},
		{expireEXAT, "9223372036854775", 9223372036854775000, ""},
		{expireEXAT, "9223372036854776", 0, "ERR invalid expire time in 'set' command"},
		{expireEX, "9223372036854775", 0, "ERR invalid expire time in 'set' command"}, // + now overflows
		{expirePX, "9223372036854775807", 0, "ERR invalid expire time in 'set' command"},
		{expirePXAT, "9223372036854775807", math.MaxInt64, ""},
	}
	for _, c := range cases {
		o := stringOptions{expire: c.kind, expireArg: []byte(c.arg)}
		got, err := o.expireAt("set", now)
		if c.err != "" {
			if err == nil || errorText(err) != c.err {
				t.Errorf("%d %s: err %v, want %q", c.kind, c.arg, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%d %s: %d, %v; want %d", c.kind, c.arg, got, err, c.want)
		}
	}
}
