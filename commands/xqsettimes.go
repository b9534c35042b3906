package commands

// XQ.SETTIMES key group consumer seen-time active-time
//
// Spool-internal, never typed by clients: the log entry that restores a
// consumer's seen-time and active-time (unix ms, -1 for a consumer never
// active) when effects are replayed. Every consumer-group command that
// touches a consumer logs one after Redis's own effect forms (see
// stream_group.go): those forms carry no consumer times, and a replay runs
// at a later time than the original, so without it XINFO's idle, inactive,
// seen-time and active-time would change across a restart. It is the one
// Spool-internal command the group effects need; everything else is logged
// in Redis's forms (XCLAIM ... TIME RETRYCOUNT FORCE JUSTID, XGROUP SETID
// ... ENTRIESREAD, XGROUP CREATECONSUMER, XACK). A client that sends it
// gets an error: only the replay of the log may set these times.
var xqSetTimesCommand = &Command{
	Name: "xq.settimes", Arity: 6, Flags: FlagWrite | FlagFast | FlagNoScript, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "0.1.0",
	Summary:    "Internal: restores a consumer's seen-time and active-time while Spool replays its log; refused from clients.",
	Complexity: "O(log N) with N being the number of consumers in the group.",
	Syntax:     "key group consumer seen-time active-time",
	Run:        runXQSetTimes,
}

// runXQSetTimes refuses clients, then sets the times. A missing key, group
// or consumer, or a bad number, means the log does not match the data it
// is replayed onto: the error fails the replay.
func runXQSetTimes(ctx *Context) {
	if !ctx.Replaying {
		ctx.Error(msgXQSetTimesNotReplay)
		return
	}
	key, group, consumer := ctx.Args[1], ctx.Args[2], ctx.Args[3]
	seen, err := argInt(ctx.Args[4])
	if err != nil {
		ctx.Fail(err)
		return
	}
	active, err := argInt(ctx.Args[5])
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, s, err := ctx.writeStream(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	g := s.Group(string(group))
	if g == nil {
		ctx.Error(msgNoSuchGroup(group, key))
		return
	}
	c := g.Consumer(string(consumer))
	if c == nil {
		ctx.Error(msgNoSuchConsumer(consumer, group))
		return
	}
	c.SetTimes(seen, active)
	ctx.Changed()
	ctx.Signal(ctx.Client.DB, string(key))
	OK(ctx.Out)
}
