package commands

import (
	"strconv"
)

// Connection commands: PING, ECHO, SELECT, HELLO, AUTH, QUIT, RESET.

// Version is what INFO (redis_version) and HELLO report: the newest Redis
// release whose stream commands Spool fully implements (issue 7's policy).
// Spool has every stream command and option up to Redis 8.6.1 (7.2's XINFO
// times, 7.4's XREAD "+", 8.2's XDELEX/XACKDEL/reference policies, 8.4's
// XREADGROUP CLAIM, 8.6's IDMP/IDMPAUTO/XCFGSET) and 8.8's XNACK; it lacks
// XIDMPRECORD (8.6.2/8.8) and XREAD/XREADGROUP MAXCOUNT/MAXSIZE (8.10),
// whose rules redis.io does not yet document in full. Everything else
// answers as redis-server 7.0.15 does, which the conformance suite checks;
// clients gate features on this string.
const Version = "8.6.1"

// PING [message] — https://redis.io/commands/ping/
var pingCommand = &Command{
	Name: "ping", Arity: -1, Flags: FlagFast,
	Categories: "fast connection", Group: "connection", Since: "1.0.0",
	Summary: "Returns the server's liveliness response.", Complexity: "O(1)",
	Syntax: "[message]", Run: runPing,
}

func runPing(ctx *Context) {
	if len(ctx.Args) > 2 {
		ctx.Error(msgWrongArity("ping"))
		return
	}
	if ctx.Client.Proto == 2 && ctx.Client.Subscribed() {
		pingSubscribed(ctx)
		return
	}
	if len(ctx.Args) == 2 {
		ctx.Out.Bulk(ctx.Args[1])
		return
	}
	ctx.Out.SimpleString("PONG")
}

// ECHO message — https://redis.io/commands/echo/
var echoCommand = &Command{
	Name: "echo", Arity: 2, Flags: FlagFast | FlagLoading | FlagStale,
	Categories: "fast connection", Group: "connection", Since: "1.0.0",
	Summary: "Returns the given string.", Complexity: "O(1)",
	Syntax: "message", Run: func(ctx *Context) { ctx.Out.Bulk(ctx.Args[1]) },
}

// SELECT index — https://redis.io/commands/select/
var selectCommand = &Command{
	Name: "select", Arity: 2, Flags: FlagLoading | FlagStale | FlagFast,
	Categories: "fast connection", Group: "connection", Since: "1.0.0",
	Summary: "Changes the selected database.", Complexity: "O(1)",
	Syntax: "index", Run: runSelect,
}

func runSelect(ctx *Context) {
	n, err := argInt(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if n < 0 || n >= int64(len(ctx.Keys.DBs)) {
		ctx.Error(msgDBIndexRange)
		return
	}
	ctx.Client.DB = int(n)
	OK(ctx.Out)
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
// — https://redis.io/commands/hello/
var helloCommand = &Command{
	Name: "hello", Arity: -1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy,
	Categories: "fast connection", Group: "connection", Since: "6.0.0",
	Summary: "Handshakes with the Redis server.", Complexity: "O(1)",
	Syntax: "[protover [AUTH username password] [SETNAME clientname]]", Run: runHello,
}

func runHello(ctx *Context) {
	args := ctx.Args
	proto := int64(ctx.Client.Proto)
	if len(args) >= 2 {
		v, err := argInt(args[1])
		if err != nil {
			ctx.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			ctx.Error(msgNoProto)
			return
		}
		proto = v
	}
	var user, pass, name []byte
	setName := false
	for i := 2; i < len(args); i++ {
		more := len(args) - i - 1
		switch {
		case is(args[i], "auth") && more >= 2:
			user, pass = args[i+1], args[i+2]
			i += 2
		case is(args[i], "setname") && more >= 1:
			name, setName = args[i+1], true
			if !validClientName(name) {
				ctx.Error(msgClientNameSpaces)
				return
			}
			i++
		default:
			ctx.Error("ERR Syntax error in HELLO option '" + string(args[i]) + "'")
			return
		}
	}
	if user != nil {
		if !ctx.authenticate(user, pass) {
			ctx.Error(msgWrongPass)
			return
		}
	}
	if !ctx.Client.Authed {
		ctx.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	if setName {
		ctx.Client.Name = string(name)
	}
	ctx.Client.Proto = int(proto)
	ctx.Out.SetProto(int(proto))
	out := ctx.Out
	out.Map(7)
	out.BulkString("server")
	out.BulkString("redis")
	out.BulkString("version")
	out.BulkString(Version)
	out.BulkString("proto")
	out.Int(proto)
	out.BulkString("id")
	out.Int(ctx.Client.ID)
	out.BulkString("mode")
	out.BulkString("standalone")
	out.BulkString("role")
	out.BulkString("master")
	out.BulkString("modules")
	out.Array(0)
}

// AUTH [username] password — https://redis.io/commands/auth/
var authCommand = &Command{
	Name: "auth", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy,
	Categories: "fast connection", Group: "connection", Since: "1.0.0",
	Summary: "Authenticates the connection.", Complexity: "O(N) where N is the number of passwords defined for the user",
	Syntax: "[username] password", Run: runAuth,
}

func runAuth(ctx *Context) {
	args := ctx.Args
	if len(args) > 3 {
		ctx.Error(msgSyntax)
		return
	}
	// AUTH password is the default user's, and an error when that user
	// needs no password; users and passwords are the ACL's (acl_check.go).
	user, pass := []byte("default"), args[1]
	if len(args) == 3 {
		user, pass = args[1], args[2]
	} else if ctx.DefaultUserNoPass() {
		ctx.Error(msgNoPasswordSet)
		return
	}
	if !ctx.authenticate(user, pass) {
		ctx.Error(msgWrongPass)
		return
	}
	OK(ctx.Out)
}

// QUIT — https://redis.io/commands/quit/
var quitCommand = &Command{
	Name: "quit", Arity: -1, Flags: FlagAllowBusy | FlagNoAuth | FlagLoading | FlagStale | FlagFast | FlagNoScript,
	Categories: "fast connection", Group: "connection", Since: "1.0.0",
	Summary: "Closes the connection.", Complexity: "O(1)",
	Run: func(ctx *Context) {
		OK(ctx.Out)
		ctx.Client.Closing = true
	},
}

// RESET — https://redis.io/commands/reset/
var resetCommand = &Command{
	Name: "reset", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy,
	Categories: "fast connection", Group: "connection", Since: "6.2.0",
	Summary: "Resets the connection.", Complexity: "O(1)", Run: runReset,
}

func runReset(ctx *Context) {
	c := ctx.Client
	ctx.discardTransaction(c)
	ctx.unsubscribeAll()
	c.DB = 0
	c.Proto = 2
	c.Reply = ReplyOn
	c.NoEvict = false
	c.Authed = ctx.DefaultAuth()
	c.User = "default"
	ctx.Out.SetProto(2)
	ctx.Out.SimpleString("RESET")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// validClientName reports whether a client name is acceptable: printable
// ASCII without spaces, as Redis's validateClientName requires.
func validClientName(name []byte) bool {
	for _, c := range name {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}
