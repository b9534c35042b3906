package commands

// XQ.STATS key group
//
// A group's delivery counters (streams.GroupStats: kept for every group,
// policy or not, and durable) and its backlog: delivered, redelivered,
// acked, dead-lettered, pending, oldest-pending-age (ms since the oldest
// pending entry was added, by its ID; -1 when nothing is pending),
// next-due-in (ms until the next redelivery is due, 0 if one is due now,
// -1 if none is scheduled), and lag (XINFO GROUPS's, null when unknown).
var xqStatsCommand = &Command{
	Name: "xq.stats", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read stream fast", Group: "stream", Since: "0.1.0",
	Summary:    "Returns a consumer group's delivery counters and backlog (Spool).",
	Complexity: "O(log N) with N being the number of pending entries.",
	Syntax:     "key group",
	Run:        runXQStats,
}

func runXQStats(ctx *Context) {
	key, group := ctx.Args[1], ctx.Args[2]
	_, g := xqGroup(ctx, key, group, false)
	if g == nil {
		return
	}
	now := ctx.nowMs()
	st := g.Stats()
	oldest := int64(-1)
	if id, ok := g.OldestPending(); ok {
		oldest = max(now-int64(min(id.Ms, 1<<62)), 0)
	}
	nextDue := int64(-1)
	if due, ok := g.NextDue(); ok {
		nextDue = max(due-now, 0)
	}
	out := ctx.Out
	out.Map(8)
	out.BulkString("delivered")
	out.Int(st.Delivered)
	out.BulkString("redelivered")
	out.Int(st.Redelivered)
	out.BulkString("acked")
	out.Int(st.Acked)
	out.BulkString("dead-lettered")
	out.Int(st.DeadLettered)
	out.BulkString("pending")
	out.Int(int64(g.PendingCount()))
	out.BulkString("oldest-pending-age")
	out.Int(oldest)
	out.BulkString("next-due-in")
	out.Int(nextDue)
	out.BulkString("lag")
	if lag, ok := g.Lag(); ok {
		out.Int(lag)
	} else {
		out.Null()
	}
}
