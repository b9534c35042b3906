package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XINFO GROUPS key — https://redis.io/commands/xinfo-groups/
var xinfoGroupsCommand = &Command{
	Name: "groups", Arity: 3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary: "List the consumer groups of a stream", Complexity: "O(1)",
	Syntax: "key", Run: runXInfoGroups,
}

// XINFO CONSUMERS key group — https://redis.io/commands/xinfo-consumers/
var xinfoConsumersCommand = &Command{
	Name: "consumers", Arity: 4, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary: "List the consumers in a consumer group", Complexity: "O(1)",
	Syntax: "key groupname", Run: runXInfoConsumers,
}

// xinfoStream looks up the key of an XINFO subcommand, replying "no such
// key" or -WRONGTYPE if it cannot.
func xinfoStream(ctx *Context) (*streams.Stream, bool) {
	s, err := ctx.readStream(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return nil, false
	}
	if s == nil {
		ctx.Error(msgNoSuchKey)
		return nil, false
	}
	return s, true
}

// runXInfoGroups lists the groups in name order: name, consumers, pending,
// last-delivered-id, entries-read and lag (the last two null when unknown).
func runXInfoGroups(ctx *Context) {
	s, ok := xinfoStream(ctx)
	if !ok {
		return
	}
	out := ctx.Out
	out.Array(s.GroupCount())
	for g := range s.Groups() {
		out.Map(6)
		out.BulkString("name")
		out.BulkString(g.Name())
		out.BulkString("consumers")
		out.Int(int64(g.ConsumerCount()))
		out.BulkString("pending")
		out.Int(int64(g.PendingCount()))
		out.BulkString("last-delivered-id")
		replyStreamID(out, g.LastID())
		out.BulkString("entries-read")
		replyEntriesRead(out, g)
		out.BulkString("lag")
		replyLag(out, g)
	}
}

// runXInfoConsumers lists the group's consumers in name order with Redis
// 7.2's fields: name, pending, idle (since the last attempted interaction)
// and inactive (since the last successful one, -1 if none).
func runXInfoConsumers(ctx *Context) {
	s, ok := xinfoStream(ctx)
	if !ok {
		return
	}
	g := s.Group(string(ctx.Args[3]))
	if g == nil {
		ctx.Error(msgNoSuchGroup(ctx.Args[3], ctx.Args[2]))
		return
	}
	out := ctx.Out
	now := ctx.nowMs()
	out.Array(g.ConsumerCount())
	for c := range g.Consumers() {
		out.Map(4)
		out.BulkString("name")
		out.BulkString(c.Name())
		out.BulkString("pending")
		out.Int(int64(c.PendingCount()))
		out.BulkString("idle")
		out.Int(c.Idle(now))
		out.BulkString("inactive")
		out.Int(c.Inactive(now))
	}
}

func replyEntriesRead(out Reply, g *streams.Group) {
	if n := g.EntriesRead(); n != streams.UnknownEntriesRead {
		out.Int(n)
		return
	}
	out.Null()
}

func replyLag(out Reply, g *streams.Group) {
	if lag, ok := g.Lag(); ok {
		out.Int(lag)
		return
	}
	out.Null()
}

// replyFullGroups writes the "groups" field of XINFO STREAM FULL: per group
// (in name order) its name, last-delivered-id, entries-read, lag, PEL size
// and first count PEL entries (count 0: all) with owner, delivery time and
// count, and its consumers with seen-time, active-time (Redis 7.2), PEL size
// and first count PEL entries.
func replyFullGroups(out Reply, s *streams.Stream, count int64) {
	out.Array(s.GroupCount())
	for g := range s.Groups() {
		// Redis 8.8 adds nacked-count; Spool shows it for groups that have
		// entries released by XNACK, so others answer as Redis 7.0 does.
		nacked := g.NackedCount()
		if nacked > 0 {
			out.Map(8)
		} else {
			out.Map(7)
		}
		out.BulkString("name")
		out.BulkString(g.Name())
		out.BulkString("last-delivered-id")
		replyStreamID(out, g.LastID())
		out.BulkString("entries-read")
		replyEntriesRead(out, g)
		out.BulkString("lag")
		replyLag(out, g)
		out.BulkString("pel-count")
		out.Int(int64(g.PendingCount()))
		out.BulkString("pending")
		n := pelReplyLen(g.PendingCount(), count)
		out.Array(n)
		for p := range g.PEL(streams.MinID) {
			if n == 0 {
				break
			}
			n--
			out.Array(4)
			replyStreamID(out, p.ID)
			out.BulkString(p.Consumer.Name())
			out.Int(p.DeliveryTime)
			out.Int(p.DeliveryCount)
		}
		out.BulkString("consumers")
		out.Array(g.ConsumerCount())
		for c := range g.Consumers() {
			out.Map(5)
			out.BulkString("name")
			out.BulkString(c.Name())
			out.BulkString("seen-time")
			out.Int(c.SeenTime())
			out.BulkString("active-time")
			out.Int(c.ActiveTime())
			out.BulkString("pel-count")
			out.Int(int64(c.PendingCount()))
			out.BulkString("pending")
			n := pelReplyLen(c.PendingCount(), count)
			out.Array(n)
			for p := range c.PEL(streams.MinID) {
				if n == 0 {
					break
				}
				n--
				out.Array(3)
				replyStreamID(out, p.ID)
				out.Int(p.DeliveryTime)
				out.Int(p.DeliveryCount)
			}
		}
		if nacked > 0 {
			out.BulkString("nacked-count")
			out.Int(int64(nacked))
		}
	}
}

// pelReplyLen is how many of size PEL entries XINFO STREAM FULL shows.
func pelReplyLen(size int, count int64) int {
	if count > 0 && int64(size) > count {
		return int(count)
	}
	return size
}
