package commands

import "strconv"

// HSCAN key cursor [MATCH pattern] [COUNT count]
// — https://redis.io/commands/hscan/
var hscanCommand = &Command{
	Name: "hscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read hash slow", Group: "hash", Since: "2.8.0",
	Summary:    "Incrementally iterate hash fields and associated values",
	Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
	Syntax:     "key cursor [MATCH pattern] [COUNT count]", Run: runHscan,
}

// hscanArgs is a parsed HSCAN (after the cursor).
type hscanArgs struct {
	count   int64
	pattern []byte // nil: every field
}

// parseHscanOptions follows scanGenericCommand's option loop for a key's
// collection: COUNT (1 or more) and MATCH may repeat, the last one wins;
// TYPE belongs to SCAN only, so it is a syntax error here like anything
// else unknown or missing its value.
func parseHscanOptions(opts [][]byte) (hscanArgs, error) {
	p := hscanArgs{count: 10}
	for i := 0; i < len(opts); i += 2 {
		if i+1 >= len(opts) {
			return p, ErrSyntax
		}
		switch opt, val := opts[i], opts[i+1]; {
		case is(opt, "count"):
			n, err := argInt(val)
			if err != nil {
				return p, err
			}
			if n < 1 {
				return p, ErrSyntax
			}
			p.count = n
		case is(opt, "match"):
			if len(val) == 1 && val[0] == '*' {
				p.pattern = nil
			} else {
				p.pattern = val
			}
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// runHscan parses the cursor, then looks the key up (a missing key is an
// empty, finished scan whatever the options say), then the options, in
// Redis's order. A listpack hash is returned whole with cursor 0; a
// hashtable pages by COUNT (see hashValue.scan). The reply is [cursor,
// [field, value, ...]].
func runHscan(ctx *Context) {
	cursor, ok := parseScanCursor(ctx.Args[2])
	if !ok {
		ctx.Error(msgInvalidCursor)
		return
	}
	h, err := ctx.readHash(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if h == nil {
		ctx.Out.Array(2)
		ctx.Out.BulkString("0")
		ctx.Out.Array(0)
		return
	}
	p, err := parseHscanOptions(ctx.Args[3:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	count := int(min(p.count, int64(h.Len())+1))
	var found []*hashField
	next := h.scan(cursor, count, func(f *hashField) {
		if p.pattern == nil || GlobMatch(p.pattern, []byte(f.name), false) {
			found = append(found, f)
		}
	})
	ctx.Out.Array(2)
	ctx.Out.BulkString(strconv.FormatUint(next, 10))
	ctx.Out.Array(2 * len(found))
	for _, f := range found {
		ctx.Out.BulkString(f.name)
		ctx.Out.Bulk(f.value)
	}
}
