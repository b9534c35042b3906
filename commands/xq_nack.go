package commands

import "strconv"

// XQ.NACK key group <DELAY ms | PXAT unix-time-ms> IDS numids id [id ...]
//
// Spool's negative acknowledgement with a delay: each pending entry stays
// with its owner (XPENDING shows it) and becomes due for redelivery after
// DELAY milliseconds, or at the PXAT time, whatever the group's policy;
// the next XREADGROUP ">" of the group after that serves it to whichever
// consumer asks (see XQ.POLICY), with its delivery count bumped: the
// failed delivery counts toward MAXDELIVER. IDs not pending are skipped.
// Reply: the number of pending entries given.
var xqNackCommand = &Command{
	Name: "xq.nack", Arity: -7, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "0.1.0",
	Summary:    "Gives pending entries back to their group to be redelivered after a delay (Spool).",
	Complexity: "O(log N) for each ID, with N being the number of pending entries.",
	Syntax:     "key group <DELAY ms | PXAT unix-time-milliseconds> IDS numids id [id ...]",
	Run:        runXQNack,
}

// xqNackArgs is a parsed XQ.NACK.
type xqNackArgs struct {
	at    int64 // PXAT given: the absolute time
	pxat  bool
	delay int64
	ids   [][]byte
}

func parseXQNack(args [][]byte) (xqNackArgs, error) {
	var p xqNackArgs
	switch {
	case is(args[3], "delay"):
		n, err := xqNonNegative(args[4], errXQDelay)
		if err != nil {
			return p, err
		}
		p.delay = n
	case is(args[3], "pxat"):
		n, err := xqNonNegative(args[4], errXQPxat)
		if err != nil {
			return p, err
		}
		p.at, p.pxat = n, true
	default:
		return p, ErrSyntax
	}
	ids, err := parseXQIDs(args, 5)
	if err != nil {
		return p, err
	}
	p.ids = ids
	return p, nil
}

// runXQNack: arguments, key and group, then the IDs. The effect is the
// PXAT form with the resolved time.
func runXQNack(ctx *Context) {
	key, group := ctx.Args[1], ctx.Args[2]
	p, err := parseXQNack(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, g := xqGroup(ctx, key, group, true)
	if g == nil {
		return
	}
	ids, err := parseStrictIDs(p.ids)
	if err != nil {
		ctx.Fail(err)
		return
	}
	at := p.at
	if !p.pxat {
		at = satAddMs(ctx.nowMs(), p.delay)
	}
	n := g.NackDelay(ids, at)
	if n > 0 {
		effect := make([][]byte, 0, len(ctx.Args))
		effect = append(effect, []byte("XQ.NACK"), key, group, []byte("PXAT"), strconv.AppendInt(nil, at, 10))
		effect = append(effect, ctx.Args[5:]...)
		ctx.Propagate(effect...)
		ctx.Signal(ctx.Client.DB, string(key))
	}
	ctx.Out.Int(int64(n))
}

// satAddMs adds two non-negative millisecond values without overflowing.
func satAddMs(a, b int64) int64 {
	if a > 0 && b > (1<<63-1)-a {
		return 1<<63 - 1
	}
	return a + b
}
