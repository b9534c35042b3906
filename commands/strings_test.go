package commands

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// respText is a Reply that renders RESP2 or RESP3 as text, so tests assert
// exact reply types ("$-1\r\n" is not "_\r\n", ":1\r\n" is not "$1\r\n1\r\n").
type respText struct {
	proto int
	b     strings.Builder
}

func (r *respText) Proto() int            { return r.proto }
func (r *respText) SetProto(p int)        { r.proto = p }
func (r *respText) SimpleString(s string) { r.b.WriteString("+" + s + "\r\n") }
func (r *respText) Error(msg string)      { r.b.WriteString("-" + msg + "\r\n") }
func (r *respText) Int(n int64)           { fmt.Fprintf(&r.b, ":%d\r\n", n) }
func (r *respText) Bulk(b []byte)         { r.BulkString(string(b)) }
func (r *respText) BulkString(s string)   { fmt.Fprintf(&r.b, "$%d\r\n%s\r\n", len(s), s) }
func (r *respText) Null()                 { r.null("$-1\r\n") }
func (r *respText) NullArray()            { r.null("*-1\r\n") }
func (r *respText) Array(n int)           { fmt.Fprintf(&r.b, "*%d\r\n", n) }
func (r *respText) Map(n int)             { r.aggregate('%', n, 2) }
func (r *respText) Set(n int)             { r.aggregate('~', n, 1) }
func (r *respText) Push(n int)            { r.aggregate('>', n, 1) }
func (r *respText) Verbatim(s string)     { r.BulkString(s) }
func (r *respText) Double(f float64)      { r.BulkString(formatFloat(f)) }
func (r *respText) Bool(v bool) {
	switch {
	case r.proto == 3 && v:
		r.b.WriteString("#t\r\n")
	case r.proto == 3:
		r.b.WriteString("#f\r\n")
	case v:
		r.Int(1)
	default:
		r.Int(0)
	}
}

func (r *respText) null(resp2 string) {
	if r.proto == 3 {
		r.b.WriteString("_\r\n")
		return
	}
	r.b.WriteString(resp2)
}

func (r *respText) aggregate(kind byte, n, per int) {
	if r.proto == 3 {
		fmt.Fprintf(&r.b, "%c%d\r\n", kind, n)
		return
	}
	r.Array(n * per)
}

// stringsEnv is an engine with a fixed, settable clock and one client, for
// running string commands and collecting what they reply and propagate.
type stringsEnv struct {
	t       *testing.T
	eng     *Engine
	client  *Client
	now     time.Time
	effects []Effect
}

func newStringsEnv(t *testing.T) *stringsEnv {
	env := &stringsEnv{t: t, now: time.UnixMilli(1_700_000_000_000)}
	env.eng = NewEngine(16, nil, func() time.Time { return env.now })
	env.client = NewClient(1, "test:1", "test:0", env.now, true)
	return env
}

// do runs one command and returns its reply as RESP text.
func (env *stringsEnv) do(args ...string) string {
	env.t.Helper()
	out := &respText{proto: env.client.Proto}
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	ctx := env.eng.NewContext(env.client, out, b)
	env.eng.Execute(ctx)
	env.effects = append(env.effects, ctx.Effects()...)
	return out.b.String()
}

// takeEffects returns the effects logged since the last call, as text.
func (env *stringsEnv) takeEffects() []string {
	var out []string
	for _, e := range env.effects {
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = string(a)
		}
		out = append(out, strings.Join(parts, " "))
	}
	env.effects = nil
	return out
}

func (env *stringsEnv) entry(key string) *entry {
	return env.eng.Keys.DBs[env.client.DB].peek(key)
}

// putOther stores a value of a type that is not a string at key.
func (env *stringsEnv) putOther(key string) {
	env.eng.Keys.DBs[env.client.DB].add(key, &otherTypeValue{}, env.now.UnixMilli())
}

type otherTypeValue struct{}

func (env *stringsEnv) ms(offset time.Duration) string {
	return strconv.FormatInt(env.now.Add(offset).UnixMilli(), 10)
}

func TestStringCommandsWrongArity(t *testing.T) {
	cases := [][]string{
		{"GET"}, {"GET", "a", "b"},
		{"SET"}, {"SET", "a"},
		{"SETNX", "a"}, {"SETNX", "a", "b", "c"},
		{"SETEX", "a", "10"}, {"SETEX", "a", "10", "v", "x"},
		{"PSETEX", "a", "10"}, {"PSETEX", "a", "10", "v", "x"},
		{"GETDEL"}, {"GETDEL", "a", "b"},
		{"GETEX"},
		{"GETSET", "a"}, {"GETSET", "a", "b", "c"},
		{"MGET"},
		{"MSET"}, {"MSET", "a"}, {"MSET", "a", "1", "b"}, {"MSET", "a", "1", "b", "2", "c"},
		{"MSETNX"}, {"MSETNX", "a"}, {"MSETNX", "a", "1", "b"},
		{"INCR"}, {"INCR", "a", "b"},
		{"DECR"}, {"DECR", "a", "b"},
		{"INCRBY", "a"}, {"INCRBY", "a", "1", "2"},
		{"DECRBY", "a"}, {"DECRBY", "a", "1", "2"},
		{"INCRBYFLOAT", "a"}, {"INCRBYFLOAT", "a", "1", "2"},
		{"APPEND", "a"}, {"APPEND", "a", "b", "c"},
		{"STRLEN"}, {"STRLEN", "a", "b"},
		{"GETRANGE", "a", "0"}, {"GETRANGE", "a", "0", "1", "2"},
		{"SUBSTR", "a", "0"}, {"SUBSTR", "a", "0", "1", "2"},
		{"SETRANGE", "a", "0"}, {"SETRANGE", "a", "0", "b", "c"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env := newStringsEnv(t)
			want := "-ERR wrong number of arguments for '" + strings.ToLower(args[0]) + "' command\r\n"
			if got := env.do(args...); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			if effs := env.takeEffects(); len(effs) != 0 {
				t.Fatalf("effects %q", effs)
			}
		})
	}
}

func TestStringCommandsWrongType(t *testing.T) {
	const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"GET", "o"}, wrongType},
		{[]string{"SET", "o", "v", "GET"}, wrongType},
		{[]string{"SET", "o", "v", "NX", "GET"}, wrongType},
		{[]string{"SET", "o", "v", "NX"}, "$-1\r\n"},
		{[]string{"SETNX", "o", "v"}, ":0\r\n"},
		{[]string{"MSETNX", "x", "1", "o", "v"}, ":0\r\n"},
		{[]string{"MGET", "o", "x"}, "*2\r\n$-1\r\n$-1\r\n"},
		{[]string{"GETDEL", "o"}, wrongType},
		{[]string{"GETEX", "o"}, wrongType},
		{[]string{"GETEX", "o", "EX", "0"}, wrongType},
		{[]string{"GETEX", "o", "FOO"}, "-ERR syntax error\r\n"},
		{[]string{"GETSET", "o", "v"}, wrongType},
		{[]string{"INCR", "o"}, wrongType},
		{[]string{"DECR", "o"}, wrongType},
		{[]string{"INCRBY", "o", "1"}, wrongType},
		{[]string{"INCRBY", "o", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"DECRBY", "o", "1"}, wrongType},
		{[]string{"INCRBYFLOAT", "o", "1"}, wrongType},
		{[]string{"INCRBYFLOAT", "o", "x"}, wrongType},
		{[]string{"APPEND", "o", "x"}, wrongType},
		{[]string{"STRLEN", "o"}, wrongType},
		{[]string{"GETRANGE", "o", "0", "1"}, wrongType},
		{[]string{"GETRANGE", "o", "x", "1"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"SUBSTR", "o", "0", "1"}, wrongType},
		{[]string{"SETRANGE", "o", "0", "x"}, wrongType},
		{[]string{"SETRANGE", "o", "0", ""}, wrongType},
		{[]string{"SETRANGE", "o", "-1", "x"}, "-ERR offset is out of range\r\n"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			env := newStringsEnv(t)
			env.putOther("o")
			if got := env.do(c.args...); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if _, still := env.entry("o").value.(*otherTypeValue); !still {
				t.Fatalf("the other-type value was replaced")
			}
			if effs := env.takeEffects(); len(effs) != 0 {
				t.Fatalf("effects %q", effs)
			}
		})
	}
	// The commands that do not look at the type overwrite the value.
	for _, args := range [][]string{
		{"SET", "o", "v"}, {"SET", "o", "v", "XX"}, {"MSET", "o", "v"},
	} {
		env := newStringsEnv(t)
		env.putOther("o")
		env.do(args...)
		if got := env.do("GET", "o"); got != "$1\r\nv\r\n" {
			t.Fatalf("%q then GET: %q", args, got)
		}
	}
}

// TestStringEffects checks what every write logs for the WAL: resolved
// deadlines, GET stripped, INCRBYFLOAT as SET ... KEEPTTL, nothing when
// nothing changed.
func TestStringEffects(t *testing.T) {
	cases := []struct {
		name  string
		setup [][]string
		args  []string
		want  func(env *stringsEnv) []string
	}{
		{"set", nil, []string{"SET", "k", "v"}, fixed("SET k v")},
		{"set nx keepttl", nil, []string{"set", "k", "v", "nx", "keepttl"}, fixed("set k v nx keepttl")},
		{"set ex", nil, []string{"SET", "k", "v", "EX", "10", "NX"},
			func(env *stringsEnv) []string { return []string{"SET k v PXAT " + env.ms(10*time.Second)} }},
		{"set px", nil, []string{"SET", "k", "v", "px", "1500"},
			func(env *stringsEnv) []string { return []string{"SET k v PXAT " + env.ms(1500*time.Millisecond)} }},
		{"set exat", nil, []string{"SET", "k", "v", "EXAT", "2000000000"}, fixed("SET k v PXAT 2000000000000")},
		{"set pxat", nil, []string{"SET", "k", "v", "PXAT", "2000000000123", "GET"}, fixed("SET k v PXAT 2000000000123")},
		{"set pxat past", nil, []string{"SET", "k", "v", "PXAT", "1"}, fixed("SET k v PXAT 1")},
		{"set get", nil, []string{"SET", "k", "v", "GET", "XX", "get", "KEEPTTL"}, fixed()},
		{"set get done", [][]string{{"SET", "k", "a"}}, []string{"SET", "k", "v", "GET", "XX", "get", "KEEPTTL"}, fixed("SET k v XX KEEPTTL")},
		{"set nx fails", [][]string{{"SET", "k", "a"}}, []string{"SET", "k", "v", "NX"}, fixed()},
		{"set error", nil, []string{"SET", "k", "v", "EX", "0"}, fixed()},
		{"setnx", nil, []string{"SETNX", "k", "v"}, fixed("SETNX k v")},
		{"setnx fails", [][]string{{"SET", "k", "a"}}, []string{"SETNX", "k", "v"}, fixed()},
		{"setex", nil, []string{"SETEX", "k", "7", "v"},
			func(env *stringsEnv) []string { return []string{"SET k v PXAT " + env.ms(7*time.Second)} }},
		{"psetex", nil, []string{"PSETEX", "k", "7", "v"},
			func(env *stringsEnv) []string { return []string{"SET k v PXAT " + env.ms(7*time.Millisecond)} }},
		{"getdel", [][]string{{"SET", "k", "a"}}, []string{"GETDEL", "k"}, fixed("DEL k")},
		{"getdel missing", nil, []string{"GETDEL", "k"}, fixed()},
		{"getex", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k"}, fixed()},
		{"getex ex", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k", "EX", "5"},
			func(env *stringsEnv) []string { return []string{"PEXPIREAT k " + env.ms(5*time.Second)} }},
		{"getex pxat", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k", "PXAT", "2000000000123"}, fixed("PEXPIREAT k 2000000000123")},
		{"getex pxat past", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k", "PXAT", "1"}, fixed("DEL k")},
		{"getex exat now", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k", "EXAT", "1700000000"}, fixed("DEL k")},
		{"getex persist", [][]string{{"SET", "k", "a", "EX", "9"}}, []string{"GETEX", "k", "PERSIST"}, fixed("PERSIST k")},
		{"getex persist no ttl", [][]string{{"SET", "k", "a"}}, []string{"GETEX", "k", "PERSIST"}, fixed()},
		{"getset", [][]string{{"SET", "k", "a"}}, []string{"GETSET", "k", "v"}, fixed("SET k v")},
		{"mset", nil, []string{"MSET", "a", "1", "b", "2"}, fixed("MSET a 1 b 2")},
		{"msetnx", nil, []string{"MSETNX", "a", "1", "b", "2"}, fixed("MSETNX a 1 b 2")},
		{"msetnx fails", [][]string{{"SET", "b", "x"}}, []string{"MSETNX", "a", "1", "b", "2"}, fixed()},
		{"incr", nil, []string{"INCR", "k"}, fixed("INCR k")},
		{"incrby", nil, []string{"INCRBY", "k", "5"}, fixed("INCRBY k 5")},
		{"decrby", nil, []string{"DECRBY", "k", "5"}, fixed("DECRBY k 5")},
		{"incr fails", [][]string{{"SET", "k", "x"}}, []string{"INCR", "k"}, fixed()},
		{"incrbyfloat", [][]string{{"SET", "k", "1.5"}}, []string{"INCRBYFLOAT", "k", "1e1"}, fixed("SET k 11.5 KEEPTTL")},
		{"append", nil, []string{"APPEND", "k", "x"}, fixed("APPEND k x")},
		{"append empty", [][]string{{"SET", "k", "a"}}, []string{"APPEND", "k", ""}, fixed("APPEND k ")},
		{"setrange", nil, []string{"SETRANGE", "k", "2", "x"}, fixed("SETRANGE k 2 x")},
		{"setrange nothing", [][]string{{"SET", "k", "a"}}, []string{"SETRANGE", "k", "2", ""}, fixed()},
		{"setrange nothing missing", nil, []string{"SETRANGE", "k", "2", ""}, fixed()},
		{"lazy expiry first", [][]string{{"SET", "k", "a", "PXAT", "1"}}, []string{"INCR", "k"}, fixed("DEL k", "INCR k")},
		{"lazy expiry in set", [][]string{{"SET", "k", "a", "PXAT", "1"}}, []string{"SET", "k", "b", "NX"}, fixed("DEL k", "SET k b NX")},
		{"lazy expiry in append", [][]string{{"SET", "k", "a", "PXAT", "1"}}, []string{"APPEND", "k", "b"}, fixed("DEL k", "APPEND k b")},
		{"lazy expiry in get", [][]string{{"SET", "k", "a", "PXAT", "1"}}, []string{"GET", "k"}, fixed("DEL k")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newStringsEnv(t)
			for _, s := range c.setup {
				env.do(s...)
			}
			env.takeEffects()
			env.do(c.args...)
			got, want := env.takeEffects(), c.want(env)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("effects %q, want %q", got, want)
			}
		})
	}
}

func fixed(effects ...string) func(*stringsEnv) []string {
	return func(*stringsEnv) []string { return effects }
}

// TestStringReplay runs a script of writes, replays the effects into a fresh
// engine at a later time and requires the same dataset (values and
// deadlines).
func TestStringReplay(t *testing.T) {
	live := newStringsEnv(t)
	for _, name := range []string{"del", "pexpireat", "persist"} {
		if live.eng.Table().Lookup([]byte(name)) == nil {
			t.Skipf("replay needs %s, which is not in the command table yet", strings.ToUpper(name))
		}
	}
	script := [][]string{
		{"SET", "a", "1", "EX", "100"}, {"INCR", "a"}, {"INCRBYFLOAT", "a", "0.25"},
		{"APPEND", "a", "xyz"}, {"SETRANGE", "a", "1", "Q"},
		{"SETEX", "b", "10", "v"}, {"PSETEX", "c", "10", "v"}, {"GETEX", "b", "PX", "500"},
		{"GETEX", "c", "PERSIST"}, {"GETSET", "b", "w"}, {"SET", "d", "v", "KEEPTTL", "GET"},
		{"MSET", "e", "1", "f", "2"}, {"MSETNX", "g", "1", "h", "2"}, {"GETDEL", "e"},
		{"SET", "p", "v", "PXAT", "1"}, {"SETNX", "q", "1"}, {"DECRBY", "q", "5"},
		{"SET", "x", "1", "PX", "5"}, {"SETRANGE", "y", "3", "abc"},
	}
	for _, s := range script {
		live.do(s...)
	}
	live.now = live.now.Add(10 * time.Millisecond)
	// x has expired: these see it gone (lazily deleted, DEL logged).
	live.do("INCR", "x")
	live.do("GETEX", "f", "EXAT", "1")
	effects := live.effects

	replayed := newStringsEnv(t)
	replayed.now = live.now.Add(time.Hour) // replay never expires anything
	client := NewClient(2, "replay", "replay", replayed.now, true)
	for i, eff := range effects {
		if err := replayed.eng.Replay(client, eff); err != nil {
			t.Fatalf("effect %d %q: %v", i, eff.Args, err)
		}
	}
	if got, want := replayed.eng.Dump(), live.eng.Dump(); got != want {
		t.Fatalf("replayed dataset differs\nlive:\n%s\nreplayed:\n%s", want, got)
	}
}

func TestStringTTLs(t *testing.T) {
	env := newStringsEnv(t)
	later := env.now.Add(100 * time.Second).UnixMilli()
	ttl := func(key string) int64 {
		e := env.entry(key)
		if e == nil {
			return -2
		}
		return e.expireAt
	}
	set := func(key string) { env.do("SET", key, "5", "EX", "100") }

	for _, c := range []struct {
		args []string
		want int64 // expireAt afterwards; 0 = persistent
	}{
		{[]string{"SET", "k", "v"}, 0},
		{[]string{"SET", "k", "v", "KEEPTTL"}, later},
		{[]string{"SET", "k", "v", "XX", "KEEPTTL", "GET"}, later},
		{[]string{"SET", "k", "v", "PX", "5"}, env.now.UnixMilli() + 5},
		{[]string{"GETSET", "k", "v"}, 0},
		{[]string{"MSET", "k", "v"}, 0},
		{[]string{"INCR", "k"}, later},
		{[]string{"DECRBY", "k", "3"}, later},
		{[]string{"INCRBYFLOAT", "k", "1.5"}, later},
		{[]string{"APPEND", "k", "x"}, later},
		{[]string{"SETRANGE", "k", "0", "x"}, later},
		{[]string{"GETEX", "k"}, later},
		{[]string{"GETEX", "k", "PERSIST"}, 0},
		{[]string{"GETEX", "k", "EXAT", "2000000000"}, 2000000000000},
		{[]string{"SETEX", "k", "1", "v"}, env.now.UnixMilli() + 1000},
	} {
		set("k")
		env.do(c.args...)
		if got := ttl("k"); got != c.want {
			t.Errorf("%q: expireAt %d, want %d", c.args, got, c.want)
		}
	}

	// An absolute deadline already past: SET keeps the key until it is
	// looked at (as Redis 7.0 does), GETEX deletes it at once.
	env.do("SET", "p", "v", "PXAT", "1")
	if env.entry("p") == nil {
		t.Fatal("SET PXAT 1 dropped the key before it was looked at")
	}
	if got := env.do("GET", "p"); got != "$-1\r\n" {
		t.Fatalf("GET after SET PXAT 1: %q", got)
	}
	env.do("SET", "g", "v")
	if got := env.do("GETEX", "g", "PXAT", "1"); got != "$1\r\nv\r\n" {
		t.Fatalf("GETEX PXAT 1: %q", got)
	}
	if env.entry("g") != nil {
		t.Fatal("GETEX PXAT 1 left the key")
	}

	// Lazy expiry: a key past its deadline is gone for every command.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"GET", "x"}, "$-1\r\n"},
		{[]string{"STRLEN", "x"}, ":0\r\n"},
		{[]string{"GETRANGE", "x", "0", "-1"}, "$0\r\n\r\n"},
		{[]string{"MGET", "x"}, "*1\r\n$-1\r\n"},
		{[]string{"GETDEL", "x"}, "$-1\r\n"},
		{[]string{"GETEX", "x", "PERSIST"}, "$-1\r\n"},
		{[]string{"GETSET", "x", "n"}, "$-1\r\n"},
		{[]string{"SET", "x", "n", "NX"}, "+OK\r\n"},
		{[]string{"SET", "x", "n", "XX"}, "$-1\r\n"},
		{[]string{"SETNX", "x", "n"}, ":1\r\n"},
		{[]string{"MSETNX", "x", "n"}, ":1\r\n"},
		{[]string{"INCR", "x"}, ":1\r\n"},
		{[]string{"INCRBYFLOAT", "x", "2"}, "$1\r\n2\r\n"},
		{[]string{"APPEND", "x", "abc"}, ":3\r\n"},
		{[]string{"SETRANGE", "x", "1", "a"}, ":2\r\n"},
	} {
		env.do("SET", "x", "12345678", "PX", "10")
		// Redis expires a key once now > deadline: 1 ms past it.
		env.now = env.now.Add(11 * time.Millisecond)
		if got := env.do(c.args...); got != c.want {
			t.Errorf("%q on an expired key: %q, want %q", c.args, got, c.want)
		}
		if e := env.entry("x"); e != nil && e.expireAt != 0 {
			t.Errorf("%q on an expired key left a TTL", c.args)
		}
	}
}

// TestStringEncodings checks the encoding OBJECT ENCODING reports after each
// write, as Redis 7.0 sets it.
func TestStringEncodings(t *testing.T) {
	long := strings.Repeat("x", 45)
	cases := []struct {
		setup [][]string
		want  string
	}{
		{[][]string{{"SET", "k", "123"}}, "int"},
		{[][]string{{"SET", "k", "-9223372036854775808"}}, "int"},
		{[][]string{{"SET", "k", "9223372036854775808"}}, "embstr"},
		{[][]string{{"SET", "k", "0123"}}, "embstr"},
		{[][]string{{"SET", "k", "abc"}}, "embstr"},
		{[][]string{{"SET", "k", long}}, "raw"},
		{[][]string{{"SET", "k", long[:44]}}, "embstr"},
		{[][]string{{"APPEND", "k", "12"}}, "int"},
		{[][]string{{"APPEND", "k", "ab"}}, "embstr"},
		{[][]string{{"SET", "k", "1"}, {"APPEND", "k", "2"}}, "raw"},
		{[][]string{{"SET", "k", "1"}, {"APPEND", "k", ""}}, "raw"},
		{[][]string{{"SETRANGE", "k", "0", "12"}}, "raw"},
		{[][]string{{"SET", "k", "12"}, {"SETRANGE", "k", "0", "3"}}, "raw"},
		{[][]string{{"SET", "k", "12"}, {"SETRANGE", "k", "0", ""}}, "int"},
		{[][]string{{"SET", "k", "12"}, {"APPEND", "k", "3"}, {"INCR", "k"}}, "int"},
		{[][]string{{"INCRBYFLOAT", "k", "1.5"}}, "embstr"},
		{[][]string{{"SET", "k", "a"}, {"GETSET", "k", "7"}}, "int"},
		{[][]string{{"MSET", "k", "7"}}, "int"},
		{[][]string{{"SETEX", "k", "10", "7"}}, "int"},
	}
	for _, c := range cases {
		env := newStringsEnv(t)
		for _, s := range c.setup {
			env.do(s...)
		}
		if got := env.entry("k").value.(*stringValue).encoding(); got != c.want {
			t.Errorf("%q: encoding %s, want %s", c.setup, got, c.want)
		}
	}
}

func TestStringLengthLimit(t *testing.T) {
	const tooLong = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	env := newStringsEnv(t)
	env.eng.Settings.ProtoMaxBulkLen = 10
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"SET", "k", "12345678"}, "+OK\r\n"},
		{[]string{"APPEND", "k", "90"}, ":10\r\n"},
		{[]string{"APPEND", "k", "x"}, tooLong},
		{[]string{"APPEND", "k", ""}, ":10\r\n"},
		{[]string{"SETRANGE", "k", "9", "x"}, ":10\r\n"},
		{[]string{"SETRANGE", "k", "10", "x"}, tooLong},
		{[]string{"SETRANGE", "k", "10", ""}, ":10\r\n"},
		{[]string{"SETRANGE", "n", "10", "x"}, tooLong},
		{[]string{"SETRANGE", "n", "9223372036854775807", "x"}, tooLong},
		{[]string{"SETRANGE", "n", "100", ""}, ":0\r\n"},
		{[]string{"SETRANGE", "n", "9", "x"}, ":10\r\n"},
		{[]string{"APPEND", "new", "01234567890"}, ":11\r\n"},
	} {
		if got := env.do(c.args...); got != c.want {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}

	// Replay never refuses: the limit held when the effect was made.
	client := NewClient(2, "replay", "replay", env.now, true)
	if err := env.eng.Replay(client, Effect{Args: [][]byte{[]byte("APPEND"), []byte("k"), []byte("more")}}); err != nil {
		t.Fatal(err)
	}
	if got := env.do("STRLEN", "k"); got != ":14\r\n" {
		t.Fatalf("after replayed APPEND: %q", got)
	}
}

func TestStringRESP3Nulls(t *testing.T) {
	env := newStringsEnv(t)
	env.client.Proto = 3
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"GET", "m"}, "_\r\n"},
		{[]string{"MGET", "m", "m"}, "*2\r\n_\r\n_\r\n"},
		{[]string{"SET", "m", "v", "XX"}, "_\r\n"},
		{[]string{"SET", "m", "v", "GET"}, "_\r\n"},
		{[]string{"SET", "m", "w", "NX"}, "_\r\n"},
		{[]string{"GETDEL", "n"}, "_\r\n"},
		{[]string{"GETEX", "n", "EX", "1"}, "_\r\n"},
		{[]string{"GETSET", "n", "v"}, "_\r\n"},
		{[]string{"INCRBYFLOAT", "f", "2.5"}, "$3\r\n2.5\r\n"},
		{[]string{"GETRANGE", "n2", "0", "1"}, "$0\r\n\r\n"},
	} {
		if got := env.do(c.args...); got != c.want {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
}
