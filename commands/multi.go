package commands

import "strings"

// MULTI — https://redis.io/commands/multi/
var multiCommand = &Command{
	Name: "multi", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
	Categories: "fast transaction", Group: "transactions", Since: "1.2.0",
	Summary: "Mark the start of a transaction block", Complexity: "O(1)", Run: runMulti,
}

// EXEC — https://redis.io/commands/exec/
var execCommand = &Command{
	Name: "exec", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagSkipSlowlog,
	Categories: "slow transaction", Group: "transactions", Since: "1.2.0",
	Summary: "Execute all commands issued after MULTI", Complexity: "Depends on commands in the transaction",
	Run: runExec,
}

// DISCARD — https://redis.io/commands/discard/
var discardCommand = &Command{
	Name: "discard", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
	Categories: "fast transaction", Group: "transactions", Since: "2.0.0",
	Summary: "Discard all commands issued after MULTI", Complexity: "O(N), when N is the number of queued commands",
	Run: runDiscard,
}

// Transactions follow Redis 7.0's multi.c and processCommand. Between MULTI
// and EXEC the dispatcher checks each command as usual (unknown name, arity,
// authentication, no_multi, loading, a failing log) and then queues it
// instead of running it; a rejection dooms the transaction (Redis's
// flagTransaction) and EXEC answers EXECABORT. EXEC runs the queued commands
// back to back under the keyspace lock, so nothing else runs in between, and
// on the EXEC's own Context: every effect of the transaction, lazy-expiry
// DELs included, is published when EXEC returns, as one WAL record. A crash
// therefore leaves all of a transaction or none of it.

// runsInMulti reports whether cmd runs at once inside MULTI instead of being
// queued, as Redis runs these (QUIT and RESET end the connection's state).
func runsInMulti(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

// queue adds the command to the client's transaction and replies QUEUED.
// Nothing is kept once the transaction is doomed, as in Redis 7.
func (ctx *Context) queue(cmd *Command) {
	m := ctx.Client.Multi
	if !m.Failed {
		m.Queued = append(m.Queued, copyArgs(ctx.Args))
		m.cmds = append(m.cmds, cmd)
		m.writes = m.writes || cmd.has(FlagWrite)
	}
	ctx.Client.LastCmd = cmd.Name
	ctx.Out.SimpleString("QUEUED")
}

// flagTransaction dooms the client's transaction, if it is in one: a
// command was rejected while queueing.
func flagTransaction(c *Client) {
	if c.Multi != nil {
		c.Multi.Failed = true
	}
}

// execWrites reports whether c is in a transaction that queued a write, so
// that EXEC is refused like a write while the log is failing.
func execWrites(c *Client, cmd *Command) bool {
	return c.Multi != nil && c.Multi.writes && cmd.Name == "exec"
}

// execAbort is how a rejected EXEC answers (Redis's execCommandAbort): the
// transaction is discarded and the reason follows EXECABORT, without its
// ERR prefix.
func (e *Engine) execAbort(ctx *Context, reason string) {
	e.discardTransaction(ctx.Client)
	ctx.Error(msgExecAbortBecause + strings.TrimPrefix(reason, "ERR "))
}

// discardTransaction ends the client's transaction, if any, and forgets its
// watched keys.
func (e *Engine) discardTransaction(c *Client) {
	c.Multi = nil
	e.unwatchAll(c)
	c.watch.dirty = false
}

func runMulti(ctx *Context) {
	if ctx.Client.Multi != nil {
		ctx.Error(msgNestedMulti)
		return
	}
	ctx.Client.Multi = &MultiState{}
	OK(ctx.Out)
}

func runDiscard(ctx *Context) {
	if ctx.Client.Multi == nil {
		ctx.Error(msgDiscardNoMulti)
		return
	}
	ctx.discardTransaction(ctx.Client)
	OK(ctx.Out)
}

// runExec runs the queued commands and replies with the array of their
// replies, errors included: a command failing at run time does not undo
// the others. A transaction doomed while queueing answers EXECABORT; one
// whose watched key was touched, or expired, answers a null array.
func runExec(ctx *Context) {
	c := ctx.Client
	m := c.Multi
	if m == nil {
		ctx.Error(msgExecWithoutMulti)
		return
	}
	if ctx.watchedKeyExpired(c) {
		c.watch.dirty = true
	}
	if m.Failed {
		ctx.Error(msgExecAbort)
		ctx.discardTransaction(c)
		return
	}
	if c.watch.dirty {
		ctx.Out.NullArray()
		ctx.discardTransaction(c)
		return
	}
	// Unwatch first: the transaction's own writes must not touch itself.
	ctx.unwatchAll(c)
	// Multi stays set while the commands run, so that blocking commands
	// answer at once (XREAD and WAIT check it), CLIENT LIST shows the x
	// flag, and the dispatcher is not involved: executing tells queue-time
	// checks apart from these calls.
	m.executing = true
	args, cmd := ctx.Args, ctx.Cmd
	ctx.Out.Array(len(m.cmds))
	for i, q := range m.cmds {
		ctx.Args, ctx.Cmd = m.Queued[i], q
		ctx.call(ctx, q)
		if req := ctx.block; req != nil {
			ctx.block = ctx.resumeAfterBlock(req, m, i+1)
			break
		}
	}
	ctx.Args, ctx.Cmd = args, cmd
	// EXEC itself is not an effect, and a queued command's failure is not
	// EXEC's.
	ctx.changed, ctx.custom, ctx.failed = false, false, false
	if c.Multi == m {
		c.Multi = nil
	}
}

// resumeAfterBlock handles a queued command that asked to wait for work
// done outside the lock (DEBUG RELOAD waits for its reload; blocking reads
// never block inside a transaction). The server parks the client as usual;
// once that command has replied, the rest of the transaction runs, so that
// the replies stay in order. Those commands are published as their own
// record: the wait released the lock, so they were never atomic with the
// commands before it anyway.
func (e *Engine) resumeAfterBlock(req *BlockRequest, m *MultiState, next int) *BlockRequest {
	rest, restArgs := m.cmds[next:], m.Queued[next:]
	if len(rest) == 0 {
		return req
	}
	runRest := func(ctx *Context) {
		saved := ctx.Client.Multi
		ctx.Client.Multi = &MultiState{executing: true}
		for i, q := range rest {
			ctx.Args, ctx.Cmd = restArgs[i], q
			e.call(ctx, q)
		}
		ctx.Client.Multi = saved
		ctx.Args, ctx.Cmd = nil, nil
		ctx.changed, ctx.custom, ctx.failed = false, false, false
	}
	wrapped := *req
	wrapped.Retry = func(ctx *Context) bool {
		if !req.Retry(ctx) {
			return false
		}
		runRest(ctx)
		return true
	}
	if req.Timeout != nil {
		wrapped.Timeout = func(ctx *Context) {
			req.Timeout(ctx)
			runRest(ctx)
		}
	}
	return &wrapped
}
