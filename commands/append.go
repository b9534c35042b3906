package commands

// APPEND key value — https://redis.io/commands/append/
var appendCommand = &Command{
	Name: "append", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string fast", Group: "string", Since: "2.0.0",
	Summary:    "Append a value to a key",
	Complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
	Syntax:     "key value", Run: runAppend,
}

// runAppend appends to the string at key, creating it when missing, and
// answers the new length. Appending to an existing key (even nothing) turns
// its encoding raw, as Redis unshares it; the TTL is kept. A result longer
// than proto-max-bulk-len is refused, except on replay.
func runAppend(ctx *Context) {
	key, tail := ctx.Args[1], ctx.Args[2]
	e := ctx.lookupWrite(key)
	if e == nil {
		ctx.setValue(key, newString(tail), false)
		ctx.Propagate(ctx.Args...)
		ctx.Notify(NotifyString, "append", ctx.Client.DB, key)
		ctx.Out.Int(int64(len(tail)))
		return
	}
	sv, ok := e.value.(*stringValue)
	if !ok {
		ctx.Fail(ErrWrongType)
		return
	}
	if !ctx.stringLengthOK(int64(len(sv.b)), int64(len(tail))) {
		return
	}
	sv.b = append(sv.b, tail...)
	sv.raw = true
	ctx.Signal(ctx.DB().ID, e.key)
	ctx.Propagate(ctx.Args...)
	ctx.Notify(NotifyString, "append", ctx.Client.DB, key)
	ctx.Out.Int(int64(len(sv.b)))
}

// stringLengthOK is Redis's checkStringLength: it refuses (and replies) when
// size+grow exceeds proto-max-bulk-len or overflows. Replay always passes,
// as Redis never refuses its master or AOF.
func (ctx *Context) stringLengthOK(size, grow int64) bool {
	if ctx.Replaying {
		return true
	}
	total := size + grow // wraps as in C; caught below
	if total > ctx.Settings.ProtoMaxBulkLen || total < size || total < grow {
		ctx.Error(msgStringTooLong)
		return false
	}
	return true
}
