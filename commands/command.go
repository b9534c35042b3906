package commands

import (
	"slices"
	"strings"
)

// COMMAND [COUNT | INFO [name ...] | DOCS [name ...] | LIST [FILTERBY ...] |
// GETKEYS cmd [arg ...] | GETKEYSANDFLAGS cmd [arg ...] | HELP]
// — https://redis.io/commands/command/
var commandCommand = &Command{
	Name: "command", Arity: -1, Flags: FlagLoading | FlagStale,
	Categories: "slow connection", Group: "server", Since: "2.8.13",
	Summary: "Get array of Redis command details", Complexity: "O(N) where N is the total number of Redis commands",
	Run: runCommand,
	Help: []string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	},
	Subcommands: []*Command{
		{
			Name: "count", Arity: 2, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "2.8.13",
			Summary: "Get total number of Redis commands", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.Int(int64(ctx.Table().Len())) },
		},
		{
			Name: "info", Arity: -2, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "2.8.13",
			Summary:    "Get array of specific Redis command details, or all when no argument is given.",
			Complexity: "O(N) where N is the number of commands to look up",
			Syntax:     "[command-name [command-name ...]]", Run: runCommandInfo,
		},
		{
			Name: "docs", Arity: -2, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "7.0.0",
			Summary: "Get array of specific Redis command documentation", Complexity: "O(N) where N is the number of commands to look up",
			Syntax: "[command-name [command-name ...]]", Run: runCommandDocs,
		},
		{
			Name: "list", Arity: -2, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "7.0.0",
			Summary: "Get an array of Redis command names", Complexity: "O(N) where N is the total number of Redis commands",
			Syntax: "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]", Run: runCommandList,
		},
		{
			Name: "getkeys", Arity: -4, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "2.8.13",
			Summary: "Extract keys given a full Redis command", Complexity: "O(N) where N is the number of arguments to the command",
			Syntax: "command [arg [arg ...]]", Run: func(ctx *Context) { runCommandGetKeys(ctx, false) },
		},
		{
			Name: "getkeysandflags", Arity: -4, Flags: FlagLoading | FlagStale,
			Categories: "slow connection", Group: "server", Since: "7.0.0",
			Summary: "Extract keys and access flags given a full Redis command", Complexity: "O(N) where N is the number of arguments to the command",
			Syntax: "command [arg [arg ...]]", Run: func(ctx *Context) { runCommandGetKeys(ctx, true) },
		},
		helpSubcommand("slow connection", "5.0.0"),
	},
}

// helpSubcommand is the HELP subcommand of a container: it prints the
// container's Help lines the way Redis's addReplyHelp does.
func helpSubcommand(categories, since string) *Command {
	return &Command{
		Name: "help", Arity: 2, Flags: FlagLoading | FlagStale,
		Categories: categories, Since: since,
		Summary: "Show helpful text about the different subcommands", Complexity: "O(1)",
		Run: func(ctx *Context) { replyHelp(ctx, ctx.Cmd.parent.Help) },
	}
}

// replyHelp writes a help text: a header naming the command as typed, the
// lines, and the HELP entry every container has.
func replyHelp(ctx *Context, lines []string) {
	out := ctx.Out
	out.Array(len(lines) + 3)
	out.SimpleString(strings.ToUpper(string(ctx.Args[0])) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		out.SimpleString(l)
	}
	out.SimpleString("HELP")
	out.SimpleString("    Prints this help.")
}

// COMMAND with no subcommand: every command's details.
func runCommand(ctx *Context) {
	all := ctx.Table().All()
	ctx.Out.Array(len(all))
	for _, c := range all {
		replyCommandInfo(ctx.Out, c)
	}
}

// lookupFullName finds a command by its full name ("get", "client|list"),
// case-insensitively, as lookupCommandBySds does.
func (t *Table) lookupFullName(name string) *Command {
	parts := strings.Split(name, "|")
	if len(parts) > 2 {
		return nil
	}
	c := t.Lookup([]byte(parts[0]))
	if c == nil || len(parts) == 1 {
		return c
	}
	return c.subcommand([]byte(parts[1]))
}

// lookupCommandLine finds the command a command line runs, as
// lookupCommandLogic does: the container alone names the container.
func (t *Table) lookupCommandLine(args [][]byte) *Command {
	c := t.Lookup(args[0])
	if c == nil || len(args) == 1 || len(c.Subcommands) == 0 {
		return c
	}
	return c.subcommand(args[1])
}

func runCommandInfo(ctx *Context) {
	if len(ctx.Args) == 2 {
		runCommand(ctx)
		return
	}
	ctx.Out.Array(len(ctx.Args) - 2)
	for _, name := range ctx.Args[2:] {
		replyCommandInfo(ctx.Out, ctx.Table().lookupFullName(string(name)))
	}
}

func runCommandDocs(ctx *Context) {
	var cmds []*Command
	if len(ctx.Args) == 2 {
		cmds = ctx.Table().All()
	} else {
		for _, name := range ctx.Args[2:] {
			if c := ctx.Table().lookupFullName(string(name)); c != nil {
				cmds = append(cmds, c)
			}
		}
	}
	ctx.Out.Map(len(cmds))
	for _, c := range cmds {
		ctx.Out.BulkString(c.Name)
		replyCommandDocs(ctx.Out, c)
	}
}

// commandListFilter is COMMAND LIST's FILTERBY clause.
type commandListFilter struct {
	kind string // "", "module", "aclcat" or "pattern"
	arg  string
}

func parseCommandList(args [][]byte) (commandListFilter, error) {
	var f commandListFilter
	for i := 2; i < len(args); i++ {
		if !is(args[i], "filterby") || len(args)-1-i != 2 {
			return f, ErrSyntax
		}
		kind := strings.ToLower(string(args[i+1]))
		if kind != "module" && kind != "aclcat" && kind != "pattern" {
			return f, ErrSyntax
		}
		f = commandListFilter{kind: kind, arg: string(args[i+2])}
		i += 2
	}
	return f, nil
}

func (f commandListFilter) match(c *Command) bool {
	switch f.kind {
	case "module":
		return false // Spool loads no modules
	case "aclcat":
		cat := aclCategoryBit(f.arg)
		return cat != 0 && c.aclCategories()&cat != 0
	case "pattern":
		return GlobMatch([]byte(f.arg), []byte(c.Name), true)
	}
	return true
}

func runCommandList(ctx *Context) {
	f, err := parseCommandList(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	var names []string
	for _, c := range ctx.Table().All() {
		if f.match(c) {
			names = append(names, c.Name)
		}
		for _, s := range c.Subcommands {
			if f.match(s) {
				names = append(names, s.Name)
			}
		}
	}
	BulkStrings(ctx.Out, names)
}

// runCommandGetKeys is COMMAND GETKEYS and GETKEYSANDFLAGS.
func runCommandGetKeys(ctx *Context, withFlags bool) {
	line := ctx.Args[2:]
	c := ctx.Table().lookupCommandLine(line)
	if c == nil {
		ctx.Error(msgInvalidCommand)
		return
	}
	specs := c.keySpecs()
	if !hasKeyArguments(specs) {
		ctx.Error(msgNoKeyArguments)
		return
	}
	if !arityOK(c.Arity, len(line)) {
		ctx.Error(msgInvalidArgCount)
		return
	}
	keys, ok := keysFromSpecs(specs, c.Arity, line)
	if ok && c.Name == "set" && len(keys) == 1 {
		keys[0].flags = setKeyFlags(line)
	}
	if !ok || len(keys) == 0 {
		ctx.Error(msgInvalidArguments)
		return
	}
	ctx.Out.Array(len(keys))
	for _, k := range keys {
		if !withFlags {
			ctx.Out.Bulk(line[k.pos])
			continue
		}
		ctx.Out.Array(2)
		ctx.Out.Bulk(line[k.pos])
		flags := strings.Fields(k.flags)
		ctx.Out.Set(len(flags))
		for _, f := range flags {
			ctx.Out.SimpleString(f)
		}
	}
}

// hasKeyArguments is Redis's doesCommandHaveKeys: a command has key
// arguments when one of its key specs is not marked not_key. SPUBLISH's
// and SSUBSCRIBE's specs name shard channels, which are not keys.
func hasKeyArguments(specs []KeySpec) bool {
	for _, s := range specs {
		if !slices.Contains(strings.Fields(s.Flags), "not_key") {
			return true
		}
	}
	return false
}

// setKeyFlags is SET's variable key flags (setGetKeys): with GET it reads
// the old value, without it overwrites.
func setKeyFlags(args [][]byte) string {
	for _, a := range args[3:] {
		if is(a, "get") {
			return "RW access update"
		}
	}
	return "OW update"
}

// KeySpec is a Redis 7 key specification: where a command's keys start
// (BeginSearch) and how many follow (FindKeys), with their access flags.
type KeySpec struct {
	Notes string
	Flags string // space-separated: RO RW OW RM access update insert delete ...
	Begin BeginSearch
	Find  FindKeys
}

// BeginSearch is "index" (keys start at argument Index), "keyword" (after
// Keyword, searched from StartFrom, backwards when negative) or "unknown".
type BeginSearch struct {
	Type      string
	Index     int
	Keyword   string
	StartFrom int
}

// FindKeys is "range" (LastKey relative to the first key, or from the end
// when negative; Limit divides the rest), "keynum" (the count is at
// KeyNumIdx, keys start at FirstKey) or "unknown".
type FindKeys struct {
	Type                    string
	LastKey, KeyStep, Limit int
	KeyNumIdx, FirstKey     int
}

// redisSpec is what Redis's command table says about a command beyond
// Spool's own table (redisspecs.go).
type redisSpec struct {
	Tips     string
	Movable  bool
	KeySpecs []KeySpec
}

// keySpecs are the command's key specifications: Redis's for a Redis
// command, else one derived from its first/last/step key positions.
func (c *Command) keySpecs() []KeySpec {
	if s, ok := redisSpecs[c.Name]; ok {
		return s.KeySpecs
	}
	if c.FirstKey <= 0 {
		return nil
	}
	last := c.LastKey
	if last >= 0 {
		last -= c.FirstKey
	}
	flags := "RO access"
	if c.has(FlagWrite) {
		flags = "RW update"
	}
	return []KeySpec{{
		Flags: flags,
		Begin: BeginSearch{Type: "index", Index: c.FirstKey},
		Find:  FindKeys{Type: "range", LastKey: last, KeyStep: max(c.Step, 1)},
	}}
}

type keyRef struct {
	pos   int
	flags string
}

// keysFromSpecs is Redis's getKeysUsingKeySpecs: the positions of the keys
// in a command line. ok is false when a spec cannot be applied.
func keysFromSpecs(specs []KeySpec, arity int, args [][]byte) ([]keyRef, bool) {
	argc := len(args)
	var keys []keyRef
	for _, s := range specs {
		if strings.Contains(" "+s.Flags+" ", " not_key ") {
			continue
		}
		first := 0
		switch s.Begin.Type {
		case "index":
			first = s.Begin.Index
		case "keyword":
			start, end := s.Begin.StartFrom, argc-1
			if start <= 0 {
				start, end = argc+s.Begin.StartFrom, 1
			}
			for i := start; i != end; {
				if i >= argc || i < 1 {
					break
				}
				if is(args[i], s.Begin.Keyword) {
					first = i + 1
					break
				}
				if start <= end {
					i++
				} else {
					i--
				}
			}
			if first == 0 {
				continue
			}
		default:
			return nil, false
		}
		var last, step int
		switch s.Find.Type {
		case "range":
			step = s.Find.KeyStep
			switch {
			case s.Find.LastKey >= 0:
				last = first + s.Find.LastKey
			case s.Find.Limit == 0:
				last = argc + s.Find.LastKey
			default:
				last = first + ((argc-first)/s.Find.Limit + s.Find.LastKey)
			}
		case "keynum":
			step = s.Find.KeyStep
			idx := first + s.Find.KeyNumIdx
			if idx >= argc {
				return nil, false
			}
			n, err := argInt(args[idx])
			if err != nil || n < 0 {
				return nil, false
			}
			first += s.Find.FirstKey
			last = first + int(n) - 1
		default:
			return nil, false
		}
		if last >= argc || last < first || first >= argc {
			return nil, false
		}
		for i := first; i <= last; i += max(step, 1) {
			if i >= argc || i < first {
				if arity < 0 {
					continue
				}
				return nil, false
			}
			keys = append(keys, keyRef{pos: i, flags: s.Flags})
		}
		if strings.Contains(" "+s.Flags+" ", " incomplete ") {
			return nil, false
		}
	}
	return keys, true
}

// aclCategories in Redis's order (ACLCommandCategories); COMMAND INFO lists
// a command's categories in this order.
var aclCategories = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

func aclCategoryBit(name string) uint64 {
	for i, c := range aclCategories {
		if strings.EqualFold(c, name) {
			return 1 << i
		}
	}
	return 0
}

// aclCategories is the command's categories as a bit set: its own plus the
// ones its flags imply (setImplicitACLCategories).
func (c *Command) aclCategories() uint64 {
	var cats uint64
	for _, name := range strings.Fields(c.Categories) {
		cats |= aclCategoryBit(strings.TrimPrefix(name, "@"))
	}
	if c.has(FlagWrite) {
		cats |= aclCategoryBit("write")
	}
	if c.has(FlagReadOnly) && cats&aclCategoryBit("scripting") == 0 {
		cats |= aclCategoryBit("read")
	}
	if c.has(FlagAdmin) {
		cats |= aclCategoryBit("admin") | aclCategoryBit("dangerous")
	}
	if c.has(FlagPubSub) {
		cats |= aclCategoryBit("pubsub")
	}
	if c.has(FlagFast) {
		cats |= aclCategoryBit("fast")
	}
	if c.has(FlagBlocking) {
		cats |= aclCategoryBit("blocking")
	}
	if cats&aclCategoryBit("fast") == 0 {
		cats |= aclCategoryBit("slow")
	}
	return cats
}

// flagList is the command's flags by Redis's names, in Redis's order, with
// movablekeys when its keys are not at fixed positions.
func (c *Command) flagList() []string {
	var out []string
	movable := redisSpecs[c.Name].Movable
	for _, f := range flagNames {
		if f.flag == FlagAllowBusy && movable {
			out = append(out, "movablekeys") // Redis lists it just before allow_busy
			movable = false
		}
		if c.has(f.flag) {
			out = append(out, f.name)
		}
	}
	if movable {
		out = append(out, "movablekeys")
	}
	return out
}

// replyCommandInfo writes one COMMAND INFO entry (addReplyCommandInfo), or
// a null for an unknown command.
func replyCommandInfo(out Reply, c *Command) {
	if c == nil {
		out.Null()
		return
	}
	out.Array(10)
	out.BulkString(c.Name)
	out.Int(int64(c.Arity))
	flags := c.flagList()
	out.Set(len(flags))
	for _, f := range flags {
		out.SimpleString(f)
	}
	out.Int(int64(c.FirstKey))
	out.Int(int64(c.LastKey))
	out.Int(int64(c.Step))
	cats := c.aclCategories()
	n := 0
	for i := range aclCategories {
		if cats&(1<<i) != 0 {
			n++
		}
	}
	out.Set(n)
	for i, name := range aclCategories {
		if cats&(1<<i) != 0 {
			out.SimpleString("@" + name)
		}
	}
	tips := strings.Fields(redisSpecs[c.Name].Tips)
	out.Set(len(tips))
	for _, t := range tips {
		out.BulkString(t)
	}
	specs := c.keySpecs()
	out.Set(len(specs))
	for _, s := range specs {
		replyKeySpec(out, s)
	}
	if len(c.Subcommands) == 0 {
		out.Set(0)
		return
	}
	out.Array(len(c.Subcommands))
	for _, s := range c.Subcommands {
		replyCommandInfo(out, s)
	}
}

func replyKeySpec(out Reply, s KeySpec) {
	if s.Notes != "" {
		out.Map(4)
		out.BulkString("notes")
		out.BulkString(s.Notes)
	} else {
		out.Map(3)
	}
	flags := strings.Fields(s.Flags)
	out.BulkString("flags")
	out.Set(len(flags))
	for _, f := range flags {
		out.SimpleString(f)
	}
	out.BulkString("begin_search")
	out.Map(2)
	out.BulkString("type")
	out.BulkString(s.Begin.Type)
	out.BulkString("spec")
	switch s.Begin.Type {
	case "index":
		out.Map(1)
		out.BulkString("index")
		out.Int(int64(s.Begin.Index))
	case "keyword":
		out.Map(2)
		out.BulkString("keyword")
		out.BulkString(s.Begin.Keyword)
		out.BulkString("startfrom")
		out.Int(int64(s.Begin.StartFrom))
	default:
		out.Map(0)
	}
	out.BulkString("find_keys")
	out.Map(2)
	out.BulkString("type")
	out.BulkString(s.Find.Type)
	out.BulkString("spec")
	switch s.Find.Type {
	case "range":
		out.Map(3)
		out.BulkString("lastkey")
		out.Int(int64(s.Find.LastKey))
		out.BulkString("keystep")
		out.Int(int64(s.Find.KeyStep))
		out.BulkString("limit")
		out.Int(int64(s.Find.Limit))
	case "keynum":
		out.Map(3)
		out.BulkString("keynumidx")
		out.Int(int64(s.Find.KeyNumIdx))
		out.BulkString("firstkey")
		out.Int(int64(s.Find.FirstKey))
		out.BulkString("keystep")
		out.Int(int64(s.Find.KeyStep))
	default:
		out.Map(0)
	}
}

// replyCommandDocs writes one COMMAND DOCS entry (addReplyCommandDocs).
func replyCommandDocs(out Reply, c *Command) {
	group, since := c.Group, c.Since
	if c.parent != nil {
		if group == "" {
			group = c.parent.Group
		}
		if since == "" {
			since = c.parent.Since
		}
	}
	args := parseSyntax(c.Syntax, len(c.keySpecs()) > 0)
	n := 3
	if c.Complexity != "" {
		n++
	}
	if len(args) > 0 {
		n++
	}
	if len(c.Subcommands) > 0 {
		n++
	}
	out.Map(n)
	out.BulkString("summary")
	out.BulkString(c.Summary)
	out.BulkString("since")
	out.BulkString(since)
	out.BulkString("group")
	out.BulkString(group)
	if c.Complexity != "" {
		out.BulkString("complexity")
		out.BulkString(c.Complexity)
	}
	if len(args) > 0 {
		out.BulkString("arguments")
		replyDocArgs(out, args)
	}
	if len(c.Subcommands) > 0 {
		out.BulkString("subcommands")
		out.Map(len(c.Subcommands))
		for _, s := range c.Subcommands {
			out.BulkString(s.Name)
			replyCommandDocs(out, s)
		}
	}
}
