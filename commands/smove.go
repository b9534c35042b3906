package commands

// SMOVE source destination member — https://redis.io/commands/smove/
var smoveCommand = &Command{
	Name: "smove", Arity: 4, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write set fast", Group: "set", Since: "1.0.0",
	Summary:    "Move a member from one set to another",
	Complexity: "O(1)",
	Syntax:     "source destination member", Run: runSMove,
}

// runSMove follows smoveCommand: a missing source answers 0 before any
// type check, a wrong type on either side is WRONGTYPE, the same set on
// both sides only tells whether the member is there.
func runSMove(ctx *Context) {
	srcKey, dstKey, member := ctx.Args[1], ctx.Args[2], string(ctx.Args[3])
	srcEntry := ctx.lookupWrite(srcKey)
	dstEntry := ctx.lookupWrite(dstKey)
	if srcEntry == nil {
		ctx.Out.Int(0)
		return
	}
	src, err := setOf(srcEntry)
	if err != nil {
		ctx.Fail(err)
		return
	}
	dst, err := setOf(dstEntry)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if src == dst {
		if src.has(member) {
			ctx.Out.Int(1)
		} else {
			ctx.Out.Int(0)
		}
		return
	}
	if !src.remove(member) {
		ctx.Out.Int(0)
		return
	}
	db := ctx.DB()
	ctx.Notify(NotifySet, "srem", db.ID, srcKey)
	if src.len() == 0 {
		db.remove(string(srcKey))
		ctx.Notify(NotifyGeneric, "del", db.ID, srcKey)
	}
	if dst == nil {
		dst = newSetFor(ctx.Args[3])
		db.add(string(dstKey), dst, ctx.nowMs())
	}
	ctx.Signal(db.ID, string(srcKey))
	ctx.Changed()
	if dst.add(member, ctx.Settings.Encoding) {
		ctx.Signal(db.ID, string(dstKey))
		ctx.Notify(NotifySet, "sadd", db.ID, dstKey)
	}
	ctx.Out.Int(1)
}
