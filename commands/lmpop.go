package commands

import (
	"math"
	"strconv"
)

// LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
// — https://redis.io/commands/lmpop/
var lmpopCommand = &Command{
	Name: "lmpop", Arity: -4, Flags: FlagWrite,
	Categories: "write list slow", Group: "list", Since: "7.0.0",
	Summary:    "Pop elements from a list",
	Complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
	Syntax:     "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]", Run: runLmpop,
}

// lmpopArgs is a parsed LMPOP or BLMPOP (from numkeys on).
type lmpopArgs struct {
	keys  [][]byte
	left  bool
	count int64
}

// parseLmpop follows lmpopGenericCommand: numkeys (1 or more, or "numkeys
// should be greater than 0"), that many keys, LEFT or RIGHT, then at most
// one COUNT (1 or more).
func parseLmpop(args [][]byte) (lmpopArgs, error) {
	var p lmpopArgs
	numKeys, err := argRangeInt(args[0], 1, math.MaxInt64, msgNumKeysPositive)
	if err != nil {
		return p, err
	}
	if numKeys >= int64(len(args)-1) {
		return p, ErrSyntax
	}
	p.keys = args[1 : 1+numKeys]
	rest := args[1+numKeys:]
	if p.left, err = parseListSide(rest[0]); err != nil {
		return p, err
	}
	p.count = -1
	for i := 1; i < len(rest); i++ {
		if p.count == -1 && is(rest[i], "count") && i+1 < len(rest) {
			i++
			if p.count, err = argRangeInt(rest[i], 1, math.MaxInt64, msgCountPositive); err != nil {
				return p, err
			}
			continue
		}
		return p, ErrSyntax
	}
	if p.count == -1 {
		p.count = 1
	}
	return p, nil
}

func runLmpop(ctx *Context) {
	p, err := parseLmpop(ctx.Args[1:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	key, l, err := ctx.firstList(p.keys, false)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if l == nil {
		ctx.Out.NullArray()
		return
	}
	ctx.popRangeWithKey(ctx.Client.DB, key, l, p.left, p.count)
}

// firstList returns the first of keys, in the client's db, that holds a
// list (Spool, like Redis, never keeps an empty one). A key of another type
// is ErrWrongType, or is passed over when skipWrongType (a blocked client
// being served ignores such keys, as Redis does).
func (ctx *Context) firstList(keys [][]byte, skipWrongType bool) ([]byte, *listValue, error) {
	for _, key := range keys {
		l, err := ctx.writeList(key)
		if err != nil {
			if skipWrongType {
				continue
			}
			return nil, nil, err
		}
		if l != nil {
			return key, l, nil
		}
	}
	return nil, nil, nil
}

// popRangeWithKey pops up to count elements from the list at key and
// replies [key, [elements...]], as listPopRangeAndReplyWithKey does; the
// effect is LPOP or RPOP with the number popped, as Redis propagates it.
func (ctx *Context) popRangeWithKey(db int, key []byte, l *listValue, left bool, count int64) {
	n := int(min(count, int64(l.Len())))
	ctx.Out.Array(2)
	ctx.Out.Bulk(key)
	ctx.Out.Array(n)
	for i := 0; i < n; i++ {
		ctx.Out.Bulk(l.Pop(left))
	}
	ctx.listRemoved(ctx.Keys.DBs[db], key, l, popEvent(left))
	ctx.PropagateIn(db, []byte(popCommandName(left)), key, strconv.AppendInt(nil, int64(n), 10))
	ctx.stats.dirty += int64(n) - 1
}

// popOneWithKey pops one element and replies [key, element], as BLPOP and
// BRPOP do; the effect is LPOP or RPOP of the key.
func (ctx *Context) popOneWithKey(db int, key []byte, l *listValue, left bool) {
	ctx.Out.Array(2)
	ctx.Out.Bulk(key)
	ctx.Out.Bulk(l.Pop(left))
	ctx.listRemoved(ctx.Keys.DBs[db], key, l, popEvent(left))
	ctx.PropagateIn(db, []byte(popCommandName(left)), key)
}

// popEvent and pushEvent are the keyspace events of a pop or push at
// either end.
func popEvent(left bool) string {
	if left {
		return "lpop"
	}
	return "rpop"
}

func pushEvent(left bool) string {
	if left {
		return "lpush"
	}
	return "rpush"
}

func popCommandName(left bool) string {
	if left {
		return "LPOP"
	}
	return "RPOP"
}
