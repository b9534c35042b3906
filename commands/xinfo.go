package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XINFO <STREAM key [FULL [COUNT count]] | GROUPS key | CONSUMERS key group | HELP>
// — https://redis.io/commands/xinfo/
//
// XINFO is a container: each form is a subcommand with its own arity. The
// GROUPS and CONSUMERS subcommands, and the groups part of STREAM FULL
// (xinfoFullGroups), belong to the consumer-groups commands.
var xinfoCommand = &Command{
	Name: "xinfo", Arity: -2,
	Categories: "slow", Group: "stream", Since: "5.0.0",
	Summary: "A container for stream introspection commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	},
	Subcommands: []*Command{
		xinfoStreamCommand,
		xinfoGroupsCommand,
		xinfoConsumersCommand,
		helpSubcommand("stream slow", "5.0.0"),
	},
}

// XINFO STREAM key [FULL [COUNT count]] — https://redis.io/commands/xinfo-stream/
var xinfoStreamCommand = &Command{
	Name: "stream", Arity: -3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "read stream slow", Group: "stream", Since: "5.0.0",
	Summary: "Get information about a stream", Complexity: "O(1)",
	Syntax: "key [FULL [COUNT count]]", Run: runXInfoStream,
}

// xinfoStreamArgs is a parsed XINFO STREAM: full is the FULL form, and count
// how many entries (and, per group, PEL entries) it shows, 0 for all.
type xinfoStreamArgs struct {
	full  bool
	count int64
}

// parseXInfoStream follows xinfoReplyWithStreamInfo: exactly "FULL" or
// "FULL COUNT n" after the key; COUNT 0 means all, a negative COUNT the
// default of 10. Anything else is the subcommand syntax error.
func parseXInfoStream(args [][]byte) (xinfoStreamArgs, error) {
	p := xinfoStreamArgs{count: 10}
	switch {
	case len(args) == 3:
		return p, nil
	case len(args) == 4 && is(args[3], "full"):
		p.full = true
		return p, nil
	case len(args) == 6 && is(args[3], "full") && is(args[4], "count"):
		p.full = true
		n, err := argInt(args[5])
		if err != nil {
			return p, err
		}
		if n >= 0 {
			p.count = n
		}
		return p, nil
	}
	return p, redisError(msgSubcommandSyntax(args[1], "xinfo"))
}

// runXInfoStream looks the key up before it parses the options, as Redis's
// xinfoCommand does (a missing key wins over a syntax error).
func runXInfoStream(ctx *Context) {
	s, err := ctx.readStream(ctx.Args[2])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	p, err := parseXInfoStream(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	out := ctx.Out
	info := s.Info()
	// Redis 8.6 adds six idmp fields; Spool shows them for streams that
	// used IDMP or XCFGSET, so other streams answer as Redis 7.0 does.
	idmp, hasIdmp := s.IdmpInfo(ctx.nowMs())
	extra := 0
	if hasIdmp {
		extra = 6
	}
	if p.full {
		out.Map(9 + extra)
	} else {
		out.Map(10 + extra)
	}
	out.BulkString("length")
	out.Int(int64(info.Length))
	out.BulkString("radix-tree-keys")
	out.Int(int64(info.RadixTreeKeys))
	out.BulkString("radix-tree-nodes")
	out.Int(int64(info.RadixTreeNodes))
	out.BulkString("last-generated-id")
	replyStreamID(out, info.LastGeneratedID)
	out.BulkString("max-deleted-entry-id")
	replyStreamID(out, info.MaxDeletedEntryID)
	out.BulkString("entries-added")
	out.Int(int64(info.EntriesAdded))
	out.BulkString("recorded-first-entry-id")
	replyStreamID(out, info.RecordedFirstEntryID)
	if hasIdmp {
		replyIdmpInfo(out, idmp)
	}
	if p.full {
		out.BulkString("entries")
		replyStreamRange(out, s, streams.MinID, streams.MaxID, p.count, false)
		out.BulkString("groups")
		xinfoFullGroups(ctx, s, p.count)
		return
	}
	out.BulkString("groups")
	out.Int(int64(xinfoGroupCount(s)))
	out.BulkString("first-entry")
	replyOptionalEntry(out, s.FirstEntry)
	out.BulkString("last-entry")
	replyOptionalEntry(out, s.LastEntry)
}

// replyOptionalEntry writes the entry get returns, or a null bulk string.
func replyOptionalEntry(out Reply, get func() (streams.Entry, bool)) {
	if e, ok := get(); ok {
		replyStreamEntry(out, e)
		return
	}
	out.Null()
}

// xinfoGroupCount is the "groups" field of XINFO STREAM.
func xinfoGroupCount(s *streams.Stream) int { return s.GroupCount() }

// xinfoFullGroups writes the "groups" field of XINFO STREAM FULL: one map
// per consumer group (name, last-delivered-id, entries-read, lag, pel-count,
// pending, consumers), each list cut at count (0: all). The consumer-groups
// commands render it (xinfo_groups.go).
func xinfoFullGroups(ctx *Context, s *streams.Stream, count int64) {
	replyFullGroups(ctx.Out, s, count)
}

// replyIdmpInfo writes the idmp fields of XINFO STREAM (Redis 8.6).
func replyIdmpInfo(out Reply, info streams.IdmpInfo) {
	out.BulkString("idmp-duration")
	out.Int(info.Duration)
	out.BulkString("idmp-maxsize")
	out.Int(info.MaxSize)
	out.BulkString("pids-tracked")
	out.Int(info.PidsTracked)
	out.BulkString("iids-tracked")
	out.Int(info.IidsTracked)
	out.BulkString("iids-added")
	out.Int(int64(info.IidsAdded))
	out.BulkString("iids-duplicates")
	out.Int(int64(info.IidsDuplicates))
}
