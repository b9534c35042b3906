package server_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// Wire tests for the reference policies of XADD and XTRIM trimming
// (KEEPREF | DELREF | ACKED, Redis 8.2). No Redis 8 oracle: expected
// replies follow redis.io's XADD/XTRIM pages and Redis 8.2's streamTrim.
func TestTrimPolicyWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	fill := func(key string) {
		c.Do("DEL", key)
		for i := 1; i <= 6; i++ {
			c.Do("XADD", key, fmtInt(i)+"-0", "f", "v")
		}
		// g has read 1..4 and acked 1 and 3: 2 and 4 are pending, 5 and 6 unread.
		c.Do("XGROUP", "CREATE", key, "g", "0")
		c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "4", "STREAMS", key, ">")
		c.Do("XACK", key, "g", "1-0", "3-0")
	}
	pending := func(key string) string { return c.Do("XPENDING", key, "g", "-", "+", "10") }

	// KEEPREF (and no policy): the PEL keeps 2 and 4.
	fill("s")
	require.Equal(t, ":4\r\n", c.Do("XTRIM", "s", "MAXLEN", "2", "KEEPREF"))
	require.Contains(t, pending("s"), "$3\r\n2-0\r\n")
	require.Contains(t, pending("s"), "$3\r\n4-0\r\n")

	// DELREF: the same entries go, with their PEL entries.
	fill("s")
	require.Equal(t, ":4\r\n", c.Do("XTRIM", "s", "MAXLEN", "2", "DELREF"))
	require.Equal(t, "*0\r\n", pending("s"))
	require.Equal(t, ":2\r\n", c.Do("XLEN", "s"))

	// ACKED: only 1 and 3 are free (2, 4 pending; 5, 6 unread).
	fill("s")
	require.Equal(t, ":2\r\n", c.Do("XTRIM", "s", "MINID", "6", "ACKED"))
	require.Equal(t, ":4\r\n", c.Do("XLEN", "s"))
	require.Equal(t, "*2\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n", firstIDs(c.Do("XRANGE", "s", "-", "4")))
	c.Do("XACK", "s", "g", "2-0")
	require.Equal(t, ":1\r\n", c.Do("XTRIM", "s", "MAXLEN", "~", "0", "ACKED"))
	require.Equal(t, ":3\r\n", c.Do("XLEN", "s"))

	// XADD trims with a policy too ("~" ignored: the entries go although
	// their node cannot go whole).
	fill("s")
	require.Equal(t, "$3\r\n7-0\r\n", c.Do("XADD", "s", "DELREF", "MAXLEN", "~", "3", "7-0", "f", "v"))
	require.Equal(t, ":3\r\n", c.Do("XLEN", "s"))
	require.Equal(t, "*0\r\n", pending("s"))
	fill("s")
	require.Equal(t, "$3\r\n7-0\r\n", c.Do("XADD", "s", "MAXLEN", "0", "acked", "7-0", "f", "v"))
	require.Equal(t, ":5\r\n", c.Do("XLEN", "s"))

	// Errors: the policy words are options, nothing else changes.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XTRIM", "s", "ACKED", "DELREF"}, "-ERR syntax error, XTRIM must be called with a trimming strategy\r\n"},
		{[]string{"XTRIM", "s", "MAXLEN", "1", "DELREF", "LIMIT", "1"}, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"},
		{[]string{"XTRIM", "s", "MAXLEN", "1", "KEEPREFS"}, "-ERR syntax error\r\n"},
		{[]string{"XADD", "s", "ACKED", "KEEPREF"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
}

// firstIDs turns an XRANGE reply into an array of its IDs.
func firstIDs(reply string) string {
	var ids []string
	for _, m := range xrangeID.FindAllStringSubmatch(reply, -1) {
		ids = append(ids, m[1])
	}
	out := "*" + fmtInt(len(ids)) + "\r\n"
	for _, id := range ids {
		out += "$" + fmtInt(len(id)) + "\r\n" + id + "\r\n"
	}
	return out
}

var xrangeID = regexp.MustCompile(`\*2\r\n\$\d+\r\n(\d+-\d+)\r\n`)
