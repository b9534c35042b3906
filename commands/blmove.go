package commands

// BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
// — https://redis.io/commands/blmove/
var blmoveCommand = &Command{
	Name: "blmove", Arity: 6, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write list slow blocking", Group: "list", Since: "6.2.0",
	Summary:    "Pop an element from a list, push it to another list and return it; or block until one is available",
	Complexity: "O(1)",
	Syntax:     "source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout", Run: runBlmove,
}

// BRPOPLPUSH source destination timeout — https://redis.io/commands/brpoplpush/
var brpoplpushCommand = &Command{
	Name: "brpoplpush", Arity: 4, Flags: FlagWrite | FlagDenyOOM | FlagNoScript | FlagBlocking, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write list slow blocking", Group: "list", Since: "2.2.0",
	Summary:    "Pop an element from a list, push it to another list and return it; or block until one is available",
	Complexity: "O(1)",
	Syntax:     "source destination timeout", Run: runBrpoplpush,
}

func runBlmove(ctx *Context) {
	fromLeft, err := parseListSide(ctx.Args[3])
	if err != nil {
		ctx.Fail(err)
		return
	}
	toLeft, err := parseListSide(ctx.Args[4])
	if err != nil {
		ctx.Fail(err)
		return
	}
	timeoutMs, err := parseBlockTimeout(ctx.Args[5])
	if err != nil {
		ctx.Fail(err)
		return
	}
	runBlockingMove(ctx, fromLeft, toLeft, timeoutMs, true)
}

func runBrpoplpush(ctx *Context) {
	timeoutMs, err := parseBlockTimeout(ctx.Args[3])
	if err != nil {
		ctx.Fail(err)
		return
	}
	runBlockingMove(ctx, false, true, timeoutMs, false)
}

// runBlockingMove is Redis's blmoveGenericCommand: with a list at the
// source it moves at once; otherwise it blocks on the source (inside MULTI
// it answers null at once). The effect is the LMOVE or RPOPLPUSH Redis
// propagates. A client served after blocking whose destination meanwhile
// became another type gets WRONGTYPE, as in Redis.
func runBlockingMove(ctx *Context, fromLeft, toLeft bool, timeoutMs int64, lmove bool) {
	src, dst := ctx.Args[1], ctx.Args[2]
	l, err := ctx.writeList(src)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l != nil {
		ctx.serveMove(ctx.Client.DB, src, dst, fromLeft, toLeft, lmove)
		return
	}
	if ctx.Client.Multi != nil || ctx.Replaying {
		ctx.Out.Null()
		return
	}
	db, stored := ctx.Client.DB, copyArgs([][]byte{src, dst})
	ctx.Block(listBlockRequest(ctx, stored[:1], timeoutMs, func(ctx *Context) bool {
		if l, err := ctx.writeList(stored[0]); err != nil || l == nil {
			return false
		}
		ctx.serveMove(db, stored[0], stored[1], fromLeft, toLeft, lmove)
		return true
	}))
}

// serveMove moves an element from the existing list at src, replies with
// it and propagates LMOVE (or RPOPLPUSH), or replies WRONGTYPE when dst
// holds another type.
func (ctx *Context) serveMove(db int, src, dst []byte, fromLeft, toLeft, lmove bool) {
	if _, err := ctx.listMove(src, dst, fromLeft, toLeft); err != nil {
		ctx.Fail(err)
		return
	}
	if lmove {
		ctx.PropagateIn(db, []byte("LMOVE"), src, dst, []byte(sideName(fromLeft)), []byte(sideName(toLeft)))
	} else {
		ctx.PropagateIn(db, []byte("RPOPLPUSH"), src, dst)
	}
}
