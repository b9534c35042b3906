package commands

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestListValueMatchesSliceModel drives the ring buffer with random
// operations and compares it with a plain slice after each one, across
// growth, shrinking and wrap-around.
func TestListValueMatchesSliceModel(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		l := newList()
		var model [][]byte
		for step := 0; step < 3000; step++ {
			v := []byte(fmt.Sprint(r.IntN(8)))
			var op string
			switch k := r.IntN(12); {
			case k < 3:
				op = "pushfront"
				l.PushFront(v)
				model = append([][]byte{v}, model...)
			case k < 6:
				op = "pushback"
				l.PushBack(v)
				model = append(model, v)
			case k == 6 && len(model) > 0:
				op = "popfront"
				if got := l.PopFront(); !bytes.Equal(got, model[0]) {
					t.Fatalf("seed %d step %d: PopFront = %q, want %q", seed, step, got, model[0])
				}
				model = model[1:]
			case k == 7 && len(model) > 0:
				op = "popback"
				if got := l.PopBack(); !bytes.Equal(got, model[len(model)-1]) {
					t.Fatalf("seed %d step %d: PopBack = %q, want %q", seed, step, got, model[len(model)-1])
				}
				model = model[:len(model)-1]
			case k == 8:
				i := r.IntN(len(model) + 1)
				op = fmt.Sprintf("insert %d", i)
				l.Insert(i, v)
				model = slices.Insert(model, i, v)
			case k == 9:
				count := int64(r.IntN(5) - 2)
				op = fmt.Sprintf("remove %q %d", v, count)
				want := removeModel(model, v, count)
				if got := l.RemoveEqual(v, count); got != len(model)-len(want) {
					t.Fatalf("seed %d step %d: RemoveEqual = %d, want %d", seed, step, got, len(model)-len(want))
				}
				model = want
			case k == 10 && len(model) > 0:
				front, back := r.IntN(len(model)/2+1), r.IntN(len(model)/2+1)
				op = fmt.Sprintf("trim %d %d", front, back)
				l.TrimFront(front)
				l.TrimBack(back)
				model = model[front : len(model)-back]
			case k == 11 && len(model) > 0:
				i := r.IntN(len(model))
				op = fmt.Sprintf("set %d", i)
				l.Set(i, v)
				model[i] = v
			default:
				continue
			}
			if l.Len() != len(model) {
				t.Fatalf("seed %d step %d (%s): Len = %d, want %d", seed, step, op, l.Len(), len(model))
			}
			for i := range model {
				if !bytes.Equal(l.At(i), model[i]) {
					t.Fatalf("seed %d step %d (%s): At(%d) = %q, want %q", seed, step, op, i, l.At(i), model[i])
				}
			}
		}
	}
}

// removeModel is LREM on a slice.
func removeModel(model [][]byte, v []byte, count int64) [][]byte {
	out := slices.Clone(model)
	removed := int64(0)
	if count >= 0 {
		for i := 0; i < len(out); {
			if bytes.Equal(out[i], v) && (count == 0 || removed < count) {
				out = slices.Delete(out, i, i+1)
				removed++
				continue
			}
			i++
		}
		return out
	}
	for i := len(out) - 1; i >= 0 && removed < -count; i-- {
		if bytes.Equal(out[i], v) {
			out = slices.Delete(out, i, i+1)
			removed++
		}
	}
	return out
}

// TestListValueShrinks checks that a drained list gives its ring back.
func TestListValueShrinks(t *testing.T) {
	l := newList()
	for i := 0; i < 100000; i++ {
		l.PushBack([]byte("x"))
	}
	for l.Len() > 3 {
		l.PopFront()
	}
	if c := len(l.items); c > 4*minListCap {
		t.Fatalf("ring of %d slots for %d elements", c, l.Len())
	}
}

func TestListRange(t *testing.T) {
	tests := []struct {
		start, stop int64
		n           int
		from, count int
	}{
		{0, -1, 5, 0, 5},
		{-2, -1, 5, 3, 2},
		{-100, 100, 5, 0, 5},
		{3, 1, 5, 0, 0},
		{5, 10, 5, 0, 0},
		{0, 0, 0, 0, 0},
		{-9223372036854775808, 9223372036854775807, 3, 0, 3},
	}
	for _, tt := range tests {
		from, count := listRange(tt.start, tt.stop, tt.n)
		if from != tt.from || count != tt.count {
			t.Errorf("listRange(%d, %d, %d) = %d, %d; want %d, %d", tt.start, tt.stop, tt.n, from, count, tt.from, tt.count)
		}
	}
}

func TestParseLpos(t *testing.T) {
	tests := []struct {
		args string
		want lposArgs
		err  string
	}{
		{"", lposArgs{rank: 1, count: -1}, ""},
		{"RANK -2 COUNT 0 MAXLEN 5", lposArgs{rank: -2, count: 0, maxLen: 5, hasCount: true}, ""},
		{"rank 1 rank 3", lposArgs{rank: 3, count: -1}, ""},
		{"RANK 0", lposArgs{}, msgLposRankZero},
		{"RANK x", lposArgs{}, msgNotInteger},
		{"COUNT -1", lposArgs{}, msgLposCountNegative},
		{"COUNT x", lposArgs{}, msgLposCountNegative},
		{"MAXLEN -1", lposArgs{}, msgLposMaxLenNegative},
		{"RANK", lposArgs{}, msgSyntax},
		{"FOO 1", lposArgs{}, msgSyntax},
	}
	for _, tt := range tests {
		got, err := parseLpos(splitArgs(tt.args))
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("parseLpos(%q) error = %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseLpos(%q) = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

func TestParseLmpop(t *testing.T) {
	tests := []struct {
		args  string
		keys  int
		left  bool
		count int64
		err   string
	}{
		{"1 a LEFT", 1, true, 1, ""},
		{"2 a b right COUNT 5", 2, false, 5, ""},
		{"0 a LEFT", 0, false, 0, msgNumKeysPositive},
		{"x a LEFT", 0, false, 0, msgNumKeysPositive},
		{"2 a LEFT", 0, false, 0, msgSyntax},
		{"9223372036854775807 a LEFT", 0, false, 0, msgSyntax},
		{"1 a UP", 0, false, 0, msgSyntax},
		{"1 a LEFT COUNT 0", 0, false, 0, msgCountPositive},
		{"1 a LEFT COUNT 1 COUNT 2", 0, false, 0, msgSyntax},
		{"1 a LEFT COUNT", 0, false, 0, msgSyntax},
	}
	for _, tt := range tests {
		got, err := parseLmpop(splitArgs(tt.args))
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("parseLmpop(%q) error = %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || len(got.keys) != tt.keys || got.left != tt.left || got.count != tt.count {
			t.Errorf("parseLmpop(%q) = %+v, %v", tt.args, got, err)
		}
	}
}

func TestParseBlockTimeout(t *testing.T) {
	tests := []struct {
		arg  string
		ms   int64
		want string
	}{
		{"0", 0, ""},
		{"1", 1000, ""},
		{"0.5", 500, ""},
		{"1.0009", 1001, ""}, // rounded up (ceill), as Redis
		{"0.0001", 1, ""},    // a 1 ms timeout, not forever (redis-server 7.0.15 times out)
		{"-0.0001", 0, ""},
		{"1e3", 1000000, ""},
		{"0x10", 16000, ""},
		{"9223372036854775", 9223372036854775000, ""},
		{"-1", 0, msgTimeoutNegative},
		{"inf", 0, msgTimeoutNegative},
		{"-inf", 0, msgTimeoutNegative},
		{"1e300", 0, msgTimeoutNegative},
		{"nan", 0, msgTimeoutNotFloat},
		{"x", 0, msgTimeoutNotFloat},
		{"", 0, msgTimeoutNotFloat},
		{" 1", 0, msgTimeoutNotFloat},
	}
	for _, tt := range tests {
		ms, err := parseBlockTimeout([]byte(tt.arg))
		if tt.want != "" {
			if err == nil || errorText(err) != tt.want {
				t.Errorf("parseBlockTimeout(%q) error = %v, want %q", tt.arg, err, tt.want)
			}
			continue
		}
		if err != nil || ms != tt.ms {
			t.Errorf("parseBlockTimeout(%q) = %d, %v; want %d", tt.arg, ms, err, tt.ms)
		}
	}
}

func splitArgs(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		out = append(out, []byte(f))
	}
	return out
}

// TestListEffects checks what each list write logs: deterministic forms,
// with the blocking and multi-key pops rewritten as Redis propagates them.
func TestListEffects(t *testing.T) {
	env := newStringsEnv(t)
	steps := []struct {
		cmd     []string
		effects []string
	}{
		{[]string{"RPUSH", "a", "1", "2", "3", "4"}, []string{"RPUSH a 1 2 3 4"}},
		{[]string{"LPUSHX", "none", "x"}, nil},
		{[]string{"LPOP", "a", "0"}, nil},
		{[]string{"LPOP", "a"}, []string{"LPOP a"}},
		{[]string{"RPOP", "a", "1"}, []string{"RPOP a 1"}},
		{[]string{"BLPOP", "none", "a", "0"}, []string{"LPOP a"}},
		{[]string{"RPUSH", "a", "x", "y", "z"}, []string{"RPUSH a x y z"}},
		{[]string{"LMPOP", "2", "none", "a", "RIGHT", "COUNT", "2"}, []string{"RPOP a 2"}},
		{[]string{"BLMPOP", "0", "1", "a", "LEFT", "COUNT", "9"}, []string{"LPOP a 2"}},
		{[]string{"RPUSH", "a", "p", "q"}, []string{"RPUSH a p q"}},
		{[]string{"BLMOVE", "a", "b", "LEFT", "RIGHT", "0"}, []string{"LMOVE a b LEFT RIGHT"}},
		{[]string{"BRPOPLPUSH", "a", "b", "0"}, []string{"RPOPLPUSH a b"}},
		{[]string{"LMOVE", "b", "b", "LEFT", "LEFT"}, []string{"LMOVE b b LEFT LEFT"}},
		{[]string{"LTRIM", "b", "0", "-1"}, nil},
		{[]string{"LTRIM", "b", "1", "-1"}, []string{"LTRIM b 1 -1"}},
		{[]string{"LREM", "b", "0", "nope"}, nil},
		{[]string{"LINSERT", "b", "BEFORE", "nope", "x"}, nil},
		{[]string{"LSET", "b", "0", "v"}, []string{"LSET b 0 v"}},
	}
	for _, s := range steps {
		env.do(s.cmd...)
		if got := env.takeEffects(); !slices.Equal(got, s.effects) {
			t.Errorf("%v: effects %q, want %q", s.cmd, got, s.effects)
		}
	}
}

// TestBlockedPopRetry parks a BLPOP and a BLMOVE and serves them through
// their Retry, as the server does when a key is signalled: the reply, the
// effect (Redis's LPOP and LMOVE rewrites) and the timeout reply.
func TestBlockedPopRetry(t *testing.T) {
	env := newStringsEnv(t)
	out := &respText{proto: 2}
	ctx := env.eng.NewContext(env.client, out, splitArgs("BLPOP k1 k2 1.5"))
	env.eng.Execute(ctx)
	req := ctx.BlockRequest()
	if req == nil || out.b.Len() != 0 {
		t.Fatalf("BLPOP on missing keys did not block: %q", out.b.String())
	}
	if !slices.Equal(req.Keys, []string{"k1", "k2"}) || !req.Deadline.Equal(env.now.Add(1500*time.Millisecond)) {
		t.Fatalf("block request keys %q deadline %v", req.Keys, req.Deadline)
	}
	retry := func(req *BlockRequest) (bool, string, []Effect) {
		out := &respText{proto: 2}
		c := env.eng.NewContext(env.client, out, nil)
		ok := req.Retry(c)
		return ok, out.b.String(), c.Effects()
	}
	if ok, reply, _ := retry(req); ok || reply != "" {
		t.Fatalf("Retry with nothing to pop = %v %q", ok, reply)
	}
	env.do("SET", "k1", "string") // another type never serves a pop
	env.do("RPUSH", "k2", "v")
	ok, reply, effs := retry(req)
	if !ok || reply != "*2\r\n$2\r\nk2\r\n$1\r\nv\r\n" {
		t.Fatalf("Retry = %v %q", ok, reply)
	}
	if len(effs) != 1 || string(bytes.Join(effs[0].Args, []byte(" "))) != "LPOP k2" {
		t.Fatalf("effects %v", effs)
	}
	timeout := &respText{proto: 2}
	req.Timeout(env.eng.NewContext(env.client, timeout, nil))
	if timeout.b.String() != "*-1\r\n" {
		t.Fatalf("timeout reply %q", timeout.b.String())
	}

	ctx = env.eng.NewContext(env.client, &respText{proto: 2}, splitArgs("BLMOVE src dst RIGHT LEFT 0"))
	env.eng.Execute(ctx)
	req = ctx.BlockRequest()
	if req == nil || !req.Deadline.IsZero() || !slices.Equal(req.Keys, []string{"src"}) {
		t.Fatalf("BLMOVE block request %+v", req)
	}
	env.do("RPUSH", "src", "a", "b")
	ok, reply, effs = retry(req)
	if !ok || reply != "$1\r\nb\r\n" || len(effs) != 1 ||
		string(bytes.Join(effs[0].Args, []byte(" "))) != "LMOVE src dst RIGHT LEFT" {
		t.Fatalf("BLMOVE Retry = %v %q %v", ok, reply, effs)
	}
	// A destination of another type answers WRONGTYPE and unblocks.
	ctx = env.eng.NewContext(env.client, &respText{proto: 2}, splitArgs("BRPOPLPUSH empty k1 0"))
	env.eng.Execute(ctx)
	env.do("RPUSH", "empty", "x")
	ok, reply, effs = retry(ctx.BlockRequest())
	if !ok || reply != "-"+msgWrongType+"\r\n" || len(effs) != 0 {
		t.Fatalf("BRPOPLPUSH onto a string: %v %q %v", ok, reply, effs)
	}
}

// TestBlockingPopsInMulti: inside a transaction a pop that would block
// answers at once, as Redis does for a client that may not block.
func TestBlockingPopsInMulti(t *testing.T) {
	env := newStringsEnv(t)
	env.do("MULTI")
	for _, cmd := range []string{"BLPOP k 0", "BRPOP k 0", "BLMPOP 0 1 k LEFT", "BLMOVE k d LEFT LEFT 0", "BRPOPLPUSH k d 0"} {
		if got := env.do(strings.Fields(cmd)...); got != "+QUEUED\r\n" {
			t.Fatalf("%s queued as %q", cmd, got)
		}
	}
	out := &respText{proto: 2}
	ctx := env.eng.NewContext(env.client, out, splitArgs("EXEC"))
	env.eng.Execute(ctx)
	if ctx.BlockRequest() != nil {
		t.Fatal("EXEC blocked")
	}
	if want := "*5\r\n*-1\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n"; out.b.String() != want {
		t.Fatalf("EXEC = %q, want %q", out.b.String(), want)
	}
}

// TestListReplay replays the effects of a script of list writes into a
// fresh engine and requires the same lists.
func TestListReplay(t *testing.T) {
	live := newStringsEnv(t)
	script := []string{
		"RPUSH a 1 2 3 4 5 6", "LPUSH a 0", "LPUSHX a -1", "RPUSHX none x", "LPOP a 2",
		"RPOP a", "LINSERT a AFTER 3 x", "LSET a -1 last", "LREM a 1 x", "LTRIM a 0 2",
		"RPUSH b p q r", "LMOVE b a LEFT RIGHT", "RPOPLPUSH b b", "LMPOP 2 none b LEFT COUNT 5",
		"RPUSH c a b", "BLPOP c 0", "BRPOPLPUSH c a 0", "RPUSH d x", "BLMPOP 0 1 d RIGHT",
		"RPUSH e 1 2 3", "BLMOVE e e RIGHT LEFT 0",
	}
	for _, s := range script {
		live.do(strings.Fields(s)...)
	}
	replayed := newStringsEnv(t)
	client := NewClient(2, "replay", "replay", replayed.now, true)
	for i, eff := range live.effects {
		if err := replayed.eng.Replay(client, eff); err != nil {
			t.Fatalf("effect %d %q: %v", i, eff.Args, err)
		}
	}
	got, want := replayed.eng.Dump(), live.eng.Dump()
	if got != want {
		t.Fatalf("replayed dataset differs\nlive:\n%s\nreplayed:\n%s", want, got)
	}
	if !strings.Contains(want, `"a" expire=0 list len=5 [ "b" "1" "2" "3" "p" ]`) {
		t.Fatalf("unexpected dataset:\n%s", want)
	}
}
