package commands

import (
	"math"
	"net"
	"strconv"
	"strings"
	"time"
)

// DEBUG <SLEEP seconds | HELP> — https://redis.io/commands/debug/
//
// Like Redis 7, DEBUG is refused unless enable-debug-command is "yes", or
// "local" and the client connected from a loopback address. DEBUG is one
// command that parses its own subcommands (it is not a container in Redis's
// table), so its errors are Redis's DEBUG errors.
//
// DEBUG SLEEP holds the keyspace lock while it sleeps, as Redis's blocks
// its single thread: the point of the command is to stall the server (to
// test client timeouts and the slow log), and a sleep that let other
// clients run would test nothing.
var debugCommand = &Command{
	Name: "debug", Arity: -2, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "A container for debugging commands", Complexity: "Depends on subcommand.",
	Syntax: "SLEEP seconds | RELOAD | HELP", Run: runDebug, Help: debugHelp,
}

var debugHelp = []string{
	"RELOAD",
	"    Save the dataset to a snapshot, flush memory and load it back from disk.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
}

// debugAllowed is allowProtectedAction for enable-debug-command.
func debugAllowed(setting, addr string) bool {
	switch setting {
	case "yes":
		return true
	case "local":
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return false
		}
		ip := net.ParseIP(host)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

func runDebug(ctx *Context) {
	if !debugAllowed(ctx.Settings.EnableDebugCommand, ctx.Client.Addr) {
		ctx.Error(msgDebugNotAllowed)
		return
	}
	sub := ctx.Args[1]
	switch {
	case len(ctx.Args) == 2 && is(sub, "help"):
		replyHelp(ctx, debugHelp)
	case len(ctx.Args) == 2 && is(sub, "reload"):
		runDebugReload(ctx)
	case len(ctx.Args) == 3 && is(sub, "sleep"):
		time.Sleep(debugSleepDuration(ctx.Args[2]))
		OK(ctx.Out)
	default:
		ctx.Error(msgSubcommandSyntax(sub, "debug"))
	}
}

// debugSleepDuration reads DEBUG SLEEP's seconds as strtod does: the
// longest numeric prefix, 0 when there is none; negative means no sleep.
func debugSleepDuration(arg []byte) time.Duration {
	s := strings.TrimLeft(string(arg), " \t\n\r\v\f")
	secs := 0.0
	for end := len(s); end > 0; end-- {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			secs = f
			break
		}
	}
	if math.IsNaN(secs) || secs <= 0 {
		return 0
	}
	if secs > float64(math.MaxInt64/int64(time.Second)) {
		secs = float64(math.MaxInt64 / int64(time.Second))
	}
	return time.Duration(secs * float64(time.Second))
}

// runDebugReload proves the snapshot round trip: the dataset is written to a
// snapshot file, memory is cleared, and the file is loaded back from disk.
func runDebugReload(ctx *Context) {
	done, err := ctx.Host.Reload()
	if err != nil {
		ctx.Error("ERR Error trying to save the dataset: " + err.Error())
		return
	}
	ctx.Block(&BlockRequest{Done: done, Retry: func(ctx *Context) bool {
		if err := ctx.Host.LastSnapshotError(); err != nil {
			ctx.Error("ERR Error trying to load the snapshot: " + err.Error())
		} else {
			OK(ctx.Out)
		}
		return true
	}})
}
