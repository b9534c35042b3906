package commands

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func hashFieldNames(h *hashValue) []string {
	var out []string
	for _, f := range h.fields {
		out = append(out, f.name)
	}
	return out
}

// TestHashListpackOrder: a small hash keeps insertion order through
// updates and deletes, as Redis's listpack does.
func TestHashListpackOrder(t *testing.T) {
	h := newHash()
	for _, f := range []string{"a", "b", "c", "d"} {
		if !h.Set([]byte(f), []byte("1"), testLimits) {
			t.Fatalf("Set(%s) not new", f)
		}
	}
	if h.Set([]byte("b"), []byte("2"), testLimits) {
		t.Fatal("update reported as new")
	}
	h.Delete([]byte("a"))
	h.Set([]byte("a"), []byte("3"), testLimits)
	if got := hashFieldNames(h); !slices.Equal(got, []string{"b", "c", "d", "a"}) {
		t.Fatalf("order %q", got)
	}
	if v, _ := h.Get([]byte("b")); string(v) != "2" || !h.listpack() {
		t.Fatalf("b = %q, listpack %v", v, h.listpack())
	}
}

// TestHashEncodingConversions follows Redis 7.0's rules: more than 512
// fields, or a field or value longer than 64 bytes, make a hashtable, and
// it never goes back; a snapshot load recomputes it.
func TestHashEncodingConversions(t *testing.T) {
	long := []byte(strings.Repeat("x", testLimits.HashMaxListpackValue+1))
	edge := []byte(strings.Repeat("x", testLimits.HashMaxListpackValue))
	tests := []struct {
		name string
		fill func(h *hashValue)
		want string
	}{
		{"64-byte value", func(h *hashValue) { h.Set([]byte("f"), edge, testLimits) }, "listpack"},
		{"65-byte value", func(h *hashValue) { h.Set([]byte("f"), long, testLimits) }, "hashtable"},
		{"65-byte field", func(h *hashValue) { h.Set(long, []byte("v"), testLimits) }, "hashtable"},
		{"512 fields", func(h *hashValue) {
			for i := 0; i < 512; i++ {
				h.Set([]byte(strconv.Itoa(i)), []byte("v"), testLimits)
			}
		}, "listpack"},
		{"513 fields", func(h *hashValue) {
			for i := 0; i < 513; i++ {
				h.Set([]byte(strconv.Itoa(i)), []byte("v"), testLimits)
			}
		}, "hashtable"},
		{"shrunk stays", func(h *hashValue) {
			h.Set([]byte("f"), long, testLimits)
			h.Set([]byte("f"), []byte("short"), testLimits)
		}, "hashtable"},
	}
	for _, tt := range tests {
		h := newHash()
		tt.fill(h)
		if got := h.encoding(); got != tt.want {
			t.Errorf("%s: encoding %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestHashScanGuarantee: in a hashtable, a field present for a whole HSCAN
// is returned at least once, whatever is deleted and added meanwhile.
func TestHashScanGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := newHash()
	for i := 0; i < 2000; i++ {
		h.Set([]byte(fmt.Sprint("f", i)), []byte("v"), testLimits)
	}
	stable := map[string]bool{}
	for i := 0; i < 2000; i += 3 {
		stable[fmt.Sprint("f", i)] = true
	}
	seen := map[string]bool{}
	cursor, next := uint64(0), 2000
	for {
		cursor = h.scan(cursor, 10, func(f *hashField) { seen[f.name] = true })
		// Churn: delete fields outside the stable set, add new ones.
		for k := 0; k < 5; k++ {
			if i := r.IntN(2000); !stable[fmt.Sprint("f", i)] {
				h.Delete([]byte(fmt.Sprint("f", i)))
			}
			h.Set([]byte(fmt.Sprint("f", next)), []byte("v"), testLimits)
			next++
		}
		if cursor == 0 {
			break
		}
	}
	for f := range stable {
		if !seen[f] {
			t.Fatalf("HSCAN missed %s", f)
		}
	}
}

func TestParseHrandfield(t *testing.T) {
	tests := []struct {
		args string
		want hrandfieldArgs
		err  string
	}{
		{"HRANDFIELD k", hrandfieldArgs{}, ""},
		{"HRANDFIELD k -5", hrandfieldArgs{hasCount: true, count: -5}, ""},
		{"HRANDFIELD k 3 withvalues", hrandfieldArgs{hasCount: true, count: 3, withValues: true}, ""},
		{"HRANDFIELD k x", hrandfieldArgs{}, msgNotInteger},
		{"HRANDFIELD k -9223372036854775808", hrandfieldArgs{}, msgHrandfieldCountRange},
		{"HRANDFIELD k 1 FOO", hrandfieldArgs{}, msgSyntax},
		{"HRANDFIELD k 1 WITHVALUES x", hrandfieldArgs{}, msgSyntax},
		{"HRANDFIELD k 4611686018427387904 WITHVALUES", hrandfieldArgs{}, msgHrandfieldWithValuesRange},
		{"HRANDFIELD k 4611686018427387903 WITHVALUES", hrandfieldArgs{hasCount: true, count: 4611686018427387903, withValues: true}, ""},
	}
	for _, tt := range tests {
		got, err := parseHrandfield(splitArgs(tt.args))
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("%s: error %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

func TestParseHscanOptions(t *testing.T) {
	tests := []struct {
		args    string
		count   int64
		pattern string
		err     string
	}{
		{"", 10, "", ""},
		{"COUNT 5 MATCH a*", 5, "a*", ""},
		{"MATCH * COUNT 1", 1, "", ""},
		{"MATCH a* MATCH b*", 10, "b*", ""},
		{"COUNT 0", 0, "", msgSyntax},
		{"COUNT x", 0, "", msgNotInteger},
		{"TYPE string", 0, "", msgSyntax},
		{"COUNT", 0, "", msgSyntax},
	}
	for _, tt := range tests {
		got, err := parseHscanOptions(splitArgs(tt.args))
		if tt.err != "" {
			if err == nil || errorText(err) != tt.err {
				t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || got.count != tt.count || string(got.pattern) != tt.pattern {
			t.Errorf("%q = %+v, %v", tt.args, got, err)
		}
	}
}

// TestHrandfieldDistinct: a positive count below the size returns distinct
// fields, in both sampling strategies.
func TestHrandfieldDistinct(t *testing.T) {
	env := newStringsEnv(t)
	args := []string{"HSET", "h"}
	for i := 0; i < 100; i++ {
		args = append(args, fmt.Sprint("f", i), "v")
	}
	env.do(args...)
	for _, count := range []int{2, 20, 60, 99} {
		reply := env.do("HRANDFIELD", "h", strconv.Itoa(count))
		lines := strings.Split(strings.TrimSuffix(reply, "\r\n"), "\r\n")
		if lines[0] != fmt.Sprintf("*%d", count) {
			t.Fatalf("count %d: header %q", count, lines[0])
		}
		seen := map[string]bool{}
		for i := 2; i < len(lines); i += 2 {
			if seen[lines[i]] {
				t.Fatalf("count %d: %s twice", count, lines[i])
			}
			seen[lines[i]] = true
		}
		if len(seen) != count {
			t.Fatalf("count %d: %d fields", count, len(seen))
		}
	}
}

// TestHashEffects: HINCRBYFLOAT logs the HSET of its result; the others
// log themselves, and only when they change something.
func TestHashEffects(t *testing.T) {
	env := newStringsEnv(t)
	steps := []struct {
		cmd     string
		effects []string
	}{
		{"HSET h a 1 b 2", []string{"HSET h a 1 b 2"}},
		{"HSETNX h a 5", nil},
		{"HSETNX h c 3", []string{"HSETNX h c 3"}},
		{"HMSET h d 4", []string{"HMSET h d 4"}},
		{"HINCRBY h a 10", []string{"HINCRBY h a 10"}},
		{"HINCRBYFLOAT h f 0.1", []string{"HSET h f 0.1"}},
		{"HINCRBYFLOAT h f 0.2", []string{"HSET h f 0.3"}},
		{"HINCRBY h c x", nil},
		{"HDEL h nope", nil},
		{"HDEL h a b", []string{"HDEL h a b"}},
		{"HGET h c", nil},
	}
	for _, s := range steps {
		env.do(strings.Fields(s.cmd)...)
		if got := env.takeEffects(); !slices.Equal(got, s.effects) {
			t.Errorf("%s: effects %q, want %q", s.cmd, got, s.effects)
		}
	}
}

// TestListHashSnapshotRoundTrip saves lists and hashes (with TTLs) and
// loads them back: same contents and order, and a hash's encoding
// recomputed as Redis's RDB load does.
func TestListHashSnapshotRoundTrip(t *testing.T) {
	env := newStringsEnv(t)
	long := strings.Repeat("y", 70)
	env.do("RPUSH", "l", "a", "", "c\x00d")
	env.do("LPUSH", "l", "z")
	env.do("PEXPIRE", "l", "100000")
	env.do("HSET", "small", "b", "1", "a", "2", "c", "3")
	env.do("HDEL", "small", "b")
	env.do("HSET", "shrunk", "f", long, "g", "1")
	env.do("HDEL", "shrunk", "f")
	env.do("HSET", "big", "f", long)
	env.do("SELECT", "3")
	env.do("RPUSH", "other", "x")
	snap, err := env.eng.AppendSnapshot(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := env.eng.Dump()
	loaded := newStringsEnv(t)
	if err := loaded.eng.LoadSnapshot(snap); err != nil {
		t.Fatal(err)
	}
	if got := loaded.eng.Dump(); got != want {
		t.Fatalf("loaded dataset differs\nsaved:\n%s\nloaded:\n%s", want, got)
	}
	db0 := loaded.eng.Keys.DBs[0]
	for key, enc := range map[string]string{"small": "listpack", "shrunk": "listpack", "big": "hashtable"} {
		if got := db0.peek(key).value.(*hashValue).encoding(); got != enc {
			t.Errorf("%s loads as %s, want %s", key, got, enc)
		}
	}
	if got := hashFieldNames(db0.peek("small").value.(*hashValue)); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("small fields %q", got)
	}
	// Damage: every strict prefix of the encoding is refused.
	for n := 0; n < len(snap); n++ {
		if err := newStringsEnv(t).eng.LoadSnapshot(snap[:n]); err == nil {
			t.Fatalf("a snapshot cut at %d of %d bytes loaded", n, len(snap))
		}
	}
}

// TestHashReplay replays the effects of hash writes into a fresh engine.
func TestHashReplay(t *testing.T) {
	live := newStringsEnv(t)
	script := []string{
		"HSET h a 1 b 2 c 3", "HSETNX h d 4", "HMSET h e 5 a 9", "HINCRBY h a -3",
		"HINCRBYFLOAT h x 1.25", "HINCRBYFLOAT h x 1e2", "HDEL h b c", "HSET g only 1",
		"HDEL g only", "HINCRBYFLOAT n f 3",
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
	if !strings.Contains(want, `"h" expire=0 hash len=4 [ "a"="6" "d"="4" "e"="5" "x"="101.25" ]`) {
		t.Fatalf("unexpected dataset:\n%s", want)
	}
}

// testLimits are the default encoding thresholds.
var testLimits = DefaultEncodingLimits()
