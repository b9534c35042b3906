package commands

import (
	"strconv"
	"time"
)

// MONITOR — https://redis.io/commands/monitor/
//
// A monitor receives, as status replies, every command any client runs,
// in Redis 7.0's format:
//
//	+1700000000.123456 [0 127.0.0.1:50000] "SET" "key" "value"
//
// The line is fed after the command ran, from the dispatcher (Engine.call):
// the db is the one the command left selected, queued commands appear when
// EXEC runs them (before EXEC's own line), and commands refused before
// running (unknown, wrong arity, NOAUTH, ACL, ...) never appear. Admin
// commands and those flagged skip_monitor are not shown, and AUTH's and
// HELLO ... AUTH's credentials are "(redacted)". Like Redis, which makes a
// monitor a kind of replica, a monitor may not run commands that touch the
// keyspace any more ("Replica can't interact with the keyspace"); RESET
// ends monitor mode.
var monitorCommand = &Command{
	Name: "monitor", Arity: 1, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Listen for all requests received by the server in real time",
	Run:     runMonitor,
}

// MonitorHost is how the server delivers MONITOR lines; the server
// implements it next to Host. It is called with the keyspace lock held.
type MonitorHost interface {
	// StartMonitor prepares the connection of c to receive lines. MONITOR
	// calls it on that connection's own goroutine, which alone may set up
	// its delivery queue.
	StartMonitor(c *Client)
	// FeedMonitors hands one line (a status reply's text, without '+' and
	// CRLF) to each monitor. from is the client whose command it describes
	// and self that command's reply stream: a monitor watching its own
	// command gets the line right after the reply, as in Redis.
	FeedMonitors(monitors []*Client, line string, from *Client, self Reply)
}

func runMonitor(ctx *Context) {
	c := ctx.Client
	// Inside EXEC the client must get one reply per command: Redis flags it
	// CLIENT_DENY_BLOCKING there.
	if c.Multi != nil && c.Multi.executing {
		ctx.Error(msgMonitorDenyBlocking)
		return
	}
	// A client already monitoring gets no reply at all, as in Redis
	// (monitorCommand returns early for a replica).
	if ctx.IsMonitor(c) {
		return
	}
	if host, ok := ctx.Host.(MonitorHost); ok {
		host.StartMonitor(c)
	}
	ctx.introspection.monitors = append(ctx.introspection.monitors, c)
	OK(ctx.Out)
}

// IsMonitor reports whether c is in monitor mode. Caller holds the
// keyspace lock.
func (e *Engine) IsMonitor(c *Client) bool {
	for _, m := range e.introspection.monitors {
		if m == c {
			return true
		}
	}
	return false
}

// StopMonitor takes c out of monitor mode, if it is in it. The server calls
// it when the connection closes; RESET calls it through feedMonitors.
// Caller holds the keyspace lock.
func (e *Engine) StopMonitor(c *Client) {
	list := e.introspection.monitors
	for i, m := range list {
		if m == c {
			copy(list[i:], list[i+1:])
			list[len(list)-1] = nil
			e.introspection.monitors = list[:len(list)-1]
			return
		}
	}
}

// monitorRejects is processCommand's "Replica can't interact with the
// keyspace" check for monitors. It costs a length test when nobody
// monitors.
func (e *Engine) monitorRejects(ctx *Context, cmd *Command) bool {
	if len(e.introspection.monitors) == 0 || ctx.Replaying {
		return false
	}
	return touchesKeyspace(cmd) && e.IsMonitor(ctx.Client)
}

// touchesKeyspace is Redis's is_read_command || is_write_command ||
// is_may_replicate_command. PUBLISH and SPUBLISH carry Redis's hidden
// may_replicate flag, which Spool's table does not list (COMMAND INFO
// never shows it), so they are named here.
func touchesKeyspace(cmd *Command) bool {
	if cmd.has(FlagReadOnly | FlagWrite | FlagMayReplicate) {
		return true
	}
	return cmd.Name == "publish" || cmd.Name == "spublish"
}

// feedMonitors is replicationFeedMonitors, called by Engine.call after a
// command ran. The caller checks that someone monitors, so that this costs
// nothing otherwise.
func (e *Engine) feedMonitors(ctx *Context, cmd *Command) {
	if cmd.Name == "reset" {
		// RESET ends monitor mode before the line goes out, so the
		// client does not see its own RESET.
		e.StopMonitor(ctx.Client)
	}
	if cmd.has(FlagSkipMonitor|FlagAdmin) || len(e.introspection.monitors) == 0 {
		return
	}
	host, ok := e.Host.(MonitorHost)
	if !ok {
		return
	}
	line := monitorLine(e.Clock(), ctx.Client.DB, ctx.Client.Addr, ctx.Args, redactedArgs(cmd, ctx.Args))
	host.FeedMonitors(e.introspection.monitors, line, ctx.Client, ctx.Out)
}

// monitorLine renders one MONITOR line without its '+' and CRLF:
// "<sec>.<usec> [<db> <addr>]" and each argument quoted by sdscatrepr, a
// redacted one as "(redacted)".
func monitorLine(now time.Time, db int, addr string, args [][]byte, redacted []bool) string {
	size := 32 + len(addr)
	for _, a := range args {
		size += len(a) + 3
	}
	b := make([]byte, 0, size)
	b = strconv.AppendInt(b, now.Unix(), 10)
	b = append(b, '.')
	usec := strconv.AppendInt(nil, int64(now.Nanosecond()/1000), 10)
	for i := len(usec); i < 6; i++ {
		b = append(b, '0')
	}
	b = append(b, usec...)
	b = append(b, " ["...)
	b = strconv.AppendInt(b, int64(db), 10)
	b = append(b, ' ')
	b = append(b, addr...)
	b = append(b, "] "...)
	for i, a := range args {
		if i > 0 {
			b = append(b, ' ')
		}
		if i < len(redacted) && redacted[i] {
			b = append(b, `"(redacted)"`...)
			continue
		}
		b = appendRepr(b, a)
	}
	return string(b)
}

// appendRepr is Redis's sdscatrepr: a double-quoted string with \\, \",
// \n, \r, \t, \a and \b escaped, other bytes outside printable ASCII as
// \xNN.
func appendRepr(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range s {
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c >= ' ' && c <= '~' {
				b = append(b, c)
			} else {
				b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
			}
		}
	}
	return append(b, '"')
}
