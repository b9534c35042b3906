package commands

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseScanCursor(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"", 0, true},
		{"42", 42, true},
		{"+42", 42, true},
		{"007", 7, true},
		{"-1", 18446744073709551615, true},
		{"-0", 0, true},
		{"18446744073709551615", 18446744073709551615, true},
		{"-18446744073709551615", 1, true},
		{"18446744073709551616", 0, false},
		{"99999999999999999999999", 0, false},
		{"1\x00junk", 1, true},
		{"abc", 0, false},
		{"1a", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"-", 0, false},
		{"+", 0, false},
		{"+-1", 0, false},
		{"- 1", 0, false},
		{"0x10", 0, false},
		{"1.0", 0, false},
	}
	for _, c := range cases {
		got, ok := parseScanCursor([]byte(c.in))
		if ok != c.ok || got != c.want {
			t.Errorf("%q: got %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseScan(t *testing.T) {
	cases := []struct {
		args    string
		want    scanArgs
		wantErr string
	}{
		{"0", scanArgs{count: 10}, ""},
		{"5 COUNT 100", scanArgs{cursor: 5, count: 100}, ""},
		{"0 count 1 COUNT 7", scanArgs{count: 7}, ""},
		{"0 MATCH a*", scanArgs{count: 10, pattern: []byte("a*")}, ""},
		{"0 MATCH *", scanArgs{count: 10}, ""},
		{"0 MATCH a* MATCH *", scanArgs{count: 10}, ""},
		{"0 TYPE stream match x", scanArgs{count: 10, pattern: []byte("x"), typ: []byte("stream")}, ""},
		{"x", scanArgs{}, msgInvalidCursor},
		{"x COUNT 0", scanArgs{}, msgInvalidCursor},
		{"0 COUNT 0", scanArgs{}, msgSyntax},
		{"0 COUNT -3", scanArgs{}, msgSyntax},
		{"0 COUNT x", scanArgs{}, msgNotInteger},
		{"0 COUNT", scanArgs{}, msgSyntax},
		{"0 MATCH", scanArgs{}, msgSyntax},
		{"0 TYPE", scanArgs{}, msgSyntax},
		{"0 FOO bar", scanArgs{}, msgSyntax},
		{"0 MATCH a FOO", scanArgs{}, msgSyntax},
	}
	for _, c := range cases {
		var args [][]byte
		for _, w := range strings.Fields(c.args) {
			args = append(args, []byte(w))
		}
		got, err := parseScan(args)
		if c.wantErr != "" {
			if err == nil || errorText(err) != c.wantErr {
				t.Errorf("%q: err = %v, want %q", c.args, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: unexpected error %v", c.args, err)
			continue
		}
		if got.cursor != c.want.cursor || got.count != c.want.count ||
			string(got.pattern) != string(c.want.pattern) || (got.pattern == nil) != (c.want.pattern == nil) ||
			string(got.typ) != string(c.want.typ) || (got.typ == nil) != (c.want.typ == nil) {
			t.Errorf("%q: got %+v, want %+v", c.args, got, c.want)
		}
	}
}

// TestScanGuarantee checks SCAN's promise while keys are added and deleted
// between calls: every key present for the whole scan is returned.
func TestScanGuarantee(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		env := newKeyspaceEnv(t)
		r := rand.New(rand.NewPCG(seed, 7))
		stable := map[string]bool{}
		for i := 0; i < 300; i++ {
			k := "k" + strconv.Itoa(i)
			env.do("SET", k, "v")
			stable[k] = true
		}
		seen := map[string]bool{}
		cursor, added := "0", 0
		for calls := 0; ; calls++ {
			if calls > 1000 {
				t.Fatalf("seed %d: the scan does not end", seed)
			}
			var keys []string
			cursor, keys = parseScanReply(t, env.do("SCAN", cursor, "COUNT", strconv.Itoa(1+r.IntN(20))))
			for _, k := range keys {
				seen[k] = true
			}
			if cursor == "0" {
				break
			}
			// Churn: delete some keys (which leaves them unguaranteed)
			// and add new ones.
			for i := 0; i < 5; i++ {
				if victim := "k" + strconv.Itoa(r.IntN(300)); stable[victim] && r.IntN(2) == 0 {
					env.do("DEL", victim)
					delete(stable, victim)
				}
				env.do("SET", "n"+strconv.Itoa(added), "v")
				added++
			}
		}
		for k := range stable {
			if !seen[k] {
				t.Errorf("seed %d: key %s, present throughout, was never returned", seed, k)
			}
		}
	}
}

// parseScanReply reads a RESP2 SCAN reply: the cursor and the keys.
func parseScanReply(t *testing.T, reply string) (string, []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(reply, "\r\n"), "\r\n")
	if len(lines) < 4 || lines[0] != "*2" {
		t.Fatalf("not a SCAN reply: %q", reply)
	}
	cursor := lines[2]
	var keys []string
	for i := 5; i < len(lines); i += 2 {
		keys = append(keys, lines[i])
	}
	return cursor, keys
}

// SCAN filters in Redis's order: pattern, type, then expiry; keys past
// their TTL are deleted when they match, and left alone when they do not.
func TestScanFiltersExpired(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "live", "v")
	env.do("SET", "gone", "v", "PX", "10")
	env.do("SET", "other", "v", "PX", "10")
	env.now = env.now.Add(time.Second)
	env.takeEffects()

	env.expect("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0", "MATCH", "g*")
	if effs := env.takeEffects(); !sameStrings(effs, []string{"DEL gone"}) {
		t.Errorf("effects = %q, want the expiry of the matching key only", effs)
	}
	env.expect(":2\r\n", "DBSIZE")
	env.expect("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n", "SCAN", "0", "TYPE", "string")
	env.expect(":1\r\n", "DBSIZE")
}

// Redis's TYPE filter expires the key first, so "none" matches a key that
// just expired and the name is returned (redis-server 7.0.15 does this).
func TestScanTypeNoneReturnsJustExpiredKey(t *testing.T) {
	env := newKeyspaceEnv(t)
	env.do("SET", "g", "v", "PX", "10")
	env.do("SET", "h", "v")
	env.now = env.now.Add(time.Second)
	env.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\ng\r\n", "SCAN", "0", "TYPE", "none")
	env.expect(":1\r\n", "DBSIZE")
}
