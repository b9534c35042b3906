package commands

import (
	"strconv"

	"github.com/spool-dev/spool/streams"
)

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
// — https://redis.io/commands/xpending/
var xpendingCommand = &Command{
	Name: "xpending", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary:    "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
	Complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
	Syntax:     "key group [[IDLE min-idle-time] start end count [consumer]]",
	Run:        runXPending,
}

// xpendingArgs is a parsed XPENDING: summary is the two-argument form;
// otherwise start and end are inclusive bounds (exclusive ones already
// moved), count is at least 0 and consumer is nil when not given.
type xpendingArgs struct {
	summary    bool
	minIdle    int64
	start, end streams.ID
	count      int64
	consumer   []byte
}

// parseXPending follows xpendingCommand, which parses everything before it
// looks the key up so that syntax errors come first: 3 arguments, or 6 to 9
// (with IDLE, at least 8). The count is parsed before the bounds. Like
// Redis, it takes the argument after count as the consumer and ignores any
// further one.
func parseXPending(args [][]byte) (xpendingArgs, error) {
	var p xpendingArgs
	n := len(args)
	if n == 3 {
		p.summary = true
		return p, nil
	}
	if n < 6 || n > 9 {
		return p, ErrSyntax
	}
	i := 3
	if is(args[3], "idle") {
		var err error
		if p.minIdle, err = argInt(args[4]); err != nil {
			return p, err
		}
		if n < 8 {
			return p, ErrSyntax
		}
		i += 2
	}
	count, err := argInt(args[i+2])
	if err != nil {
		return p, err
	}
	p.count = max(count, 0)
	if p.start, _, err = streams.ParseIntervalID(args[i], true); err != nil {
		return p, err
	}
	if p.end, _, err = streams.ParseIntervalID(args[i+1], false); err != nil {
		return p, err
	}
	if i+3 < n {
		p.consumer = args[i+3]
	}
	return p, nil
}

func runXPending(ctx *Context) {
	p, err := parseXPending(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	key, group := ctx.Args[1], ctx.Args[2]
	s, err := ctx.readStream(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(group))
	}
	if g == nil {
		ctx.Error(msgNoGroup(key, group))
		return
	}
	out := ctx.Out
	if p.summary {
		replyPendingSummary(out, g.PendingSummary())
		return
	}
	var c *streams.Consumer
	if p.consumer != nil {
		if c = g.Consumer(string(p.consumer)); c == nil {
			out.Array(0)
			return
		}
	}
	now := ctx.nowMs()
	entries := g.PendingRange(p.start, p.end, int(min(p.count, int64(maxInt))), c, p.minIdle, now)
	out.Array(len(entries))
	for _, e := range entries {
		out.Array(4)
		replyStreamID(out, e.ID)
		out.BulkString(e.Consumer.Name())
		if e.Consumer == nil {
			// Released by XNACK (Redis 8.8): no owner, no idle time.
			out.Int(-1)
		} else {
			out.Int(e.Idle(now))
		}
		out.Int(e.DeliveryCount)
	}
}

const maxInt = int(^uint(0) >> 1)

// replyPendingSummary writes XPENDING's summary: the count, the smallest
// and greatest pending IDs, and the consumers with pending entries, their
// counts as bulk strings; nulls when nothing is pending.
func replyPendingSummary(out Reply, sum streams.PendingSummary) {
	out.Array(4)
	out.Int(int64(sum.Count))
	if sum.Count == 0 {
		out.Null()
		out.Null()
		out.NullArray()
		return
	}
	replyStreamID(out, sum.First)
	replyStreamID(out, sum.Last)
	out.Array(len(sum.Consumers))
	var buf [20]byte
	for _, cp := range sum.Consumers {
		out.Array(2)
		out.BulkString(cp.Consumer.Name())
		out.Bulk(strconv.AppendInt(buf[:0], int64(cp.Count), 10))
	}
}
