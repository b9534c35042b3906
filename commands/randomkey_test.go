package commands

import (
	"testing"
	"time"
)

// RANDOMKEY deletes the expired keys it draws and keeps drawing.
func TestRandomkeySkipsExpired(t *testing.T) {
	env := newKeyspaceEnv(t)
	for _, k := range []string{"a", "b", "c", "d"} {
		env.do("SET", k, "v", "PX", "10")
	}
	env.do("SET", "live", "v")
	env.now = env.now.Add(time.Second)
	env.expect("$4\r\nlive\r\n", "RANDOMKEY")
	env.do("DEL", "live")
	env.do("SET", "x", "v", "PX", "10")
	env.now = env.now.Add(time.Second)
	env.expect("$-1\r\n", "RANDOMKEY")
	env.expect(":0\r\n", "DBSIZE")
}
