package commands

// SETRANGE key offset value — https://redis.io/commands/setrange/
var setrangeCommand = &Command{
	Name: "setrange", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write string slow", Group: "string", Since: "2.2.0",
	Summary:    "Overwrite part of a string at key starting at the specified offset",
	Complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
	Syntax:     "key offset value", Run: runSetrange,
}

// runSetrange writes value at offset, padding with zero bytes, and answers
// the new length. Redis's order: the offset is parsed and checked first;
// writing nothing creates nothing (0 for a missing key, the length for an
// existing one, no length check); the result must fit proto-max-bulk-len.
// The string becomes raw (a new key is created raw); the TTL is kept.
func runSetrange(ctx *Context) {
	key, value := ctx.Args[1], ctx.Args[3]
	offset, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if offset < 0 {
		ctx.Error(msgOffsetRange)
		return
	}
	e := ctx.lookupWrite(key)
	var sv *stringValue
	if e == nil {
		if len(value) == 0 {
			ctx.Out.Int(0)
			return
		}
		if !ctx.stringLengthOK(offset, int64(len(value))) {
			return
		}
		sv = &stringValue{raw: true}
		ctx.setValue(key, sv, false)
	} else {
		var ok bool
		if sv, ok = e.value.(*stringValue); !ok {
			ctx.Fail(ErrWrongType)
			return
		}
		if len(value) == 0 {
			ctx.Out.Int(int64(len(sv.b)))
			return
		}
		if !ctx.stringLengthOK(offset, int64(len(value))) {
			return
		}
		sv.raw = true
		ctx.Signal(ctx.DB().ID, e.key)
	}
	if end := int(offset) + len(value); end > len(sv.b) {
		sv.b = append(sv.b, make([]byte, end-len(sv.b))...)
	}
	copy(sv.b[offset:], value)
	ctx.Propagate(ctx.Args...)
	ctx.Notify(NotifyString, "setrange", ctx.Client.DB, key)
	ctx.Out.Int(int64(len(sv.b)))
}
