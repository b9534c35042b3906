package server_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// Wire tests for the Redis 8.x stream additions (XADD IDMP/IDMPAUTO,
// XCFGSET, XDELEX, XACKDEL). There is no Redis 8 oracle here: the expected
// replies come from redis.io's command pages and t_stream.c of Redis 8.6.

var streamIDReply = regexp.MustCompile(`^\$\d+\r\n(\d+-\d+)\r\n$`)

// bulkID returns the ID of a bulk-string XADD reply.
func bulkID(t *testing.T, reply string) string {
	t.Helper()
	m := streamIDReply.FindStringSubmatch(reply)
	require.NotNil(t, m, "not an ID reply: %q", reply)
	return m[1]
}

func TestXAddIdmpWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)

	// The redis.io example: a duplicate returns the first entry's ID.
	first := bulkID(t, c.Do("XADD", "mystream", "IDMP", "producer1", "msg1", "*", "field", "value"))
	require.Equal(t, "$"+itoa(len(first))+"\r\n"+first+"\r\n",
		c.Do("XADD", "mystream", "IDMP", "producer1", "msg1", "*", "field", "different_value"))
	require.Equal(t, ":1\r\n", c.Do("XLEN", "mystream"))
	// Another producer may use the same iid.
	other := bulkID(t, c.Do("XADD", "mystream", "IDMP", "producer2", "msg1", "*", "field", "value"))
	require.NotEqual(t, first, other)

	// IDMPAUTO: same fields (in any pair order) are a duplicate.
	auto := bulkID(t, c.Do("XADD", "mystream", "IDMPAUTO", "producer3", "*", "a", "1", "b", "2"))
	require.Equal(t, auto, bulkID(t, c.Do("XADD", "mystream", "IDMPAUTO", "producer3", "*", "b", "2", "a", "1")))
	require.NotEqual(t, auto, bulkID(t, c.Do("XADD", "mystream", "IDMPAUTO", "producer3", "*", "a", "1", "b", "3")))
	require.Equal(t, ":4\r\n", c.Do("XLEN", "mystream"))

	// Options in any order before the ID, with trimming.
	bulkID(t, c.Do("XADD", "mystream", "MAXLEN", "10", "IDMP", "p4", "x", "NOMKSTREAM", "*", "f", "v"))
	require.Equal(t, "$-1\r\n", c.Do("XADD", "missing", "NOMKSTREAM", "IDMP", "p", "i", "*", "f", "v"))

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XADD", "s", "IDMP", "p", "i", "1-1", "f", "v"}, "-ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs\r\n"},
		{[]string{"XADD", "s", "IDMPAUTO", "p", "5-*", "f", "v"}, "-ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs\r\n"},
		{[]string{"XADD", "s", "IDMP", "p", "i", "bad", "f", "v"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
		{[]string{"XADD", "s", "IDMP", "p", "i", "IDMPAUTO", "p", "*", "f", "v"}, "-ERR syntax error, IDMP/IDMPAUTO specified multiple times\r\n"},
		{[]string{"XADD", "s", "IDMPAUTO", "", "*", "f", "v"}, "-ERR syntax error, IDMPAUTO requires a non-empty producer ID\r\n"},
		{[]string{"XADD", "s", "IDMP", "", "i", "*", "f", "v"}, "-ERR syntax error, IDMP requires a non-empty producer ID\r\n"},
		{[]string{"XADD", "s", "IDMP", "p", "", "*", "f", "v"}, "-ERR syntax error, IDMP requires a non-empty idempotent ID\r\n"},
		{[]string{"XADD", "s", "IDMP", "p", "i", "*", "f"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
		// IDMP takes "*" as its iid here, so "f" is the (invalid) ID.
		{[]string{"XADD", "s", "IDMP", "p", "*", "f"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	require.Equal(t, ":0\r\n", c.Do("EXISTS", "s"))
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		c.Do("XADD", "str", "IDMP", "p", "i", "*", "f", "v"))
}

func TestXCfgSetAndXInfoWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XCFGSET", "nokey", "IDMP-DURATION", "5"}, "-ERR no such key\r\n"},
		{[]string{"XCFGSET", "nokey"}, "-ERR no such key\r\n"},
		{[]string{"XCFGSET"}, "-ERR wrong number of arguments for 'xcfgset' command\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		c.Do("XCFGSET", "str", "IDMP-DURATION", "5"))

	// A plain stream shows the 7.0 fields only.
	c.Do("XADD", "plain", "1-1", "f", "v")
	require.Equal(t, "*20\r\n", firstLine(c.Do("XINFO", "STREAM", "plain")))

	c.Do("XADD", "mystream", "*", "field", "value")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XCFGSET", "mystream"}, "-ERR At least one parameter must be specified\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION", "0"}, "-ERR IDMP-DURATION must be between 1 and 86400 seconds\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION", "86401"}, "-ERR IDMP-DURATION must be between 1 and 86400 seconds\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-MAXSIZE", "0"}, "-ERR IDMP-MAXSIZE must be between 1 and 10000 entries\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-MAXSIZE", "10001"}, "-ERR IDMP-MAXSIZE must be between 1 and 10000 entries\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-MAXSIZE", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION", "5", "IDMP-DURATION", "6"}, "-ERR IDMP-DURATION specified multiple times\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-MAXSIZE", "5", "IDMP-MAXSIZE", "6"}, "-ERR IDMP-MAXSIZE specified multiple times\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION"}, "-ERR syntax error\r\n"},
		{[]string{"XCFGSET", "mystream", "FOO", "1"}, "-ERR syntax error\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION", "1"}, "+OK\r\n"},
		{[]string{"XCFGSET", "mystream", "IDMP-DURATION", "86400", "IDMP-MAXSIZE", "10000"}, "+OK\r\n"},
		{[]string{"XCFGSET", "mystream", "idmp-duration", "300", "idmp-maxsize", "1000"}, "+OK\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	c.Do("XADD", "mystream", "IDMP", "p1", "a", "*", "f", "v")
	c.Do("XADD", "mystream", "IDMP", "p1", "a", "*", "f", "v")
	c.Do("XADD", "mystream", "IDMP", "p2", "b", "*", "f", "v")
	info := c.Do("XINFO", "STREAM", "mystream")
	require.Equal(t, "*32\r\n", firstLine(info))
	require.Contains(t, info, "$13\r\nidmp-duration\r\n:300\r\n$12\r\nidmp-maxsize\r\n:1000\r\n"+
		"$12\r\npids-tracked\r\n:2\r\n$12\r\niids-tracked\r\n:2\r\n$10\r\niids-added\r\n:2\r\n"+
		"$15\r\niids-duplicates\r\n:1\r\n$6\r\ngroups\r\n")
	require.Equal(t, "*30\r\n", firstLine(c.Do("XINFO", "STREAM", "mystream", "FULL")))

	// Setting the same values keeps the maps; a new value clears them.
	require.Equal(t, "+OK\r\n", c.Do("XCFGSET", "mystream", "IDMP-DURATION", "300"))
	require.Contains(t, c.Do("XINFO", "STREAM", "mystream"), "iids-tracked\r\n:2\r\n")
	require.Equal(t, "+OK\r\n", c.Do("XCFGSET", "mystream", "IDMP-MAXSIZE", "2"))
	info = c.Do("XINFO", "STREAM", "mystream")
	require.Contains(t, info, "pids-tracked\r\n:0\r\n$12\r\niids-tracked\r\n:0\r\n")
	require.Contains(t, info, "iids-added\r\n:2\r\n") // counters survive
	// After clearing, the old iid adds again; then the size cap of 2 evicts.
	before := c.Do("XLEN", "mystream")
	c.Do("XADD", "mystream", "IDMP", "p1", "a", "*", "f", "v")
	require.NotEqual(t, before, c.Do("XLEN", "mystream"))
	c.Do("XADD", "mystream", "IDMP", "p1", "b", "*", "f", "v")
	c.Do("XADD", "mystream", "IDMP", "p1", "c", "*", "f", "v")
	n := c.Do("XLEN", "mystream")
	c.Do("XADD", "mystream", "IDMP", "p1", "a", "*", "f", "v") // evicted: added again
	require.NotEqual(t, n, c.Do("XLEN", "mystream"))
	require.Contains(t, c.Do("XINFO", "STREAM", "mystream"), "iids-tracked\r\n:2\r\n")

	// RESP3: a map.
	c.Do("HELLO", "3")
	require.Equal(t, "%16\r\n", firstLine(c.Do("XINFO", "STREAM", "mystream")))
	require.Equal(t, "+OK\r\n", c.Do("XCFGSET", "mystream", "IDMP-MAXSIZE", "3"))
}

func firstLine(s string) string { return s[:strings.Index(s, "\n")+1] }

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestXDelExWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XDELEX", "nokey", "IDS", "2", "1-1", "bad"}, "*2\r\n:-1\r\n:-1\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "1"}, "-ERR wrong number of arguments for 'xdelex' command\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "0", "1-1"}, "-ERR Number of IDs must be a positive integer\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "x", "1-1"}, "-ERR Number of IDs must be a positive integer\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "3", "1-1"}, "-ERR The `numids` parameter must match the number of arguments\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "1", "1-1", "2-2"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "KEEPREF", "DELREF", "IDS", "1", "1-1"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "KEEPREF", "1-1", "2-2"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "KEEPREF", "ACKED", "DELREF"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "ACKED", "KEEPREF", "x"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "ACKED", "x", "IDS"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "KEEPREF", "IDS", "IDS"}, "-ERR Number of IDs must be a positive integer\r\n"},
		{[]string{"XDELEX", "nokey", "KEEPREF", "1-1", "IDS"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "ACKED", "KEEPREF", "IDS"}, "-ERR syntax error\r\n"},
		{[]string{"XDELEX", "nokey", "IDS", "1", "1-1", "IDS", "2", "1-1", "2-2"}, "*2\r\n:-1\r\n:-1\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	require.Equal(t, "*1\r\n:-1\r\n", c.Do("XDELEX", "nokey", "acked", "ids", "1", "1-1"))
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		c.Do("XDELEX", "str", "IDS", "1", "1-1"))

	for i := 1; i <= 5; i++ {
		c.Do("XADD", "s", fmtInt(i)+"-1", "f", "v")
	}
	require.Equal(t, "-ERR Invalid stream ID specified as stream command argument\r\n",
		c.Do("XDELEX", "s", "IDS", "2", "1-1", "+"))
	require.Equal(t, ":5\r\n", c.Do("XLEN", "s"))
	require.Equal(t, "*3\r\n:1\r\n:-1\r\n:-1\r\n", c.Do("XDELEX", "s", "IDS", "3", "1-1", "1-1", "9-9"))
	// ACKED: the group has not read 3-1 yet, and 2-1 is pending.
	c.Do("XGROUP", "CREATE", "s", "g", "0")
	c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">")
	require.Equal(t, "*3\r\n:2\r\n:2\r\n:2\r\n", c.Do("XDELEX", "s", "ACKED", "IDS", "3", "2-1", "3-1", "9-9"))
	// KEEPREF deletes and leaves the PEL; DELREF clears it.
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XDELEX", "s", "KEEPREF", "IDS", "1", "2-1"))
	require.Equal(t, "*4\r\n:1\r\n$3\r\n2-1\r\n$3\r\n2-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n", c.Do("XPENDING", "s", "g"))
	c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">")
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XDELEX", "s", "DELREF", "IDS", "1", "3-1"))
	require.Equal(t, "*4\r\n:1\r\n$3\r\n2-1\r\n$3\r\n2-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n", c.Do("XPENDING", "s", "g"))
	// ACKED deletes once every group read and acknowledged the entry.
	c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">")
	c.Do("XACK", "s", "g", "4-1")
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XDELEX", "s", "ACKED", "IDS", "1", "4-1"))
	require.Equal(t, ":1\r\n", c.Do("XLEN", "s"))

	c.Do("HELLO", "3")
	require.Equal(t, "*1\r\n:-1\r\n", c.Do("XDELEX", "s", "IDS", "1", "4-1"))
}

func TestXAckDelWire(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XACKDEL", "nokey", "g", "IDS", "2", "1-1", "bad"}, "*2\r\n:-1\r\n:-1\r\n"},
		{[]string{"XACKDEL", "nokey", "g", "IDS", "1"}, "-ERR wrong number of arguments for 'xackdel' command\r\n"},
		{[]string{"XACKDEL", "nokey", "g", "IDS", "-1", "1-1"}, "-ERR Number of IDs must be a positive integer\r\n"},
		{[]string{"XACKDEL", "nokey", "g", "IDS", "2", "1-1"}, "-ERR The `numids` parameter must match the number of arguments\r\n"},
		{[]string{"XACKDEL", "nokey", "g", "DELREF", "1-1", "2-2"}, "-ERR syntax error\r\n"},
		{[]string{"XACKDEL", "nokey", "g", "KEEPREF", "ACKED", "x"}, "-ERR syntax error\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		c.Do("XACKDEL", "str", "g", "IDS", "1", "1-1"))

	for i := 1; i <= 4; i++ {
		c.Do("XADD", "s", fmtInt(i)+"-1", "f", "v")
	}
	require.Equal(t, "*1\r\n:-1\r\n", c.Do("XACKDEL", "s", "nogroup", "IDS", "1", "1-1"))
	c.Do("XGROUP", "CREATE", "s", "g1", "0")
	c.Do("XGROUP", "CREATE", "s", "g2", "0")
	c.Do("XREADGROUP", "GROUP", "g1", "c", "STREAMS", "s", ">")
	c.Do("XREADGROUP", "GROUP", "g2", "c", "COUNT", "2", "STREAMS", "s", ">")
	require.Equal(t, "-ERR Invalid stream ID specified as stream command argument\r\n",
		c.Do("XACKDEL", "s", "g1", "IDS", "2", "1-1", "-"))
	// ACKED: 1-1 is still pending in g2, 3-1 not read by g2: acked, kept.
	require.Equal(t, "*3\r\n:2\r\n:2\r\n:-1\r\n", c.Do("XACKDEL", "s", "g1", "ACKED", "IDS", "3", "1-1", "3-1", "9-9"))
	require.Equal(t, ":4\r\n", c.Do("XLEN", "s"))
	// g2 acks 1-1 with ACKED: nobody references it any more, deleted.
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XACKDEL", "s", "g2", "ACKED", "IDS", "1", "1-1"))
	// KEEPREF (default): deleted although g1 still has 2-1 pending.
	require.Equal(t, "*2\r\n:1\r\n:-1\r\n", c.Do("XACKDEL", "s", "g2", "IDS", "2", "2-1", "2-1"))
	require.Contains(t, c.Do("XPENDING", "s", "g1"), "$3\r\n2-1\r\n")
	// Pending in g1 but already deleted from the stream: still 1.
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XACKDEL", "s", "g1", "IDS", "1", "2-1"))
	// DELREF drops 4-1 from g1's PEL too.
	c.Do("XREADGROUP", "GROUP", "g2", "c", "STREAMS", "s", ">")
	require.Equal(t, "*1\r\n:1\r\n", c.Do("XACKDEL", "s", "g2", "DELREF", "IDS", "1", "4-1"))
	require.NotContains(t, c.Do("XPENDING", "s", "g1", "-", "+", "10"), "4-1")
	require.Equal(t, ":1\r\n", c.Do("XLEN", "s"))
}

// TestIdmpSurvivesRestart: a producer retrying after a restart is still
// deduplicated, whether the dedup state comes back from the WAL alone or
// from a snapshot plus the WAL after it.
func TestIdmpSurvivesRestart(t *testing.T) {
	for _, snapshot := range []bool{false, true} {
		t.Run(map[bool]string{false: "wal", true: "snapshot"}[snapshot], func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			srv, addr := servertest.Start(t, persistConfig(dir))
			c := redis.NewClient(&redis.Options{Addr: addr})
			require.NotEmpty(t, c.Do(ctx, "XADD", "q", "*", "n", "0").Val())
			require.Equal(t, "OK", c.Do(ctx, "XCFGSET", "q", "IDMP-DURATION", "3600", "IDMP-MAXSIZE", "50").Val())
			id1 := c.Do(ctx, "XADD", "q", "IDMP", "prod", "order-1", "*", "n", "1").Val()
			id2 := c.Do(ctx, "XADD", "q", "IDMPAUTO", "prod", "*", "n", "2").Val()
			if snapshot {
				require.Equal(t, "OK", c.Save(ctx).Val())
			}
			id3 := c.Do(ctx, "XADD", "q", "IDMP", "prod", "order-3", "*", "n", "3").Val()
			require.Equal(t, id3, c.Do(ctx, "XADD", "q", "IDMP", "prod", "order-3", "*", "n", "3").Val())
			c.Close()
			srv.Close()

			_, addr = servertest.Start(t, persistConfig(dir))
			c = redis.NewClient(&redis.Options{Addr: addr})
			defer c.Close()
			require.Equal(t, id1, c.Do(ctx, "XADD", "q", "IDMP", "prod", "order-1", "*", "n", "1").Val())
			require.Equal(t, id2, c.Do(ctx, "XADD", "q", "IDMPAUTO", "prod", "*", "n", "2").Val())
			require.Equal(t, id3, c.Do(ctx, "XADD", "q", "IDMP", "prod", "order-3", "*", "n", "3").Val())
			require.Equal(t, int64(4), c.XLen(ctx, "q").Val())
			info := c.Do(ctx, "XINFO", "STREAM", "q").String()
			for _, f := range []string{"idmp-duration:3600", "idmp-maxsize:50", "pids-tracked:1", "iids-tracked:3", "iids-added:3"} {
				require.Contains(t, info, f)
			}
		})
	}
}
