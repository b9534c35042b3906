package commands

// PUBLISH channel message — https://redis.io/commands/publish/
var publishCommand = &Command{
	Name: "publish", Arity: 3, Flags: FlagPubSub | FlagLoading | FlagStale | FlagFast,
	Categories: "pubsub fast", Group: "pubsub", Since: "2.0.0",
	Summary:    "Post a message to a channel",
	Complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
	Syntax:     "channel message", Run: func(ctx *Context) { runPublish(ctx, false) },
}

// SPUBLISH shardchannel message — https://redis.io/commands/spublish/
var spublishCommand = &Command{
	Name: "spublish", Arity: 3, Flags: FlagPubSub | FlagLoading | FlagStale | FlagFast,
	FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "pubsub fast", Group: "pubsub", Since: "7.0.0",
	Summary:    "Post a message to a shard channel",
	Complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
	Syntax:     "shardchannel message", Run: func(ctx *Context) { runPublish(ctx, true) },
}

// runPublish delivers the message and replies with the number of
// deliveries. Nothing is retained and nothing is logged: a message is not
// an effect.
func runPublish(ctx *Context, shard bool) {
	ps := ctx.pubsub()
	if ps == nil {
		ctx.Out.Int(0) // no hub, so no subscriber
		return
	}
	ctx.Out.Int(int64(ps.Publish(ctx.Client, ctx.Out, ctx.Args[1], ctx.Args[2], shard)))
}

// Publish sends message on channel from inside a command, as PUBLISH does
// (Spool's own notices, such as a dead-letter move, use it), and returns
// the number of deliveries. Replay publishes nothing.
func (ctx *Context) Publish(channel, message []byte) int {
	ps := ctx.pubsub()
	if ps == nil || ctx.Replaying {
		return 0
	}
	return ps.Publish(ctx.Client, ctx.Out, channel, message, false)
}
