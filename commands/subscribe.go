package commands

// The subscription commands. Each channel or pattern named gets its own
// confirmation, a push frame in RESP3 and an array in RESP2, carrying the
// client's running subscription count: channels plus patterns for the
// global kinds, shard channels alone for the shard kind (pubsub.c's
// addReplyPubsubSubscribed and friends). Confirmations go out even under
// CLIENT REPLY OFF, as Redis's pushes do (the server does not mute them).

// SUBSCRIBE channel [channel ...] — https://redis.io/commands/subscribe/
var subscribeCommand = &Command{
	Name: "subscribe", Arity: -2, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	Categories: "pubsub slow", Group: "pubsub", Since: "2.0.0",
	Summary: "Listen for messages published to the given channels", Complexity: "O(N) where N is the number of channels to subscribe to.",
	Syntax: "channel [channel ...]", Run: func(ctx *Context) { runSubscribe(ctx, SubChannel) },
}

// UNSUBSCRIBE [channel [channel ...]] — https://redis.io/commands/unsubscribe/
var unsubscribeCommand = &Command{
	Name: "unsubscribe", Arity: -1, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	Categories: "pubsub slow", Group: "pubsub", Since: "2.0.0",
	Summary: "Stop listening for messages posted to the given channels", Complexity: "O(N) where N is the number of clients already subscribed to a channel.",
	Syntax: "[channel [channel ...]]", Run: func(ctx *Context) { runUnsubscribe(ctx, SubChannel) },
}

// PSUBSCRIBE pattern [pattern ...] — https://redis.io/commands/psubscribe/
var psubscribeCommand = &Command{
	Name: "psubscribe", Arity: -2, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	Categories: "pubsub slow", Group: "pubsub", Since: "2.0.0",
	Summary: "Listen for messages published to channels matching the given patterns", Complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
	Syntax: "pattern [pattern ...]", Run: func(ctx *Context) { runSubscribe(ctx, SubPattern) },
}

// PUNSUBSCRIBE [pattern [pattern ...]] — https://redis.io/commands/punsubscribe/
var punsubscribeCommand = &Command{
	Name: "punsubscribe", Arity: -1, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	Categories: "pubsub slow", Group: "pubsub", Since: "2.0.0",
	Summary:    "Stop listening for messages posted to channels matching the given patterns",
	Complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
	Syntax:     "[pattern [pattern ...]]", Run: func(ctx *Context) { runUnsubscribe(ctx, SubPattern) },
}

// SSUBSCRIBE shardchannel [shardchannel ...] — https://redis.io/commands/ssubscribe/
var ssubscribeCommand = &Command{
	Name: "ssubscribe", Arity: -2, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "pubsub slow", Group: "pubsub", Since: "7.0.0",
	Summary: "Listen for messages published to the given shard channels", Complexity: "O(N) where N is the number of shard channels to subscribe to.",
	Syntax: "shardchannel [shardchannel ...]", Run: func(ctx *Context) { runSubscribe(ctx, SubShard) },
}

// SUNSUBSCRIBE [shardchannel [shardchannel ...]] — https://redis.io/commands/sunsubscribe/
var sunsubscribeCommand = &Command{
	Name: "sunsubscribe", Arity: -1, Flags: FlagPubSub | FlagNoScript | FlagLoading | FlagStale,
	FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "pubsub slow", Group: "pubsub", Since: "7.0.0",
	Summary: "Stop listening for messages posted to the given shard channels", Complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
	Syntax: "[shardchannel [shardchannel ...]]", Run: func(ctx *Context) { runUnsubscribe(ctx, SubShard) },
}

// subscribeWords are the confirmation names of each kind.
var subscribeWords = [...]struct{ subscribe, unsubscribe string }{
	SubChannel: {"subscribe", "unsubscribe"},
	SubPattern: {"psubscribe", "punsubscribe"},
	SubShard:   {"ssubscribe", "sunsubscribe"},
}

// subscriptionCount is the count a confirmation carries.
func subscriptionCount(c *Client, kind SubKind) int64 {
	if kind == SubShard {
		return int64(c.ShardSubscriptions)
	}
	return int64(c.Subscriptions + c.PatternSubscriptions)
}

func runSubscribe(ctx *Context, kind SubKind) {
	// Redis 7.0 refuses SSUBSCRIBE inside EXEC, where the client may not
	// block (SUBSCRIBE and PSUBSCRIBE are let through for backward
	// compatibility).
	if m := ctx.Client.Multi; kind == SubShard && m != nil && m.executing {
		ctx.Error(msgSsubscribeDenyBlocking)
		return
	}
	ps := ctx.pubsub()
	for _, name := range ctx.Args[1:] {
		ps.Subscribe(ctx.Client, kind, name)
		confirm(ctx, subscribeWords[kind].subscribe, name, kind)
	}
}

func runUnsubscribe(ctx *Context, kind SubKind) {
	ps := ctx.pubsub()
	if len(ctx.Args) > 1 {
		for _, name := range ctx.Args[1:] {
			ps.Unsubscribe(ctx.Client, kind, name)
			confirm(ctx, subscribeWords[kind].unsubscribe, name, kind)
		}
		return
	}
	names := ps.Subscriptions(ctx.Client, kind)
	if len(names) == 0 {
		// Subscribed to nothing: Redis still confirms, with a null name.
		confirm(ctx, subscribeWords[kind].unsubscribe, nil, kind)
		return
	}
	for _, name := range names {
		ps.Unsubscribe(ctx.Client, kind, []byte(name))
		confirm(ctx, subscribeWords[kind].unsubscribe, []byte(name), kind)
	}
}

// confirm writes one (un)subscription confirmation; a nil name is null.
func confirm(ctx *Context, word string, name []byte, kind SubKind) {
	out := ctx.Out
	out.Push(3)
	out.BulkString(word)
	if name == nil {
		out.Null()
	} else {
		out.Bulk(name)
	}
	out.Int(subscriptionCount(ctx.Client, kind))
}
