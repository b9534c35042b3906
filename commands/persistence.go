package commands

import "errors"

// Persistence commands. Spool is always durable through its WAL; these
// commands write a snapshot (which shortens the log and start-up), report on
// it, or stop the server.

var errSnapshotInProgress = errors.New("snapshot in progress")

// ErrSnapshotInProgress is what Host.StartSnapshot returns while one runs.
var ErrSnapshotInProgress = errSnapshotInProgress

// SAVE — https://redis.io/commands/save/
var saveCommand = &Command{
	Name: "save", Arity: 1, Flags: FlagAdmin | FlagNoScript | FlagNoMulti,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Synchronously saves the database(s) to disk.", Complexity: "O(N) where N is the total number of keys in all databases",
	Run: runSave,
}

func runSave(ctx *Context) {
	done, err := ctx.Host.StartSnapshot()
	if err != nil {
		if errors.Is(err, errSnapshotInProgress) {
			ctx.Error(msgBackgroundSaveInProgress)
			return
		}
		ctx.Error(msgSaveFailed)
		return
	}
	ctx.Block(&BlockRequest{Done: done, Retry: func(ctx *Context) bool {
		if ctx.Host.LastSnapshotError() != nil {
			ctx.Error(msgSaveFailed)
		} else {
			OK(ctx.Out)
		}
		return true
	}})
}

// BGSAVE [SCHEDULE] — https://redis.io/commands/bgsave/
var bgsaveCommand = &Command{
	Name: "bgsave", Arity: -1, Flags: FlagAdmin | FlagNoScript,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Asynchronously saves the database(s) to disk.", Complexity: "O(1)",
	Syntax: "[SCHEDULE]", Run: runBgsave,
}

func runBgsave(ctx *Context) {
	schedule := false
	if len(ctx.Args) > 1 {
		if len(ctx.Args) > 2 || !is(ctx.Args[1], "schedule") {
			ctx.Error(msgSyntax)
			return
		}
		schedule = true
	}
	if _, err := ctx.Host.StartSnapshot(); err != nil {
		if errors.Is(err, errSnapshotInProgress) {
			if schedule {
				ctx.Out.SimpleString("Background saving scheduled")
				return
			}
			ctx.Error(msgBackgroundSaveInProgress)
			return
		}
		ctx.Fail(err)
		return
	}
	ctx.Out.SimpleString("Background saving started")
}

// BGREWRITEAOF — https://redis.io/commands/bgrewriteaof/
// Spool's log is rewritten by snapshotting: the snapshot replaces the log
// records it covers.
var bgrewriteaofCommand = &Command{
	Name: "bgrewriteaof", Arity: 1, Flags: FlagAdmin | FlagNoScript,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Asynchronously rewrites the append-only file to disk.", Complexity: "O(1)",
	Run: func(ctx *Context) {
		if _, err := ctx.Host.StartSnapshot(); err != nil {
			if errors.Is(err, errSnapshotInProgress) {
				ctx.Out.SimpleString("Background append only file rewriting scheduled")
				return
			}
			ctx.Fail(err)
			return
		}
		ctx.Out.SimpleString("Background append only file rewriting started")
	},
}

// LASTSAVE — https://redis.io/commands/lastsave/
var lastsaveCommand = &Command{
	Name: "lastsave", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast,
	Categories: "admin fast dangerous", Group: "server", Since: "1.0.0",
	Summary: "Returns the Unix timestamp of the last successful save to disk.", Complexity: "O(1)",
	Run: func(ctx *Context) { ctx.Out.Int(ctx.Host.LastSave()) },
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT] — https://redis.io/commands/shutdown/
// Every acknowledged write is already in the WAL, so a plain SHUTDOWN loses
// nothing; SAVE writes a snapshot first so that the next start-up is quick.
// NOW and FORCE concern replicas and save errors, which Spool does not have
// to wait for.
var shutdownCommand = &Command{
	Name: "shutdown", Arity: -1, Flags: FlagAdmin | FlagNoScript | FlagLoading | FlagStale | FlagNoMulti | FlagAllowBusy,
	Categories: "admin slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.", Complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
	Syntax: "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]", Run: runShutdown,
}

func runShutdown(ctx *Context) {
	save, nosave, abort := false, false, false
	for _, a := range ctx.Args[1:] {
		switch {
		case is(a, "save"):
			save = true
		case is(a, "nosave"):
			nosave = true
		case is(a, "now"), is(a, "force"):
		case is(a, "abort"):
			abort = true
		default:
			ctx.Error(msgSyntax)
			return
		}
	}
	if (save && nosave) || (abort && len(ctx.Args) > 2) {
		ctx.Error(msgSyntax)
		return
	}
	if abort {
		ctx.Error(msgNoShutdownInProgress)
		return
	}
	if err := ctx.Host.RequestShutdown(save); err != nil {
		ctx.Error(msgShutdownFailed)
		return
	}
	// Redis replies nothing to a successful SHUTDOWN: the connection closes.
	ctx.Client.Closing = true
}
