package commands

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FuzzCommandArgs drives every command's argument parser through the real
// dispatcher (Engine.Execute) against a keyspace that holds a few keys of
// every type, streams with groups and pending entries among them. For each
// input it asserts:
//
//   - no panic;
//   - the reply is one complete, well-formed RESP reply (aggregate counts
//     match what follows, bulk lengths are exact, error replies carry an
//     upper-case code);
//   - an error reply changes nothing: no effect is logged and the dataset
//     dump is unchanged;
//   - a command that logs no effect changes nothing;
//   - replaying the logged effects into a fresh engine that holds the same
//     starting data gives the same dataset, both at the time the commands
//     ran and an hour later: every change is logged, and logged
//     deterministically.
//
// The input is a pick and a line of up to three commands separated by
// 0x01 bytes, each a list of NUL-separated arguments, run one after the
// other by one client (so MULTI, SELECT or XGROUP CREATE can prepare what
// follows). When the first argument names a command of the table ("xadd",
// or "xgroup|create" for a subcommand), that command runs with the
// remaining arguments, which keeps the checked-in seeds meaningful as the
// table grows; otherwise the pick chooses the command (pick&0x7fff, plus 97
// for each later command, indexes fuzzCommandList) and every field is an
// argument. pick&0x8000 runs the client in RESP3.
func FuzzCommandArgs(f *testing.F) {
	f.Add(uint16(0), []byte("xadd\x00s\x00*\x00f\x00v"))
	f.Add(uint16(0x8000), []byte("xinfo|stream\x00s\x00FULL"))
	f.Add(uint16(1), []byte("k\x00v"))
	f.Fuzz(func(t *testing.T, pick uint16, line []byte) {
		if len(line) > 4096 {
			return
		}
		var argvs [][][]byte
		for i, part := range bytes.SplitN(line, []byte{1}, 3) {
			fields := bytes.Split(part, []byte{0})
			if len(fields) > 64 {
				return
			}
			prefix, args := fuzzPickCommand(pick+uint16(i)*97, fields)
			argv := append(append([][]byte(nil), prefix...), args...)
			if fuzzSkipped(argv) || fuzzTooCostly(argv) {
				return
			}
			argvs = append(argvs, argv)
		}
		fuzzRun(t, pick&0x8000 != 0, argvs...)
	})
}

// fuzzExcluded are the commands the fuzz target never runs, and why.
var fuzzExcluded = map[string]string{
	"shutdown":       "asks the host to stop the process",
	"debug":          "DEBUG SLEEP stalls the keyspace lock for as long as asked; DEBUG RELOAD rewrites the dataset through a snapshot file on disk",
	"save":           "writes a snapshot file to disk through the host",
	"bgsave":         "writes a snapshot file to disk through the host",
	"bgrewriteaof":   "writes a snapshot file to disk through the host",
	"monitor":        "streams every later command to the client, forever (listed for when it exists)",
	"subscribe":      "one confirmation frame per channel rather than one reply, and the client enters subscribed mode, which the server's hub serves",
	"psubscribe":     "as subscribe",
	"ssubscribe":     "as subscribe",
	"unsubscribe":    "as subscribe: one frame per channel",
	"punsubscribe":   "as subscribe: one frame per channel",
	"sunsubscribe":   "as subscribe: one frame per channel",
	"acl|load":       "reads the aclfile from disk (none is configured here, but the command is about the file)",
	"acl|save":       "writes the aclfile to disk",
	"config|rewrite": "writes the configuration file",
}

// fuzzCommandList is every runnable command in table order, each as the
// argument prefix that selects it: ["get"], or ["xgroup", "create"] for a
// subcommand. Containers appear on their own too, so that unknown and
// missing subcommands are fuzzed.
var fuzzCommandList = func() [][][]byte {
	var out [][][]byte
	for _, c := range newCommandTable().All() {
		if _, skip := fuzzExcluded[c.Name]; skip {
			continue
		}
		out = append(out, [][]byte{[]byte(c.Name)})
		for _, s := range c.Subcommands {
			if _, skip := fuzzExcluded[s.Name]; skip {
				continue
			}
			out = append(out, [][]byte{[]byte(c.Name), []byte(s.ShortName())})
		}
	}
	return out
}()

// fuzzPickCommand returns the argument prefix naming the command to run
// and the arguments that follow it.
func fuzzPickCommand(pick uint16, fields [][]byte) (prefix, args [][]byte) {
	name := strings.ToLower(string(fields[0]))
	for _, p := range fuzzCommandList {
		full := string(p[0])
		if len(p) == 2 {
			full += "|" + string(p[1])
		}
		if full == name {
			return p, fields[1:]
		}
	}
	if len(fields) == 1 && len(fields[0]) == 0 {
		fields = nil // an empty line: the command alone
	}
	return fuzzCommandList[int(pick&0x7fff)%len(fuzzCommandList)], fields
}

// fuzzSkipped reports whether argv runs an excluded command, a container's
// excluded subcommand among them (a container is fuzzed with any first
// argument).
func fuzzSkipped(argv [][]byte) bool {
	name := strings.ToLower(string(argv[0]))
	if _, skip := fuzzExcluded[name]; skip {
		return true
	}
	if len(argv) > 1 {
		_, skip := fuzzExcluded[name+"|"+strings.ToLower(string(argv[1]))]
		return skip
	}
	return false
}

// fuzzTooCostly rejects arguments whose cost is the request itself rather
// than a parser path: SRANDMEMBER and HRANDFIELD with a negative count
// return that many elements (Redis too), and the target would spend its
// time allocating them.
func fuzzTooCostly(argv [][]byte) bool {
	switch strings.ToLower(string(argv[0])) {
	case "srandmember", "hrandfield", "zrandmember":
		if len(argv) > 2 {
			n, err := strconv.ParseInt(string(argv[2]), 10, 64)
			return err == nil && (n < -1000 || n > 1000)
		}
	}
	return false
}

// fuzzStart is when the dataset is built; commands run a minute later so
// that pending entries have idled; effects are replayed at that time and
// an hour later.
var fuzzStart = time.UnixMilli(1_700_000_000_000)

// fuzzSetup builds the starting dataset: every type, streams with groups,
// consumers, pending entries (one of them deleted from the stream), an
// empty stream with a group, IDMP state, and a key in another database.
var fuzzSetup = [][]string{
	{"SET", "str", "hello"},
	{"SET", "num", "42"},
	{"SET", "flt", "3.25"},
	{"SET", "ttl", "v", "PX", "7200000"},
	{"RPUSH", "list", "a", "b", "c", "1", "2", "3"},
	{"HSET", "hash", "f1", "v1", "f2", "2", "f3", "3.5"},
	{"SADD", "set", "a", "b", "c"},
	{"SADD", "iset", "1", "2", "3"},
	{"ZADD", "zset", "1", "a", "2", "b", "2.5", "d", "3", "c"},
	{"XADD", "s", "1-1", "f", "v"},
	{"XADD", "s", "1-2", "f", "v2", "g", "w"},
	{"XADD", "s", "2-0", "a", "b"},
	{"XADD", "s", "3-0", "c", "d"},
	{"XADD", "s", "5-0", "e", "f"},
	{"XGROUP", "CREATE", "s", "g1", "0"},
	{"XGROUP", "CREATE", "s", "g2", "$"},
	{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "s", ">"},
	{"XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "s", ">"},
	{"XGROUP", "CREATECONSUMER", "s", "g1", "carol"},
	{"XDEL", "s", "1-2"},
	{"XADD", "s2", "MAXLEN", "10", "*", "a", "1"},
	{"XCFGSET", "s2", "IDMP-DURATION", "100", "IDMP-MAXSIZE", "10"},
	{"XADD", "s2", "IDMP", "p1", "i1", "*", "x", "y"},
	{"XGROUP", "CREATE", "s2", "g", "0", "ENTRIESREAD", "1"},
	{"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s2", ">"},
	{"XADD", "es", "1-0", "a", "b"},
	{"XDEL", "es", "1-0"},
	{"XGROUP", "CREATE", "es", "g", "0"},
	{"SELECT", "1"},
	{"SET", "other", "1"},
	{"XADD", "s", "1-0", "f", "v"},
	{"SELECT", "0"},
}

// fuzzEnv is one engine with the starting dataset, a settable clock and a
// host that never reaches the process.
type fuzzEnv struct {
	eng    *Engine
	client *Client
	now    time.Time
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	env := &fuzzEnv{now: fuzzStart}
	env.eng = NewEngine(16, nil, func() time.Time { return env.now })
	env.client = NewClient(1, "127.0.0.1:40000", "127.0.0.1:6379", env.now, true)
	env.eng.Host = &fuzzHost{clients: []*Client{env.client}}
	// SETRANGE and APPEND may grow a string up to proto-max-bulk-len;
	// 512 MB per input would measure the allocator, not the parser.
	env.eng.Settings.ProtoMaxBulkLen = 1 << 20
	for _, line := range fuzzSetup {
		args := make([][]byte, len(line))
		for i, a := range line {
			args[i] = []byte(a)
		}
		out := &fuzzReply{proto: 2}
		ctx := env.eng.NewContext(env.client, out, args)
		env.eng.Execute(ctx)
		if bytes.HasPrefix(out.buf, []byte("-")) {
			tb.Fatalf("setup %q: %s", line, out.buf)
		}
	}
	return env
}

// fuzzSetupDump is the dump of the starting dataset, computed once: the
// setup is deterministic (TestFuzzSetupDeterministic).
var fuzzSetupDump = sync.OnceValue(func() string {
	return newFuzzEnv(panicTB{}).eng.Dump()
})

// panicTB lets newFuzzEnv run outside a test; a setup failure panics.
type panicTB struct{ testing.TB }

func (panicTB) Helper() {}
func (panicTB) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

// fuzzRunOne runs one command under the checks of fuzzRun.
func fuzzRunOne(t *testing.T, resp3 bool, argv [][]byte) { fuzzRun(t, resp3, argv) }

// fuzzRun runs the commands in order on one client and checks the
// invariants above after each, then replays all their effects.
func fuzzRun(t *testing.T, resp3 bool, argvs ...[][]byte) {
	env := newFuzzEnv(t)
	env.now = fuzzStart.Add(time.Minute)
	if resp3 {
		env.client.Proto = 3
	}
	before := fuzzSetupDump()
	var effects []Effect
	for _, argv := range argvs {
		if env.client.Closing {
			break // QUIT or CLIENT KILL: the server closes the connection
		}
		effs, after := fuzzStep(t, env, argv, before)
		effects = append(effects, effs...)
		before = after
	}
	after := before

	// Replay into a fresh engine with the same start, as the server does at
	// start-up: a restart must rebuild exactly this dataset.
	if len(effects) == 0 {
		return // fuzzStep has compared the dataset after each command
	}
	if got := fuzzReplay(t, argvs, effects, fuzzStart.Add(time.Minute)); got != after {
		t.Fatalf("%q: replayed effects %q give another dataset\nlive:\n%s\nreplayed:\n%s",
			argvs, effectsText(effects), after, got)
	}
	// A restart happens later than the command: replayed an hour later the
	// effects must give the same dataset too (consumer times, delivery
	// times and IDs come from the effects, never from the replay clock).
	// Only the IDMP iids may differ: they are pruned by age when a producer
	// is next used (streams/idmp.go), so a late replay prunes more; what
	// lookups and XINFO see at any given time is the same either way.
	if got := fuzzReplay(t, argvs, effects, fuzzStart.Add(time.Hour)); withoutIdmp(got) != withoutIdmp(after) {
		t.Fatalf("%q: effects %q replayed an hour later give another dataset\nlive:\n%s\nreplayed:\n%s",
			argvs, effectsText(effects), after, got)
	}
}

// fuzzStep runs one command on env, whose dataset dumps as before, checks
// its reply and that it logs an effect for any change (none on an error),
// and returns its effects and the dump after it.
func fuzzStep(t *testing.T, env *fuzzEnv, argv [][]byte, before string) ([]Effect, string) {
	out := &fuzzReply{proto: env.client.Proto}
	// The handler may keep nothing of its arguments: give it a copy that
	// is scribbled over afterwards, as the connection's read buffer is.
	args := copyArgs(argv)
	ctx := env.eng.NewContext(env.client, out, args)
	env.eng.Execute(ctx)
	effects := append([]Effect(nil), ctx.Effects()...)
	blockedForever := false
	if req := ctx.BlockRequest(); req != nil {
		// In process nothing blocks: resolve the request at once, as the
		// server does when woken (Retry) or at the deadline (Timeout).
		retry := env.eng.NewContext(env.client, out, nil)
		served := req.Retry != nil && req.Retry(retry)
		effects = append(effects, retry.Effects()...)
		if !served {
			if req.Deadline.IsZero() || req.Timeout == nil {
				blockedForever = true
			} else {
				timeout := env.eng.NewContext(env.client, out, nil)
				req.Timeout(timeout)
				effects = append(effects, timeout.Effects()...)
			}
		}
	}
	for _, a := range args {
		for i := range a {
			a[i] = '#'
		}
	}
	reply := out.buf
	if len(reply) == 0 {
		if !blockedForever && !fuzzMayNotReply(argv) {
			t.Fatalf("%q: no reply", argv)
		}
	} else if err := checkOneRESP(reply); err != nil {
		t.Fatalf("%q: malformed reply %q: %v", argv, reply, err)
	}
	after := env.eng.Dump()
	if reply != nil && reply[0] == '-' {
		if len(effects) != 0 {
			t.Fatalf("%q: error reply %q logged effects %q", argv, reply, effectsText(effects))
		}
		if after != before {
			t.Fatalf("%q: error reply %q changed the dataset\nbefore:\n%s\nafter:\n%s", argv, reply, before, after)
		}
	}
	if len(effects) == 0 && after != before {
		t.Fatalf("%q (reply %q) changed the dataset without logging an effect\nbefore:\n%s\nafter:\n%s",
			argv, reply, before, after)
	}
	return effects, after
}

// fuzzReplay replays effects at now into an engine holding the starting
// dataset and returns its dump.
func fuzzReplay(t *testing.T, argvs [][][]byte, effects []Effect, now time.Time) string {
	fresh := newFuzzEnv(t)
	fresh.now = now
	client := NewClient(2, "replay", "replay", fresh.now, true)
	for i, eff := range effects {
		if err := fresh.eng.Replay(client, eff); err != nil {
			t.Fatalf("%q: replaying effect %d %q at %v: %v\neffects: %q", argvs, i, eff.Args, now, err, effectsText(effects))
		}
	}
	return fresh.eng.Dump()
}

// withoutIdmp removes the " idmp=[...]" parts (Stream.IdmpDump) from a
// dump, skipping over the quoted iids inside.
func withoutIdmp(dump string) string {
	var b strings.Builder
	for {
		i := strings.Index(dump, " idmp=[")
		if i < 0 {
			b.WriteString(dump)
			return b.String()
		}
		b.WriteString(dump[:i])
		j := i + len(" idmp=[")
		for j < len(dump) && dump[j] != ']' {
			if dump[j] == '"' {
				if q, err := strconv.QuotedPrefix(dump[j:]); err == nil {
					j += len(q)
					continue
				}
			}
			j++
		}
		dump = dump[min(j+1, len(dump)):]
	}
}

// fuzzMayNotReply lists the commands that legitimately answer nothing:
// CLIENT REPLY OFF and SKIP (Redis sends no reply to them).
func fuzzMayNotReply(argv [][]byte) bool {
	return len(argv) >= 3 && is(argv[0], "client") && is(argv[1], "reply") &&
		(is(argv[2], "off") || is(argv[2], "skip"))
}

func effectsText(effs []Effect) []string {
	out := make([]string, len(effs))
	for i, e := range effs {
		parts := make([]string, len(e.Args))
		for j, a := range e.Args {
			parts[j] = string(a)
		}
		out[i] = fmt.Sprintf("db%d %s", e.DB, strings.Join(parts, " "))
	}
	return out
}

// fuzzReply renders replies as the server's writer does (server/writer.go),
// including its replacing CR and LF in status and error lines.
type fuzzReply struct {
	proto int
	buf   []byte
}

func (r *fuzzReply) Proto() int     { return r.proto }
func (r *fuzzReply) SetProto(p int) { r.proto = p }
func (r *fuzzReply) line(c byte, s string) {
	r.buf = append(r.buf, c)
	r.buf = append(r.buf, strings.NewReplacer("\r", " ", "\n", " ").Replace(s)...)
	r.buf = append(r.buf, '\r', '\n')
}
func (r *fuzzReply) header(c byte, n int) {
	r.buf = append(r.buf, c)
	r.buf = strconv.AppendInt(r.buf, int64(n), 10)
	r.buf = append(r.buf, '\r', '\n')
}
func (r *fuzzReply) SimpleString(s string) { r.line('+', s) }
func (r *fuzzReply) Error(msg string)      { r.line('-', msg) }
func (r *fuzzReply) Int(n int64)           { r.header(':', int(n)) }
func (r *fuzzReply) Bulk(b []byte) {
	r.header('$', len(b))
	r.buf = append(append(r.buf, b...), '\r', '\n')
}
func (r *fuzzReply) BulkString(s string) { r.Bulk([]byte(s)) }
func (r *fuzzReply) Null()               { r.null("$-1\r\n") }
func (r *fuzzReply) NullArray()          { r.null("*-1\r\n") }
func (r *fuzzReply) null(resp2 string) {
	if r.proto == 3 {
		resp2 = "_\r\n"
	}
	r.buf = append(r.buf, resp2...)
}
func (r *fuzzReply) Array(n int) { r.header('*', n) }
func (r *fuzzReply) Map(n int)   { r.aggregate('%', n, 2) }
func (r *fuzzReply) Set(n int)   { r.aggregate('~', n, 1) }
func (r *fuzzReply) Push(n int)  { r.aggregate('>', n, 1) }
func (r *fuzzReply) aggregate(c byte, n, per int) {
	if r.proto == 3 {
		r.header(c, n)
		return
	}
	r.header('*', n*per)
}
func (r *fuzzReply) Double(f float64) {
	if r.proto == 3 {
		r.line(',', formatFloat(f))
		return
	}
	r.BulkString(formatFloat(f))
}
func (r *fuzzReply) Bool(b bool) {
	switch {
	case r.proto == 3 && b:
		r.buf = append(r.buf, "#t\r\n"...)
	case r.proto == 3:
		r.buf = append(r.buf, "#f\r\n"...)
	case b:
		r.Int(1)
	default:
		r.Int(0)
	}
}
func (r *fuzzReply) Verbatim(s string) {
	if r.proto == 3 {
		r.header('=', len(s)+4)
		r.buf = append(append(append(r.buf, "txt:"...), s...), '\r', '\n')
		return
	}
	r.BulkString(s)
}

// checkOneRESP requires b to hold exactly one complete RESP2/RESP3 reply.
func checkOneRESP(b []byte) error {
	rest, err := parseRESP(b, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d bytes after the reply", len(rest))
	}
	return nil
}

var errRESPShort = errors.New("incomplete reply")

// parseRESP consumes one reply from b and returns what follows it.
func parseRESP(b []byte, depth int) ([]byte, error) {
	if depth > 64 {
		return nil, errors.New("nesting deeper than 64")
	}
	i := bytes.Index(b, []byte("\r\n"))
	if i < 1 {
		return nil, errRESPShort
	}
	kind, head, rest := b[0], string(b[1:i]), b[i+2:]
	if strings.ContainsAny(head, "\r\n") {
		return nil, fmt.Errorf("CR or LF inside a %q line", kind)
	}
	count := func() (int, error) {
		n, err := strconv.Atoi(head)
		if err != nil || n < -1 {
			return 0, fmt.Errorf("bad length %q after %q", head, kind)
		}
		return n, nil
	}
	switch kind {
	case '+':
		return rest, nil
	case '-':
		code, _, _ := strings.Cut(head, " ")
		if code == "" || strings.ToUpper(code) != code {
			return nil, fmt.Errorf("error %q has no upper-case code", head)
		}
		return rest, nil
	case ':':
		if _, err := strconv.ParseInt(head, 10, 64); err != nil {
			return nil, fmt.Errorf("bad integer %q", head)
		}
		return rest, nil
	case ',':
		if _, err := strconv.ParseFloat(head, 64); err != nil && head != "inf" && head != "-inf" && head != "nan" {
			return nil, fmt.Errorf("bad double %q", head)
		}
		return rest, nil
	case '_':
		if head != "" {
			return nil, fmt.Errorf("null with payload %q", head)
		}
		return rest, nil
	case '#':
		if head != "t" && head != "f" {
			return nil, fmt.Errorf("bad boolean %q", head)
		}
		return rest, nil
	case '$', '=':
		n, err := count()
		if err != nil {
			return nil, err
		}
		if n == -1 && kind == '$' {
			return rest, nil
		}
		if n < 0 || len(rest) < n+2 {
			return nil, errRESPShort
		}
		if rest[n] != '\r' || rest[n+1] != '\n' {
			return nil, fmt.Errorf("bulk of %d bytes is not followed by CRLF", n)
		}
		return rest[n+2:], nil
	case '*', '%', '~', '>':
		n, err := count()
		if err != nil {
			return nil, err
		}
		if n == -1 && kind == '*' {
			return rest, nil
		}
		if n < 0 {
			return nil, fmt.Errorf("bad count %d", n)
		}
		if kind == '%' {
			n *= 2
		}
		for j := 0; j < n; j++ {
			if rest, err = parseRESP(rest, depth+1); err != nil {
				return nil, fmt.Errorf("element %d of %c%s: %w", j, kind, head, err)
			}
		}
		return rest, nil
	}
	return nil, fmt.Errorf("unknown reply type %q", kind)
}

// fuzzHost is a Host that stays inside the test: one client, no config
// file, no snapshots.
type fuzzHost struct {
	clients []*Client
}

var errFuzzHost = errors.New("not available in the fuzz target")

func (h *fuzzHost) Clients() []*Client                      { return h.clients }
func (h *fuzzHost) CloseClient(c *Client)                   { c.Closing = true }
func (h *fuzzHost) ConfigGet(patterns []string) [][2]string { return nil }
func (h *fuzzHost) ConfigSet(pairs [][2]string) error       { return errFuzzHost }
func (h *fuzzHost) ConfigRewrite() error                    { return errFuzzHost }
func (h *fuzzHost) RequirePass() string                     { return "" }
func (h *fuzzHost) Stats() HostStats {
	return HostStats{SpoolVersion: "fuzz", RunID: strings.Repeat("0", 40), Started: fuzzStart, ConnectedClients: len(h.clients), MaxClients: 10000}
}
func (h *fuzzHost) ResetStats()                             {}
func (h *fuzzHost) StartSnapshot() (<-chan struct{}, error) { return nil, errFuzzHost }
func (h *fuzzHost) LastSnapshotError() error                { return nil }
func (h *fuzzHost) Reload() (<-chan struct{}, error)        { return nil, errFuzzHost }
func (h *fuzzHost) LastSave() int64                         { return fuzzStart.Unix() }
func (h *fuzzHost) RequestShutdown(save bool) error         { return errFuzzHost }

// The fuzz host is also a pub/sub hub without subscribers: the
// subscription commands are excluded, so nobody ever subscribes.
func (h *fuzzHost) Subscribe(*Client, SubKind, []byte) bool          { return false }
func (h *fuzzHost) Unsubscribe(*Client, SubKind, []byte) bool        { return false }
func (h *fuzzHost) Subscriptions(*Client, SubKind) []string          { return nil }
func (h *fuzzHost) UnsubscribeAll(*Client)                           {}
func (h *fuzzHost) Publish(*Client, Reply, []byte, []byte, bool) int { return 0 }
func (h *fuzzHost) Channels(SubKind, []byte) []string                { return nil }
func (h *fuzzHost) NumSub(SubKind, []byte) int                       { return 0 }
func (h *fuzzHost) NumPat() int                                      { return 0 }

var _ PubSub = (*fuzzHost)(nil)

// TestFuzzSetupDeterministic: two engines built from fuzzSetup hold the
// same dataset, which the replay check of FuzzCommandArgs relies on.
func TestFuzzSetupDeterministic(t *testing.T) {
	a, b := newFuzzEnv(t), newFuzzEnv(t)
	if da, db := a.eng.Dump(), b.eng.Dump(); da != db || da != fuzzSetupDump() {
		t.Fatalf("setup is not deterministic:\n%s\n%s", da, db)
	}
	if len(fuzzCommandList) < 100 {
		t.Fatalf("only %d commands to fuzz", len(fuzzCommandList))
	}
}

// TestFuzzEveryCommand runs each command of the fuzz list with a few
// generic argument lists under the fuzz target's checks, so that every
// command meets them on every run, not only when fuzzing.
func TestFuzzEveryCommand(t *testing.T) {
	argLists := [][]string{
		{},
		{"s"},
		{"s", "g1", "alice", "0", "0-0"},
		{"GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "s", "0"},
		{"list", "0", "-1"},
		{"hash", "f1", "x"},
		{"zset", "-inf", "+inf", "WITHSCORES"},
		{"str", "1", "2"},
		{"missing", "*", "f", "v"},
	}
	for _, prefix := range fuzzCommandList {
		for _, extra := range argLists {
			argv := append([][]byte(nil), prefix...)
			for _, a := range extra {
				argv = append(argv, []byte(a))
			}
			if fuzzSkipped(argv) || fuzzTooCostly(argv) {
				continue
			}
			fuzzRunOne(t, false, argv)
			if len(extra) < 2 {
				fuzzRunOne(t, true, argv)
			}
		}
	}
}
