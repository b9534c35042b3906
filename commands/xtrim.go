package commands

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] [KEEPREF | DELREF | ACKED]
// — https://redis.io/commands/xtrim/ (KEEPREF/DELREF/ACKED: Redis 8.2)
var xtrimCommand = &Command{
	Name: "xtrim", Arity: -4, Flags: FlagWrite, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "5.0.0",
	Summary:    "Trims the stream to (approximately if '~' is passed) a certain size",
	Complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
	Syntax:     "key MAXLEN|MINID [=|~] threshold [LIMIT count] [KEEPREF | DELREF | ACKED]", Run: runXTrim,
}

// runXTrim follows xtrimCommand: options first, then the key (missing: 0).
// It replies with the number of entries removed.
func runXTrim(ctx *Context) {
	p, err := parseAddTrimArgs(ctx.Args, false, ctx.Replaying)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, s, err := ctx.writeStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Int(0)
		return
	}
	nodes := s.NodeCount()
	removed, limitStop, limited := s.TrimReport(p.trim, ctx.streamLimits())
	// Redis propagates only when entries went; a trim can also drop a node
	// with no live entry, which changes XINFO's radix-tree-keys, so Spool
	// logs that too.
	if removed > 0 || s.NodeCount() != nodes {
		effect := append([][]byte{[]byte("XTRIM"), ctx.Args[1]}, trimEffectArgs(&p, s, limitStop, limited)...)
		ctx.Propagate(effect...)
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
	}
	if removed > 0 {
		ctx.Notify(NotifyStream, "xtrim", ctx.Client.DB, ctx.Args[1])
	}
	ctx.Out.Int(removed)
}
