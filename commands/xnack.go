package commands

import (
	"errors"
	"math"

	"github.com/spool-dev/spool/streams"
)

// XNACK key group <SILENT | FAIL | FATAL> IDS numids id [id ...]
// [RETRYCOUNT count] [FORCE]
// — https://redis.io/docs/latest/commands/xnack/ (Redis 8.8)
var xnackCommand = &Command{
	Name: "xnack", Arity: -7, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "8.8.0",
	Summary:    "Releases pending messages back to the group's PEL without acknowledging them, making them available for re-delivery.",
	Complexity: "O(1) for each message ID processed.",
	Syntax:     "key group <SILENT | FAIL | FATAL> IDS numids id [id ...] [RETRYCOUNT count] [FORCE]",
	Run:        runXNack,
}

// xnackArgs is a parsed XNACK.
type xnackArgs struct {
	mode streams.NackMode
	opts streams.NackOptions
	ids  [][]byte // the IDs as typed; parsed once the group is known
}

// parseXNack parses XNACK's arguments after the group (args is the whole
// command). The mode comes first; IDS, RETRYCOUNT and FORCE follow in any
// order (Redis 8.8 reads them in one loop), IDS being required.
func parseXNack(args [][]byte) (xnackArgs, error) {
	var p xnackArgs
	switch {
	case is(args[3], "silent"):
		p.mode = streams.NackSilent
	case is(args[3], "fail"):
		p.mode = streams.NackFail
	case is(args[3], "fatal"):
		p.mode = streams.NackFatal
	default:
		return p, errXNackMode
	}
	sawIDs := false
	for i := 4; i < len(args); {
		more := len(args) - 1 - i
		switch {
		case is(args[i], "ids") && more > 0:
			n, err := argInt(args[i+1])
			if err != nil || n <= 0 || n > math.MaxInt32 {
				return p, errXNackNumIDs
			}
			if int64(more-1) < n {
				return p, errXNackIDsMismatch
			}
			p.ids = args[i+2 : i+2+int(n)]
			sawIDs = true
			i += 2 + int(n)
		case is(args[i], "retrycount") && more > 0:
			n, err := argInt(args[i+1])
			if err != nil {
				return p, err
			}
			if n < 0 {
				return p, errXNackRetryCount
			}
			p.opts.RetryCountGiven, p.opts.RetryCount = true, n
			i += 2
		case is(args[i], "force"):
			p.opts.Force = true
			i++
		default:
			return p, errors.New(msgXNackUnknownOption(args[i]))
		}
	}
	if !sawIDs {
		return p, errXNackNoIDs
	}
	return p, nil
}

// runXNack: type check, arguments, then -NOGROUP for a missing key or
// group, then the IDs (all parsed before any is released). It replies with
// how many IDs were released. The command as typed is its effect: given the
// same group and stream it releases the same entries the same way.
func runXNack(ctx *Context) {
	key, group := ctx.Args[1], ctx.Args[2]
	_, s, err := ctx.writeStream(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	p, err := parseXNack(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(group))
	}
	if g == nil {
		ctx.Error(msgNoGroup(key, group))
		return
	}
	ids, err := parseStrictIDs(p.ids)
	if err != nil {
		ctx.Fail(err)
		return
	}
	n := g.Nack(ids, p.mode, p.opts)
	if n > 0 {
		ctx.Changed()
		// Released entries are claimable at once: wake XREADGROUP ... CLAIM.
		ctx.Signal(ctx.Client.DB, string(key))
	}
	ctx.Out.Int(int64(n))
}
