package commands

import "strconv"

// XQ.TOUCH key group [TIME unix-time-ms] IDS numids id [id ...]
//
// Spool's lease extension (SQS's ChangeMessageVisibility): each pending
// entry gets its delivery time set to now (or TIME), which restarts its
// ACKWAIT, and loses any XQ.NACK delay; owner and delivery count do not
// change. IDs not pending are skipped. Reply: the number touched.
var xqTouchCommand = &Command{
	Name: "xq.touch", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "0.1.0",
	Summary:    "Resets the idle time of pending entries, extending a consumer's lease on them (Spool).",
	Complexity: "O(log N) for each ID, with N being the number of pending entries.",
	Syntax:     "key group [TIME unix-time-milliseconds] IDS numids id [id ...]",
	Run:        runXQTouch,
}

// runXQTouch: arguments, key and group, then the IDs. The effect is the
// TIME form with the time used.
func runXQTouch(ctx *Context) {
	key, group := ctx.Args[1], ctx.Args[2]
	args := ctx.Args
	i := 3
	now := ctx.nowMs()
	if is(args[i], "time") {
		if i+1 >= len(args) {
			ctx.Fail(ErrSyntax)
			return
		}
		t, err := xqNonNegative(args[i+1], errXQTime)
		if err != nil {
			ctx.Fail(err)
			return
		}
		now, i = t, i+2
	}
	rawIDs, err := parseXQIDs(args, i)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, g := xqGroup(ctx, key, group, true)
	if g == nil {
		return
	}
	ids, err := parseStrictIDs(rawIDs)
	if err != nil {
		ctx.Fail(err)
		return
	}
	n := g.Touch(ids, now)
	if n > 0 {
		effect := make([][]byte, 0, len(rawIDs)+7)
		effect = append(effect, []byte("XQ.TOUCH"), key, group, []byte("TIME"), strconv.AppendInt(nil, now, 10))
		effect = append(effect, args[i:]...)
		ctx.Propagate(effect...)
		ctx.Signal(ctx.Client.DB, string(key))
	}
	ctx.Out.Int(int64(n))
}
