package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XACK key group id [id ...] — https://redis.io/commands/xack/
var xackCommand = &Command{
	Name: "xack", Arity: -4, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary:    "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
	Complexity: "O(1) for each message ID processed.",
	Syntax:     "key group id [id ...]",
	Run:        runXAck,
}

// runXAck follows xackCommand: a missing key or group acknowledges nothing
// (before the IDs are even parsed); otherwise every ID is parsed first, so
// that the command acknowledges all or nothing. The command as typed is its
// effect: it acknowledges the same entries on replay.
func runXAck(ctx *Context) {
	s, err := ctx.readStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(ctx.Args[2]))
	}
	if g == nil {
		ctx.Out.Int(0)
		return
	}
	var small [8]streams.ID
	ids := small[:0]
	for _, arg := range ctx.Args[3:] {
		id, err := streams.ParseID(arg, 0)
		if err != nil {
			ctx.Fail(err)
			return
		}
		ids = append(ids, id)
	}
	n := g.Ack(ids...)
	if n > 0 {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
	}
	ctx.Out.Int(int64(n))
}
