package commands

// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
// — https://redis.io/commands/lmove/
var lmoveCommand = &Command{
	Name: "lmove", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write list slow", Group: "list", Since: "6.2.0",
	Summary: "Pop an element from a list, push it to another list and return it", Complexity: "O(1)",
	Syntax: "source destination <LEFT | RIGHT> <LEFT | RIGHT>", Run: runLmove,
}

// RPOPLPUSH source destination — https://redis.io/commands/rpoplpush/
var rpoplpushCommand = &Command{
	Name: "rpoplpush", Arity: 3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
	Categories: "write list slow", Group: "list", Since: "1.2.0",
	Summary: "Remove the last element in a list, prepend it to another list and return it", Complexity: "O(1)",
	Syntax: "source destination", Run: runRpoplpush,
}

// parseListSide parses LEFT or RIGHT (true for LEFT), as Redis's
// getListPositionFromObjectOrReply does.
func parseListSide(arg []byte) (left bool, err error) {
	switch {
	case is(arg, "left"):
		return true, nil
	case is(arg, "right"):
		return false, nil
	}
	return false, ErrSyntax
}

// sideName is the LEFT/RIGHT argument for a side, for effects.
func sideName(left bool) string {
	if left {
		return "LEFT"
	}
	return "RIGHT"
}

func runLmove(ctx *Context) {
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
	replyListMove(ctx, fromLeft, toLeft)
}

func runRpoplpush(ctx *Context) { replyListMove(ctx, false, true) }

// replyListMove runs a move on the command's own source and destination
// and replies with the element moved (null when the source is missing).
// The command as typed is its effect.
func replyListMove(ctx *Context, fromLeft, toLeft bool) {
	moved, err := ctx.listMove(ctx.Args[1], ctx.Args[2], fromLeft, toLeft)
	switch {
	case err != nil:
		ctx.Fail(err)
	case !moved:
		ctx.Out.Null()
	default:
		ctx.Changed()
	}
}

// listMove is Redis's lmoveGenericCommand: it pops an element from src,
// pushes it onto dst (created when missing) in the client's db and replies
// with it, between the push's keyspace event and the pop's, as Redis does.
// It reports false when src is missing, and returns ErrWrongType when
// either key holds another type (src is checked first, dst only when src
// exists); it changes nothing and replies nothing then. src may equal dst:
// the element rotates.
func (ctx *Context) listMove(src, dst []byte, fromLeft, toLeft bool) (bool, error) {
	from, err := ctx.writeList(src)
	if err != nil || from == nil {
		return false, err
	}
	to, err := ctx.writeList(dst)
	if err != nil {
		return false, err
	}
	db := ctx.DB()
	v := from.Pop(fromLeft)
	if to == nil {
		to = newList()
		ctx.addNewKey(db, dst, to)
	}
	to.Push(v, toLeft)
	ctx.Signal(db.ID, string(dst))
	ctx.Notify(NotifyList, pushEvent(toLeft), db.ID, dst)
	ctx.Out.Bulk(v)
	ctx.listRemoved(db, src, from, popEvent(fromLeft))
	return true, nil
}
