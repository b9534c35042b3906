package commands

import "math"

// SRANDMEMBER key [count] — https://redis.io/commands/srandmember/
var srandmemberCommand = &Command{
	Name: "srandmember", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "1.0.0",
	Summary:    "Get one or multiple random members from a set",
	Complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
	Syntax:     "key [count]", Run: runSRandMember,
}

// runSRandMember follows srandmemberWithCountCommand: a negative count
// allows repeats, a count at least the set's size returns the whole set (in
// its iteration order), a smaller one distinct random members.
func runSRandMember(ctx *Context) {
	switch len(ctx.Args) {
	case 2:
		s, err := ctx.readSet(ctx.Args[1])
		if err != nil {
			ctx.Fail(err)
			return
		}
		if s == nil {
			ctx.Out.Null()
			return
		}
		ctx.Out.BulkString(s.random(ctx.rng))
		return
	case 3:
	default:
		ctx.Fail(ErrSyntax)
		return
	}
	n, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if n == math.MinInt64 {
		ctx.Error(msgSRandMemberRange)
		return
	}
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil || n == 0 {
		ctx.Out.Array(0)
		return
	}
	if n < 0 || n == 1 {
		count := -n
		if n == 1 {
			count = 1
		}
		ctx.Out.Array(int(count))
		for i := int64(0); i < count; i++ {
			ctx.Out.BulkString(s.random(ctx.rng))
		}
		return
	}
	if n >= int64(s.len()) {
		members := s.ordered()
		ctx.Out.Array(len(members))
		for _, m := range members {
			ctx.Out.BulkString(m)
		}
		return
	}
	// Distinct members: a partial Fisher-Yates shuffle of a copy.
	members := append([]string(nil), s.members...)
	ctx.Out.Array(int(n))
	for i := 0; i < int(n); i++ {
		j := i + ctx.rng.IntN(len(members)-i)
		members[i], members[j] = members[j], members[i]
		ctx.Out.BulkString(members[i])
	}
}
