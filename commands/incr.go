package commands

import (
	"math"
	"strconv"
)

// INCR key — https://redis.io/commands/incr/
var incrCommand = &Command{
	Name: "incr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Increment the integer value of a key by one", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { incrDecr(ctx, 1) },
}

// DECR key — https://redis.io/commands/decr/
var decrCommand = &Command{
	Name: "decr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Decrement the integer value of a key by one", Complexity: "O(1)",
	Syntax: "key", Run: func(ctx *Context) { incrDecr(ctx, -1) },
}

// INCRBY key increment — https://redis.io/commands/incrby/
var incrbyCommand = &Command{
	Name: "incrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Increment the integer value of a key by the given amount", Complexity: "O(1)",
	Syntax: "key increment", Run: runIncrby,
}

// DECRBY key decrement — https://redis.io/commands/decrby/
var decrbyCommand = &Command{
	Name: "decrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "1.0.0",
	Summary: "Decrement the integer value of a key by the given number", Complexity: "O(1)",
	Syntax: "key decrement", Run: runDecrby,
}

// runIncrby parses the increment before looking at the key, as Redis does.
func runIncrby(ctx *Context) {
	n, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	incrDecr(ctx, n)
}

// runDecrby refuses the one decrement that cannot be negated.
func runDecrby(ctx *Context) {
	n, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if n == math.MinInt64 {
		ctx.Error(msgDecrementOverflow)
		return
	}
	incrDecr(ctx, -n)
}

// incrDecr adds by to the integer at key (0 when missing) and answers the
// result. The value must be a string Redis's string2ll accepts; the TTL is
// kept. The command as typed is its effect: it is deterministic.
func incrDecr(ctx *Context, by int64) {
	key := ctx.Args[1]
	e := ctx.lookupWrite(key)
	var old int64
	if e != nil {
		sv, ok := e.value.(*stringValue)
		if !ok {
			ctx.Fail(ErrWrongType)
			return
		}
		n, isInt := parseStrictInt(sv.b)
		if !isInt {
			ctx.Fail(ErrNotInt)
			return
		}
		old = n
	}
	if (by < 0 && old < 0 && by < math.MinInt64-old) || (by > 0 && old > 0 && by > math.MaxInt64-old) {
		ctx.Error(msgOverflow)
		return
	}
	result := old + by
	setStringKeepTTL(ctx, key, e, &stringValue{b: strconv.AppendInt(nil, result, 10)})
	ctx.Propagate(ctx.Args...)
	ctx.Notify(NotifyString, "incrby", ctx.Client.DB, key)
	ctx.Out.Int(result)
}

// setStringKeepTTL replaces the value of e (the live entry of key, or nil
// when the key is missing) keeping its TTL, as Redis's dbOverwrite does, or
// adds the key.
func setStringKeepTTL(ctx *Context, key []byte, e *entry, v *stringValue) {
	if e == nil {
		ctx.setValue(key, v, false)
		return
	}
	e.value = v
	ctx.Signal(ctx.DB().ID, e.key)
}
