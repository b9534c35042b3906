package commands

// SUNION key [key ...] — https://redis.io/commands/sunion/
var sunionCommand = &Command{
	Name: "sunion", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "1.0.0",
	Summary:    "Add multiple sets",
	Complexity: "O(N) where N is the total number of elements in all given sets.",
	Syntax:     "key [key ...]", Run: runSUnion,
}

// SUNIONSTORE destination key [key ...] — https://redis.io/commands/sunionstore/
var sunionstoreCommand = &Command{
	Name: "sunionstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "write set slow", Group: "set", Since: "1.0.0",
	Summary:    "Add multiple sets and store the resulting set in a key",
	Complexity: "O(N) where N is the total number of elements in all given sets.",
	Syntax:     "destination key [key ...]", Run: runSUnionStore,
}

// SDIFF key [key ...] — https://redis.io/commands/sdiff/
var sdiffCommand = &Command{
	Name: "sdiff", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "read set slow", Group: "set", Since: "1.0.0",
	Summary:    "Subtract multiple sets",
	Complexity: "O(N) where N is the total number of elements in all given sets.",
	Syntax:     "key [key ...]", Run: runSDiff,
}

// SDIFFSTORE destination key [key ...] — https://redis.io/commands/sdiffstore/
var sdiffstoreCommand = &Command{
	Name: "sdiffstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "write set slow", Group: "set", Since: "1.0.0",
	Summary:    "Subtract multiple sets and store the resulting set in a key",
	Complexity: "O(N) where N is the total number of elements in all given sets.",
	Syntax:     "destination key [key ...]", Run: runSDiffStore,
}

// union builds the union of sets the way sunionDiffGenericCommand does,
// into a set that starts as an intset (so an all-integer result iterates
// in numeric order, as Redis's does). Missing keys are empty sets.
func union(sets []*setObject, lim EncodingLimits) *setObject {
	result := newSet()
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, m := range s.ordered() {
			result.add(m, lim)
		}
	}
	return result
}

// difference is the members of the first set found in none of the others.
func difference(sets []*setObject, lim EncodingLimits) *setObject {
	result := newSet()
	first := sets[0]
	if first == nil {
		return result
	}
outer:
	for _, m := range first.ordered() {
		for _, s := range sets[1:] {
			if s == first || (s != nil && s.has(m)) {
				continue outer
			}
		}
		result.add(m, lim)
	}
	return result
}

func runSUnion(ctx *Context) { setOperation(ctx, ctx.Args[1:], union) }

func runSDiff(ctx *Context) { setOperation(ctx, ctx.Args[1:], difference) }

func runSUnionStore(ctx *Context) { setOperationStore(ctx, union, "sunionstore") }

func runSDiffStore(ctx *Context) { setOperationStore(ctx, difference, "sdiffstore") }

// setOperation answers the result of op over the sets at keys.
func setOperation(ctx *Context, keys [][]byte, op func([]*setObject, EncodingLimits) *setObject) {
	sets, err := ctx.readSets(keys)
	if err != nil {
		ctx.Fail(err)
		return
	}
	replySetMembers(ctx.Out, op(sets, ctx.Settings.Encoding).ordered())
}

// setOperationStore stores the result of op in the destination.
func setOperationStore(ctx *Context, op func([]*setObject, EncodingLimits) *setObject, event string) {
	sets, err := ctx.readSets(ctx.Args[2:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	ctx.storeSet(ctx.Args[1], op(sets, ctx.Settings.Encoding), event)
}
