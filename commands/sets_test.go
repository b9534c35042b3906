package commands

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestSetEncoding(t *testing.T) {
	s := newSetFor([]byte("1"))
	for _, m := range []string{"1", "3", "-2", "10"} {
		s.add(m, testLimits)
	}
	if !s.intset || strings.Join(s.ordered(), " ") != "-2 1 3 10" {
		t.Fatalf("intset %v, order %q", s.intset, s.ordered())
	}
	// Not string2ll's form: a hash table, for good.
	for _, m := range []string{"01", "+1", "-0", " 1", "9223372036854775808"} {
		x := newSetFor([]byte("1"))
		x.add(m, testLimits)
		if x.intset {
			t.Errorf("%q kept the intset", m)
		}
	}
	s.add("x", testLimits)
	s.remove("x")
	if s.intset {
		t.Fatal("a hash table went back to an intset")
	}
	if newSetFor([]byte("a")).intset {
		t.Fatal("a set created by a string member is an intset")
	}
	big := newSet()
	for i := 0; i < testLimits.SetMaxIntsetEntries; i++ {
		big.add(strconv.Itoa(i), testLimits)
	}
	if !big.intset {
		t.Fatal("512 integers are an intset")
	}
	big.add("512", testLimits)
	if big.intset {
		t.Fatal("513 integers are a hash table")
	}
	big.remove("512")
	big.rebuildEncoding(testLimits)
	if !big.intset {
		t.Fatal("loading 512 integers makes an intset")
	}
}

// TestSetScanGuarantee removes members while a scan runs: every member
// present for the whole scan must be returned.
func TestSetScanGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 50; trial++ {
		s := newSetFor([]byte("a"))
		for i := 0; i < 500; i++ {
			s.add("m"+strconv.Itoa(i), testLimits)
		}
		seen := map[string]bool{}
		removed := map[string]bool{}
		cursor := uint64(0)
		for {
			cursor = s.scan(cursor, 1+r.IntN(20), func(m string) { seen[m] = true })
			for k := 0; k < 5 && s.len() > 0; k++ {
				m := s.random(r)
				s.remove(m)
				removed[m] = true
			}
			if cursor == 0 {
				break
			}
		}
		for i := 0; i < 500; i++ {
			m := "m" + strconv.Itoa(i)
			if !removed[m] && !seen[m] {
				t.Fatalf("trial %d: %s was present throughout but not returned", trial, m)
			}
		}
	}
}

func TestSetCommands(t *testing.T) {
	env := newStringsEnv(t)
	tests := []struct {
		cmd  []string
		want string
	}{
		{[]string{"SADD", "s", "3", "1", "2"}, ":3\r\n"},
		{[]string{"SMEMBERS", "s"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"SINTERCARD", "1", "s", "LIMIT", "2"}, ":2\r\n"},
		{[]string{"SRANDMEMBER", "s", "-9223372036854775808"}, "-" + msgSRandMemberRange + "\r\n"},
		{[]string{"SPOP", "s", "-1"}, "-" + msgMustBePositive + "\r\n"},
		{[]string{"SMOVE", "s", "t", "1"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "t"}, "$6\r\nintset\r\n"},
		{[]string{"SADD", "t", "x"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "t"}, "$9\r\nhashtable\r\n"},
		{[]string{"SDIFF", "s", "t"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"SINTERSTORE", "d", "s", "nokey"}, ":0\r\n"},
		{[]string{"SSCAN", "s", "0", "MATCH", "3"}, "*2\r\n$1\r\n0\r\n*1\r\n$1\r\n3\r\n"},
		{[]string{"TYPE", "s"}, "+set\r\n"},
	}
	for _, tt := range tests {
		if got := env.do(tt.cmd...); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.cmd, got, tt.want)
		}
	}
}

// TestSetsSnapshotRoundTrip saves sets and sorted sets and loads them back:
// same contents and TTLs, and the encodings Redis gives loaded values.
func TestSetsSnapshotRoundTrip(t *testing.T) {
	env := newStringsEnv(t)
	env.do("SADD", "ints", "3", "1", "2")
	env.do("SADD", "mixed", "1", "a")
	env.do("SREM", "mixed", "a") // a hash table holding only integers
	env.do("ZADD", "z", "1.5", "a", "-inf", "b", "inf", "c")
	env.do("ZADD", "zs", "1", strings.Repeat("x", 65))
	env.do("ZADD", "zs", "-0", "negzero")
	env.do("ZREM", "zs", strings.Repeat("x", 65))
	env.do("EXPIRE", "z", "100")
	snap, err := env.eng.AppendSnapshot(nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded := newStringsEnv(t)
	if err := loaded.eng.LoadSnapshot(snap); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{
		{"SMEMBERS", "ints"}, {"SMEMBERS", "mixed"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"PTTL", "z"},
	} {
		if got, want := loaded.do(c...), env.do(c...); got != want {
			t.Errorf("%q after load: %q, want %q", c, got, want)
		}
	}
	if got := loaded.do("OBJECT", "ENCODING", "mixed"); got != "$6\r\nintset\r\n" {
		t.Errorf("a loaded all-integer set is an intset, got %q", got)
	}
	if got := loaded.do("OBJECT", "ENCODING", "zs"); got != "$8\r\nlistpack\r\n" {
		t.Errorf("a loaded small sorted set is a listpack, got %q", got)
	}
	if got := loaded.do("ZSCORE", "zs", "negzero"); got != "$1\r\n0\r\n" {
		t.Errorf("a listpack spells -0 as 0, got %q", got)
	}
	// Damaged bodies are refused, not loaded.
	for _, body := range [][]byte{nil, {0}, {2, 1, 'a', 1, 'a'}, {1, 5, 'a'}} {
		if _, err := decodeSetSnapshot(body, testLimits); err == nil {
			t.Errorf("set body %q loaded", body)
		}
		if _, err := decodeZsetSnapshot(body, testLimits); err == nil {
			t.Errorf("zset body %q loaded", body)
		}
	}
	nan := appendZsetSnapshot(nil, newZset())
	nan[0] = 1
	nan = append(appendBytes(nan, []byte("m")), 0, 0, 0, 0, 0, 0, 0xf8, 0x7f)
	if _, err := decodeZsetSnapshot(nan, testLimits); err == nil {
		t.Error("a NaN score loaded")
	}
}
