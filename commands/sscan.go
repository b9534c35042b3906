package commands

import "strconv"

// SSCAN key cursor [MATCH pattern] [COUNT count] — https://redis.io/commands/sscan/
var sscanCommand = &Command{
	Name: "sscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "2.8.0",
	Summary: "Incrementally iterate Set elements",
	Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to " +
		"return back to 0. N is the number of elements inside the collection..",
	Syntax: "key cursor [MATCH pattern] [COUNT count]", Run: runSScan,
}

// collScanArgs are the options of SSCAN and ZSCAN.
type collScanArgs struct {
	count   int
	pattern []byte // nil: every element
}

// parseCollScan parses the options after the cursor as Redis's
// scanGenericCommand does for a collection: MATCH and COUNT (repeatable,
// the last one wins), no TYPE, COUNT at least 1.
func parseCollScan(args [][]byte) (collScanArgs, error) {
	p := collScanArgs{count: 10}
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return p, ErrSyntax
		}
		opt, val := args[i], args[i+1]
		switch {
		case is(opt, "count"):
			n, err := argInt(val)
			if err != nil {
				return p, err
			}
			if n < 1 {
				return p, ErrSyntax
			}
			p.count = int(min(n, int64(1<<31)))
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

// replyScan writes a SCAN-family reply: the next cursor as a bulk string
// and the elements.
func replyScan(out Reply, cursor uint64, items []string) {
	out.Array(2)
	out.BulkString(strconv.FormatUint(cursor, 10))
	BulkStrings(out, items)
}

// runSScan checks the cursor, then the key, then the options, in Redis's
// order. An intset is returned whole with cursor 0 (Redis scans only hash
// tables incrementally), sorted as Redis keeps it.
func runSScan(ctx *Context) {
	cursor, ok := parseScanCursor(ctx.Args[2])
	if !ok {
		ctx.Error(msgInvalidCursor)
		return
	}
	s, err := ctx.readSet(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		replyScan(ctx.Out, 0, nil)
		return
	}
	p, err := parseCollScan(ctx.Args[3:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	var items []string
	keep := func(m string) {
		if p.pattern == nil || GlobMatch(p.pattern, []byte(m), false) {
			items = append(items, m)
		}
	}
	if s.intset {
		for _, m := range s.ordered() {
			keep(m)
		}
		replyScan(ctx.Out, 0, items)
		return
	}
	next := s.scan(cursor, p.count, keep)
	replyScan(ctx.Out, next, items)
}
