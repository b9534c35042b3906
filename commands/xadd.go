package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
// — https://redis.io/commands/xadd/
var xaddCommand = &Command{
	Name: "xadd", Arity: -5, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary:    "Appends a new entry to a stream",
	Complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
	Syntax:     "key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]",
	Run:        runXAdd,
}

// runXAdd follows t_stream.c xaddCommand: options, then the field count,
// then 0-0, and only then the key (so a key of another type with ID 0-0
// gets the 0-0 error).
func runXAdd(ctx *Context) {
	args := ctx.Args
	p, err := parseAddTrimArgs(args, true, ctx.Replaying)
	if err != nil {
		ctx.Fail(err)
		return
	}
	fieldPos := p.idIndex + 1
	if n := len(args) - fieldPos; n < 2 || n%2 == 1 {
		ctx.Error(msgWrongArity("xadd"))
		return
	}
	if err := p.id.Validate(); err != nil {
		ctx.Fail(err)
		return
	}
	_, s, err := ctx.writeStream(args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	created := false
	if s == nil {
		if p.noMkStream {
			ctx.Out.Null()
			return
		}
		s, created = streams.New(), true
	}
	id, err := s.ResolveAddID(p.id, uint64(max(ctx.nowMs(), 0)))
	if err != nil {
		ctx.Fail(err)
		return
	}
	limits := ctx.streamLimits()
	if err := s.Add(id, args[fieldPos:], limits); err != nil {
		ctx.Fail(err)
		return
	}
	if created {
		ctx.setValue(args[1], s, false) // signals the key
	} else {
		ctx.Signal(ctx.Client.DB, string(args[1]))
	}
	replyStreamID(ctx.Out, id)
	ctx.Notify(NotifyStream, "xadd", ctx.Client.DB, args[1])
	if p.strategy != trimNone && s.Trim(p.trim, limits) > 0 {
		ctx.Notify(NotifyStream, "xtrim", ctx.Client.DB, args[1])
	}

	// The effect names the ID the entry got and an exact trim.
	effect := make([][]byte, 0, len(args)+2)
	effect = append(effect, []byte("XADD"), args[1])
	if p.strategy != trimNone {
		effect = append(effect, trimEffectArgs(&p, s)...)
	}
	effect = append(effect, []byte(id.String()))
	effect = append(effect, args[fieldPos:]...)
	ctx.Propagate(effect...)
}
