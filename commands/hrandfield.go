package commands

import "math"

// HRANDFIELD key [count [WITHVALUES]] — https://redis.io/commands/hrandfield/
var hrandfieldCommand = &Command{
	Name: "hrandfield", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash slow", Group: "hash", Since: "6.2.0",
	Summary: "Get one or multiple random fields from a hash", Complexity: "O(N) where N is the number of fields returned",
	Syntax: "key [count [WITHVALUES]]", Run: runHrandfield,
}

// hrandfieldArgs is a parsed HRANDFIELD.
type hrandfieldArgs struct {
	hasCount   bool
	count      int64 // negative: fields may repeat
	withValues bool
}

// parseHrandfield follows hrandfieldCommand: the count must lie in
// [-LONG_MAX, LONG_MAX], the only option is WITHVALUES, and with it the
// count must be within half that range (Redis doubles it for the reply).
func parseHrandfield(args [][]byte) (hrandfieldArgs, error) {
	var p hrandfieldArgs
	if len(args) < 3 {
		return p, nil
	}
	n, err := argInt(args[2])
	if err != nil {
		return p, err
	}
	if n < -math.MaxInt64 {
		return p, redisError(msgHrandfieldCountRange)
	}
	if len(args) > 4 || (len(args) == 4 && !is(args[3], "withvalues")) {
		return p, ErrSyntax
	}
	p.hasCount, p.count, p.withValues = true, n, len(args) == 4
	if p.withValues && (n < -math.MaxInt64/2 || n > math.MaxInt64/2) {
		return p, redisError(msgHrandfieldWithValuesRange)
	}
	return p, nil
}

// runHrandfield replies with one random field (null for a missing key), or
// with a count: up to count distinct fields (the whole hash, in its order,
// when count reaches its size), or -count fields that may repeat. With
// WITHVALUES each field is followed by its value: a flat array in RESP2,
// [field, value] pairs in RESP3.
func runHrandfield(ctx *Context) {
	p, err := parseHrandfield(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if !p.hasCount {
		if h == nil {
			ctx.Out.Null()
			return
		}
		ctx.Out.BulkString(h.fields[ctx.rng.IntN(h.Len())].name)
		return
	}
	if h == nil || p.count == 0 {
		ctx.Out.Array(0)
		return
	}
	size := h.Len()
	if p.count < 0 || p.count == 1 {
		// With repetition (count 1 is the same either way), written as
		// drawn: like Redis, a huge count is a huge reply.
		n := p.count
		if n < 0 {
			n = -n
		}
		replyHashPicksHeader(ctx.Out, int(n), p.withValues)
		for ; n > 0; n-- {
			replyHashPick(ctx.Out, h, ctx.rng.IntN(size), p.withValues)
		}
		return
	}
	var picks []int
	switch {
	case p.count >= int64(size):
		picks = make([]int, size)
		for i := range picks {
			picks[i] = i
		}
	default:
		picks = ctx.sampleDistinct(size, int(p.count))
	}
	replyHashPicks(ctx.Out, h, picks, p.withValues)
}

// sampleDistinct returns k distinct indexes below n (k < n) in random
// order: a partial shuffle when k is a large part of n, rejection sampling
// otherwise, so the cost is O(min(n, k)) either way.
func (ctx *Context) sampleDistinct(n, k int) []int {
	if k*3 > n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		for i := 0; i < k; i++ {
			j := i + ctx.rng.IntN(n-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		return idx[:k]
	}
	seen := make(map[int]bool, k)
	out := make([]int, 0, k)
	for len(out) < k {
		i := ctx.rng.IntN(n)
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

func replyHashPicks(out Reply, h *hashValue, picks []int, withValues bool) {
	replyHashPicksHeader(out, len(picks), withValues)
	for _, i := range picks {
		replyHashPick(out, h, i, withValues)
	}
}

// replyHashPicksHeader starts a reply of n picks: an array of fields, or
// with values a flat array of 2n in RESP2 and an array of n pairs in RESP3.
func replyHashPicksHeader(out Reply, n int, withValues bool) {
	if withValues && out.Proto() == 2 {
		out.Array(2 * n)
	} else {
		out.Array(n)
	}
}

func replyHashPick(out Reply, h *hashValue, i int, withValues bool) {
	f := &h.fields[i]
	if withValues && out.Proto() != 2 {
		out.Array(2)
	}
	out.BulkString(f.name)
	if withValues {
		out.Bulk(f.value)
	}
}
