package commands

import (
	"bytes"
	"math"
)

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
// — https://redis.io/commands/lpos/
var lposCommand = &Command{
	Name: "lpos", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "read list slow", Group: "list", Since: "6.0.6",
	Summary:    "Return the index of matching elements on a list",
	Complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
	Syntax:     "key element [RANK rank] [COUNT num-matches] [MAXLEN len]", Run: runLpos,
}

// lposArgs is a parsed LPOS.
type lposArgs struct {
	rank     int64 // never 0; negative searches from the tail
	count    int64 // -1: no COUNT option (reply with one index)
	maxLen   int64 // 0: compare every element
	hasCount bool
}

// parseLpos parses the options after the element, as lposCommand does:
// each may repeat (the last wins); an option without its value is a syntax
// error.
func parseLpos(opts [][]byte) (lposArgs, error) {
	p := lposArgs{rank: 1, count: -1}
	for i := 0; i < len(opts); i++ {
		more := i+1 < len(opts)
		switch opt := opts[i]; {
		case is(opt, "rank") && more:
			i++
			n, err := argInt(opts[i])
			if err != nil {
				return p, err
			}
			if n == 0 {
				return p, redisError(msgLposRankZero)
			}
			p.rank = n
		case is(opt, "count") && more:
			i++
			n, err := argRangeInt(opts[i], 0, math.MaxInt64, msgLposCountNegative)
			if err != nil {
				return p, err
			}
			p.count, p.hasCount = n, true
		case is(opt, "maxlen") && more:
			i++
			n, err := argRangeInt(opts[i], 0, math.MaxInt64, msgLposMaxLenNegative)
			if err != nil {
				return p, err
			}
			p.maxLen = n
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// runLpos replies with the index of the rank-th match (null when there is
// none), or with COUNT an array of up to count indexes (0: all) from the
// rank-th match on, comparing at most MAXLEN elements.
func runLpos(ctx *Context) {
	p, err := parseLpos(ctx.Args[3:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	l, err := ctx.readList(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		if p.hasCount {
			ctx.Out.Array(0)
		} else {
			ctx.Out.Null()
		}
		return
	}
	found := lposSearch(l, ctx.Args[2], p)
	if p.hasCount {
		ctx.Out.Array(len(found))
		for _, i := range found {
			ctx.Out.Int(int64(i))
		}
		return
	}
	if len(found) == 0 {
		ctx.Out.Null()
		return
	}
	ctx.Out.Int(int64(found[0]))
}

// lposSearch is lposCommand's loop. A negative rank searches from the tail;
// like Redis it negates the rank with wrap-around, so RANK
// -9223372036854775808 stays negative and matches from the first hit.
func lposSearch(l *listValue, element []byte, p lposArgs) []int {
	rank, fromTail := p.rank, false
	if rank < 0 {
		rank, fromTail = -rank, true
	}
	var found []int
	var matches int64
	n := l.Len()
	for scanned := 0; scanned < n && (p.maxLen == 0 || int64(scanned) < p.maxLen); scanned++ {
		i := scanned
		if fromTail {
			i = n - 1 - scanned
		}
		if !bytes.Equal(l.At(i), element) {
			continue
		}
		matches++
		if matches < rank {
			continue
		}
		found = append(found, i)
		if !p.hasCount || (p.count != 0 && matches-rank+1 >= p.count) {
			break
		}
	}
	return found
}
