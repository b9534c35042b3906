package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XADD key [NOMKSTREAM] [KEEPREF | DELREF | ACKED] [IDMPAUTO pid | IDMP pid iid] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
// — https://redis.io/commands/xadd/ (KEEPREF/DELREF/ACKED: Redis 8.2; IDMP/IDMPAUTO: Redis 8.6)
var xaddCommand = &Command{
	Name: "xadd", Arity: -5, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary:    "Appends a new entry to a stream",
	Complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
	Syntax:     "key [NOMKSTREAM] [KEEPREF | DELREF | ACKED] [IDMPAUTO pid | IDMP pid iid] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]",
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
	nowMs := ctx.nowMs()
	var iid []byte
	if p.idmpPid != nil {
		iid = p.idmpIid
		if p.idmpAuto {
			iid = streams.IdmpAutoID(args[fieldPos:])
		}
		// A duplicate adds nothing and replies with the first entry's ID;
		// like Redis it is not propagated (only iids-duplicates moves). An
		// effect is never a duplicate: it re-records what the original did.
		if !ctx.Replaying {
			if orig, dup := s.IdmpLookup(p.idmpPid, iid, nowMs); dup {
				s.IdmpDuplicate()
				ctx.Out.Bulk(ctx.formatID(orig))
				return
			}
		}
	}
	id, err := s.ResolveAddID(p.id, uint64(max(nowMs, 0)))
	if err != nil {
		ctx.Fail(err)
		return
	}
	limits := ctx.streamLimits()
	if err := s.Add(id, args[fieldPos:], limits); err != nil {
		ctx.Fail(err)
		return
	}
	if p.idmpPid != nil {
		s.IdmpRecord(p.idmpPid, iid, id, nowMs)
	}
	if created {
		ctx.setValue(args[1], s, false) // signals the key
	} else {
		ctx.Signal(ctx.Client.DB, string(args[1]))
	}
	// Formatted once, for the reply and the effect.
	idText := ctx.formatID(id)
	ctx.Out.Bulk(idText)
	ctx.Notify(NotifyStream, "xadd", ctx.Client.DB, args[1])
	var limitStop streams.ID
	var limited bool
	if p.strategy != trimNone {
		var removed int64
		removed, limitStop, limited = s.TrimReport(p.trim, limits)
		if removed > 0 {
			ctx.Notify(NotifyStream, "xtrim", ctx.Client.DB, args[1])
		}
	}

	// The effect names the ID the entry got, an exact trim and the
	// producer's idempotent ID (IDMPAUTO as typed: replay hashes the same
	// fields again). It is built in ctx's reusable list, since Propagate
	// copies it.
	effect := append(ctx.effectBuf[:0], wordXAdd, args[1])
	if p.strategy != trimNone {
		effect = append(effect, trimEffectArgs(&p, s, limitStop, limited)...)
	}
	switch {
	case p.idmpAuto:
		effect = append(effect, []byte("IDMPAUTO"), p.idmpPid)
	case p.idmpPid != nil:
		effect = append(effect, []byte("IDMP"), p.idmpPid, p.idmpIid)
	}
	effect = append(effect, idText)
	effect = append(effect, args[fieldPos:]...)
	ctx.Propagate(effect...)
	clear(effect) // keep no references to this command's arguments
	ctx.effectBuf = effect[:0]
}
