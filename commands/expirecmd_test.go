package commands

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseExpireConditions(t *testing.T) {
	cases := []struct {
		args string
		want expireCond
		err  string
	}{
		{"", expireAlways, ""},
		{"nx", expireNX, ""},
		{"XX", expireXX, ""},
		{"gt", expireGT, ""},
		{"Lt", expireLT, ""},
		{"NX NX", expireNX, ""},
		{"XX GT", expireXX | expireGT, ""},
		{"XX LT", expireXX | expireLT, ""},
		{"NX XX", 0, msgNXXXGTLT},
		{"GT NX", 0, msgNXXXGTLT},
		{"NX LT", 0, msgNXXXGTLT},
		{"NX GT LT", 0, msgNXXXGTLT},
		{"GT LT", 0, msgGTLT},
		{"XX LT GT", 0, msgGTLT},
		{"FOO", 0, "ERR Unsupported option FOO"},
		{"NX XX FOO", 0, "ERR Unsupported option FOO"},
		{"nxx", 0, "ERR Unsupported option nxx"},
	}
	for _, c := range cases {
		var args [][]byte
		for _, w := range strings.Fields(c.args) {
			args = append(args, []byte(w))
		}
		got, err := parseExpireConditions(args)
		switch {
		case c.err != "":
			if err == nil || errorText(err) != c.err {
				t.Errorf("%q: err = %v, want %q", c.args, err, c.err)
			}
		case err != nil:
			t.Errorf("%q: unexpected error %v", c.args, err)
		case got != c.want:
			t.Errorf("%q: got %b, want %b", c.args, got, c.want)
		}
	}
}

func TestExpireDeadline(t *testing.T) {
	const now = 1_700_000_000_000
	cases := []struct {
		arg        string
		unit, base int64
		want       int64
		err        string
	}{
		{"10", 1000, now, now + 10_000, ""},
		{"10", 1, now, now + 10, ""},
		{"-5", 1000, now, now - 5000, ""},
		{"1700000000", 1000, 0, 1_700_000_000_000, ""},
		{"9223372036854775", 1000, 0, 9223372036854775000, ""},
		{"9223372036854776", 1000, 0, 0, "ERR invalid expire time in 'expireat' command"},
		{"-9223372036854775", 1000, 0, -9223372036854775000, ""},
		{"-9223372036854776", 1000, 0, 0, "ERR invalid expire time in 'expireat' command"},
		{"9223372036854775807", 1, 0, 9223372036854775807, ""},
		{"9223372036854775807", 1, now, 0, "ERR invalid expire time in 'expireat' command"},
		{"-9223372036854775808", 1, now, -9223372036854775808 + now, ""},
		{"abc", 1, now, 0, msgNotInteger},
		{"1.0", 1, now, 0, msgNotInteger},
		{" 1", 1, now, 0, msgNotInteger},
	}
	for _, c := range cases {
		got, err := expireDeadline([]byte(c.arg), c.unit, c.base, "expireat")
		switch {
		case c.err != "":
			if err == nil || errorText(err) != c.err {
				t.Errorf("%s (unit %d): err = %v, want %q", c.arg, c.unit, err, c.err)
			}
		case err != nil:
			t.Errorf("%s (unit %d): unexpected error %v", c.arg, c.unit, err)
		case got != c.want:
			t.Errorf("%s (unit %d): got %d, want %d", c.arg, c.unit, got, c.want)
		}
	}
}

// A persistent key (current 0) counts as an infinite TTL.
func TestExpireCondAllows(t *testing.T) {
	cases := []struct {
		cond          expireCond
		current, when int64
		want          bool
	}{
		{expireAlways, 0, 5, true},
		{expireAlways, 10, 5, true},
		{expireNX, 0, 5, true},
		{expireNX, 10, 5, false},
		{expireXX, 0, 5, false},
		{expireXX, 10, 5, true},
		{expireGT, 0, 5, false},
		{expireGT, 10, 10, false},
		{expireGT, 10, 11, true},
		{expireLT, 0, 5, true},
		{expireLT, 10, 10, false},
		{expireLT, 10, 9, true},
		{expireXX | expireGT, 0, 5, false},
		{expireXX | expireLT, 0, 5, false},
		{expireXX | expireLT, 10, 5, true},
	}
	for _, c := range cases {
		if got := c.cond.allows(c.current, c.when); got != c.want {
			t.Errorf("cond %b current %d when %d: got %v", c.cond, c.current, c.when, got)
		}
	}
}

func TestExpireEffects(t *testing.T) {
	env := newKeyspaceEnv(t)
	now := env.now.UnixMilli()
	at := func(ms int64) string { return strconv.FormatInt(ms, 10) }
	env.do("SET", "k", "v")
	env.takeEffects()
	env.takeSignals()

	env.expect(":1\r\n", "EXPIRE", "k", "100")
	env.expect(":1\r\n", "PEXPIRE", "k", "5000", "LT")
	env.expect(":1\r\n", "EXPIREAT", "k", at(now/1000+50))
	env.expect(":1\r\n", "PEXPIREAT", "k", at(now+60_000), "GT")
	env.expect(":0\r\n", "PEXPIREAT", "k", at(now+1), "GT")
	env.expect(":0\r\n", "EXPIRE", "nokey", "10")
	want := []string{
		"PEXPIREAT k " + at(now+100_000),
		"PEXPIREAT k " + at(now+5000),
		"PEXPIREAT k " + at(now/1000*1000+50_000),
		"PEXPIREAT k " + at(now+60_000),
	}
	if effs := env.takeEffects(); !sameStrings(effs, want) {
		t.Errorf("effects = %q, want %q", effs, want)
	}
	if sig := env.takeSignals(); len(sig) != 4 {
		t.Errorf("signals = %q, want one per change", sig)
	}

	// A deadline already passed deletes the key, logged as DEL.
	env.expect(":1\r\n", "PEXPIREAT", "k", at(now))
	env.expect(":0\r\n", "EXISTS", "k")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"DEL k"}) {
		t.Errorf("effects = %q, want DEL k", effs)
	}
}

// Replay sets a logged deadline even when it has passed since: the log
// holds the DEL that removed the key, if any.
func TestExpireReplayKeepsPastDeadline(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "k", "v")
	past := env.now.Add(-time.Hour).UnixMilli()
	err := env.eng.Replay(env.client, Effect{Args: [][]byte{[]byte("PEXPIREAT"), []byte("k"), []byte(strconv.FormatInt(past, 10))}})
	if err != nil {
		t.Fatal(err)
	}
	e := env.eng.Keys.DBs[0].peek("k")
	if e == nil || e.expireAt != past {
		t.Fatalf("after replay: entry %+v, want deadline %d", e, past)
	}
	// The next access expires it as usual.
	env.expect(":-2\r\n", "TTL", "k")
}
