package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
// — https://redis.io/commands/xautoclaim/
var xautoclaimCommand = &Command{
	Name: "xautoclaim", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "6.2.0",
	Summary:    "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
	Complexity: "O(1) if COUNT is small.",
	Syntax:     "key group consumer min-idle-time start [COUNT count] [JUSTID]",
	Run:        runXAutoClaim,
}

const (
	// xautoclaimMaxCount is Redis's COUNT limit, LONG_MAX divided by the
	// larger of sizeof(streamID) and the attempts factor.
	xautoclaimMaxCount = (1<<63 - 1) / 16
	// xautoclaimMaxAlloc bounds COUNT by the table of deleted IDs Redis
	// allocates before it starts (16 bytes per ID), which fails when it is
	// larger than a process can map: beyond 2^47 bytes, the user address
	// space of x86-64 and arm64 Linux, no allocation succeeds. Below that
	// Redis's outcome depends on the machine's overcommit policy; Spool
	// allocates nothing up front and accepts such counts.
	xautoclaimMaxAlloc = 1 << 47 / 16
)

// xautoclaimArgs is a parsed XAUTOCLAIM.
type xautoclaimArgs struct {
	minIdle int64
	start   streams.ID
	count   int64
	justID  bool
}

// parseXAutoClaim follows xautoclaimCommand, which parses everything before
// it looks the key up: min-idle-time (negative is 0), the start (which may
// be exclusive), then COUNT (1 to xautoclaimMaxCount, default 100) and
// JUSTID in any order.
func parseXAutoClaim(args [][]byte) (xautoclaimArgs, error) {
	p := xautoclaimArgs{count: 100}
	var err error
	if p.minIdle, err = argInt(args[4]); err != nil {
		return p, redisError(msgXAutoClaimMinIdle)
	}
	p.minIdle = max(p.minIdle, 0)
	if p.start, _, err = streams.ParseIntervalID(args[5], true); err != nil {
		return p, err
	}
	for i := 6; i < len(args); i++ {
		switch {
		case is(args[i], "count") && i+1 < len(args):
			n, err := argInt(args[i+1])
			if err != nil || n < 1 || n > xautoclaimMaxCount {
				return p, redisError(msgXAutoClaimCount)
			}
			p.count = n
			i++
		case is(args[i], "justid"):
			p.justID = true
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// runXAutoClaim replies with the cursor for the next call, the claimed
// entries (or IDs with JUSTID) and the IDs it dropped from the PEL because
// their entries are gone.
func runXAutoClaim(ctx *Context) {
	p, err := parseXAutoClaim(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	key, group, consumer := ctx.Args[1], ctx.Args[2], ctx.Args[3]
	g, ok := lookupClaimGroup(ctx, key, group)
	if !ok {
		return
	}
	if p.count > xautoclaimMaxAlloc {
		ctx.Error(msgXAutoClaimCountMemory)
		return
	}
	now := ctx.nowMs()
	log := groupLog{ctx: ctx, db: ctx.Client.DB, key: key, group: group}
	c, created := log.consumerFor(g, consumer, now)
	res := g.AutoClaim(c, p.minIdle, p.start, int(p.count), p.justID, now)
	last := g.LastID()
	for _, d := range res.Claimed {
		log.claim(consumer, d, last)
	}
	log.ack(res.Deleted)
	// A group with a queue policy moves exhausted entries to its DLQ
	// instead of claiming them (see XQ.POLICY).
	log.moveDeadLetters(g)
	log.times(consumer, c)
	if created || len(res.Claimed) > 0 || len(res.Deleted) > 0 {
		ctx.Signal(ctx.Client.DB, string(key))
	}
	out := ctx.Out
	out.Array(3)
	replyStreamID(out, res.Next)
	replyDeliveries(out, res.Claimed, p.justID)
	out.Array(len(res.Deleted))
	for _, d := range res.Deleted {
		replyStreamID(out, d.ID)
	}
}
