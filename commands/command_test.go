package commands

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// introReply records replies as RESP text (RESP2 or RESP3) for the
// introspection tests.
type introReply struct {
	b     strings.Builder
	proto int
}

func (r *introReply) Proto() int            { return r.proto }
func (r *introReply) SetProto(p int)        { r.proto = p }
func (r *introReply) SimpleString(s string) { r.b.WriteString("+" + s + "\r\n") }
func (r *introReply) Error(msg string)      { r.b.WriteString("-" + msg + "\r\n") }
func (r *introReply) Int(n int64)           { fmt.Fprintf(&r.b, ":%d\r\n", n) }
func (r *introReply) Bulk(b []byte)         { r.BulkString(string(b)) }
func (r *introReply) BulkString(s string)   { fmt.Fprintf(&r.b, "$%d\r\n%s\r\n", len(s), s) }
func (r *introReply) Array(n int)           { fmt.Fprintf(&r.b, "*%d\r\n", n) }
func (r *introReply) Double(f float64)      { r.BulkString(formatFloat(f)) }
func (r *introReply) Push(n int)            { r.header('>', n, 1) }
func (r *introReply) Map(n int)             { r.header('%', n, 2) }
func (r *introReply) Set(n int)             { r.header('~', n, 1) }
func (r *introReply) Null() {
	if r.proto == 3 {
		r.b.WriteString("_\r\n")
	} else {
		r.b.WriteString("$-1\r\n")
	}
}
func (r *introReply) NullArray() {
	if r.proto == 3 {
		r.b.WriteString("_\r\n")
	} else {
		r.b.WriteString("*-1\r\n")
	}
}
func (r *introReply) Bool(v bool) {
	n := map[bool]int64{true: 1, false: 0}[v]
	if r.proto == 3 {
		r.b.WriteString(map[bool]string{true: "#t\r\n", false: "#f\r\n"}[v])
		return
	}
	r.Int(n)
}
func (r *introReply) Verbatim(s string) {
	if r.proto == 3 {
		fmt.Fprintf(&r.b, "=%d\r\ntxt:%s\r\n", len(s)+4, s)
		return
	}
	r.BulkString(s)
}
func (r *introReply) header(kind byte, n, per int) {
	if r.proto == 3 {
		fmt.Fprintf(&r.b, "%c%d\r\n", kind, n)
		return
	}
	fmt.Fprintf(&r.b, "*%d\r\n", n*per)
}

// introHost is a Host with a fixed set of clients and a recorded config.
type introHost struct {
	clients []*Client
	closed  []int64
	config  map[string]string
	reset   int
}

func (h *introHost) Clients() []*Client { return append([]*Client(nil), h.clients...) }

// The persistence side of Host is not exercised by these tests.
func (h *introHost) StartSnapshot() (<-chan struct{}, error) { return nil, ErrSnapshotInProgress }
func (h *introHost) LastSnapshotError() error                { return nil }
func (h *introHost) Reload() (<-chan struct{}, error)        { return nil, ErrSnapshotInProgress }
func (h *introHost) LastSave() int64                         { return 0 }
func (h *introHost) RequestShutdown(bool) error              { return nil }
func (h *introHost) CloseClient(c *Client) {
	c.Closing = true
	h.closed = append(h.closed, c.ID)
}
func (h *introHost) ConfigGet(patterns []string) [][2]string {
	var out [][2]string
	for _, p := range patterns {
		if v, ok := h.config[p]; ok {
			out = append(out, [2]string{p, v})
		}
	}
	return out
}
func (h *introHost) ConfigSet(pairs [][2]string) error {
	for _, p := range pairs {
		if _, ok := h.config[p[0]]; !ok {
			return redisError("ERR Unknown option or number of arguments for CONFIG SET - '" + p[0] + "'")
		}
		h.config[p[0]] = p[1]
	}
	return nil
}
func (h *introHost) ConfigRewrite() error {
	return redisError("ERR The server is running without a config file")
}
func (h *introHost) RequirePass() string { return "" }
func (h *introHost) Stats() HostStats {
	return HostStats{SpoolVersion: "9.9.9", RunID: strings.Repeat("a", 40), TCPPort: 6379,
		Started: introNow.Add(-90 * time.Second), ConnectedClients: len(h.clients), MaxClients: 10000,
		UsedMemory: 2048, UsedMemoryRSS: 4096}
}
func (h *introHost) ResetStats() { h.reset++ }

var introNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type introEnv struct {
	t      *testing.T
	engine *Engine
	host   *introHost
	client *Client
}

func newIntroEnv(t *testing.T) *introEnv {
	host := &introHost{config: map[string]string{"maxclients": "10000", "timeout": "0"}}
	e := NewEngine(16, host, func() time.Time { return introNow })
	c := NewClient(7, "127.0.0.1:50000", "127.0.0.1:6379", introNow, true)
	c.FD = 9
	host.clients = append(host.clients, c)
	return &introEnv{t: t, engine: e, host: host, client: c}
}

// addClient connects another client.
func (env *introEnv) addClient(id int64, addr string) *Client {
	c := NewClient(id, addr, "127.0.0.1:6379", introNow.Add(-10*time.Second), true)
	env.host.clients = append(env.host.clients, c)
	return c
}

func (env *introEnv) do(args ...string) string {
	return env.doProto(2, args...)
}

func (env *introEnv) doProto(proto int, args ...string) string {
	env.t.Helper()
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	out := &introReply{proto: proto}
	env.engine.Execute(env.engine.NewContext(env.client, out, b))
	return out.b.String()
}

func TestCommandInfoShape(t *testing.T) {
	env := newIntroEnv(t)
	got := env.do("COMMAND", "INFO", "client|id", "nosuch")
	want := "*2\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n$-1\r\n"
	if got != want {
		t.Errorf("COMMAND INFO:\n got %q\nwant %q", got, want)
	}
	got = env.doProto(3, "COMMAND", "INFO", "slowlog|len")
	want = "*1\r\n*10\r\n$11\r\nslowlog|len\r\n:2\r\n~3\r\n+admin\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n" +
		"~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n" +
		"~3\r\n$24\r\nrequest_policy:all_nodes\r\n$23\r\nresponse_policy:agg_sum\r\n$23\r\nnondeterministic_output\r\n~0\r\n~0\r\n"
	if got != want {
		t.Errorf("COMMAND INFO RESP3:\n got %q\nwant %q", got, want)
	}
}

func TestCommandCategories(t *testing.T) {
	tests := []struct {
		cmd  *Command
		want string
	}{
		{&Command{Categories: "string", Flags: FlagReadOnly | FlagFast}, "read string fast"},
		{&Command{Categories: "connection", Flags: FlagAdmin}, "admin slow dangerous connection"},
		{&Command{}, "slow"},
		{&Command{Categories: "@stream", Flags: FlagWrite | FlagBlocking}, "write stream slow blocking"},
	}
	for _, tt := range tests {
		var got []string
		cats := tt.cmd.aclCategories()
		for i, name := range aclCategories {
			if cats&(1<<i) != 0 {
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("categories of %+v = %v, want %s", tt.cmd, got, tt.want)
		}
	}
}

func TestParseCommandList(t *testing.T) {
	tests := []struct {
		args string
		want commandListFilter
		err  bool
	}{
		{"COMMAND LIST", commandListFilter{}, false},
		{"COMMAND LIST FILTERBY PATTERN c*", commandListFilter{"pattern", "c*"}, false},
		{"COMMAND LIST filterby aclcat read", commandListFilter{"aclcat", "read"}, false},
		{"COMMAND LIST FILTERBY module x", commandListFilter{"module", "x"}, false},
		{"COMMAND LIST FILTERBY foo x", commandListFilter{}, true},
		{"COMMAND LIST FILTERBY pattern", commandListFilter{}, true},
		{"COMMAND LIST FILTERBY pattern a b", commandListFilter{}, true},
		{"COMMAND LIST foo", commandListFilter{}, true},
	}
	for _, tt := range tests {
		f, err := parseCommandList(splitWords(tt.args))
		if (err != nil) != tt.err || (!tt.err && f != tt.want) {
			t.Errorf("parseCommandList(%q) = %+v, %v", tt.args, f, err)
		}
	}
}

func splitWords(s string) [][]byte {
	var out [][]byte
	for _, w := range strings.Fields(s) {
		out = append(out, []byte(w))
	}
	return out
}

func TestCommandList(t *testing.T) {
	env := newIntroEnv(t)
	if got := env.do("COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog*"); got !=
		"*5\r\n$7\r\nslowlog\r\n$11\r\nslowlog|get\r\n$11\r\nslowlog|len\r\n$13\r\nslowlog|reset\r\n$12\r\nslowlog|help\r\n" {
		t.Errorf("pattern filter: %q", got)
	}
	if got := env.do("COMMAND", "LIST", "FILTERBY", "ACLCAT", "dangerous"); !strings.Contains(got, "$4\r\ninfo\r\n") ||
		strings.Contains(got, "$4\r\nping\r\n") {
		t.Errorf("aclcat filter: %q", got)
	}
	if got := env.do("COMMAND", "LIST", "FILTERBY", "MODULE", "x"); got != "*0\r\n" {
		t.Errorf("module filter: %q", got)
	}
}

func TestKeysFromSpecs(t *testing.T) {
	xread := redisSpecs["xread"].KeySpecs
	tests := []struct {
		name  string
		specs []KeySpec
		arity int
		args  string
		want  []int
		ok    bool
	}{
		{"get", redisSpecs["get"].KeySpecs, 2, "GET k", []int{1}, true},
		{"mset", redisSpecs["mset"].KeySpecs, -3, "MSET a 1 b 2", []int{1, 3}, true},
		{"mget", redisSpecs["mget"].KeySpecs, -2, "MGET a b c", []int{1, 2, 3}, true},
		{"xread", xread, -4, "XREAD COUNT 2 STREAMS a b 0 0", []int{4, 5}, true},
		{"xread no STREAMS", xread, -4, "XREAD COUNT 2 a 0", nil, true},
		{"xreadgroup", redisSpecs["xreadgroup"].KeySpecs, -7, "XREADGROUP GROUP g c STREAMS s >", []int{5}, true},
		{"blmpop keynum", redisSpecs["blmpop"].KeySpecs, -5, "BLMPOP 0 2 a b LEFT", []int{3, 4}, true},
		{"keynum not a number", redisSpecs["blmpop"].KeySpecs, -5, "BLMPOP 0 x a b LEFT", nil, false},
		{"derived", []KeySpec{{Flags: "RW update", Begin: BeginSearch{Type: "index", Index: 2},
			Find: FindKeys{Type: "range", LastKey: 0, KeyStep: 1}}}, -3, "XQ.NACK g key", []int{2}, true},
	}
	for _, tt := range tests {
		keys, ok := keysFromSpecs(tt.specs, tt.arity, splitWords(tt.args))
		var got []int
		for _, k := range keys {
			got = append(got, k.pos)
		}
		if ok != tt.ok || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: keys %v ok %v, want %v ok %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDerivedKeySpec(t *testing.T) {
	c := &Command{Name: "xq.policy", Flags: FlagWrite, FirstKey: 2, LastKey: 2, Step: 1}
	specs := c.keySpecs()
	if len(specs) != 1 || specs[0].Flags != "RW update" || specs[0].Begin.Index != 2 || specs[0].Find.LastKey != 0 {
		t.Fatalf("derived spec: %+v", specs)
	}
	c = &Command{Name: "xq.multi", Flags: FlagReadOnly, FirstKey: 1, LastKey: -1, Step: 2}
	if specs := c.keySpecs(); specs[0].Flags != "RO access" || specs[0].Find.LastKey != -1 || specs[0].Find.KeyStep != 2 {
		t.Fatalf("derived spec: %+v", specs)
	}
	if specs := (&Command{Name: "xq.nokeys"}).keySpecs(); specs != nil {
		t.Fatalf("keyless command has specs: %+v", specs)
	}
}

func TestCommandHelpHeaderUsesTypedName(t *testing.T) {
	env := newIntroEnv(t)
	got := env.do("command", "help")
	if !strings.HasPrefix(got, "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") ||
		!strings.HasSuffix(got, "+HELP\r\n+    Prints this help.\r\n") {
		t.Errorf("COMMAND HELP: %q", got)
	}
}

// TestCommandDocsRedisCliAsserts checks the types redis-cli 7 asserts on
// when it reads COMMAND DOCS: bulk strings for the text fields, an array
// of arguments, status strings for argument flags.
func TestCommandDocsRedisCliAsserts(t *testing.T) {
	env := newIntroEnv(t)
	got := env.do("COMMAND", "DOCS", "client|list")
	want := "*2\r\n$11\r\nclient|list\r\n*10\r\n" +
		"$7\r\nsummary\r\n$34\r\nGet the list of client connections\r\n" +
		"$5\r\nsince\r\n$5\r\n2.4.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n" +
		"$10\r\ncomplexity\r\n$48\r\nO(N) where N is the number of client connections\r\n" +
		"$9\r\narguments\r\n*2\r\n" +
		"*10\r\n$4\r\nname\r\n$28\r\nnormal_master_replica_pubsub\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\ntoken\r\n$4\r\nTYPE\r\n" +
		"$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*4\r\n" +
		"*6\r\n$4\r\nname\r\n$6\r\nnormal\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$6\r\nNORMAL\r\n" +
		"*6\r\n$4\r\nname\r\n$6\r\nmaster\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$6\r\nMASTER\r\n" +
		"*6\r\n$4\r\nname\r\n$7\r\nreplica\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$7\r\nREPLICA\r\n" +
		"*6\r\n$4\r\nname\r\n$6\r\npubsub\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$6\r\nPUBSUB\r\n" +
		"*8\r\n$4\r\nname\r\n$9\r\nclient-id\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nID\r\n" +
		"$5\r\nflags\r\n*2\r\n+optional\r\n+multiple\r\n"
	if got != want {
		t.Errorf("COMMAND DOCS client|list:\n got %q\nwant %q", got, want)
	}
}
