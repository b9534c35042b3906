package commands

import "math"

// LPOP key [count] — https://redis.io/commands/lpop/
var lpopCommand = &Command{
	Name: "lpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "1.0.0",
	Summary: "Remove and get the first elements in a list", Complexity: "O(N) where N is the number of elements returned",
	Syntax: "key [count]", Run: runLpop,
}

// RPOP key [count] — https://redis.io/commands/rpop/
var rpopCommand = &Command{
	Name: "rpop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write list fast", Group: "list", Since: "1.0.0",
	Summary: "Remove and get the last elements in a list", Complexity: "O(N) where N is the number of elements returned",
	Syntax: "key [count]", Run: runRpop,
}

func runLpop(ctx *Context) { runPop(ctx, true) }
func runRpop(ctx *Context) { runPop(ctx, false) }

// runPop is Redis's popGenericCommand. Without a count it pops one element
// and replies with it (null for a missing key); with one it replies with an
// array of up to count elements in popping order (the null array for a
// missing key, an empty array for a count of 0). The command as typed is
// its own effect: it pops the same elements again on replay.
func runPop(ctx *Context, left bool) {
	if len(ctx.Args) > 3 {
		ctx.Error(msgWrongArity(ctx.Cmd.Name))
		return
	}
	hasCount := len(ctx.Args) == 3
	var count int64
	if hasCount {
		n, err := argRangeInt(ctx.Args[2], 0, math.MaxInt64, msgMustBePositive)
		if err != nil {
			ctx.Fail(err)
			return
		}
		count = n
	}
	key := ctx.Args[1]
	l, err := ctx.writeList(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	switch {
	case l == nil && hasCount:
		ctx.Out.NullArray()
		return
	case l == nil:
		ctx.Out.Null()
		return
	case hasCount && count == 0:
		ctx.Out.Array(0)
		return
	}
	n := 1
	if hasCount {
		n = int(min(count, int64(l.Len())))
		ctx.Out.Array(n)
	}
	for i := 0; i < n; i++ {
		ctx.Out.Bulk(l.Pop(left))
	}
	ctx.listRemoved(ctx.DB(), key, l, popEvent(left))
	ctx.changedBy(n)
}
