package commands

// GETRANGE key start end — https://redis.io/commands/getrange/
var getrangeCommand = &Command{
	Name: "getrange", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read string slow", Group: "string", Since: "2.4.0",
	Summary:    "Get a substring of the string stored at a key",
	Complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
	Syntax:     "key start end", Run: runGetrange,
}

// SUBSTR key start end — https://redis.io/commands/substr/
// The deprecated name of GETRANGE, still served by Redis 7.0.
var substrCommand = &Command{
	Name: "substr", Arity: 4, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read string slow", Group: "string", Since: "1.0.0",
	Summary:    "Get a substring of the string stored at a key",
	Complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
	Syntax:     "key start end", Run: runGetrange,
}

// runGetrange answers the bytes from start to end inclusive; negative
// indexes count from the end and the range is clamped to the string. Both
// indexes are parsed before the key is looked up; a missing key is "".
func runGetrange(ctx *Context) {
	start, err := argInt(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	end, err := argInt(ctx.Args[3])
	if err != nil {
		ctx.Fail(err)
		return
	}
	sv, ok, err := ctx.getString(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if !ok {
		ctx.Out.BulkString("")
		return
	}
	lo, hi, nonEmpty := clampRange(start, end, int64(len(sv.b)))
	if !nonEmpty {
		ctx.Out.BulkString("")
		return
	}
	ctx.Out.Bulk(sv.b[lo : hi+1])
}

// clampRange turns GETRANGE's start and end into valid inclusive indexes of
// a string of length n, as Redis 7.0 does (with C's wrapping arithmetic),
// and reports whether the range is empty.
func clampRange(start, end, n int64) (lo, hi int64, nonEmpty bool) {
	if start < 0 && end < 0 && start > end {
		return 0, 0, false
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = 0
	}
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return 0, 0, false
	}
	return start, end, true
}
