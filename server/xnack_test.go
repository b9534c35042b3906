package server_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// Wire tests for XNACK (Redis 8.8). There is no Redis 8 oracle here: the
// expected replies follow redis.io's XNACK page (modes, RETRYCOUNT, FORCE,
// integer reply) and the Redis 8.8 pull request that added it (unowned
// entries, delivery time 0, NACK zone served first by XREADGROUP ... CLAIM).

func TestXNackWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for i := 1; i <= 4; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "f", "v"+strconv.Itoa(i))
	}
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "s", "g", "0"))
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">")

	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "SILENT", "IDS", "1", "1-0"))
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FATAL", "IDS", "2", "2-0", "9-0"))
	require.Equal(t, ":0\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "4-0"))
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "4-0", "FORCE"))
	require.Equal(t, ":0\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "8-0", "FORCE"))

	// Unowned entries: owner "", idle -1; SILENT 1 -> 0, FATAL LLONG_MAX,
	// FORCE starts at 0; 3-0 stays alice's.
	ext := c.Do("XPENDING", "s", "g", "-", "+", "10")
	require.True(t, strings.HasPrefix(ext, "*4\r\n"+
		"*4\r\n$3\r\n1-0\r\n$0\r\n\r\n:-1\r\n:0\r\n"+
		"*4\r\n$3\r\n2-0\r\n$0\r\n\r\n:-1\r\n:9223372036854775807\r\n"+
		"*4\r\n$3\r\n3-0\r\n$5\r\nalice\r\n"), "XPENDING %q", ext)
	require.True(t, strings.HasSuffix(ext, "*4\r\n$3\r\n4-0\r\n$0\r\n\r\n:-1\r\n:0\r\n"), "XPENDING %q", ext)
	// The summary counts every entry, but lists only owners.
	require.Equal(t, "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n",
		c.Do("XPENDING", "s", "g"))
	require.True(t, strings.HasPrefix(c.Do("XPENDING", "s", "g", "-", "+", "10", "alice"), "*1\r\n*4\r\n$3\r\n3-0\r\n$5\r\nalice\r\n"))

	// RETRYCOUNT overrides the mode.
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FATAL", "IDS", "1", "2-0", "RETRYCOUNT", "5"))

	// XREADGROUP ... CLAIM serves the NACK zone first, in release order
	// (1-0, 4-0, then 2-0 released again), whatever min-idle-time.
	reply := c.Do("XREADGROUP", "GROUP", "g", "bob", "COUNT", "3", "CLAIM", "3600000", "STREAMS", "s", ">")
	i1 := strings.Index(reply, "$3\r\n1-0\r\n")
	i4 := strings.Index(reply, "$3\r\n4-0\r\n")
	i2 := strings.Index(reply, "$3\r\n2-0\r\n")
	require.True(t, i1 >= 0 && i1 < i4 && i4 < i2, "claim order in %q", reply)
	// 2-0's RETRYCOUNT, the deliveries before this one, ends the reply
	// (an integer or a bulk string, whichever the CLAIM reply uses).
	require.True(t, strings.HasSuffix(reply, ":5\r\n") || strings.HasSuffix(reply, "$1\r\n5\r\n"), "%q", reply)
	require.Equal(t, "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n3\r\n",
		c.Do("XPENDING", "s", "g"))

	// XCLAIM takes an unowned entry whatever min-idle-time; XACK and
	// DELCONSUMER handle unowned entries.
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "3-0"))
	require.Equal(t, "*1\r\n$3\r\n3-0\r\n", c.Do("XCLAIM", "s", "g", "carol", "3600000", "3-0", "JUSTID"))
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "3-0"))
	require.Equal(t, ":1\r\n", c.Do("XACK", "s", "g", "3-0"))
	require.Equal(t, ":0\r\n", c.Do("XGROUP", "DELCONSUMER", "s", "g", "carol"))

	// Errors.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XNACK", "s", "g", "MAYBE", "IDS", "1", "1-0"}, "-ERR mode must be SILENT, FAIL, or FATAL\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "0", "1-0"}, "-ERR numids must be a positive integer\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "3", "1-0"}, "-ERR number of IDs doesn't match numids\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "1", "1-0", "RETRYCOUNT", "-1"}, "-ERR Invalid RETRYCOUNT value, must be >= 0\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "1", "1-0", "BOGUS"}, "-ERR Unrecognized XNACK option 'BOGUS'\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "FORCE", "FORCE", "FORCE"}, "-ERR syntax error, expected IDS keyword\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "1", "bad"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
		{[]string{"XNACK", "s", "nogroup", "SILENT", "IDS", "1", "1-0"}, "-NOGROUP No such key 's' or consumer group 'nogroup'\r\n"},
		{[]string{"XNACK", "missing", "g", "SILENT", "IDS", "1", "1-0"}, "-NOGROUP No such key 'missing' or consumer group 'g'\r\n"},
		{[]string{"XNACK", "s", "g", "SILENT", "IDS", "1"}, "-ERR wrong number of arguments for 'xnack' command\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%v", tc.args)
	}
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		c.Do("XNACK", "str", "g", "SILENT", "IDS", "1", "1-0"))
}

// TestXNackResp3: the reply is an integer in both protocols; XPENDING and
// XINFO STREAM FULL show unowned entries the same way in RESP3.
func TestXNackResp3(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("HELLO", "3")
	c.Do("XADD", "s", "1-0", "f", "v")
	c.Do("XGROUP", "CREATE", "s", "g", "0")
	c.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FAIL", "IDS", "1", "1-0"))
	require.Equal(t, "*1\r\n*4\r\n$3\r\n1-0\r\n$0\r\n\r\n:-1\r\n:1\r\n", c.Do("XPENDING", "s", "g", "-", "+", "10"))
	require.Equal(t, "*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*0\r\n", c.Do("XPENDING", "s", "g"))
	full := c.Do("XINFO", "STREAM", "s", "FULL")
	require.Contains(t, full, "*4\r\n$3\r\n1-0\r\n$0\r\n\r\n:0\r\n:1\r\n") // owner "", delivery time 0
	require.Contains(t, full, "$12\r\nnacked-count\r\n:1\r\n")
	require.Contains(t, full, "%8\r\n$4\r\nname\r\n$1\r\ng\r\n")
	require.Contains(t, full, "$9\r\npel-count\r\n:0\r\n") // alice's
}

// TestXNackSurvivesRestart: unowned entries and their NACK order come back
// from a snapshot (DEBUG RELOAD, SAVE) and from the log after it.
func TestXNackSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	srv, addr := servertest.Start(t, persistConfig(dir))
	c := servertest.Dial(t, addr)
	for i := 1; i <= 5; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "f", "v")
	}
	c.Do("XGROUP", "CREATE", "s", "g", "0")
	c.Do("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
	require.Equal(t, ":2\r\n", c.Do("XNACK", "s", "g", "FATAL", "IDS", "2", "4-0", "2-0"))
	require.Equal(t, "+OK\r\n", c.Do("DEBUG", "RELOAD"))
	require.Equal(t, "+OK\r\n", c.Do("SAVE"))
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "SILENT", "IDS", "1", "1-0"))
	want := c.Do("XPENDING", "s", "g", "-", "+", "10")
	srv.Close()

	_, addr2 := servertest.Start(t, persistConfig(dir))
	c2 := servertest.Dial(t, addr2)
	pending := c2.Do("XPENDING", "s", "g", "-", "+", "10")
	require.Len(t, unownedRows(want), 3, "%q", want)
	require.Equal(t, unownedRows(want), unownedRows(pending))
	// The NACK zone order survived: 4-0, 2-0 (snapshot), then 1-0 (log).
	reply := c2.Do("XREADGROUP", "GROUP", "g", "bob", "COUNT", "3", "CLAIM", "3600000", "STREAMS", "s", ">")
	i4, i2, i1 := strings.Index(reply, "$3\r\n4-0\r\n"), strings.Index(reply, "$3\r\n2-0\r\n"), strings.Index(reply, "$3\r\n1-0\r\n")
	require.True(t, i4 >= 0 && i4 < i2 && i2 < i1, "claim order in %q", reply)
}

// unownedRows keeps the XPENDING rows of unowned entries (owner "", idle
// -1): the others carry idle times that change with the clock.
func unownedRows(reply string) []string {
	var rows []string
	for _, row := range strings.Split(reply, "*4\r\n")[1:] {
		if strings.Contains(row, "$0\r\n\r\n:-1\r\n") {
			rows = append(rows, row)
		}
	}
	return rows
}
