package commands

import (
	"strings"
	"time"
)

// NewContext prepares the execution of args for client.
func (e *Engine) NewContext(client *Client, out Reply, args [][]byte) *Context {
	return &Context{Engine: e, Args: args, Out: out, Client: client}
}

// Execute runs ctx.Args as Redis's processCommand does: look the command up,
// check its arity, authentication and the server state, then call it.
// Effects, signalled keys and any block request are left on ctx for the
// server. The caller holds the keyspace lock.
func (e *Engine) Execute(ctx *Context) {
	args := ctx.Args
	cmd := lookupCommand(e.table, args[0])
	if cmd == nil {
		e.stats.rejectedCalls++
		flagTransaction(ctx.Client)
		ctx.Error(msgUnknownCommand(args))
		return
	}
	if len(cmd.Subcommands) > 0 && len(args) >= 2 {
		sub := cmd.subcommand(args[1])
		if sub == nil {
			e.stats.rejectedCalls++
			flagTransaction(ctx.Client)
			ctx.Error(msgUnknownSubcommand(cmd.Name, args[1]))
			return
		}
		cmd = sub
	}
	ctx.Cmd = cmd
	if !arityOK(cmd.Arity, len(args)) {
		e.reject(ctx, cmd, msgWrongArity(cmd.Name))
		return
	}
	if !cmd.has(FlagNoAuth) && !ctx.Replaying && e.AuthRequired(ctx.Client) {
		e.reject(ctx, cmd, msgNoAuth)
		return
	}
	if ctx.Client.Multi != nil && cmd.has(FlagNoMulti) {
		e.reject(ctx, cmd, msgNoMulti)
		return
	}
	// ACL permissions (commands/acl_check.go), then maxmemory
	// (commands/maxmemory.go), in processCommand's order.
	if !ctx.Replaying {
		if msg := e.checkACL(ctx, cmd); msg != "" {
			e.reject(ctx, cmd, msg)
			return
		}
		if e.checkOOM(ctx, cmd) {
			e.reject(ctx, cmd, msgOOM)
			return
		}
	}
	// A RESP2 connection with subscriptions only manages them (pubsub.go).
	if subscribedContextRejects(ctx.Client, cmd) && !ctx.Replaying {
		e.reject(ctx, cmd, msgSubscribedContext(cmd.Name))
		return
	}
	if e.Loading && !cmd.has(FlagLoading) && !ctx.Replaying {
		e.reject(ctx, cmd, msgLoading)
		return
	}
	// Like Redis, a failing log refuses writes (and PING, so that health
	// checks notice) while reads go on.
	if e.WriteRefused != nil && !ctx.Replaying && (cmd.has(FlagWrite) || cmd.Name == "ping" || execWrites(ctx.Client, cmd)) {
		if reason := e.WriteRefused(); reason != "" {
			e.reject(ctx, cmd, msgMisconf+reason)
			return
		}
	}
	// A monitor is a replica to Redis: it may not touch the keyspace
	// (commands/monitor.go).
	if e.monitorRejects(ctx, cmd) {
		e.reject(ctx, cmd, msgReplicaKeyspace)
		return
	}
	// Inside MULTI, a command that passed the checks is queued for EXEC.
	if m := ctx.Client.Multi; m != nil && !m.executing && !runsInMulti(cmd) {
		ctx.queue(cmd)
		return
	}
	e.call(ctx, cmd)
}

// lookupCommand is t.Lookup without its allocation and second map lookup
// for an ASCII name that is not lower case, as clients send them ("XADD"):
// the name is folded in a stack buffer (the table's names are lower case),
// and indexing a map with string(bytes) does not allocate. Other names go to
// t.Lookup, which folds Unicode as before. (BenchmarkLookupCommand: "XADD"
// 34 ns and no allocation instead of 95 ns and one; "xadd" 34 ns instead of
// 22.) Replayed effects are upper case too.
func lookupCommand(t *Table, name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return t.Lookup(name)
	}
	lower := buf[:len(name)]
	for i, c := range name {
		switch {
		case c >= 0x80:
			return t.Lookup(name)
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return t.byName[string(lower)]
}

// reject refuses a command before it runs. Inside MULTI that dooms the
// transaction; a refused EXEC discards it (see execAbort).
func (e *Engine) reject(ctx *Context, cmd *Command, msg string) {
	e.stats.command(cmd.Name).rejected++
	e.stats.rejectedCalls++
	if cmd.Name == "exec" {
		e.execAbort(ctx, msg)
		return
	}
	flagTransaction(ctx.Client)
	ctx.Error(msg)
}

// call runs the handler and accounts for it.
func (e *Engine) call(ctx *Context, cmd *Command) {
	if m := ctx.Client.Multi; m != nil && m.executing && !ctx.Replaying && e.recheckACLInExec(ctx, cmd) {
		return
	}
	start := time.Now()
	ctx.changed, ctx.custom, ctx.failed = false, false, false
	cmd.Run(ctx)
	elapsed := time.Since(start)
	if ctx.changed && !ctx.custom && !ctx.Replaying {
		ctx.effects = append(ctx.effects, Effect{DB: ctx.Client.DB, Args: copyArgs(ctx.Args)})
	}
	st := e.stats.command(cmd.Name)
	st.observe(elapsed)
	if ctx.failed {
		st.failed++
	}
	e.stats.totalCommands++
	if !ctx.Replaying {
		ctx.Client.LastCmd = cmd.Name
		e.afterCall(ctx, cmd, start, elapsed)
		if len(e.introspection.monitors) > 0 {
			e.feedMonitors(ctx, cmd)
		}
	}
}

// Replay re-applies one effect, as the server does at start-up.
func (e *Engine) Replay(client *Client, eff Effect) error {
	client.DB = eff.DB
	ctx := &Context{Engine: e, Args: eff.Args, Out: DiscardReply{}, Client: client, Replaying: true}
	cmd := lookupCommand(e.table, eff.Args[0])
	if cmd == nil {
		return redisError("ERR replay: unknown command " + strings.ToLower(string(eff.Args[0])))
	}
	if len(cmd.Subcommands) > 0 && len(eff.Args) >= 2 {
		if sub := cmd.subcommand(eff.Args[1]); sub != nil {
			cmd = sub
		}
	}
	ctx.Cmd = cmd
	cmd.Run(ctx)
	if ctx.failed {
		return redisError("ERR replay of " + cmd.Name + " failed")
	}
	return nil
}

// Table is the command table this engine serves.
func (e *Engine) Table() *Table { return e.table }
