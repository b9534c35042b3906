package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XRANGE key start end [COUNT count] — https://redis.io/commands/xrange/
var xrangeCommand = &Command{
	Name: "xrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary:    "Return a range of elements in a stream, with IDs matching the specified IDs interval",
	Complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
	Syntax:     "key start end [COUNT count]",
	Run:        func(ctx *Context) { runXRange(ctx, false) },
}

// XREVRANGE key end start [COUNT count] — https://redis.io/commands/xrevrange/
var xrevrangeCommand = &Command{
	Name: "xrevrange", Arity: -4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary:    "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
	Complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
	Syntax:     "key end start [COUNT count]",
	Run:        func(ctx *Context) { runXRange(ctx, true) },
}

// xrangeArgs is a parsed XRANGE or XREVRANGE: the inclusive bounds and the
// COUNT (-1 when not given).
type xrangeArgs struct {
	start, end streams.ID
	count      int64
}

// parseXRange follows xrangeGenericCommand: the start bound is parsed
// first (for XREVRANGE that is the last argument), then the end bound, then
// COUNT, which may repeat; a negative COUNT counts as 0.
func parseXRange(args [][]byte, rev bool) (xrangeArgs, error) {
	p := xrangeArgs{count: -1}
	startArg, endArg := args[2], args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	var err error
	if p.start, _, err = streams.ParseIntervalID(startArg, true); err != nil {
		return p, err
	}
	if p.end, _, err = streams.ParseIntervalID(endArg, false); err != nil {
		return p, err
	}
	for i := 4; i < len(args); i++ {
		if !is(args[i], "count") || i+1 >= len(args) {
			return p, ErrSyntax
		}
		i++
		if p.count, err = argInt(args[i]); err != nil {
			return p, err
		}
		p.count = max(p.count, 0)
	}
	return p, nil
}

func runXRange(ctx *Context, rev bool) {
	p, err := parseXRange(ctx.Args, rev)
	if err != nil {
		ctx.Fail(err)
		return
	}
	s, err := ctx.readStream(ctx.Args[1])
	switch {
	case err != nil:
		ctx.Fail(err)
	case s == nil:
		ctx.Out.Array(0)
	case p.count == 0:
		ctx.Out.NullArray()
	default:
		replyStreamRange(ctx.Out, s, p.start, p.end, p.count, rev)
	}
}
