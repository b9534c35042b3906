package commands

import "math"

// SPOP key [count] — https://redis.io/commands/spop/
var spopCommand = &Command{
	Name: "spop", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write set fast", Group: "set", Since: "1.0.0",
	Summary:    "Remove and return one or multiple random members from a set",
	Complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
	Syntax:     "key [count]", Run: runSPop,
}

// runSPop removes random members. The choice is not repeatable, so the
// effect is what was removed: SREM of the chosen members, or DEL when the
// whole set went (Redis propagates the same).
func runSPop(ctx *Context) {
	switch len(ctx.Args) {
	case 2:
		spopOne(ctx)
		return
	case 3:
	default:
		ctx.Fail(ErrSyntax)
		return
	}
	count, err := argRangeInt(ctx.Args[2], 0, math.MaxInt64, msgMustBePositive)
	if err != nil {
		ctx.Fail(err)
		return
	}
	key := ctx.Args[1]
	s, err := ctx.writeSet(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil || count == 0 {
		ctx.Out.Set(0)
		return
	}
	db := ctx.DB()
	ctx.Notify(NotifySet, "spop", db.ID, key)
	if count >= int64(s.len()) {
		// Redis answers with SUNION of the set, which rebuilds it from an
		// intset: an all-integer set comes out in numeric order.
		replySetMembers(ctx.Out, union([]*setObject{s}, ctx.Settings.Encoding).ordered())
		db.remove(string(key))
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
		ctx.Signal(db.ID, string(key))
		ctx.Propagate([]byte("DEL"), key)
		return
	}
	effect := make([][]byte, 0, count+2)
	effect = append(effect, []byte("SREM"), key)
	ctx.Out.Set(int(count))
	for i := int64(0); i < count; i++ {
		m := s.random(ctx.rng)
		s.remove(m)
		ctx.Out.BulkString(m)
		effect = append(effect, []byte(m))
	}
	ctx.Signal(db.ID, string(key))
	ctx.Propagate(effect...)
}

// spopOne is SPOP without a count: one member as a bulk string, null for a
// missing key.
func spopOne(ctx *Context) {
	key := ctx.Args[1]
	s, err := ctx.writeSet(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Null()
		return
	}
	db := ctx.DB()
	m := s.random(ctx.rng)
	s.remove(m)
	ctx.Notify(NotifySet, "spop", db.ID, key)
	ctx.Propagate([]byte("SREM"), key, []byte(m))
	ctx.Out.BulkString(m)
	if s.len() == 0 {
		db.remove(string(key))
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	}
	ctx.Signal(db.ID, string(key))
}
