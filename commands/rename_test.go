package commands

import (
	"testing"
	"time"
)

func TestRenameKeepsTTLAndAccessTime(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "v", "PX", "5000")
	deadline := env.eng.Keys.DBs[0].peek("a").expireAt
	env.do("SET", "b", "old")
	env.takeEffects()
	env.takeSignals()

	env.expect("+OK\r\n", "RENAME", "a", "b")
	db := env.eng.Keys.DBs[0]
	if db.peek("a") != nil {
		t.Fatal("source still present")
	}
	e := db.peek("b")
	if e == nil || string(e.value.(*stringValue).b) != "v" || e.expireAt != deadline {
		t.Fatalf("destination = %+v, want the value with deadline %d", e, deadline)
	}
	if db.Expires() != 1 || db.Len() != 1 {
		t.Errorf("len %d, expires %d; want 1 and 1", db.Len(), db.Expires())
	}
	if effs := env.takeEffects(); !sameStrings(effs, []string{"RENAME a b"}) {
		t.Errorf("effects = %q", effs)
	}
	if sig := env.takeSignals(); !sameStrings(sig, []string{"0:a", "0:b"}) {
		t.Errorf("signals = %q", sig)
	}

	// The deadline still fires under the new name.
	env.now = env.now.Add(6 * time.Second)
	env.expect(":0\r\n", "EXISTS", "b")
}

func TestRenameNoChange(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "v")
	env.do("SET", "b", "w")
	env.takeEffects()
	env.expect("+OK\r\n", "RENAME", "a", "a")
	env.expect(":0\r\n", "RENAMENX", "a", "a")
	env.expect(":0\r\n", "RENAMENX", "a", "b")
	env.expect("-ERR no such key\r\n", "RENAME", "x", "x")
	env.expect("-ERR no such key\r\n", "RENAMENX", "x", "a")
	if effs := env.takeEffects(); len(effs) != 0 {
		t.Errorf("no-op renames logged %q", effs)
	}
	env.expect(":1\r\n", "RENAMENX", "a", "c")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"RENAMENX a c"}) {
		t.Errorf("effects = %q", effs)
	}
}
