package commands

import "github.com/spool-dev/spool/streams"

// TYPE key — https://redis.io/commands/type/
var typeCommand = &Command{
	Name: "type", Arity: 2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "keyspace read fast", Group: "generic", Since: "1.0.0",
	Summary: "Determine the type stored at key", Complexity: "O(1)",
	Syntax: "key", Run: runType,
}

func runType(ctx *Context) {
	ctx.Out.SimpleString(typeName(ctx.lookupReadNoTouch(ctx.Args[1])))
}

// typeName is Redis's getObjectTypeName: the type TYPE reports and SCAN's
// TYPE option matches, "none" for a missing key.
func typeName(e *entry) string {
	if e == nil {
		return "none"
	}
	switch e.value.(type) {
	case *stringValue:
		return "string"
	case *streams.Stream:
		return "stream"
	case *listValue:
		return "list"
	case *hashValue:
		return "hash"
	case *setObject:
		return "set"
	case *zsetObject:
		return "zset"
	}
	return "unknown"
}

// lookupReadNoTouch is Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH), used
// by the introspection commands (TYPE, EXISTS, TTL, OBJECT, SCAN's TYPE
// filter): it expires the key lazily and counts a keyspace hit or miss, but
// leaves the key's access time alone so that looking at a key does not make
// it look used.
func (ctx *Context) lookupReadNoTouch(key []byte) *entry {
	e := ctx.lookup(ctx.DB(), string(key))
	if e == nil {
		ctx.stats.keyspaceMisses++
	} else {
		ctx.stats.keyspaceHits++
	}
	return e
}
