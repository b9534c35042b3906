package commands

import (
	"testing"
	"time"
)

func TestObjectRefcount(t *testing.T) {
	env := newKeyspaceEnv(t)
	cases := []struct{ value, want string }{
		{"0", ":2147483647\r\n"},
		{"9999", ":2147483647\r\n"},
		{"10000", ":1\r\n"},
		{"-1", ":1\r\n"},
		{"007", ":1\r\n"},
		{"abc", ":1\r\n"},
	}
	for _, c := range cases {
		env.do("SET", "k", c.value)
		env.expect(c.want, "OBJECT", "REFCOUNT", "k")
	}
	env.expect("$-1\r\n", "OBJECT", "REFCOUNT", "nokey")
}

// IDLETIME counts whole seconds of Redis's second-resolution LRU clock.
func TestObjectIdletime(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.now = time.UnixMilli(1_700_000_000_900)
	env.do("SET", "k", "v")
	env.now = env.now.Add(200 * time.Millisecond) // into the next second
	env.expect(":1\r\n", "OBJECT", "IDLETIME", "k")
	env.now = env.now.Add(3 * time.Second)
	env.expect(":4\r\n", "OBJECT", "IDLETIME", "k")
	env.eng.Settings.MaxMemoryPolicy = "allkeys-lfu"
	env.expect("-"+msgLRUNotSelected+"\r\n", "OBJECT", "IDLETIME", "k")
	env.expect("$-1\r\n", "OBJECT", "IDLETIME", "nokey")
}

func TestObjectFreqAndMissingKeys(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "k", "v")
	env.expect("-"+msgLFUNotSelected+"\r\n", "OBJECT", "FREQ", "k")
	for _, sub := range []string{"ENCODING", "FREQ", "IDLETIME", "REFCOUNT"} {
		env.expect("$-1\r\n", "OBJECT", sub, "nokey")
	}
	env.client.Proto = 3
	env.expect("_\r\n", "OBJECT", "ENCODING", "nokey")
}
