package commands

import (
	"strings"
	"testing"
	"time"
)

// txEnv is an engine with a settable clock and several clients, for
// transactions and WATCH.
type txEnv struct {
	t       *testing.T
	eng     *Engine
	now     time.Time
	clients map[int]*Client
	effects [][]Effect // per command, as the server publishes them
}

func newTxEnv(t *testing.T) *txEnv {
	env := &txEnv{t: t, now: time.UnixMilli(1_700_000_000_000), clients: map[int]*Client{}}
	env.eng = NewEngine(16, nil, func() time.Time { return env.now })
	return env
}

func (env *txEnv) client(n int) *Client {
	c, ok := env.clients[n]
	if !ok {
		c = NewClient(int64(n), "test", "test", env.now, true)
		env.clients[n] = c
	}
	return c
}

// do runs a command for client n and returns its RESP text.
func (env *txEnv) do(n int, args ...string) string {
	env.t.Helper()
	c := env.client(n)
	out := &respText{proto: c.Proto}
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	ctx := env.eng.NewContext(c, out, b)
	env.eng.Execute(ctx)
	if effs := ctx.Effects(); len(effs) > 0 {
		env.effects = append(env.effects, effs)
	}
	return out.b.String()
}

func (env *txEnv) expect(n int, want string, args ...string) {
	env.t.Helper()
	if got := env.do(n, args...); got != want {
		env.t.Fatalf("%s: got %q, want %q", strings.Join(args, " "), got, want)
	}
}

// records renders the published effect lists, one string per WAL record.
func (env *txEnv) records() []string {
	var out []string
	for _, rec := range env.effects {
		var parts []string
		for _, e := range rec {
			args := make([]string, len(e.Args))
			for i, a := range e.Args {
				args[i] = string(a)
			}
			parts = append(parts, "db"+itoa(int64(e.DB))+":"+strings.Join(args, " "))
		}
		out = append(out, strings.Join(parts, " | "))
	}
	env.effects = nil
	return out
}

const (
	queued   = "+QUEUED\r\n"
	okReply  = "+OK\r\n"
	nullArr  = "*-1\r\n"
	pongArr1 = "*1\r\n+PONG\r\n"
)

func TestExecIsOneRecord(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "SET", "gone", "x", "PX", "10")
	env.do(0, "SET", "n", "1")
	env.records()
	env.now = env.now.Add(time.Second)

	env.expect(0, okReply, "MULTI")
	env.expect(0, queued, "INCR", "n")
	env.expect(0, queued, "GET", "gone") // lazy expiry: a DEL inside the transaction
	env.expect(0, queued, "SELECT", "3")
	env.expect(0, queued, "SET", "other", "v")
	env.expect(0, queued, "INCR", "other") // fails at run time
	env.expect(0, queued, "SELECT", "0")
	if recs := env.records(); len(recs) != 0 {
		t.Fatalf("queueing published %q", recs)
	}
	want := "*6\r\n:2\r\n$-1\r\n+OK\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n"
	env.expect(0, want, "EXEC")
	got := env.records()
	wantRecs := []string{"db0:INCR n | db0:DEL gone | db3:SET other v"}
	if strings.Join(got, "\n") != strings.Join(wantRecs, "\n") {
		t.Fatalf("records:\n%q\nwant\n%q", got, wantRecs)
	}
	if env.client(0).Multi != nil || env.client(0).DB != 0 {
		t.Fatalf("client left in a transaction or db %d", env.client(0).DB)
	}
	// Replaying the record rebuilds the same state.
	replay := newTxEnv(t)
	for _, e := range []Effect{
		{DB: 0, Args: [][]byte{[]byte("SET"), []byte("n"), []byte("1")}},
		{DB: 0, Args: [][]byte{[]byte("INCR"), []byte("n")}},
		{DB: 3, Args: [][]byte{[]byte("SET"), []byte("other"), []byte("v")}},
	} {
		if err := replay.eng.Replay(NewClient(0, "r", "r", replay.now, true), e); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := replay.eng.Dump(), env.eng.Dump(); got != want {
		t.Fatalf("replayed state\n%s\nwant\n%s", got, want)
	}
}

func TestExecStats(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "SET", "s", "x")
	env.do(0, "MULTI")
	env.do(0, "INCR", "s")
	env.do(0, "GET", "s")
	env.do(0, "EXEC")
	if st := env.eng.stats.command("exec"); st.calls != 1 || st.failed != 0 {
		t.Fatalf("exec stats: %+v", *st)
	}
	if st := env.eng.stats.command("incr"); st.calls != 1 || st.failed != 1 {
		t.Fatalf("incr stats: %+v", *st)
	}
	if st := env.eng.stats.command("get"); st.calls != 1 {
		t.Fatalf("get stats: %+v", *st)
	}
	env.do(0, "MULTI")
	env.do(0, "GET")
	env.do(0, "EXEC")
	if st := env.eng.stats.command("get"); st.rejected != 1 {
		t.Fatalf("get stats: %+v", *st)
	}
	if st := env.eng.stats.command("exec"); st.calls != 2 || st.failed != 1 {
		t.Fatalf("exec stats: %+v", *st)
	}
}

func TestExecRefusedWhileLogFails(t *testing.T) {
	env := newTxEnv(t)
	reason := ""
	env.eng.WriteRefused = func() string { return reason }
	env.do(0, "MULTI")
	env.expect(0, queued, "SET", "k", "v")
	reason = "No space left on device"
	env.expect(0, "-EXECABORT Transaction discarded because of: MISCONF Errors writing to the AOF file: No space left on device\r\n", "EXEC")
	if env.client(0).Multi != nil {
		t.Fatal("transaction not discarded")
	}
	// A read-only transaction still runs, and a write queued now dooms it.
	env.do(0, "MULTI")
	env.expect(0, queued, "GET", "k")
	env.expect(0, "*1\r\n$-1\r\n", "EXEC")
	env.do(0, "MULTI")
	env.expect(0, "-MISCONF Errors writing to the AOF file: No space left on device\r\n", "SET", "k", "v")
	reason = ""
	env.expect(0, "-EXECABORT Transaction discarded because of previous errors.\r\n", "EXEC")
}

func TestExecArityAbortsOutsideMulti(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "WATCH", "k")
	env.expect(0, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", "EXEC", "x")
	if len(env.eng.watched) != 0 {
		t.Fatal("a refused EXEC must forget watched keys, as Redis's discardTransaction")
	}
}

func TestQueuedArgsAreCopied(t *testing.T) {
	env := newTxEnv(t)
	c := env.client(0)
	env.do(0, "MULTI")
	args := [][]byte{[]byte("SET"), []byte("k"), []byte("v1")}
	env.eng.Execute(env.eng.NewContext(c, &respText{proto: 2}, args))
	copy(args[2], "XX") // the connection reuses its read buffer
	env.do(0, "EXEC")
	env.expect(0, "$2\r\nv1\r\n", "GET", "k")
}

// A queued command that must wait for work outside the lock (DEBUG RELOAD)
// gets its reply before the rest of the transaction runs.
func TestExecResumesAfterBlock(t *testing.T) {
	env := newTxEnv(t)
	c := env.client(0)
	waiter := &Command{Name: "waiter", Arity: 1, Run: func(ctx *Context) {
		ctx.Block(&BlockRequest{Retry: func(ctx *Context) bool {
			ctx.Out.SimpleString("DONE")
			return true
		}})
	}}
	env.do(0, "MULTI")
	env.do(0, "SET", "a", "1")
	env.do(0, "PING")
	c.Multi.cmds[1] = waiter
	c.Multi.Queued[1] = [][]byte{[]byte("waiter")}
	env.do(0, "INCR", "a")
	out := &respText{proto: 2}
	ctx := env.eng.NewContext(c, out, [][]byte{[]byte("EXEC")})
	env.eng.Execute(ctx)
	req := ctx.BlockRequest()
	if req == nil {
		t.Fatal("no block request")
	}
	if got := out.b.String(); got != "*3\r\n+OK\r\n" {
		t.Fatalf("before the wait: %q", got)
	}
	if c.Multi != nil {
		t.Fatal("still in a transaction while parked")
	}
	retry := env.eng.NewContext(c, out, nil)
	if !req.Retry(retry) {
		t.Fatal("retry did not serve")
	}
	if got := out.b.String(); got != "*3\r\n+OK\r\n+DONE\r\n:2\r\n" {
		t.Fatalf("after the wait: %q", got)
	}
	if len(retry.Effects()) != 1 {
		t.Fatalf("effects after the wait: %v", retry.Effects())
	}
}

func TestBlockingCommandsInsideExecDoNotBlock(t *testing.T) {
	env := newTxEnv(t)
	env.do(0, "MULTI")
	env.do(0, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
	env.do(0, "WAIT", "1", "0")
	out := &respText{proto: 2}
	ctx := env.eng.NewContext(env.client(0), out, [][]byte{[]byte("EXEC")})
	env.eng.Execute(ctx)
	if ctx.BlockRequest() != nil {
		t.Fatal("EXEC blocked")
	}
	if got := out.b.String(); got != "*2\r\n*-1\r\n:0\r\n" {
		t.Fatalf("got %q", got)
	}
}
