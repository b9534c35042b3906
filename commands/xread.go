package commands

import (
	"time"

	"github.com/spool-dev/spool/streams"
)

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
// — https://redis.io/commands/xread/
var xreadCommand = &Command{
	Name: "xread", Arity: -4, Flags: FlagReadOnly | FlagBlocking,
	Categories: "read stream slow blocking", Group: "stream", Since: "5.0.0",
	Summary:    "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
	Complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
	Syntax:     "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]",
	Run:        runXRead,
}

// xreadArgs is a parsed XREAD. The IDs stay unparsed: "$" and "+" depend on
// the streams, and Redis checks each key's type before parsing its ID.
type xreadArgs struct {
	count   int64 // 0: no limit
	block   bool
	blockMs int64
	keys    [][]byte
	ids     [][]byte
}

// parseXReadBlock parses BLOCK's milliseconds as xreadCommand does (shared
// by XREAD and XREADGROUP).
func parseXReadBlock(arg []byte) (int64, error) {
	ms, err := argInt(arg)
	if err != nil {
		return 0, redisError(msgTimeoutNotInt)
	}
	if ms < 0 {
		return 0, redisError(msgTimeoutNegative)
	}
	return ms, nil
}

// splitXReadStreams splits what follows STREAMS into as many keys as IDs.
func splitXReadStreams(rest [][]byte) (keys, ids [][]byte, err error) {
	if len(rest)%2 != 0 {
		return nil, nil, redisError(msgXReadUnbalanced)
	}
	return rest[:len(rest)/2], rest[len(rest)/2:], nil
}

// commonOption parses, at args[i], an option XREAD and XREADGROUP share:
// BLOCK, COUNT, or STREAMS (which takes the rest of the arguments: done).
// It returns the index of the option's last argument when it matched.
func (p *xreadArgs) commonOption(args [][]byte, i int) (next int, matched, done bool, err error) {
	moreArgs := len(args) - 1 - i
	switch opt := args[i]; {
	case is(opt, "block") && moreArgs > 0:
		ms, err := parseXReadBlock(args[i+1])
		if err != nil {
			return i, true, false, err
		}
		p.block, p.blockMs = true, ms
		return i + 1, true, false, nil
	case is(opt, "count") && moreArgs > 0:
		n, err := argInt(args[i+1])
		if err != nil {
			return i, true, false, err
		}
		p.count = max(n, 0)
		return i + 1, true, false, nil
	case is(opt, "streams") && moreArgs > 0:
		keys, ids, err := splitXReadStreams(args[i+1:])
		if err != nil {
			return i, true, false, err
		}
		p.keys, p.ids = keys, ids
		return len(args), true, true, nil
	}
	return i, false, false, nil
}

// parseXRead follows the option loop of t_stream.c xreadCommand. COUNT and
// BLOCK may repeat (the last wins); STREAMS ends the options and takes the
// rest, which must split evenly into keys and IDs.
func parseXRead(args [][]byte) (xreadArgs, error) {
	var p xreadArgs
	for i := 1; i < len(args); i++ {
		moreArgs := len(args) - 1 - i
		opt := args[i]
		next, matched, done, err := p.commonOption(args, i)
		switch {
		case err != nil:
			return p, err
		case done:
			return p, nil
		case matched:
			i = next
		case is(opt, "group") && moreArgs >= 2:
			return p, redisError(msgXReadGroupOption)
		case is(opt, "noack"):
			return p, redisError(msgXReadNoAckOption)
		default:
			return p, ErrSyntax
		}
	}
	// No STREAMS option.
	return p, ErrSyntax
}

// xreadTarget is one stream of an XREAD: serve entries with IDs above
// after. stream and added remember the stream and its entries-added counter
// when the client blocked (see xreadReady).
type xreadTarget struct {
	key    string
	after  streams.ID
	stream *streams.Stream
	added  uint64
}

// resolveXReadID turns the ID argument of one stream into the ID entries
// must exceed: "$" is the stream's last generated ID (0-0 when the key is
// missing), "+" (Redis 7.4) is just below the last entry so that it is
// served (the last generated ID of an empty stream, 0-0 for a missing key),
// anything else a strict ID whose missing sequence is 0.
func resolveXReadID(s *streams.Stream, arg []byte) (streams.ID, error) {
	switch {
	case len(arg) == 1 && arg[0] == '$':
		if s == nil {
			return streams.MinID, nil
		}
		return s.LastID(), nil
	case len(arg) == 1 && arg[0] == '+':
		if s == nil {
			return streams.MinID, nil
		}
		if last, ok := s.LastEntryID(); ok {
			prev, _ := last.Prev() // an entry's ID is never 0-0
			return prev, nil
		}
		return s.LastID(), nil
	case len(arg) == 1 && arg[0] == '>':
		return streams.ID{}, redisError(msgXReadGreaterID)
	}
	return streams.ParseID(arg, 0)
}

// runXRead serves the streams that have entries above their ID right away;
// if none has and BLOCK was given, it parks the client (or, inside MULTI,
// replies as a timeout would, like Redis for a client that may not block).
func runXRead(ctx *Context) {
	p, err := parseXRead(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	targets := make([]xreadTarget, len(p.keys))
	for i, key := range p.keys {
		s, err := ctx.readStream(key)
		if err != nil {
			ctx.Fail(err)
			return
		}
		after, err := resolveXReadID(s, p.ids[i])
		if err != nil {
			ctx.Fail(err)
			return
		}
		targets[i] = xreadTarget{key: string(key), after: after, stream: s}
		if s != nil {
			targets[i].added = s.EntriesAdded()
		}
	}

	// Redis looks every key up again here, counting hits and misses twice.
	ready := make([]*streams.Stream, len(targets))
	n := 0
	for i, t := range targets {
		s, _ := ctx.readStream(p.keys[i])
		if s != nil && s.Len() > 0 {
			if last, _ := s.LastEntryID(); t.after.Less(last) {
				ready[i] = s
				n++
			}
		}
	}
	if n > 0 {
		replyXReadHeader(ctx.Out, n)
		for i, s := range ready {
			if s != nil {
				replyXReadStream(ctx.Out, targets[i].key, s, targets[i].after, p.count)
			}
		}
		return
	}
	if !p.block || ctx.Client.Multi != nil {
		ctx.Out.NullArray()
		return
	}
	ctx.Block(xreadBlockRequest(ctx, p, targets))
}

// xreadBlockRequest parks the client on the keys: it is served by the first
// of its streams (in argument order) that becomes ready, with that stream
// only, as Redis serves a blocked XREAD from the key that was signalled.
func xreadBlockRequest(ctx *Context, p xreadArgs, targets []xreadTarget) *BlockRequest {
	db := ctx.Client.DB
	req := &BlockRequest{DB: db, Keys: make([]string, 0, len(targets))}
	seen := make(map[string]bool, len(targets))
	for _, t := range targets {
		if !seen[t.key] {
			seen[t.key] = true
			req.Keys = append(req.Keys, t.key)
		}
	}
	if p.blockMs > 0 {
		req.Deadline = blockDeadline(ctx.Clock(), p.blockMs)
	}
	count := p.count
	req.Retry = func(ctx *Context) bool {
		for _, t := range targets {
			s, _ := streamOf(ctx.lookup(ctx.Keys.DBs[db], t.key))
			if s == nil || !xreadReady(s, t) {
				continue
			}
			replyXReadHeader(ctx.Out, 1)
			replyXReadStream(ctx.Out, t.key, s, t.after, count)
			return true
		}
		return false
	}
	req.Timeout = func(ctx *Context) { ctx.Out.NullArray() }
	return req
}

// xreadReady reports whether a blocked XREAD is served by s. Redis serves
// it when an XADD (or a new key) signals the stream and the stream's last
// generated ID is above the client's ID, even if the new entry was trimmed
// at once (the reply then has no entries). Spool's wake-ups also come from
// XSETID, XDEL and the like, which Redis does not signal, so it requires
// either an entry above the ID or a sign that entries were added since the
// client blocked.
func xreadReady(s *streams.Stream, t xreadTarget) bool {
	if !t.after.Less(s.LastID()) {
		return false
	}
	if last, ok := s.LastEntryID(); ok && t.after.Less(last) {
		return true
	}
	return s != t.stream || s.EntriesAdded() != t.added
}

// blockDeadline is now plus ms milliseconds; a timeout too large for a
// time.Time is as good as forever (the zero Deadline).
func blockDeadline(now time.Time, ms int64) time.Time {
	const maxMs = int64(1<<63-1) / int64(time.Millisecond)
	if ms > maxMs/2 {
		return time.Time{}
	}
	return now.Add(time.Duration(ms) * time.Millisecond)
}

// replyXReadHeader starts an XREAD reply of n streams: an array of
// [key, entries] pairs in RESP2, a map of key to entries in RESP3.
func replyXReadHeader(out Reply, n int) {
	if out.Proto() == 2 {
		out.Array(n)
	} else {
		out.Map(n)
	}
}

// replyXReadStream writes one stream of an XREAD reply: its key and up to
// count entries (0: all) with IDs above after.
func replyXReadStream(out Reply, key string, s *streams.Stream, after streams.ID, count int64) {
	if out.Proto() == 2 {
		out.Array(2)
	}
	out.BulkString(key)
	start, ok := after.Next()
	if !ok {
		out.Array(0)
		return
	}
	replyStreamRange(out, s, start, streams.MaxID, count, false)
}
