package commands

import (
	"time"
)

// Context is one command's execution: its arguments, where its reply goes,
// the client that sent it, and what it changed. Handlers run with the
// keyspace lock held and must not keep Args past their return (they point
// into the connection's read buffer): copy what you store.
type Context struct {
	*Engine
	Args   [][]byte
	Out    Reply
	Client *Client
	Cmd    *Command
	// Replaying is true when the command is an effect being re-applied from
	// the log: no lazy expiry, no new effects, no replies.
	Replaying bool

	effects  []Effect
	changed  bool
	custom   bool // the handler propagated its own effects
	signaled []signal
	block    *BlockRequest
	failed   bool

	// Scratch space for a handler (see formatID and XADD's effect): replies
	// and Propagate copy what they are given, so each command may reuse it.
	// Reset keeps effectBuf's capacity.
	idBuf     [41]byte // "<ms>-<seq>" of two uint64s
	effectBuf [][]byte
}

type signal struct {
	db  int
	key string
}

// BlockRequest asks the server to park the client until one of Keys is
// signalled, Done is closed, or Deadline passes (zero = forever). Retry runs
// under the lock with a fresh Context each time a key is signalled or Done
// closes: it replies and returns true when it could serve the client.
// Timeout writes the timeout reply. Done lets a command wait for work the
// server does outside the lock (SAVE waits for its snapshot file).
type BlockRequest struct {
	DB       int
	Keys     []string
	Done     <-chan struct{}
	Deadline time.Time
	Retry    func(*Context) bool
	Timeout  func(*Context)

	// Redelivery says the request may become servable without a signal,
	// when a queue redelivery falls due (XREADGROUP on a group with an
	// XQ.POLICY or XQ.NACK delays). WakeAt is then the unix ms time at
	// which to run Retry anyway (0: none); Retry keeps it up to date. The
	// server arms one timer for all such requests (STYLE.md rule 6).
	Redelivery bool
	WakeAt     int64
}

// Reset makes ctx, a Context its owner runs commands through one at a time,
// ready to execute args for client, as NewContext would, but keeping the
// memory of its effect and signal lists: a connection reuses one Context for
// all its commands instead of allocating one per command. Whatever the
// previous command left on ctx (effects, signals, block request) must have
// been handled, and nothing may hold on to ctx or those lists, by then.
func (ctx *Context) Reset(e *Engine, client *Client, out Reply, args [][]byte) *Context {
	clear(ctx.effects) // drop the references to the previous arguments
	clear(ctx.signaled)
	*ctx = Context{Engine: e, Args: args, Out: out, Client: client, effects: ctx.effects[:0], signaled: ctx.signaled[:0], effectBuf: ctx.effectBuf[:0]}
	return ctx
}

// DB is the client's selected database.
func (ctx *Context) DB() *DB { return ctx.Keys.DBs[ctx.Client.DB] }

// Error sends an error reply and counts it.
func (ctx *Context) Error(msg string) {
	ctx.failed = true
	if ctx.Replaying {
		return
	}
	ctx.stats.countError(msg)
	ctx.Out.Error(msg)
}

// Fail sends the Redis text of err.
func (ctx *Context) Fail(err error) { ctx.Error(errorText(err)) }

// Changed records that the command modified the dataset: unless the handler
// propagates its own effect, its arguments as given become the effect.
func (ctx *Context) Changed() {
	ctx.changed = true
	ctx.stats.dirty++
}

// Propagate records a resolved effect in the client's current db instead of
// the command as typed. Arguments are copied.
func (ctx *Context) Propagate(args ...[]byte) {
	ctx.PropagateIn(ctx.Client.DB, args...)
}

// PropagateIn records a resolved effect against db.
func (ctx *Context) PropagateIn(db int, args ...[]byte) {
	ctx.custom = true
	ctx.stats.dirty++
	if ctx.Replaying {
		return
	}
	ctx.effects = append(ctx.effects, Effect{DB: db, Args: copyArgs(args)})
}

// PropagateStrings is Propagate for string arguments.
func (ctx *Context) PropagateStrings(args ...string) {
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	ctx.Propagate(b...)
}

// Signal tells blocked clients and watchers that key in db changed. Call it
// after the change: a watcher's EXEC fails at once (Redis's
// touchWatchedKey), blocked clients are woken when the command is done.
func (ctx *Context) Signal(db int, key string) {
	ctx.signaled = append(ctx.signaled, signal{db, key})
	if len(ctx.watched) != 0 {
		ctx.touchWatched(db, key)
	}
}

// wake wakes the clients blocked on key in db without touching its
// watchers, for changes whose WATCH rule is applied separately (SWAPDB).
func (ctx *Context) wake(db int, key string) {
	ctx.signaled = append(ctx.signaled, signal{db, key})
}

// Block parks the client; see BlockRequest.
func (ctx *Context) Block(req *BlockRequest) { ctx.block = req }

// Effects returns what the command changed, in order.
func (ctx *Context) Effects() []Effect { return ctx.effects }

// BlockRequest returns the block the command asked for, if any.
func (ctx *Context) BlockRequest() *BlockRequest { return ctx.block }

// Signaled calls fn for every key the command changed.
func (ctx *Context) Signaled(fn func(db int, key string)) {
	for _, s := range ctx.signaled {
		fn(s.db, s.key)
	}
}

func copyArgs(args [][]byte) [][]byte {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(args))
	for i, a := range args {
		start := len(buf)
		buf = append(buf, a...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}
