package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// Wire tests for Spool's queue semantics (XQ. commands, issue 8). Timing
// uses short real waits: the domain logic has injected-clock tests in
// streams/queue_test.go.

// xqSetup creates stream s with n entries 1-0..n-0 and group g at 0.
func xqSetup(t *testing.T, c *servertest.Conn, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "f", "v"+strconv.Itoa(i))
	}
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "s", "g", "0"))
}

func TestXQPolicyCommands(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	require.Equal(t, "-NOGROUP No such key 's' or consumer group 'g'\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "10"))
	xqSetup(t, c, 3)
	c.Do("SET", "str", "x")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"XQ.POLICY", "SET", "str", "g"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "nope"}, "-NOGROUP No such key 's' or consumer group 'nope'\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "ACKWAIT"}, "-ERR syntax error\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "ACKWAIT", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "ACKWAIT", "-1"}, "-ERR ACKWAIT must be >= 0 (milliseconds; 0 turns redelivery off)\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "MAXDELIVER", "-2"}, "-ERR MAXDELIVER must be >= 0 (0 means no limit)\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "MAXPENDING", "-2"}, "-ERR MAXPENDING must be >= 0 (0 means no limit)\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "BACKOFF", "1,,2"}, "-ERR BACKOFF must be 1 to 64 comma-separated integers >= 0 (milliseconds)\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "BACKOFF", "1,-2"}, "-ERR BACKOFF must be 1 to 64 comma-separated integers >= 0 (milliseconds)\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "DLQ", "s"}, "-ERR DLQ must be another key than the stream\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "DLQ", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "FOO", "1"}, "-ERR syntax error\r\n"},
		{[]string{"XQ.POLICY", "SET", "s"}, "-ERR wrong number of arguments for 'xq.policy|set' command\r\n"},
		{[]string{"XQ.POLICY", "GET", "s", "g"}, "$-1\r\n"},
		{[]string{"XQ.POLICY", "DEL", "s", "g"}, ":0\r\n"},
		{[]string{"XQ.POLICY", "NOPE"}, "-ERR unknown subcommand 'NOPE'. Try XQ.POLICY HELP.\r\n"},
		{[]string{"XQ.POLICY", "SET", "s", "g", "ACKWAIT", "500", "BACKOFF", "100,200", "MAXDELIVER", "3", "MAXPENDING", "7"}, "+OK\r\n"},
		{[]string{"XQ.POLICY", "GET", "s", "g"}, "*10\r\n$7\r\nackwait\r\n:500\r\n$7\r\nbackoff\r\n*2\r\n:100\r\n:200\r\n" +
			"$10\r\nmaxdeliver\r\n:3\r\n$3\r\ndlq\r\n$5\r\ns:dlq\r\n$10\r\nmaxpending\r\n:7\r\n"},
		// SET replaces the whole policy.
		{[]string{"XQ.POLICY", "SET", "s", "g", "DLQ", "dead"}, "+OK\r\n"},
		{[]string{"XQ.POLICY", "GET", "s", "g"}, "*10\r\n$7\r\nackwait\r\n:0\r\n$7\r\nbackoff\r\n*0\r\n" +
			"$10\r\nmaxdeliver\r\n:0\r\n$3\r\ndlq\r\n$4\r\ndead\r\n$10\r\nmaxpending\r\n:0\r\n"},
		{[]string{"XQ.POLICY", "DEL", "s", "g"}, ":1\r\n"},
		{[]string{"XQ.POLICY", "GET", "s", "g"}, "$-1\r\n"},
	} {
		require.Equal(t, tc.want, c.Do(tc.args...), "%q", tc.args)
	}
	// RESP3: a map, and null.
	c.Do("HELLO", "3")
	require.Equal(t, "_\r\n", c.Do("XQ.POLICY", "GET", "s", "g"))
	c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "5")
	require.True(t, strings.HasPrefix(c.Do("XQ.POLICY", "GET", "s", "g"), "%5\r\n$7\r\nackwait\r\n:5\r\n"))
	// Every XQ. command is in COMMAND DOCS; XQ.DEADLETTER is refused.
	docs := c.Do("COMMAND", "DOCS", "xq.policy", "xq.nack", "xq.touch", "xq.stats", "xq.redrive")
	for _, name := range []string{"xq.policy", "xq.nack", "xq.touch", "xq.stats", "xq.redrive", "xq.policy|set"} {
		require.Contains(t, docs, "$"+strconv.Itoa(len(name))+"\r\n"+name+"\r\n")
	}
	require.Equal(t, "-ERR XQ.DEADLETTER is internal to Spool's log: it is accepted only while effects are replayed\r\n",
		c.Do("XQ.DEADLETTER", "s", "g", "1-0"))
}

func TestXQAckWaitRedelivers(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	xqSetup(t, c, 3)
	require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "100"))
	// alice takes two and dies.
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">")
	// Before ACKWAIT, bob gets the new entry only.
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv3\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"))
	require.Equal(t, "*-1\r\n", c.Do("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"))
	require.Equal(t, ":1\r\n", c.Do("XACK", "s", "g", "3-0"))
	time.Sleep(150 * time.Millisecond)
	// After it, alice's entries come first, to bob, count bumped.
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv1\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"))
	ext := c.Do("XPENDING", "s", "g", "1-0", "1-0", "1")
	require.True(t, strings.HasPrefix(ext, "*1\r\n*4\r\n$3\r\n1-0\r\n$3\r\nbob\r\n:"), ext)
	require.True(t, strings.HasSuffix(ext, ":2\r\n"), ext)
	// With CLAIM, redelivered entries carry their idle time and previous count.
	reply := c.Do("XREADGROUP", "GROUP", "g", "carol", "CLAIM", "100000", "STREAMS", "s", ">")
	require.True(t, strings.HasPrefix(reply, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*4\r\n$3\r\n2-0\r\n"), reply)
	require.True(t, strings.HasSuffix(reply, ":1\r\n"), reply)

	stats := c.Do("XQ.STATS", "s", "g")
	require.True(t, strings.HasPrefix(stats, "*16\r\n$9\r\ndelivered\r\n:5\r\n$11\r\nredelivered\r\n:2\r\n$5\r\nacked\r\n:1\r\n"+
		"$13\r\ndead-lettered\r\n:0\r\n$7\r\npending\r\n:2\r\n"), stats)
}

func TestXQBlockedReaderWokenWhenDue(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []string{"f", "v"}})
	require.NoError(t, rdb.XGroupCreate(ctx, "s", "g", "0").Err())
	require.NoError(t, rdb.Do(ctx, "XQ.POLICY", "SET", "s", "g", "ACKWAIT", "200").Err())
	got, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "a", Streams: []string{"s", ">"}}).Result()
	require.NoError(t, err)
	require.Len(t, got[0].Messages, 1)

	start := time.Now()
	got, err = rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "b", Streams: []string{"s", ">"}, Block: 5 * time.Second}).Result()
	require.NoError(t, err)
	waited := time.Since(start)
	require.Equal(t, "1-0", got[0].Messages[0].ID)
	require.GreaterOrEqual(t, waited, 150*time.Millisecond, "served before ACKWAIT")
	require.Less(t, waited, 3*time.Second, "not woken when due")

	// XQ.NACK DELAY wakes a blocked reader at the delay's end, and an ack
	// before it cancels the redelivery.
	require.NoError(t, rdb.Do(ctx, "XQ.POLICY", "DEL", "s", "g").Err())
	require.EqualValues(t, 1, rdb.Do(ctx, "XQ.NACK", "s", "g", "DELAY", "100", "IDS", "1", "1-0").Val())
	got, err = rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s", ">"}, Block: 5 * time.Second}).Result()
	require.NoError(t, err)
	require.Equal(t, "1-0", got[0].Messages[0].ID)
	require.EqualValues(t, 1, rdb.XAck(ctx, "s", "g", "1-0").Val())
	_, err = rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c", Streams: []string{"s", ">"}, Block: 300 * time.Millisecond}).Result()
	require.ErrorIs(t, err, redis.Nil)
}

func TestXQDeadLetterAndRedrive(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	sub := servertest.Dial(t, addr)
	require.Equal(t, "*3\r\n$9\r\nsubscribe\r\n$19\r\n__xq__:deadletter:s\r\n:1\r\n", sub.Do("SUBSCRIBE", "__xq__:deadletter:s"))
	xqSetup(t, c, 2)
	require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "20", "MAXDELIVER", "2"))
	c.Do("XREADGROUP", "GROUP", "g", "a", "COUNT", "1", "STREAMS", "s", ">") // 1-0, delivery 1
	time.Sleep(40 * time.Millisecond)
	c.Do("XREADGROUP", "GROUP", "g", "b", "COUNT", "1", "STREAMS", "s", ">") // 1-0 again, delivery 2
	time.Sleep(40 * time.Millisecond)
	// The third delivery moves 1-0 to s:dlq; c gets the new entry instead.
	require.Equal(t, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$2\r\nv2\r\n",
		c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"))
	require.Equal(t, "*3\r\n$7\r\nmessage\r\n$19\r\n__xq__:deadletter:s\r\n$3\r\n1-0\r\n", sub.Read())
	dlq := c.Do("XRANGE", "s:dlq", "-", "+")
	require.Contains(t, dlq, "*14\r\n$1\r\nf\r\n$2\r\nv1\r\n$9\r\nxq-source\r\n$1\r\ns\r\n$5\r\nxq-id\r\n$3\r\n1-0\r\n"+
		"$8\r\nxq-group\r\n$1\r\ng\r\n$11\r\nxq-consumer\r\n$1\r\nb\r\n$13\r\nxq-deliveries\r\n$1\r\n2\r\n$9\r\nxq-reason\r\n$10\r\nmaxdeliver\r\n")
	// It left the PEL; the stream keeps it (only the group lets go).
	require.True(t, strings.HasPrefix(c.Do("XPENDING", "s", "g"), "*4\r\n:1\r\n$3\r\n2-0\r\n"))
	require.Equal(t, ":2\r\n", c.Do("XLEN", "s"))
	require.Contains(t, c.Do("XQ.STATS", "s", "g"), "$13\r\ndead-lettered\r\n:1\r\n")

	// XNACK FATAL dead-letters at the next delivery attempt, by XCLAIM too.
	require.Equal(t, ":1\r\n", c.Do("XNACK", "s", "g", "FATAL", "IDS", "1", "2-0"))
	require.Equal(t, "*0\r\n", c.Do("XCLAIM", "s", "g", "d", "0", "2-0"))
	require.Equal(t, "*3\r\n$7\r\nmessage\r\n$19\r\n__xq__:deadletter:s\r\n$3\r\n2-0\r\n", sub.Read())
	require.Contains(t, c.Do("XRANGE", "s:dlq", "-", "+"), "$9\r\nxq-reason\r\n$5\r\nfatal\r\n")
	require.Equal(t, "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", c.Do("XPENDING", "s", "g"))

	// Redrive: back to s as new entries without the xq-* fields, gone
	// from the DLQ.
	c.Do("SET", "str", "x")
	require.Equal(t, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.Do("XQ.REDRIVE", "s:dlq", "TO", "str"))
	require.Equal(t, ":2\r\n", c.Do("XLEN", "s:dlq"), "a failed redrive moves nothing")
	require.Equal(t, "-ERR COUNT must be > 0\r\n", c.Do("XQ.REDRIVE", "s:dlq", "COUNT", "0"))
	require.Equal(t, ":1\r\n", c.Do("XQ.REDRIVE", "s:dlq", "COUNT", "1"))
	require.Equal(t, ":1\r\n", c.Do("XLEN", "s:dlq"))
	last := c.Do("XREVRANGE", "s", "+", "-", "COUNT", "1")
	require.True(t, strings.HasSuffix(last, "*2\r\n$1\r\nf\r\n$2\r\nv1\r\n"), last)
	require.Equal(t, ":1\r\n", c.Do("XQ.REDRIVE", "s:dlq", "TO", "other"))
	require.Equal(t, ":0\r\n", c.Do("XLEN", "s:dlq"))
	require.Equal(t, ":1\r\n", c.Do("XLEN", "other"))
	require.Equal(t, ":0\r\n", c.Do("XQ.REDRIVE", "missing"))

	// INFO queues sums the counters; INFO and INFO all keep Redis's
	// sections.
	info := c.Do("INFO", "queues")
	require.Contains(t, info, "# Queues\r\nxq_groups:1\r\nxq_groups_with_policy:1\r\nxq_pending:0\r\n")
	require.Contains(t, info, "xq_dead_lettered:2\r\n")
	require.Contains(t, c.Do("INFO", "everything"), "# Queues\r\n")
	require.NotContains(t, c.Do("INFO", "all"), "# Queues\r\n")
	require.NotContains(t, c.Do("INFO"), "# Queues\r\n")
}

func TestXQMaxPendingAndTouch(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	xqSetup(t, c, 5)
	require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "s", "g", "MAXPENDING", "2", "ACKWAIT", "100"))
	r := c.Do("XREADGROUP", "GROUP", "g", "greedy", "STREAMS", "s", ">")
	require.True(t, strings.HasPrefix(r, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n"), "greedy gets MAXPENDING entries: %q", r)
	require.Equal(t, "*-1\r\n", c.Do("XREADGROUP", "GROUP", "g", "greedy", "STREAMS", "s", ">"))
	require.Equal(t, ":1\r\n", c.Do("XACK", "s", "g", "1-0"))
	require.True(t, strings.HasPrefix(c.Do("XREADGROUP", "GROUP", "g", "greedy", "STREAMS", "s", ">"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n"))
	// Others are not held back.
	require.True(t, strings.HasPrefix(c.Do("XREADGROUP", "GROUP", "g", "other", "COUNT", "1", "STREAMS", "s", ">"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n"))

	require.Equal(t, ":1\r\n", c.Do("XACK", "s", "g", "4-0"))
	// XQ.TOUCH keeps greedy's lease: after 60+60 ms with a touch in
	// between, nothing is due.
	time.Sleep(60 * time.Millisecond)
	require.Equal(t, ":2\r\n", c.Do("XQ.TOUCH", "s", "g", "IDS", "3", "2-0", "3-0", "9-0"))
	time.Sleep(60 * time.Millisecond)
	require.True(t, strings.HasPrefix(c.Do("XREADGROUP", "GROUP", "g", "other", "STREAMS", "s", ">"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n5-0\r\n"))
	require.Equal(t, "-ERR syntax error, expected IDS keyword\r\n", c.Do("XQ.TOUCH", "s", "g", "X", "1", "1-0"))
	require.Equal(t, "-ERR number of IDs doesn't match numids\r\n", c.Do("XQ.TOUCH", "s", "g", "IDS", "2", "1-0"))
	require.Equal(t, "-ERR Invalid stream ID specified as stream command argument\r\n", c.Do("XQ.TOUCH", "s", "g", "IDS", "1", "x"))
	require.Equal(t, "-ERR DELAY must be >= 0 (milliseconds)\r\n", c.Do("XQ.NACK", "s", "g", "DELAY", "-1", "IDS", "1", "1-0"))
	require.Equal(t, "-ERR syntax error\r\n", c.Do("XQ.NACK", "s", "g", "SOON", "1", "IDS", "1", "1-0"))
	require.Equal(t, "-NOGROUP No such key 's' or consumer group 'x'\r\n", c.Do("XQ.NACK", "s", "x", "DELAY", "1", "IDS", "1", "1-0"))
	require.Equal(t, ":0\r\n", c.Do("XQ.NACK", "s", "g", "DELAY", "1", "IDS", "1", "1-0"), "1-0 was acked")
}

// Policies, delays, counters and DLQ survive DEBUG RELOAD (snapshot) and
// a restart from the log.
func TestXQStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	srv, addr := servertest.Start(t, persistConfig(dir))
	c := servertest.Dial(t, addr)
	xqSetup(t, c, 4)
	c.Do("XQ.POLICY", "SET", "s", "g", "ACKWAIT", "60000", "MAXDELIVER", "1", "DLQ", "dead", "BACKOFF", "1,2,3")
	c.Do("XREADGROUP", "GROUP", "g", "a", "COUNT", "3", "STREAMS", "s", ">")
	c.Do("XACK", "s", "g", "3-0")
	c.Do("XQ.NACK", "s", "g", "PXAT", "1", "IDS", "1", "1-0")
	c.Do("XQ.NACK", "s", "g", "DELAY", "600000", "IDS", "1", "2-0")
	c.Do("XREADGROUP", "GROUP", "g", "b", "COUNT", "1", "STREAMS", "s", ">") // 1-0 dead-lettered, b gets 4-0
	dump := func(s interface {
		Lock()
		Unlock()
	}, get func() string) string {
		s.Lock()
		defer s.Unlock()
		return get()
	}
	before := dump(srv, srv.Engine().Dump)
	require.Contains(t, before, "policy=")
	require.Contains(t, before, "at=")
	require.Contains(t, before, "DeadLettered:1")
	require.Equal(t, "+OK\r\n", c.Do("DEBUG", "RELOAD"))
	require.Equal(t, before, dump(srv, srv.Engine().Dump), "snapshot round trip")
	c.Do("XQ.TOUCH", "s", "g", "TIME", "5", "IDS", "1", "4-0")
	before = dump(srv, srv.Engine().Dump)
	srv.Close()
	srv2, _ := servertest.Start(t, persistConfig(dir))
	require.Equal(t, before, dump(srv2, srv2.Engine().Dump), "snapshot + log")
}
