package commands

// XACKDEL key group [KEEPREF | DELREF | ACKED] IDS numids id [id ...]
// — https://redis.io/docs/latest/commands/xackdel/ (Redis 8.2)
var xackdelCommand = &Command{
	Name: "xackdel", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "8.2.0",
	Summary:    "Acknowledges and deletes one or multiple messages for a stream consumer group.",
	Complexity: "O(1) for each entry ID processed.",
	Syntax:     "key group [KEEPREF | DELREF | ACKED] IDS numids id [id ...]",
	Run:        runXAckDel,
}

// runXAckDel follows xackdelCommand: type check, options, then a missing
// key or group answers -1 for every ID; otherwise all IDs are parsed, and
// each one that is pending in the group is acknowledged there, then deleted
// as the policy says. An ID pending in the group answers 1 even when its
// entry is no longer in the stream, 2 when ACKED keeps it, and an ID not
// pending answers -1 and is not deleted.
func runXAckDel(ctx *Context) {
	s, err := ctx.readStream(ctx.Args[1]) // lookupKeyRead, as in Redis
	if err != nil {
		ctx.Fail(err)
		return
	}
	p, err := parseAckDelArgs(ctx.Args, 3)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil || s.Group(string(ctx.Args[2])) == nil {
		replyCodes(ctx.Out, len(p.ids), delexNoID)
		return
	}
	g := s.Group(string(ctx.Args[2]))
	ids, err := parseStrictIDs(p.ids)
	if err != nil {
		ctx.Fail(err)
		return
	}
	changed, deleted := false, false
	ctx.Out.Array(len(ids))
	for _, id := range ids {
		if g.Ack(id) == 0 {
			ctx.Out.Int(delexNoID)
			continue
		}
		changed = true
		code, _ := deleteWithPolicy(s, id, p.policy)
		if code == delexDeleted {
			deleted = true
		}
		if code == delexNoID {
			code = delexDeleted // acknowledged; the entry was already gone
		}
		ctx.Out.Int(code)
	}
	if changed {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
	}
	if deleted {
		ctx.Notify(NotifyStream, "xdel", ctx.Client.DB, ctx.Args[1])
	}
}
