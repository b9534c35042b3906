package commands

import (
	"math"
	"strconv"
)

// ZSCAN key cursor [MATCH pattern] [COUNT count] — https://redis.io/commands/zscan/
var zscanCommand = &Command{
	Name: "zscan", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read sortedset slow", Group: "sorted-set", Since: "2.8.0",
	Summary: "Incrementally iterate sorted sets elements and associated scores",
	Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to " +
		"return back to 0. N is the number of elements inside the collection..",
	Syntax: "key cursor [MATCH pattern] [COUNT count]", Run: runZScan,
}

// runZScan answers member, score pairs with scores as bulk strings. A
// listpack is returned whole in score order with cursor 0, its scores as the
// listpack stores them (listpackScoreText); a skip list is walked through its
// dense node slice, its scores printed with %.17g.
func runZScan(ctx *Context) {
	cursor, ok := parseScanCursor(ctx.Args[2])
	if !ok {
		ctx.Error(msgInvalidCursor)
		return
	}
	z, err := ctx.readZset(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if z == nil {
		replyScan(ctx.Out, 0, nil)
		return
	}
	p, err := parseCollScan(ctx.Args[3:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	var items []string
	format := formatFloat
	if z.listpack {
		format = listpackScoreText
	}
	keep := func(n *zslNode) {
		if p.pattern == nil || GlobMatch(p.pattern, []byte(n.member), false) {
			items = append(items, n.member, format(n.score))
		}
	}
	if z.listpack {
		for n := z.zsl.first(); n != nil; n = n.level[0].forward {
			keep(n)
		}
		replyScan(ctx.Out, 0, items)
		return
	}
	next := scanDense(len(z.nodes), cursor, p.count, func(i int) { keep(z.nodes[i]) })
	replyScan(ctx.Out, next, items)
}

// listpackScoreText is a score as a listpack holds it, which ZSCAN returns
// as it is: zzlInsertAt stores a whole number within ±2^62 as an integer
// (double2ll) and anything else as d2string's %.17g text.
func listpackScoreText(f float64) string {
	const limit = 1 << 62
	if f >= -limit && f <= limit && f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return formatFloat(f)
}
