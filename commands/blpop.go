package commands

import (
	"math/big"
)

// BLPOP key [key ...] timeout — https://redis.io/commands/blpop/
var blpopCommand = &Command{
	Name: "blpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, Step: 1,
	Categories: "write list slow blocking", Group: "list", Since: "2.0.0",
	Summary:    "Remove and get the first element in a list, or block until one is available",
	Complexity: "O(N) where N is the number of provided keys.",
	Syntax:     "key [key ...] timeout", Run: runBlpop,
}

// BRPOP key [key ...] timeout — https://redis.io/commands/brpop/
var brpopCommand = &Command{
	Name: "brpop", Arity: -3, Flags: FlagWrite | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: -2, Step: 1,
	Categories: "write list slow blocking", Group: "list", Since: "2.0.0",
	Summary:    "Remove and get the last element in a list, or block until one is available",
	Complexity: "O(N) where N is the number of provided keys.",
	Syntax:     "key [key ...] timeout", Run: runBrpop,
}

// BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
// — https://redis.io/commands/blmpop/
var blmpopCommand = &Command{
	Name: "blmpop", Arity: -5, Flags: FlagWrite | FlagBlocking,
	Categories: "write list slow blocking", Group: "list", Since: "7.0.0",
	Summary:    "Pop elements from a list, or block until one is available",
	Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
	Syntax:     "timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", Run: runBlmpop,
}

func runBlpop(ctx *Context) { runBlockingPop(ctx, true) }
func runBrpop(ctx *Context) { runBlockingPop(ctx, false) }

// runBlockingPop is Redis's blockingPopGenericCommand for BLPOP and BRPOP:
// the first key holding a list is popped at once, replying [key, element]
// with LPOP/RPOP key as the effect (a key of another type before it is
// WRONGTYPE); when none does the client blocks until one is pushed to, or
// inside MULTI gets the null array at once.
func runBlockingPop(ctx *Context, left bool) {
	last := len(ctx.Args) - 1
	timeoutMs, err := parseBlockTimeout(ctx.Args[last])
	if err != nil {
		ctx.Fail(err)
		return
	}
	keys := ctx.Args[1:last]
	key, l, err := ctx.firstList(keys, false)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l != nil {
		ctx.popOneWithKey(ctx.Client.DB, key, l, left)
		return
	}
	if ctx.Client.Multi != nil || ctx.Replaying {
		ctx.Out.NullArray()
		return
	}
	db, stored := ctx.Client.DB, copyArgs(keys)
	ctx.Block(listBlockRequest(ctx, stored, timeoutMs, func(ctx *Context) bool {
		key, l, _ := ctx.firstList(stored, true)
		if l == nil {
			return false
		}
		ctx.popOneWithKey(db, key, l, left)
		return true
	}))
}

// runBlmpop is LMPOP that blocks: Redis parses numkeys, the side and COUNT
// before the timeout.
func runBlmpop(ctx *Context) {
	p, err := parseLmpop(ctx.Args[2:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	timeoutMs, err := parseBlockTimeout(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	key, l, err := ctx.firstList(p.keys, false)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l != nil {
		ctx.popRangeWithKey(ctx.Client.DB, key, l, p.left, p.count)
		return
	}
	if ctx.Client.Multi != nil || ctx.Replaying {
		ctx.Out.NullArray()
		return
	}
	db, stored := ctx.Client.DB, copyArgs(p.keys)
	ctx.Block(listBlockRequest(ctx, stored, timeoutMs, func(ctx *Context) bool {
		key, l, _ := ctx.firstList(stored, true)
		if l == nil {
			return false
		}
		ctx.popRangeWithKey(db, key, l, p.left, p.count)
		return true
	}))
}

// listBlockRequest parks the client on keys (each once) in its db until
// retry serves it, or until timeoutMs (0: forever) passes, when it gets the
// null array, as Redis answers every timed-out list pop and move. The
// server retries blocked clients in the order they blocked, so the longest
// waiting client is served first.
func listBlockRequest(ctx *Context, keys [][]byte, timeoutMs int64, retry func(*Context) bool) *BlockRequest {
	req := &BlockRequest{DB: ctx.Client.DB, Keys: make([]string, 0, len(keys)), Retry: retry}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if !seen[string(k)] {
			seen[string(k)] = true
			req.Keys = append(req.Keys, string(k))
		}
	}
	if timeoutMs > 0 {
		req.Deadline = blockDeadline(ctx.Clock(), timeoutMs)
	}
	req.Timeout = func(ctx *Context) { ctx.Out.NullArray() }
	return req
}

// parseBlockTimeout is Redis's getTimeoutFromObjectOrReply in seconds: the
// argument is a long double (strtold), multiplied by 1000 and truncated to
// milliseconds. As on x86, a product beyond the int64 range (inf, 1e300)
// converts to the most negative int64, so it is "timeout is negative"; a
// product below one millisecond is 0, which blocks forever.
func parseBlockTimeout(arg []byte) (int64, error) {
	f, ok := parseLongDouble(arg)
	if !ok {
		return 0, redisError(msgTimeoutNotFloat)
	}
	// Redis rounds the milliseconds up (ceill), so that 0.0001 s is a 1 ms
	// timeout rather than "block forever".
	ms := longDoubleCeilToInt64(new(big.Float).SetPrec(longDoubleMantissa).Mul(f, big.NewFloat(1000)))
	if ms < 0 {
		return 0, redisError(msgTimeoutNegative)
	}
	return ms, nil
}

// longDoubleCeilToInt64 is (long long)ceill(f): rounding up, then C's cast.
func longDoubleCeilToInt64(f *big.Float) int64 {
	n := longDoubleToInt64(f)
	if n == -1<<63 {
		return n
	}
	if whole := new(big.Float).SetInt64(n); f.Cmp(whole) > 0 && n < 1<<63-1 {
		n++
	}
	return n
}

// int64Range is 2^63: the first magnitude an int64 cannot hold.
var int64Range = new(big.Float).SetMantExp(big.NewFloat(1), 63)

// longDoubleToInt64 is C's (long long) cast of a long double on x86:
// truncation toward zero, and the "integer indefinite" value (the most
// negative int64) for infinities and values out of range.
func longDoubleToInt64(f *big.Float) int64 {
	if f.IsInf() || f.Cmp(int64Range) >= 0 || f.Cmp(new(big.Float).Neg(int64Range)) < 0 {
		return -1 << 63
	}
	n, _ := f.Int64()
	return n
}
