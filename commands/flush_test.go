package commands

import (
	"strings"
	"testing"
)

func TestParseFlushMode(t *testing.T) {
	cases := []struct {
		args string
		ok   bool
	}{
		{"", true}, {"ASYNC", true}, {"sync", true}, {"Async", true},
		{"foo", false}, {"async sync", false}, {"sync sync", false}, {"asyn", false},
	}
	for _, c := range cases {
		var args [][]byte
		for _, w := range strings.Fields(c.args) {
			args = append(args, []byte(w))
		}
		if err := parseFlushMode(args); (err == nil) != c.ok {
			t.Errorf("%q: err = %v", c.args, err)
		}
	}
}

func TestFlushdbAndFlushall(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "1", "EX", "100")
	env.do("SET", "b", "1")
	env.do("SELECT", "2")
	env.do("SET", "c", "1")
	env.takeEffects()
	env.takeSignals()

	env.expect("+OK\r\n", "FLUSHDB", "ASYNC")
	if sig := env.takeSignals(); !sameStrings(sig, []string{"2:c"}) {
		t.Errorf("signals = %q", sig)
	}
	if effs := env.takeEffects(); !sameStrings(effs, []string{"FLUSHDB ASYNC"}) {
		t.Errorf("effects = %q", effs)
	}
	env.do("SELECT", "0")
	env.expect(":2\r\n", "DBSIZE")

	// Flushing an empty db is still an effect, as in Redis.
	env.do("SELECT", "5")
	env.expect("+OK\r\n", "FLUSHDB")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"FLUSHDB"}) {
		t.Errorf("effects = %q", effs)
	}

	env.expect("+OK\r\n", "FLUSHALL")
	if sig := env.takeSignals(); !sameStrings(sig, []string{"0:a", "0:b"}) {
		t.Errorf("signals = %q", sig)
	}
	db := env.eng.Keys.DBs[0]
	if db.Len() != 0 || db.Expires() != 0 {
		t.Errorf("db 0 after FLUSHALL: %d keys, %d with TTL", db.Len(), db.Expires())
	}
	env.expect("-ERR syntax error\r\n", "FLUSHALL", "x")
}

func TestSwapdb(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "zero")
	env.do("SELECT", "1")
	env.do("SET", "b", "one", "EX", "100")
	env.takeEffects()
	env.takeSignals()

	env.expect("+OK\r\n", "SWAPDB", "1", "0")
	// The client stays on index 1 and now sees db 0's old content.
	env.expect("$4\r\nzero\r\n", "GET", "a")
	env.expect(":-2\r\n", "TTL", "b")
	for i, db := range env.eng.Keys.DBs {
		if db.ID != i {
			t.Fatalf("db at index %d has ID %d", i, db.ID)
		}
	}
	if sig := env.takeSignals(); !sameStrings(sig, []string{"1:a", "0:a", "1:b", "0:b"}) {
		t.Errorf("signals = %q", sig)
	}
	if effs := env.takeEffects(); !sameStrings(effs, []string{"SWAPDB 1 0"}) {
		t.Errorf("effects = %q", effs)
	}
	env.do("SELECT", "0")
	env.expect(":100\r\n", "TTL", "b")

	env.expect("+OK\r\n", "SWAPDB", "3", "3")
	env.expect("-ERR DB index is out of range\r\n", "SWAPDB", "0", "16")
	env.expect("-ERR invalid first DB index\r\n", "SWAPDB", "4294967296", "0")
	env.expect("-ERR invalid second DB index\r\n", "SWAPDB", "0", "x")
	env.expect("-ERR invalid first DB index\r\n", "SWAPDB", "x", "y")
}
