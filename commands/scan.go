package commands

import (
	"bytes"
	"strconv"
)

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
// — https://redis.io/commands/scan/
var scanCommand = &Command{
	Name: "scan", Arity: -2, Flags: FlagReadOnly,
	Categories: "keyspace read slow", Group: "generic", Since: "2.8.0",
	Summary: "Incrementally iterate the keys space",
	Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to " +
		"return back to 0. N is the number of elements inside the collection.",
	Syntax: "cursor [MATCH pattern] [COUNT count] [TYPE type]", Run: runScan,
}

// scanArgs is a parsed SCAN.
type scanArgs struct {
	cursor  uint64
	count   int64
	pattern []byte // nil: every key
	typ     []byte // nil: every type
}

// parseScanCursor parses a cursor as Redis's parseScanCursorOrReply does
// with strtoul: an optional sign (a '-' negates modulo 2^64, so "-1" is the
// largest cursor), decimal digits, nothing after them. The empty string is
// cursor 0; leading white space, other characters and overflow are invalid.
// Redis reads the argument as a C string, so a NUL ends it.
func parseScanCursor(b []byte) (uint64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	digits := b
	switch b[0] {
	case '+':
		digits = b[1:]
	case '-':
		neg, digits = true, b[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseScan parses SCAN's arguments after the command name. Options may
// repeat (the last one wins); an option without its value, an unknown
// option and COUNT < 1 are syntax errors.
func parseScan(args [][]byte) (scanArgs, error) {
	cursor, ok := parseScanCursor(args[0])
	if !ok {
		return scanArgs{}, redisError(msgInvalidCursor)
	}
	sa := scanArgs{cursor: cursor, count: 10}
	for i := 1; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return scanArgs{}, ErrSyntax
		}
		opt, val := args[i], args[i+1]
		switch {
		case is(opt, "count"):
			n, err := argInt(val)
			if err != nil {
				return scanArgs{}, err
			}
			if n < 1 {
				return scanArgs{}, ErrSyntax
			}
			sa.count = n
		case is(opt, "match"):
			// "*" matches everything: the same as no pattern.
			if len(val) == 1 && val[0] == '*' {
				sa.pattern = nil
			} else {
				sa.pattern = val
			}
		case is(opt, "type"):
			sa.typ = val
		default:
			return scanArgs{}, ErrSyntax
		}
	}
	return sa, nil
}

// runScan walks the db from the cursor (see DB for why the walk misses no
// key that stays present), then filters what it visited the way Redis's
// scanGenericCommand does, in the same order: pattern, then type (a lookup
// that counts as a read and may expire the key), then expiry. The reply's
// cursor is a bulk string.
func runScan(ctx *Context) {
	sa, err := parseScan(ctx.Args[1:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	db := ctx.DB()
	count := int(min(sa.count, int64(len(db.entries))+1))
	visited := make([]string, 0, min(count, 1024))
	next := db.scan(sa.cursor, count, func(e *entry) { visited = append(visited, e.key) })

	keys := visited[:0]
	for _, key := range visited {
		if sa.pattern != nil && !GlobMatch(sa.pattern, []byte(key), false) {
			continue
		}
		if sa.typ != nil && !bytes.EqualFold(sa.typ, []byte(typeName(ctx.lookupReadNoTouch([]byte(key))))) {
			continue
		}
		// The type lookup may have expired the key already; Redis then
		// finds nothing left to expire and keeps the name (only "none"
		// can match a key that just expired).
		if e := db.peek(key); e != nil && ctx.expireIfNeeded(db, e) {
			continue
		}
		keys = append(keys, key)
	}
	ctx.Out.Array(2)
	ctx.Out.BulkString(strconv.FormatUint(next, 10))
	BulkStrings(ctx.Out, keys)
}
