package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [CLAIM min-idle-time] [NOACK] STREAMS key [key ...] id [id ...]
// — https://redis.io/commands/xreadgroup/ (CLAIM: Redis 8.4)
var xreadgroupCommand = &Command{
	Name: "xreadgroup", Arity: -7, Flags: FlagWrite | FlagBlocking,
	Categories: "write stream slow blocking", Group: "stream", Since: "5.0.0",
	Summary:    "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
	Complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
	Syntax:     "GROUP group consumer [COUNT count] [BLOCK milliseconds] [CLAIM min-idle-time] [NOACK] STREAMS key [key ...] id [id ...]",
	Run:        runXReadGroup,
}

// xreadgroupArgs is a parsed XREADGROUP. The IDs stay unparsed: Redis
// checks each key's type and group before it parses that key's ID.
type xreadgroupArgs struct {
	xreadArgs       // COUNT, BLOCK, STREAMS: as XREAD
	group, consumer []byte
	noack           bool
	claim           bool  // CLAIM given (Redis 8.4)
	minIdle         int64 // CLAIM's min-idle-time, negative counted as 0
}

// parseXReadGroup follows the option loop xreadCommand shares between XREAD
// and XREADGROUP: options may repeat (the last wins), STREAMS takes the
// rest, which must split evenly into keys and IDs (with XREAD's message, as
// Redis 7.0 and 7.2 have it), and GROUP is mandatory.
func parseXReadGroup(args [][]byte) (xreadgroupArgs, error) {
	var p xreadgroupArgs
	streamsGiven := false
	for i := 1; i < len(args) && !streamsGiven; i++ {
		moreArgs := len(args) - 1 - i
		opt := args[i]
		next, matched, done, err := p.commonOption(args, i)
		switch {
		case err != nil:
			return p, err
		case matched:
			i, streamsGiven = next, done
		case is(opt, "group") && moreArgs >= 2:
			p.group, p.consumer = args[i+1], args[i+2]
			i += 2
		case is(opt, "noack"):
			p.noack = true
		case is(opt, "claim") && moreArgs > 0:
			i++
			ms, err := argInt(args[i])
			if err != nil {
				return p, err
			}
			p.claim, p.minIdle = true, max(ms, 0)
		default:
			return p, ErrSyntax
		}
	}
	if !streamsGiven {
		return p, ErrSyntax
	}
	if p.group == nil {
		return p, redisError(msgXReadGroupNoGroup)
	}
	return p, nil
}

// xreadgroupTarget is one stream of an XREADGROUP: new entries (">"), or
// the consumer's own pending entries with IDs above after (history).
type xreadgroupTarget struct {
	key     []byte
	history bool
	after   streams.ID
}

// resolveXReadGroupID turns the ID argument of one stream into a target.
// "$" is refused; an explicit 18446744073709551615-18446744073709551615
// means ">", because Redis encodes ">" as that ID and cannot tell them
// apart.
func resolveXReadGroupID(key, arg []byte) (xreadgroupTarget, error) {
	t := xreadgroupTarget{key: key}
	switch {
	case len(arg) == 1 && arg[0] == '$':
		return t, redisError(msgXReadGroupDollarID)
	case len(arg) == 1 && arg[0] == '>':
		return t, nil
	}
	id, err := streams.ParseID(arg, 0)
	if err != nil {
		return t, err
	}
	t.history, t.after = id != streams.MaxID, id
	return t, nil
}

// runXReadGroup checks every key (type, then group, then ID, key by key, as
// Redis does), serves what it can, and otherwise blocks with BLOCK or
// replies with a null array.
func runXReadGroup(ctx *Context) {
	p, err := parseXReadGroup(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	targets := make([]xreadgroupTarget, len(p.keys))
	for i, key := range p.keys {
		s, err := ctx.readStream(key)
		if err != nil {
			ctx.Fail(err)
			return
		}
		if s == nil || s.Group(string(p.group)) == nil {
			ctx.Error(msgNoGroupXReadGroup(key, p.group))
			return
		}
		if targets[i], err = resolveXReadGroupID(key, p.ids[i]); err != nil {
			ctx.Fail(err)
			return
		}
	}
	// Redis looks every key up again here, counting hits and misses twice.
	lookup := func(key []byte) *streams.Stream {
		s, _ := ctx.readStream(key)
		return s
	}
	if xreadgroupServe(ctx, ctx.Client.DB, &p, targets, lookup) {
		return
	}
	if !p.block || ctx.Client.Multi != nil {
		ctx.Out.NullArray()
		return
	}
	ctx.Block(xreadgroupBlockRequest(ctx, p, targets))
}

// xreadgroupServed is one stream of the reply.
type xreadgroupServed struct {
	key        []byte
	deliveries []streams.Delivery
	claimed    []streams.IdleClaim // CLAIM only, replied before deliveries
	claimReply bool                // CLAIM on ">": every entry has four elements
}

// xreadgroupServe is the serving loop of xreadCommand for a group: for each
// stream in order it creates the consumer if needed (Redis 7.2 does so even
// when nothing is read) and sets its seen-time, then serves the
// consumer's history, or new entries if the group has some. It replies
// and returns true if it served at least one stream (a history read always
// counts, even an empty one); otherwise it replies nothing and returns
// false. Every change is logged (see stream_group.go) and signalled; a
// change of seen-time alone is logged but not signalled, so that polling
// does not fail WATCHes or wake other readers.
func xreadgroupServe(ctx *Context, db int, p *xreadgroupArgs, targets []xreadgroupTarget, lookup func(key []byte) *streams.Stream) bool {
	now := ctx.nowMs()
	var served []xreadgroupServed
	for _, t := range targets {
		s := lookup(t.key)
		if s == nil {
			continue
		}
		g := s.Group(string(p.group))
		if g == nil {
			continue
		}
		log := groupLog{ctx: ctx, db: db, key: t.key, group: p.group}
		c, changed := log.consumerFor(g, p.consumer, now)
		var ds []streams.Delivery
		var claimed []streams.IdleClaim
		serve := true
		if t.history {
			start, _ := t.after.Next() // after is not MaxID
			ds = g.ReadHistory(c, start, int(p.count), now)
			for _, d := range ds {
				if d.Fields != nil { // still in the stream: its count and time moved
					log.claim(p.consumer, d, streams.ID{})
					changed = true
				}
			}
			if log.moveDeadLetters(g) > 0 {
				changed = true
			}
		} else {
			// Spool's queue policy (XQ.POLICY) first: due pending entries,
			// and MAXPENDING. A group without one is untouched.
			q := log.queueStep(g, c, p.consumer, p.count, now)
			if len(q.redelivered) > 0 {
				changed = true
			}
			// CLAIM (Redis 8.4): idle pending entries first, longest idle
			// first, then new entries within what is left of COUNT. NOACK
			// does not apply to the claimed entries.
			newCount := q.count
			if p.claim && !q.full {
				var deleted []streams.PendingEntry
				claimed, deleted = g.ClaimIdle(c, p.minIdle, q.count, now)
				log.ack(deleted)
				for _, cl := range claimed {
					log.claim(p.consumer, cl.Delivery, streams.ID{})
				}
				if log.moveDeadLetters(g) > 0 || len(claimed) > 0 || len(deleted) > 0 {
					changed = true
				}
				newCount -= len(claimed)
			}
			// The stream is served when it has new entries for the group
			// (Group.HasNew), which is when ReadNew delivers some, or when
			// idle entries were claimed or redelivered.
			if !q.full && (!p.claim || q.count <= 0 || newCount > 0) {
				ds = g.ReadNew(c, newCount, p.noack, now)
			} else {
				c.SetTimes(now, c.ActiveTime()) // ReadNew's seen-time
			}
			serve = len(ds) > 0 || len(claimed) > 0 || len(q.redelivered) > 0
			if !p.noack {
				last := g.LastID()
				for _, d := range ds {
					log.claim(p.consumer, d, last)
				}
			}
			if len(ds) > 0 || len(claimed) > 0 {
				log.setID(g)
				changed = true
			}
			// Redelivered entries lead the reply, in the reply form of the
			// read (with CLAIM's two extra elements, or without).
			if len(q.redelivered) > 0 {
				if p.claim {
					claimed = append(q.redelivered, claimed...)
				} else {
					ds = append(redeliveredEntries(q.redelivered), ds...)
				}
			}
		}
		// Even an empty poll moves the consumer's seen-time, which XINFO
		// shows: it is logged too, so that a restart keeps idle times exact
		// (one small record per poll; see XQ.SETTIMES).
		log.times(p.consumer, c)
		if changed {
			ctx.Signal(db, string(t.key))
		}
		if serve {
			served = append(served, xreadgroupServed{t.key, ds, claimed, p.claim && !t.history})
		}
	}
	if len(served) == 0 {
		return false
	}
	out := ctx.Out
	replyXReadHeader(out, len(served))
	for _, sv := range served {
		if out.Proto() == 2 {
			out.Array(2)
		}
		out.Bulk(sv.key)
		if sv.claimReply {
			replyClaimDeliveries(out, sv.claimed, sv.deliveries)
			continue
		}
		replyDeliveries(out, sv.deliveries, false)
	}
	return true
}

// xreadgroupBlockRequest parks the client on its keys. Redis 7.2 runs a
// blocked XREADGROUP again when one of its keys is signalled, which happens
// when entries are added, when XGROUP DESTROY runs, and when the key is
// deleted or overwritten: the command then fails if a key or a group has
// gone or a key holds another type, serves every stream that has new
// entries, or keeps waiting. Retry does the same. Spool signals keys on
// every group change too (XGROUP SETID, XACK, XCLAIM...), which Redis does
// not, so Retry serves only once entries were added to one of the streams
// since the client blocked or was last woken (or the key holds another
// stream now): a SETID that moves the group back does not serve a blocked
// reader by itself, in Spool as in Redis; the next XADD serves it.
func xreadgroupBlockRequest(ctx *Context, p xreadgroupArgs, targets []xreadgroupTarget) *BlockRequest {
	db := ctx.Client.DB
	// Args are only valid during the call: keep copies.
	p.group, p.consumer = cloneBytes(p.group), cloneBytes(p.consumer)
	p.keys, p.ids = nil, nil
	req := &BlockRequest{DB: db, Keys: make([]string, 0, len(targets))}
	seen := make(map[string]bool, len(targets))
	// What each stream was when the client blocked, or was last woken.
	type mark struct {
		stream *streams.Stream
		added  uint64
	}
	marks := make([]mark, len(targets))
	for i := range targets {
		targets[i].key = cloneBytes(targets[i].key)
		k := string(targets[i].key)
		if !seen[k] {
			seen[k] = true
			req.Keys = append(req.Keys, k)
		}
		s, _ := streamOf(ctx.lookup(ctx.Keys.DBs[db], k))
		marks[i] = mark{s, s.EntriesAdded()}
	}
	if p.blockMs > 0 {
		req.Deadline = blockDeadline(ctx.Clock(), p.blockMs)
	}
	// A queue redelivery falling due serves a ">" reader without any
	// signal: the server's redelivery timer retries at WakeAt.
	wakeAt := func(lookup func(key []byte) *streams.Stream) int64 {
		at := int64(0)
		for _, t := range targets {
			if t.history {
				continue
			}
			req.Redelivery = true
			if s := lookup(t.key); s != nil {
				if g := s.Group(string(p.group)); g != nil {
					if w := queueWakeAt(g, p.consumer); w > 0 && (at == 0 || w < at) {
						at = w
					}
				}
			}
		}
		return at
	}
	req.WakeAt = wakeAt(func(key []byte) *streams.Stream {
		s, _ := streamOf(ctx.lookup(ctx.Keys.DBs[db], string(key)))
		return s
	})
	req.Retry = func(ctx *Context) bool {
		keys := ctx.Keys.DBs[db]
		lookup := func(key []byte) *streams.Stream {
			s, _ := streamOf(ctx.lookup(keys, string(key)))
			return s
		}
		ready := false
		for i, t := range targets {
			s, err := streamOf(ctx.lookup(keys, string(t.key)))
			if err != nil {
				ctx.Fail(err)
				return true
			}
			var g *streams.Group
			if s != nil {
				g = s.Group(string(p.group))
			}
			if g == nil {
				ctx.Error(msgNoGroupXReadGroup(t.key, p.group))
				return true
			}
			added := s != marks[i].stream || s.EntriesAdded() != marks[i].added
			ready = ready || (added && g.HasNew()) ||
				(p.claim && !t.history && g.HasIdle(p.minIdle, ctx.nowMs())) ||
				(!t.history && queueReady(g, p.consumer, ctx.nowMs()))
			marks[i] = mark{s, s.EntriesAdded()}
		}
		if ready && xreadgroupServe(ctx, db, &p, targets, lookup) {
			return true
		}
		req.WakeAt = wakeAt(lookup)
		return false
	}
	req.Timeout = func(ctx *Context) { ctx.Out.NullArray() }
	return req
}

func cloneBytes(b []byte) []byte { return append([]byte(nil), b...) }

// replyClaimDeliveries writes the entries of a stream read with CLAIM on
// ">" (Redis 8.4): the claimed idle entries first, then the new ones, each
// as [id, [field, value, ...], ms-since-last-delivery, delivery-count], the
// two extra elements being integers (Redis 8.4.2 made them integers,
// redis/redis#14524; 8.4.0 sent bulk strings) of the idle time and the
// number of earlier deliveries: 0 and 0 for a new entry.
func replyClaimDeliveries(out Reply, claimed []streams.IdleClaim, ds []streams.Delivery) {
	out.Array(len(claimed) + len(ds))
	for _, c := range claimed {
		out.Array(4)
		replyStreamID(out, c.ID)
		out.Array(len(c.Fields))
		for _, f := range c.Fields {
			out.Bulk(f)
		}
		out.Int(c.Idle)
		out.Int(c.PrevCount)
	}
	for _, d := range ds {
		out.Array(4)
		replyStreamID(out, d.ID)
		out.Array(len(d.Fields))
		for _, f := range d.Fields {
			out.Bulk(f)
		}
		out.Int(0)
		out.Int(0)
	}
}
