package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
// — https://redis.io/commands/xclaim/
var xclaimCommand = &Command{
	Name: "xclaim", Arity: -6, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary:    "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
	Complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
	Syntax:     "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]",
	Run:        runXClaim,
}

// xclaimArgs is a parsed XCLAIM, from the min-idle-time on.
type xclaimArgs struct {
	minIdle int64
	ids     []streams.ID
	opts    streams.ClaimOptions
}

// parseXClaim follows xclaimCommand from its fifth argument: the
// min-idle-time (a negative one is 0), then IDs for as long as they parse,
// then options, each with its own error text. IDLE is turned into a
// delivery time with nowMs; IDLE and TIME may repeat, the last one wins.
func parseXClaim(args [][]byte, nowMs int64) (xclaimArgs, error) {
	var p xclaimArgs
	var err error
	if p.minIdle, err = argInt(args[4]); err != nil {
		return p, redisError(msgXClaimMinIdle)
	}
	p.minIdle = max(p.minIdle, 0)
	i := 5
	for ; i < len(args); i++ {
		id, err := streams.ParseID(args[i], 0)
		if err != nil {
			break
		}
		p.ids = append(p.ids, id)
	}
	for ; i < len(args); i++ {
		moreArgs := i+1 < len(args)
		opt := args[i]
		switch {
		case is(opt, "force"):
			p.opts.Force = true
		case is(opt, "justid"):
			p.opts.JustID = true
		case is(opt, "idle") && moreArgs:
			i++
			idle, err := argInt(args[i])
			if err != nil {
				return p, redisError(msgXClaimIdle)
			}
			p.opts.TimeGiven, p.opts.Time = true, nowMs-idle
		case is(opt, "time") && moreArgs:
			i++
			t, err := argInt(args[i])
			if err != nil {
				return p, redisError(msgXClaimTime)
			}
			p.opts.TimeGiven, p.opts.Time = true, t
		case is(opt, "retrycount") && moreArgs:
			i++
			n, err := argInt(args[i])
			if err != nil {
				return p, redisError(msgXClaimRetryCount)
			}
			p.opts.RetryCountGiven, p.opts.RetryCount = true, n
		case is(opt, "lastid") && moreArgs:
			i++
			if p.opts.LastID, err = streams.ParseID(args[i], 0); err != nil {
				return p, err
			}
		default:
			return p, redisError(msgXClaimOption(opt))
		}
	}
	return p, nil
}

// runXClaim looks the key and group up before it parses anything, as Redis
// does, then creates the consumer if needed and claims.
func runXClaim(ctx *Context) {
	key, group, consumer := ctx.Args[1], ctx.Args[2], ctx.Args[3]
	g, ok := lookupClaimGroup(ctx, key, group)
	if !ok {
		return
	}
	now := ctx.nowMs()
	p, err := parseXClaim(ctx.Args, now)
	if err != nil {
		ctx.Fail(err)
		return
	}
	log := groupLog{ctx: ctx, db: ctx.Client.DB, key: key, group: group}
	c, created := log.consumerFor(g, consumer, now)
	res := g.Claim(c, p.minIdle, p.ids, p.opts, now)
	last := g.LastID()
	for _, d := range res.Claimed {
		log.claim(consumer, d, last)
	}
	log.ack(res.Deleted)
	// A group with a queue policy moves exhausted entries to its DLQ
	// instead of claiming them (see XQ.POLICY).
	log.moveDeadLetters(g)
	if res.LastIDMoved && len(res.Claimed) == 0 {
		log.setID(g) // otherwise the claims' LASTID carries it
	}
	log.times(consumer, c)
	if created || len(res.Claimed) > 0 || len(res.Deleted) > 0 || res.LastIDMoved {
		ctx.Signal(ctx.Client.DB, string(key))
	}
	replyDeliveries(ctx.Out, res.Claimed, p.opts.JustID)
}

// lookupClaimGroup finds the group of XCLAIM and XAUTOCLAIM, replying
// -WRONGTYPE or -NOGROUP if it cannot.
func lookupClaimGroup(ctx *Context, key, group []byte) (*streams.Group, bool) {
	s, err := ctx.readStream(key)
	if err != nil {
		ctx.Fail(err)
		return nil, false
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(group))
	}
	if g == nil {
		ctx.Error(msgNoGroup(key, group))
		return nil, false
	}
	return g, true
}
