package commands

import (
	"strconv"
	"testing"
	"time"
)

func TestTTLRounding(t *testing.T) {
	env := newKeyspaceEnv(t)
	now := env.now.UnixMilli()
	env.do("SET", "k", "v")
	cases := []struct {
		pexpireat        int64
		ttl, pttl, etime string
	}{
		{now + 1499, ":1\r\n", ":1499\r\n", ":" + strconv.FormatInt((now+1499+500)/1000, 10) + "\r\n"},
		{now + 1500, ":2\r\n", ":1500\r\n", ":" + strconv.FormatInt((now+1500+500)/1000, 10) + "\r\n"},
		{now + 1, ":0\r\n", ":1\r\n", ":" + strconv.FormatInt((now+1+500)/1000, 10) + "\r\n"},
		// Near the int64 limit the rounding must not wrap negative.
		{9223372036854775806, ":" + strconv.FormatInt((9223372036854775806-now+500)/1000, 10) + "\r\n",
			":" + strconv.FormatInt(9223372036854775806-now, 10) + "\r\n", ":9223372036854776\r\n"},
	}
	for _, c := range cases {
		env.do("PEXPIREAT", "k", strconv.FormatInt(c.pexpireat, 10))
		env.expect(c.ttl, "TTL", "k")
		env.expect(c.pttl, "PTTL", "k")
		env.expect(c.etime, "EXPIRETIME", "k")
		env.expect(":"+strconv.FormatInt(c.pexpireat, 10)+"\r\n", "PEXPIRETIME", "k")
	}
	env.expect(":1\r\n", "PERSIST", "k")
	env.expect(":-1\r\n", "TTL", "k")
	env.expect(":-1\r\n", "PEXPIRETIME", "k")
	env.expect(":-2\r\n", "PTTL", "nokey")
}

// TTL, like every introspection read, does not refresh the access time.
func TestTTLDoesNotTouch(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "k", "v")
	env.now = env.now.Add(5 * time.Second)
	for _, cmd := range [][]string{{"TTL", "k"}, {"PTTL", "k"}, {"EXPIRETIME", "k"}, {"TYPE", "k"}, {"EXISTS", "k"}, {"OBJECT", "ENCODING", "k"}} {
		env.do(cmd...)
	}
	env.expect(":5\r\n", "OBJECT", "IDLETIME", "k")
	env.do("TOUCH", "k")
	env.expect(":0\r\n", "OBJECT", "IDLETIME", "k")
}
