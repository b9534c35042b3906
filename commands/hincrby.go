package commands

import (
	"math"
	"math/big"
	"strconv"
)

// HINCRBY key field increment — https://redis.io/commands/hincrby/
var hincrbyCommand = &Command{
	Name: "hincrby", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.0.0",
	Summary: "Increment the integer value of a hash field by the given number", Complexity: "O(1)",
	Syntax: "key field increment", Run: runHincrby,
}

// HINCRBYFLOAT key field increment — https://redis.io/commands/hincrbyfloat/
var hincrbyfloatCommand = &Command{
	Name: "hincrbyfloat", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write hash fast", Group: "hash", Since: "2.6.0",
	Summary: "Increment the float value of a hash field by the given amount", Complexity: "O(1)",
	Syntax: "key field increment", Run: runHincrbyfloat,
}

// runHincrby adds increment to the integer in field (0 when missing). Like
// Redis it parses the increment before looking at the key, refuses a value
// that is not a strict integer and a sum that overflows. Integer
// arithmetic replays exactly, so the command as typed is its effect.
func runHincrby(ctx *Context) {
	incr, err := argInt(ctx.Args[3])
	if err != nil {
		ctx.Fail(err)
		return
	}
	key, field := ctx.Args[1], ctx.Args[2]
	h, err := ctx.writeHash(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var value int64
	if h != nil {
		if old, ok := h.Get(field); ok {
			if value, ok = parseStrictInt(old); !ok {
				ctx.Error(msgHashNotInteger)
				return
			}
		}
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		ctx.Error(msgOverflow)
		return
	}
	value += incr
	if h == nil {
		h, _ = ctx.writeHashOrCreate(key)
	}
	h.Set(field, strconv.AppendInt(nil, value, 10), ctx.Settings.Encoding)
	ctx.Out.Int(value)
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyHash, "hincrby", ctx.Client.DB, key)
	ctx.Changed()
}

// runHincrbyfloat adds increment to the number in field (0 when missing)
// in long double precision and stores the result printed as INCRBYFLOAT
// prints it. The effect is HSET key field result, as Redis propagates it,
// so that a replay never recomputes.
func runHincrbyfloat(ctx *Context) {
	incr, ok := parseLongDouble(ctx.Args[3])
	if !ok {
		ctx.Fail(ErrNotFloat)
		return
	}
	if incr.IsInf() {
		ctx.Error(msgHashIncrNotFinite)
		return
	}
	key, field := ctx.Args[1], ctx.Args[2]
	h, err := ctx.writeHash(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	value := new(big.Float).SetPrec(longDoubleMantissa)
	if h != nil {
		if old, found := h.Get(field); found {
			if value, ok = parseLongDouble(old); !ok {
				ctx.Error(msgHashNotFloat)
				return
			}
		}
	}
	sum, ok := addLongDouble(value, incr)
	if !ok {
		ctx.Error(msgNaNOrInf)
		return
	}
	result := formatLongDoubleHuman(sum)
	if h == nil {
		h, _ = ctx.writeHashOrCreate(key)
	}
	h.Set(field, result, ctx.Settings.Encoding)
	ctx.Out.Bulk(result)
	ctx.Signal(ctx.Client.DB, string(key))
	ctx.Notify(NotifyHash, "hincrbyfloat", ctx.Client.DB, key)
	ctx.Propagate([]byte("HSET"), key, field, result)
}
