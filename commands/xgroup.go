package commands

import (
	"strconv"

	"github.com/spool-dev/spool/streams"
)

// XGROUP <CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP>
// — https://redis.io/commands/xgroup/
//
// XGROUP is a container; its subcommands share one handler prelude
// (xgroupPrepare) because Redis's xgroupCommand checks the options, the
// key and the group in one order for all of them, before it looks at which
// subcommand it runs.
var xgroupCommand = &Command{
	Name: "xgroup", Arity: -2,
	Categories: "slow", Group: "stream", Since: "5.0.0",
	Summary: "A container for consumer groups commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	},
	Subcommands: []*Command{
		xgroupCreateCommand,
		xgroupSetIDCommand,
		xgroupDestroyCommand,
		xgroupCreateConsumerCommand,
		xgroupDelConsumerCommand,
		helpSubcommand("stream slow", "5.0.0"),
	},
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
// — https://redis.io/commands/xgroup-create/
var xgroupCreateCommand = &Command{
	Name: "create", Arity: -5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "5.0.0",
	Summary: "Create a consumer group.", Complexity: "O(1)",
	Syntax: "key groupname id|$ [MKSTREAM] [ENTRIESREAD entries_read]",
	Run:    runXGroupCreate,
}

// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
// — https://redis.io/commands/xgroup-setid/
var xgroupSetIDCommand = &Command{
	Name: "setid", Arity: -5, Flags: FlagWrite, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "5.0.0",
	Summary: "Set a consumer group to an arbitrary last delivered ID value.", Complexity: "O(1)",
	Syntax: "key groupname id|$ [ENTRIESREAD entries_read]",
	Run:    runXGroupSetID,
}

// XGROUP DESTROY key group — https://redis.io/commands/xgroup-destroy/
var xgroupDestroyCommand = &Command{
	Name: "destroy", Arity: 4, Flags: FlagWrite, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "5.0.0",
	Summary:    "Destroy a consumer group.",
	Complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
	Syntax:     "key groupname",
	Run:        runXGroupDestroy,
}

// XGROUP CREATECONSUMER key group consumer
// — https://redis.io/commands/xgroup-createconsumer/
var xgroupCreateConsumerCommand = &Command{
	Name: "createconsumer", Arity: 5, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "6.2.0",
	Summary: "Create a consumer in a consumer group.", Complexity: "O(1)",
	Syntax: "key groupname consumername",
	Run:    runXGroupCreateConsumer,
}

// XGROUP DELCONSUMER key group consumer
// — https://redis.io/commands/xgroup-delconsumer/
var xgroupDelConsumerCommand = &Command{
	Name: "delconsumer", Arity: 5, Flags: FlagWrite, FirstKey: 2, LastKey: 2, Step: 1,
	Categories: "write stream slow", Group: "stream", Since: "5.0.0",
	Summary: "Delete a consumer from a consumer group.", Complexity: "O(1)",
	Syntax: "key groupname consumername",
	Run:    runXGroupDelConsumer,
}

// xgroupArgs are the options of XGROUP CREATE and SETID: MKSTREAM and
// ENTRIESREAD (streams.UnknownEntriesRead when not given).
type xgroupArgs struct {
	mkstream    bool
	entriesRead int64
}

// parseXGroupOptions follows the option loop of xgroupCommand, which runs
// for every subcommand from the sixth argument on: MKSTREAM for CREATE,
// ENTRIESREAD for CREATE and SETID (the last one wins), anything else is
// the subcommand syntax error. ENTRIESREAD must be >= 0 or -1.
func parseXGroupOptions(args [][]byte) (xgroupArgs, error) {
	p := xgroupArgs{entriesRead: streams.UnknownEntriesRead}
	create, setid := is(args[1], "create"), is(args[1], "setid")
	for i := 5; i < len(args); {
		switch {
		case create && is(args[i], "mkstream"):
			p.mkstream = true
			i++
		case (create || setid) && is(args[i], "entriesread") && i+1 < len(args):
			n, err := argInt(args[i+1])
			if err != nil {
				return p, err
			}
			if n < 0 && n != streams.UnknownEntriesRead {
				return p, redisError(msgEntriesReadRange)
			}
			p.entriesRead = n
			i += 2
		default:
			return p, redisError(msgSubcommandSyntax(args[1], "xgroup"))
		}
	}
	return p, nil
}

// xgroupTarget is what xgroupPrepare found: the parsed options, the stream
// (nil only for CREATE ... MKSTREAM on a missing key) and the group (nil if
// it does not exist).
type xgroupTarget struct {
	xgroupArgs
	stream *streams.Stream
	group  *streams.Group
	log    groupLog
}

// xgroupPrepare runs the part of xgroupCommand common to every subcommand
// but HELP, in Redis's order: options, the key's type, the key's existence
// (unless MKSTREAM), and the group's for SETID, CREATECONSUMER and
// DELCONSUMER. It replies with the error and returns false on failure.
func xgroupPrepare(ctx *Context, needGroup bool) (xgroupTarget, bool) {
	var t xgroupTarget
	var err error
	if t.xgroupArgs, err = parseXGroupOptions(ctx.Args); err != nil {
		ctx.Fail(err)
		return t, false
	}
	key, group := ctx.Args[2], ctx.Args[3]
	if _, t.stream, err = ctx.writeStream(key); err != nil {
		ctx.Fail(err)
		return t, false
	}
	t.log = groupLog{ctx: ctx, db: ctx.Client.DB, key: key, group: group}
	if t.stream != nil {
		t.group = t.stream.Group(string(group))
	}
	if t.mkstream {
		return t, true
	}
	if t.stream == nil {
		ctx.Error(msgXGroupKeyMissing)
		return t, false
	}
	if needGroup && t.group == nil {
		ctx.Error(msgNoSuchGroup(group, key))
		return t, false
	}
	return t, true
}

// resolveGroupID is the ID argument of CREATE and SETID: "$" is the
// stream's last generated ID (0-0 for the stream MKSTREAM is about to
// create), anything else an ID parsed by parse.
func resolveGroupID(s *streams.Stream, arg []byte, parse func([]byte) (streams.ID, error)) (streams.ID, error) {
	if len(arg) == 1 && arg[0] == '$' {
		if s == nil {
			return streams.MinID, nil
		}
		return s.LastID(), nil
	}
	return parse(arg)
}

// runXGroupCreate creates the group, and with MKSTREAM the stream. Its
// effect names the resolved ID and entries-read.
func runXGroupCreate(ctx *Context) {
	t, ok := xgroupPrepare(ctx, false)
	if !ok {
		return
	}
	if len(ctx.Args) > 8 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], "xgroup"))
		return
	}
	id, err := resolveGroupID(t.stream, ctx.Args[4], func(b []byte) (streams.ID, error) { return streams.ParseID(b, 0) })
	if err != nil {
		ctx.Fail(err)
		return
	}
	key := ctx.Args[2]
	created := false
	s := t.stream
	if s == nil {
		s, created = streams.New(), true
	}
	g, err := s.CreateGroup(string(ctx.Args[3]), id, t.entriesRead)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if created {
		ctx.setValue(key, s, false) // signals the key
	} else {
		ctx.Signal(ctx.Client.DB, string(key))
	}
	var idBuf [41]byte
	var readBuf [20]byte
	effect := [][]byte{wordXGroup, []byte("CREATE"), key, ctx.Args[3], id.AppendTo(idBuf[:0])}
	if created {
		effect = append(effect, []byte("MKSTREAM"))
	}
	effect = append(effect, wordEntriesRead, strconv.AppendInt(readBuf[:0], g.EntriesRead(), 10))
	ctx.Propagate(effect...)
	OK(ctx.Out)
	ctx.Notify(NotifyStream, "xgroup-create", ctx.Client.DB, key)
}

// runXGroupSetID moves the group's last-delivered-id. The ID is parsed the
// non-strict way ("-" and "+" are accepted), and nothing is checked against
// the stream, as in Redis.
func runXGroupSetID(ctx *Context) {
	t, ok := xgroupPrepare(ctx, true)
	if !ok {
		return
	}
	if n := len(ctx.Args); n != 5 && n != 7 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], "xgroup"))
		return
	}
	id, err := resolveGroupID(t.stream, ctx.Args[4], func(b []byte) (streams.ID, error) { return streams.ParseRangeID(b, true) })
	if err != nil {
		ctx.Fail(err)
		return
	}
	t.group.SetID(id, t.entriesRead)
	ctx.Signal(ctx.Client.DB, string(ctx.Args[2]))
	t.log.setID(t.group)
	OK(ctx.Out)
	ctx.Notify(NotifyStream, "xgroup-setid", ctx.Client.DB, ctx.Args[2])
}

// runXGroupDestroy removes the group and wakes the clients blocked on it
// with XREADGROUP, which then fail with -NOGROUP.
func runXGroupDestroy(ctx *Context) {
	t, ok := xgroupPrepare(ctx, false)
	if !ok {
		return
	}
	if t.group == nil {
		ctx.Out.Int(0)
		return
	}
	t.stream.DestroyGroup(t.group.Name())
	ctx.Changed()
	ctx.Signal(ctx.Client.DB, string(ctx.Args[2]))
	ctx.Out.Int(1)
	ctx.Notify(NotifyStream, "xgroup-destroy", ctx.Client.DB, ctx.Args[2])
}

// runXGroupCreateConsumer replies 1 if it created the consumer, 0 if it
// existed.
func runXGroupCreateConsumer(ctx *Context) {
	t, ok := xgroupPrepare(ctx, true)
	if !ok {
		return
	}
	name := ctx.Args[4]
	c, created := t.group.CreateConsumer(string(name), ctx.nowMs())
	if !created {
		ctx.Out.Int(0)
		return
	}
	ctx.Signal(ctx.Client.DB, string(ctx.Args[2]))
	t.log.createConsumer(name)
	t.log.times(name, c)
	ctx.Notify(NotifyStream, "xgroup-createconsumer", ctx.Client.DB, ctx.Args[2])
	ctx.Out.Int(1)
}

// runXGroupDelConsumer deletes the consumer with its pending entries and
// replies how many it had (0 for a consumer that does not exist).
func runXGroupDelConsumer(ctx *Context) {
	t, ok := xgroupPrepare(ctx, true)
	if !ok {
		return
	}
	pending, deleted := t.group.DeleteConsumer(string(ctx.Args[4]))
	if deleted {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[2]))
		ctx.Notify(NotifyStream, "xgroup-delconsumer", ctx.Client.DB, ctx.Args[2])
	}
	ctx.Out.Int(int64(pending))
}
