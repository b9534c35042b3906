package commands

import (
	"fmt"
	"testing"
	"time"
)

// KEYS skips keys past their TTL without deleting them, as Redis 7.0 does.
func TestKeysSkipsExpiredWithoutDeleting(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "a", "v", "PX", "10")
	env.do("SET", "b", "v")
	env.now = env.now.Add(time.Second)
	env.takeEffects()
	env.expect("*1\r\n$1\r\nb\r\n", "KEYS", "*")
	env.expect("*0\r\n", "KEYS", "a")
	env.expect(":2\r\n", "DBSIZE")
	if effs := env.takeEffects(); len(effs) != 0 {
		t.Errorf("KEYS logged %q", effs)
	}
}

func TestKeysPatterns(t *testing.T) {
	env := newKeyspaceEnv(t)
	for _, k := range []string{"one", "two", "three", "", "a*b"} {
		env.do("SET", k, "v")
	}
	cases := []struct {
		pattern string
		want    int
	}{
		{"*", 5}, {"t*", 2}, {"?????", 1}, {"", 1}, {"a\\*b", 1}, {"[ot]*", 3}, {"x*", 0},
	}
	for _, c := range cases {
		reply := env.do("KEYS", c.pattern)
		var n int
		if _, err := fmt.Sscanf(reply, "*%d", &n); err != nil || n != c.want {
			t.Errorf("KEYS %q: reply %q, want %d keys", c.pattern, reply, c.want)
		}
	}
}
