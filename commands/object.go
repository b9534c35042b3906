package commands

import (
	"math"
	"strings"

	"github.com/spool-dev/spool/streams"
)

// OBJECT <subcommand> — https://redis.io/commands/object/
var objectCommand = &Command{
	Name: "object", Arity: -2,
	Categories: "slow", Group: "generic", Since: "2.2.3",
	Summary: "A container for object introspection commands", Complexity: "Depends on subcommand.",
	Subcommands: []*Command{
		// OBJECT ENCODING key — https://redis.io/commands/object-encoding/
		{
			Name: "encoding", Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Categories: "keyspace read slow", Group: "generic", Since: "2.2.3",
			Summary: "Inspect the internal encoding of a Redis object", Complexity: "O(1)",
			Syntax: "key", Run: runObjectEncoding,
		},
		// OBJECT FREQ key — https://redis.io/commands/object-freq/
		{
			Name: "freq", Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Categories: "keyspace read slow", Group: "generic", Since: "4.0.0",
			Summary: "Get the logarithmic access frequency counter of a Redis object", Complexity: "O(1)",
			Syntax: "key", Run: runObjectFreq,
		},
		// OBJECT REFCOUNT key — https://redis.io/commands/object-refcount/
		{
			Name: "refcount", Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Categories: "keyspace read slow", Group: "generic", Since: "2.2.3",
			Summary: "Get the number of references to the value of the key", Complexity: "O(1)",
			Syntax: "key", Run: runObjectRefcount,
		},
		// OBJECT IDLETIME key — https://redis.io/commands/object-idletime/
		{
			Name: "idletime", Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Categories: "keyspace read slow", Group: "generic", Since: "2.2.3",
			Summary: "Get the time since a Redis object was last accessed", Complexity: "O(1)",
			Syntax: "key", Run: runObjectIdletime,
		},
		helpSubcommand("keyspace slow", "6.2.0"),
	},
	Help: []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	},
}

// objectLookup finds OBJECT's key without touching it (looking at a key
// must not make it look used); a missing key is a null reply.
func objectLookup(ctx *Context) *entry {
	e := ctx.lookupReadNoTouch(ctx.Args[2])
	if e == nil {
		ctx.Out.Null()
	}
	return e
}

func runObjectEncoding(ctx *Context) {
	e := objectLookup(ctx)
	if e == nil {
		return
	}
	switch v := e.value.(type) {
	case *stringValue:
		ctx.Out.BulkString(v.encoding())
	case *streams.Stream:
		ctx.Out.BulkString("stream")
	case *listValue:
		ctx.Out.BulkString("quicklist")
	case *hashValue:
		ctx.Out.BulkString(v.encoding())
	case *setObject:
		ctx.Out.BulkString(v.encoding())
	case *zsetObject:
		ctx.Out.BulkString(v.encoding())
	default:
		ctx.Out.BulkString("unknown")
	}
}

// runObjectFreq: Spool keeps no LFU counters and its maxmemory-policy is
// never an LFU one, so FREQ always answers Redis's error for that case (after
// the null reply for a missing key, in Redis's order).
func runObjectFreq(ctx *Context) {
	if objectLookup(ctx) == nil {
		return
	}
	ctx.Error(msgLFUNotSelected)
}

// runObjectIdletime reports whole seconds since the key's last access, as
// Redis does from its second-resolution LRU clock.
func runObjectIdletime(ctx *Context) {
	e := objectLookup(ctx)
	if e == nil {
		return
	}
	if strings.Contains(ctx.Settings.MaxMemoryPolicy, "lfu") {
		ctx.Error(msgLRUNotSelected)
		return
	}
	ctx.Out.Int(max(ctx.nowMs()/1000-e.lastUse/1000, 0))
}

// runObjectRefcount mirrors Redis's object sharing: a string holding an
// integer in [0, 10000) is one of Redis's shared integer objects (whose
// refcount is OBJ_SHARED_REFCOUNT, INT_MAX); every other value has one
// reference.
func runObjectRefcount(ctx *Context) {
	e := objectLookup(ctx)
	if e == nil {
		return
	}
	if sv, ok := e.value.(*stringValue); ok && sv.encoding() == "int" {
		if n, _ := parseStrictInt(sv.b); n >= 0 && n < 10000 {
			ctx.Out.Int(math.MaxInt32)
			return
		}
	}
	ctx.Out.Int(1)
}
