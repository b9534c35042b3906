package commands

import (
	"sort"
)

// Pub/sub as commands see it. The hub itself (subscriptions, fan-out,
// per-subscriber queues and their limits) lives in the server
// (server/pubsub.go), which implements PubSub next to Host.

// SubKind is the kind of a subscription.
type SubKind uint8

const (
	SubChannel SubKind = iota // SUBSCRIBE
	SubPattern                // PSUBSCRIBE
	SubShard                  // SSUBSCRIBE
)

// PubSub is the server's pub/sub hub. Every method is called with the
// keyspace lock held.
type PubSub interface {
	// Subscribe adds c to the channel, pattern or shard channel name, and
	// reports false when c was already subscribed to it. It keeps c's
	// subscription counts up to date.
	Subscribe(c *Client, kind SubKind, name []byte) bool
	// Unsubscribe removes c from name, and reports false when c was not
	// subscribed to it.
	Unsubscribe(c *Client, kind SubKind, name []byte) bool
	// Subscriptions lists c's subscriptions of kind, oldest first.
	Subscriptions(c *Client, kind SubKind) []string
	// UnsubscribeAll drops every subscription of c, without confirmations
	// (RESET, and a connection that closes).
	UnsubscribeAll(c *Client)
	// Publish delivers message on channel (on a shard channel when shard is
	// set, where patterns do not apply) and returns the number of
	// deliveries: a client subscribed to the channel and to a matching
	// pattern counts twice, as in Redis. from is the client running the
	// command, or nil: what it receives itself is written to self, in line
	// with its replies; everyone else's copy is queued for their own
	// connection to write, so the publisher never waits on a subscriber.
	Publish(from *Client, self Reply, channel, message []byte, shard bool) int
	// Channels lists the channels (kind SubChannel) or shard channels
	// (SubShard) with at least one subscriber, matching pattern unless it
	// is nil.
	Channels(kind SubKind, pattern []byte) []string
	// NumSub is the number of subscribers of a channel or shard channel.
	NumSub(kind SubKind, channel []byte) int
	// NumPat is the number of distinct patterns subscribed to.
	NumPat() int
}

// Subscribed reports whether the client has any subscription: Redis's
// CLIENT_PUBSUB flag.
func (c *Client) Subscribed() bool {
	return c.Subscriptions+c.PatternSubscriptions+c.ShardSubscriptions > 0
}

// pubsub is the host's hub. Every server implements it; an engine without
// one (unit tests of other commands) has no subscribers.
func (ctx *Context) pubsub() PubSub {
	ps, _ := ctx.Host.(PubSub)
	return ps
}

// allowedWhileSubscribed lists what a RESP2 client may run while it has
// subscriptions (processCommand's pub/sub context check).
func allowedWhileSubscribed(cmd *Command) bool {
	switch cmd.Name {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
		"psubscribe", "punsubscribe", "quit", "reset":
		return true
	}
	return false
}

// subscribedContextRejects reports whether processCommand's pub/sub
// context check refuses cmd: a RESP2 connection with subscriptions may only
// manage them, PING, QUIT and RESET. RESP3 connections may run anything.
func subscribedContextRejects(c *Client, cmd *Command) bool {
	return c.Proto == 2 && c.Subscribed() && !allowedWhileSubscribed(cmd)
}

// RepliesArePushes reports whether the command's replies are pub/sub
// confirmations, which Redis sends even under CLIENT REPLY OFF or SKIP (they
// are pushes, like the messages).
func RepliesArePushes(args [][]byte) bool {
	if len(args) == 0 {
		return false
	}
	switch {
	case is(args[0], "subscribe"), is(args[0], "psubscribe"), is(args[0], "ssubscribe"),
		is(args[0], "unsubscribe"), is(args[0], "punsubscribe"), is(args[0], "sunsubscribe"):
		return true
	}
	return false
}

// unsubscribeAll drops every subscription of the client without
// confirmations, as RESET does.
func (ctx *Context) unsubscribeAll() {
	if ps := ctx.pubsub(); ps != nil && ctx.Client.Subscribed() {
		ps.UnsubscribeAll(ctx.Client)
	}
}

// PUBSUB <subcommand> — https://redis.io/commands/pubsub/
var pubsubCommand = &Command{
	Name: "pubsub", Arity: -2,
	Categories: "slow", Group: "pubsub", Since: "2.8.0",
	Summary: "A container for Pub/Sub commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
	},
	Subcommands: []*Command{
		{
			Name: "channels", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale,
			Categories: "pubsub slow", Group: "pubsub", Since: "2.8.0",
			Summary:    "List active channels",
			Complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
			Syntax:     "[pattern]", Run: func(ctx *Context) { runPubsubChannels(ctx, SubChannel) },
		},
		{
			Name: "numpat", Arity: 2, Flags: FlagPubSub | FlagLoading | FlagStale,
			Categories: "pubsub slow", Group: "pubsub", Since: "2.8.0",
			Summary: "Get the count of unique patterns pattern subscriptions", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.Int(int64(ctx.pubsub().NumPat())) },
		},
		{
			Name: "numsub", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale,
			Categories: "pubsub slow", Group: "pubsub", Since: "2.8.0",
			Summary:    "Get the count of subscribers for channels",
			Complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
			Syntax:     "[channel [channel ...]]", Run: func(ctx *Context) { runPubsubNumsub(ctx, SubChannel) },
		},
		{
			Name: "shardchannels", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale,
			Categories: "pubsub slow", Group: "pubsub", Since: "7.0.0",
			Summary:    "List active shard channels",
			Complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
			Syntax:     "[pattern]", Run: func(ctx *Context) { runPubsubChannels(ctx, SubShard) },
		},
		{
			Name: "shardnumsub", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale,
			Categories: "pubsub slow", Group: "pubsub", Since: "7.0.0",
			Summary:    "Get the count of subscribers for shard channels",
			Complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
			Syntax:     "[shardchannel [shardchannel ...]]", Run: func(ctx *Context) { runPubsubNumsub(ctx, SubShard) },
		},
		helpSubcommand("slow", "6.2.0"),
	},
}

// runPubsubChannels is PUBSUB CHANNELS / SHARDCHANNELS [pattern]. Redis
// lists them in its hash table's order, which is no order; Spool sorts.
func runPubsubChannels(ctx *Context, kind SubKind) {
	if len(ctx.Args) > 3 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], "pubsub"))
		return
	}
	var pattern []byte
	if len(ctx.Args) == 3 {
		pattern = ctx.Args[2]
	}
	channels := ctx.pubsub().Channels(kind, pattern)
	sort.Strings(channels)
	BulkStrings(ctx.Out, channels)
}

// runPubsubNumsub is PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a flat
// array of channel, count pairs (an array in RESP3 too, as in Redis 7.0).
func runPubsubNumsub(ctx *Context, kind SubKind) {
	ps := ctx.pubsub()
	channels := ctx.Args[2:]
	ctx.Out.Array(2 * len(channels))
	for _, ch := range channels {
		ctx.Out.Bulk(ch)
		ctx.Out.Int(int64(ps.NumSub(kind, ch)))
	}
}

// pingSubscribed is PING on a RESP2 connection with subscriptions: Redis
// answers in the shape of a message, ["pong", message or ""], so that a
// client reading pushes can tell it apart.
func pingSubscribed(ctx *Context) {
	ctx.Out.Array(2)
	ctx.Out.BulkString("pong")
	if len(ctx.Args) == 2 {
		ctx.Out.Bulk(ctx.Args[1])
	} else {
		ctx.Out.BulkString("")
	}
}

// pubsubCounts are INFO's pubsub_channels, pubsub_patterns and
// pubsubshard_channels: channels, distinct patterns and shard channels
// with at least one subscriber.
func (ctx *Context) pubsubCounts() (channels, patterns, shards int) {
	ps := ctx.pubsub()
	if ps == nil {
		return 0, 0, 0
	}
	return len(ps.Channels(SubChannel, nil)), ps.NumPat(), len(ps.Channels(SubShard, nil))
}
