package commands

import (
	"sort"
	"strconv"
	"strings"
)

// CLIENT <subcommand> — https://redis.io/commands/client/
//
// Spool serves ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO, REPLY,
// NO-EVICT and HELP. Any other subcommand (PAUSE, TRACKING, ...) gets
// Redis's unknown-subcommand error from the dispatcher.
var clientCommand = &Command{
	Name: "client", Arity: -2,
	Categories: "slow", Group: "connection", Since: "2.4.0",
	Summary: "A container for client connection commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"    * ID <client-id>",
		"      Kill connections by client id.",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"    * ID <client-id> [<client-id> ...]",
		"      Return clients of specified IDs only.",
		"REPLY (ON|OFF|SKIP)",
		"    Control the replies sent to the current connection.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"SETINFO <option> <value>",
		"    Set client meta attr. Options are:",
		"    * LIB-NAME: the client lib name.",
		"    * LIB-VER: the client lib version.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
	},
	Subcommands: []*Command{
		{
			Name: "id", Arity: 2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "5.0.0",
			Summary: "Returns the client ID for the current connection", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.Int(ctx.Client.ID) },
		},
		{
			Name: "setname", Arity: 3, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "2.6.9",
			Summary: "Set the current connection name", Complexity: "O(1)",
			Syntax: "connection-name", Run: runClientSetName,
		},
		{
			Name: "getname", Arity: 2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "2.6.9",
			Summary: "Get the current connection name", Complexity: "O(1)",
			Run: runClientGetName,
		},
		{
			Name: "list", Arity: -2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous connection", Group: "connection", Since: "2.4.0",
			Summary: "Get the list of client connections", Complexity: "O(N) where N is the number of client connections",
			Syntax: "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]", Run: runClientList,
		},
		{
			Name: "info", Arity: 2, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "6.2.0",
			Summary: "Returns information about the current client connection.", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.Verbatim(ctx.clientInfoLine(ctx.Client) + "\n") },
		},
		{
			Name: "kill", Arity: -3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous connection", Group: "connection", Since: "2.4.0",
			Summary: "Kill the connection of a client", Complexity: "O(N) where N is the number of client connections",
			Syntax: "ip:port | <[ID client-id] | [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] | [USER username] | " +
				"[ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]> [<[ID client-id] | " +
				"[TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] | [USER username] | [ADDR ip:port] | " +
				"[LADDR ip:port] | [SKIPME yes/no]> ...]",
			Run: runClientKill,
		},
		{
			Name: "setinfo", Arity: 4, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "7.2.0",
			Summary: "Sets information specific to the client or connection.", Complexity: "O(1)",
			Syntax: "LIB-NAME libname | LIB-VER libver", Run: runClientSetInfo,
		},
		{
			Name: "reply", Arity: 3, Flags: FlagNoScript | FlagLoading | FlagStale,
			Categories: "slow connection", Group: "connection", Since: "3.2.0",
			Summary: "Instruct the server whether to reply to commands", Complexity: "O(1)",
			Syntax: "ON|OFF|SKIP", Run: runClientReply,
		},
		{
			Name: "no-evict", Arity: 3, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
			Categories: "admin slow dangerous connection", Group: "connection", Since: "7.0.0",
			Summary: "Set client eviction mode for the current connection", Complexity: "O(1)",
			Syntax: "ON|OFF", Run: runClientNoEvict,
		},
		helpSubcommand("slow connection", "5.0.0"),
	},
}

func runClientSetName(ctx *Context) {
	name := ctx.Args[2]
	if !validClientName(name) {
		ctx.Error(msgClientNameSpaces)
		return
	}
	ctx.Client.Name = string(name)
	OK(ctx.Out)
}

func runClientGetName(ctx *Context) {
	if ctx.Client.Name == "" {
		ctx.Out.Null()
		return
	}
	ctx.Out.BulkString(ctx.Client.Name)
}

// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver> (Redis 7.2), which
// client libraries such as go-redis send on connect.
func runClientSetInfo(ctx *Context) {
	attr, val := ctx.Args[2], ctx.Args[3]
	var dest *string
	switch {
	case is(attr, "lib-name"):
		dest = &ctx.Client.LibName
	case is(attr, "lib-ver"):
		dest = &ctx.Client.LibVer
	default:
		ctx.Error(msgUnrecognizedOption(attr))
		return
	}
	if !validClientName(val) {
		ctx.Error(msgClientAttrChars(attr))
		return
	}
	*dest = string(val)
	OK(ctx.Out)
}

// CLIENT REPLY ON|OFF|SKIP. The server mutes the replies: OFF and SKIP
// write nothing (not even for this command), ON answers OK.
func runClientReply(ctx *Context) {
	switch arg := ctx.Args[2]; {
	case is(arg, "on"):
		ctx.Client.Reply = ReplyOn
		OK(ctx.Out)
	case is(arg, "off"):
		ctx.Client.Reply = ReplyOff
	case is(arg, "skip"):
		if ctx.Client.Reply != ReplyOff {
			ctx.Client.Reply = ReplySkip
		}
	default:
		ctx.Fail(ErrSyntax)
	}
}

func runClientNoEvict(ctx *Context) {
	switch arg := ctx.Args[2]; {
	case is(arg, "on"):
		ctx.Client.NoEvict = true
	case is(arg, "off"):
		ctx.Client.NoEvict = false
	default:
		ctx.Fail(ErrSyntax)
		return
	}
	OK(ctx.Out)
}

// clientType is getClientTypeByName: "" for a name Redis does not know.
// Spool has no replicas or masters, so those types select nobody.
func clientType(name []byte) string {
	switch strings.ToLower(string(name)) {
	case "normal":
		return "normal"
	case "slave", "replica":
		return "replica"
	case "pubsub":
		return "pubsub"
	case "master":
		return "master"
	}
	return ""
}

func (c *Client) typeName() string {
	if c.Subscriptions+c.PatternSubscriptions+c.ShardSubscriptions > 0 {
		return "pubsub"
	}
	return "normal"
}

// clientListArgs is CLIENT LIST's one option: TYPE t, or ID id [id ...].
type clientListArgs struct {
	typ string
	ids []int64 // nil: every client
}

func parseClientList(args [][]byte) (clientListArgs, error) {
	var a clientListArgs
	switch {
	case len(args) == 4 && is(args[2], "type"):
		a.typ = clientType(args[3])
		if a.typ == "" {
			return a, redisError(msgUnknownClientType(args[3]))
		}
	case len(args) > 3 && is(args[2], "id"):
		a.ids = make([]int64, 0, len(args)-3)
		for _, arg := range args[3:] {
			id, err := argInt(arg)
			if err != nil {
				return a, redisError(msgInvalidClientID)
			}
			a.ids = append(a.ids, id)
		}
	case len(args) != 2:
		return a, ErrSyntax
	}
	return a, nil
}

func runClientList(ctx *Context) {
	a, err := parseClientList(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	clients := sortedClients(ctx.Host.Clients())
	var b strings.Builder
	if a.ids != nil {
		byID := make(map[int64]*Client, len(clients))
		for _, c := range clients {
			byID[c.ID] = c
		}
		for _, id := range a.ids {
			if c := byID[id]; c != nil {
				b.WriteString(ctx.clientInfoLine(c) + "\n")
			}
		}
	} else {
		for _, c := range clients {
			if a.typ == "" || a.typ == c.typeName() {
				b.WriteString(ctx.clientInfoLine(c) + "\n")
			}
		}
	}
	ctx.Out.Verbatim(b.String())
}

func sortedClients(clients []*Client) []*Client {
	sort.Slice(clients, func(i, j int) bool { return clients[i].ID < clients[j].ID })
	return clients
}

// clientInfoLine is catClientInfoString: Redis 7's CLIENT LIST fields in
// its order, then lib-name and lib-ver as Redis 7.2 added them for CLIENT
// SETINFO.
func (ctx *Context) clientInfoLine(c *Client) string {
	now := ctx.Clock()
	var flags []byte
	if ctx.IsMonitor(c) {
		flags = append(flags, 'O')
	}
	if c.typeName() == "pubsub" {
		flags = append(flags, 'P')
	}
	if c.Multi != nil {
		flags = append(flags, 'x')
	}
	if c.BlockedOnKeys {
		flags = append(flags, 'b')
	}
	if c.Closing {
		flags = append(flags, 'c')
	}
	if c.NoEvict {
		flags = append(flags, 'e')
	}
	if len(flags) == 0 {
		flags = append(flags, 'N')
	}
	multi, multiMem := int64(-1), 0
	if c.Multi != nil {
		multi = int64(len(c.Multi.Queued))
		for _, q := range c.Multi.Queued {
			for _, arg := range q {
				multiMem += len(arg)
			}
		}
	}
	argvMem := 0
	cmd := c.LastCmd
	if c == ctx.Client {
		for _, arg := range ctx.Args {
			argvMem += len(arg)
		}
		if ctx.Cmd != nil {
			cmd = ctx.Cmd.Name
		}
	}
	if cmd == "" {
		cmd = "NULL"
	}
	qbufFree := max(c.QueryBufCap-c.QueryBufLen, 0)
	fields := []struct {
		name  string
		value string
	}{
		{"id", strconv.FormatInt(c.ID, 10)},
		{"addr", c.Addr},
		{"laddr", c.LocalAddr},
		{"fd", strconv.Itoa(c.FD)},
		{"name", c.Name},
		{"age", strconv.FormatInt(int64(now.Sub(c.Created).Seconds()), 10)},
		{"idle", strconv.FormatInt(int64(max(now.Sub(c.LastActive).Seconds(), 0)), 10)},
		{"flags", string(flags)},
		{"db", strconv.Itoa(c.DB)},
		{"sub", strconv.Itoa(c.Subscriptions)},
		{"psub", strconv.Itoa(c.PatternSubscriptions)},
		{"ssub", strconv.Itoa(c.ShardSubscriptions)},
		{"multi", strconv.FormatInt(multi, 10)},
		{"qbuf", strconv.Itoa(c.QueryBufLen)},
		{"qbuf-free", strconv.Itoa(qbufFree)},
		{"argv-mem", strconv.Itoa(argvMem)},
		{"multi-mem", strconv.Itoa(multiMem)},
		{"rbs", strconv.Itoa(c.OutputBufCap)},
		{"rbp", strconv.Itoa(c.OutputBufCap)},
		{"obl", strconv.Itoa(c.OutputBufLen)},
		{"oll", strconv.Itoa(c.OutputListLen)},
		{"omem", strconv.Itoa(c.OutputMem)},
		{"tot-mem", strconv.Itoa(c.QueryBufCap + c.OutputBufCap + c.OutputMem + argvMem + multiMem)},
		{"events", "r"},
		{"cmd", cmd},
		{"user", c.User},
		{"redir", "-1"},
		{"resp", strconv.Itoa(c.Proto)},
		{"lib-name", c.LibName},
		{"lib-ver", c.LibVer},
	}
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.name)
		b.WriteByte('=')
		b.WriteString(f.value)
	}
	return b.String()
}

// clientKillFilter selects the clients CLIENT KILL closes.
type clientKillFilter struct {
	addr, laddr, typ, user *string
	id                     int64
	skipMe                 bool
	oldForm                bool // CLIENT KILL addr
}

// parseClientKill reads CLIENT KILL's filters; userExists tells the ACL
// users apart from unknown names, which are refused while parsing as Redis
// does.
func parseClientKill(args [][]byte, userExists func(string) bool) (clientKillFilter, error) {
	f := clientKillFilter{skipMe: true}
	str := func(b []byte) *string { s := string(b); return &s }
	if len(args) == 3 {
		f.addr, f.skipMe, f.oldForm = str(args[2]), false, true
		return f, nil
	}
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return f, ErrSyntax
		}
		opt, val := args[i], args[i+1]
		switch {
		case is(opt, "id"):
			id, err := argInt(val)
			if err != nil || id < 1 {
				return f, redisError(msgClientIDPositive)
			}
			f.id = id
		case is(opt, "type"):
			t := clientType(val)
			if t == "" {
				return f, redisError(msgUnknownClientType(val))
			}
			f.typ = &t
		case is(opt, "addr"):
			f.addr = str(val)
		case is(opt, "laddr"):
			f.laddr = str(val)
		case is(opt, "user"):
			if !userExists(string(val)) {
				return f, redisError(msgNoSuchUser(val))
			}
			f.user = str(val)
		case is(opt, "skipme"):
			switch {
			case is(val, "yes"):
				f.skipMe = true
			case is(val, "no"):
				f.skipMe = false
			default:
				return f, ErrSyntax
			}
		default:
			return f, ErrSyntax
		}
	}
	return f, nil
}

func (f clientKillFilter) match(c, self *Client) bool {
	switch {
	case f.addr != nil && c.Addr != *f.addr,
		f.laddr != nil && c.LocalAddr != *f.laddr,
		f.typ != nil && c.typeName() != *f.typ,
		f.id != 0 && c.ID != f.id,
		f.user != nil && c.User != *f.user,
		f.skipMe && c == self:
		return false
	}
	return true
}

func runClientKill(ctx *Context) {
	f, err := parseClientKill(ctx.Args, ctx.userExists)
	if err != nil {
		ctx.Fail(err)
		return
	}
	killed := 0
	closeSelf := false
	for _, c := range sortedClients(ctx.Host.Clients()) {
		if !f.match(c, ctx.Client) {
			continue
		}
		killed++
		if c == ctx.Client {
			closeSelf = true // after the reply, as CLIENT_CLOSE_AFTER_REPLY
			continue
		}
		ctx.Host.CloseClient(c)
	}
	switch {
	case !f.oldForm:
		ctx.Out.Int(int64(killed))
	case killed == 0:
		ctx.Error(msgNoSuchClient)
	default:
		OK(ctx.Out)
	}
	if closeSelf {
		ctx.Host.CloseClient(ctx.Client)
	}
}

// TurnsRepliesOn reports whether a command line is CLIENT REPLY ON: the
// server must let its reply through although replies are off, as Redis
// clears the flag before replying.
func TurnsRepliesOn(args [][]byte) bool {
	return len(args) == 3 && is(args[0], "client") && is(args[1], "reply") && is(args[2], "on")
}
