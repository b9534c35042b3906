package commands

import (
	"fmt"
	"time"
)

// The slow log: commands whose execution took at least
// slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len of them. The dispatcher records them (Engine.afterCall);
// SLOWLOG reads them.

// Redis keeps at most this many arguments of a logged command, the last
// one replaced by "... (N more arguments)", and cuts longer strings.
const (
	slowlogMaxArgc   = 32
	slowlogMaxString = 128
)

type slowlogEntry struct {
	id       int64
	unix     int64 // seconds
	duration int64 // microseconds
	args     []string
	addr     string
	name     string
}

// slowLog is the log itself: entries newest first.
type slowLog struct {
	entries []slowlogEntry
	nextID  int64
}

// push records a command as Redis's slowlogPushEntryIfNeeded does and trims
// the log to maxLen entries.
func (l *slowLog) push(e slowlogEntry, maxLen int64) {
	e.id = l.nextID
	l.nextID++
	l.entries = append(l.entries, slowlogEntry{})
	copy(l.entries[1:], l.entries)
	l.entries[0] = e
	l.trim(maxLen)
}

func (l *slowLog) trim(maxLen int64) {
	if maxLen < 0 {
		maxLen = 0
	}
	if int64(len(l.entries)) > maxLen {
		clear(l.entries[maxLen:])
		l.entries = l.entries[:maxLen]
	}
}

// slowlogArgs is the logged form of a command line: at most 32 arguments
// and 128 bytes per argument, with secrets redacted.
func slowlogArgs(cmd *Command, args [][]byte) []string {
	n := len(args)
	if n > slowlogMaxArgc {
		n = slowlogMaxArgc
	}
	redacted := redactedArgs(cmd, args)
	out := make([]string, n)
	for i := 0; i < n; i++ {
		switch {
		case n != len(args) && i == n-1:
			out[i] = fmt.Sprintf("... (%d more arguments)", len(args)-n+1)
		case redacted[i]:
			out[i] = "(redacted)"
		case len(args[i]) > slowlogMaxString:
			out[i] = string(args[i][:slowlogMaxString]) + fmt.Sprintf("... (%d more bytes)", len(args[i])-slowlogMaxString)
		default:
			out[i] = string(args[i])
		}
	}
	return out
}

// redactedArgs marks the arguments Redis hides from the slow log: passwords
// of AUTH and HELLO ... AUTH, ACL SETUSER's user and rules, and the values
// of sensitive CONFIG SET options.
func redactedArgs(cmd *Command, args [][]byte) []bool {
	hide := make([]bool, len(args))
	switch cmd.Name {
	case "auth":
		for i := 1; i < len(args); i++ {
			hide[i] = true
		}
	case "hello":
		for i := 2; i < len(args); i++ {
			if is(args[i], "auth") && i+2 < len(args) {
				hide[i+1], hide[i+2] = true, true
				i += 2
			} else if is(args[i], "setname") {
				i++
			}
		}
	case "acl|setuser":
		for i := 2; i < len(args); i++ {
			hide[i] = true
		}
	case "config|set":
		for i := 2; i+1 < len(args); i += 2 {
			if is(args[i], "requirepass") || is(args[i], "masterauth") {
				hide[i+1] = true
			}
		}
	}
	return hide
}

// afterCall does the dispatcher's bookkeeping for INFO and SLOWLOG once a
// command ran: the ops/sec sample and, when it was slow enough, a slow log
// entry. elapsed is how long the handler ran.
func (e *Engine) afterCall(ctx *Context, cmd *Command, start time.Time, elapsed time.Duration) {
	in := &e.introspection
	in.ops.sample(start, e.stats.totalCommands)
	threshold := e.Settings.SlowlogLogSlowerThan
	if threshold < 0 || cmd.has(FlagSkipSlowlog) {
		return
	}
	usec := elapsed.Microseconds()
	if usec < threshold {
		return
	}
	in.slowlog.push(slowlogEntry{
		unix:     e.Clock().Unix(),
		duration: usec,
		args:     slowlogArgs(cmd, ctx.Args),
		addr:     ctx.Client.Addr,
		name:     ctx.Client.Name,
	}, e.Settings.SlowlogMaxLen)
}

// SLOWLOG <GET [count] | LEN | RESET | HELP> — https://redis.io/commands/slowlog/
var slowlogCommand = &Command{
	Name: "slowlog", Arity: -2,
	Categories: "slow", Group: "server", Since: "2.2.12",
	Summary: "A container for slow log commands", Complexity: "Depends on subcommand.",
	Help: []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	},
	Subcommands: []*Command{
		{
			Name: "get", Arity: -2, Flags: FlagAdmin | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.2.12",
			Summary: "Get the slow log's entries", Complexity: "O(N) where N is the number of entries returned",
			Syntax: "[count]", Run: runSlowlogGet,
		},
		{
			Name: "len", Arity: 2, Flags: FlagAdmin | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.2.12",
			Summary: "Get the slow log's length", Complexity: "O(1)",
			Run: func(ctx *Context) { ctx.Out.Int(int64(len(ctx.introspection.slowlog.entries))) },
		},
		{
			Name: "reset", Arity: 2, Flags: FlagAdmin | FlagLoading | FlagStale,
			Categories: "admin slow dangerous", Group: "server", Since: "2.2.12",
			Summary: "Clear all entries from the slow log", Complexity: "O(N) where N is the number of entries in the slowlog",
			Run: func(ctx *Context) {
				ctx.introspection.slowlog.trim(0)
				OK(ctx.Out)
			},
		},
		helpSubcommand("server", "6.2.0"),
	},
}

// parseSlowlogCount reads SLOWLOG GET's optional count: 10 by default, -1
// for all.
func parseSlowlogCount(args [][]byte) (int64, error) {
	if len(args) == 2 {
		return 10, nil
	}
	n, err := argInt(args[2])
	if err != nil || n < -1 {
		return 0, redisError(msgSlowlogCount)
	}
	return n, nil
}

func runSlowlogGet(ctx *Context) {
	if len(ctx.Args) > 3 {
		ctx.Error(msgSubcommandSyntax(ctx.Args[1], "slowlog"))
		return
	}
	count, err := parseSlowlogCount(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	entries := ctx.introspection.slowlog.entries
	if count >= 0 && int64(len(entries)) > count {
		entries = entries[:count]
	}
	out := ctx.Out
	out.Array(len(entries))
	for _, e := range entries {
		out.Array(6)
		out.Int(e.id)
		out.Int(e.unix)
		out.Int(e.duration)
		BulkStrings(out, e.args)
		out.BulkString(e.addr)
		out.BulkString(e.name)
	}
}
