package commands

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func args(line string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(line) {
		out = append(out, []byte(f))
	}
	return out
}

func TestParseScoreRange(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		min, max string
		want     scoreRange
		ok       bool
	}{
		{"1", "2", scoreRange{min: 1, max: 2}, true},
		{"(1", "(2", scoreRange{min: 1, max: 2, minex: true, maxex: true}, true},
		{"-inf", "+inf", scoreRange{min: -inf, max: inf}, true},
		{"(-inf", "inf", scoreRange{min: -inf, max: inf, minex: true}, true},
		// strtod without string2d's checks: empty is 0, leading space and
		// overflow pass.
		{"", "(", scoreRange{max: 0, maxex: true}, true},
		{" 1", "1e400", scoreRange{min: 1, max: inf}, true},
		{"0x10", "1e-400", scoreRange{min: 16, max: 0}, true},
		{"nan", "1", scoreRange{}, false},
		{"1", "x", scoreRange{}, false},
		{"1", "2 ", scoreRange{}, false},
		{"((1", "2", scoreRange{}, false},
		{"[1", "2", scoreRange{}, false},
		{"1\x00junk", "2", scoreRange{min: 1, max: 2}, true},
	}
	for _, tt := range tests {
		got, ok := parseScoreRange([]byte(tt.min), []byte(tt.max))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseScoreRange(%q, %q) = %+v, %v; want %+v, %v", tt.min, tt.max, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseZAdd(t *testing.T) {
	tests := []struct {
		line string
		incr bool
		want string // error text, or "" for success
		f    zaddFlags
		ch   bool
		n    int
	}{
		{line: "ZADD k 1 a 2 b", n: 2},
		{line: "ZADD k nx ch 1 a", f: zaddFlags{nx: true}, ch: true, n: 1},
		{line: "ZADD k XX GT CH 1 a", f: zaddFlags{xx: true, gt: true}, ch: true, n: 1},
		{line: "ZADD k INCR 1 a", f: zaddFlags{incr: true}, n: 1},
		{line: "ZINCRBY k 1 a", incr: true, f: zaddFlags{incr: true}, n: 1},
		{line: "ZINCRBY k nx a", incr: true, want: msgSyntax},
		{line: "ZADD k 1 a 2", want: msgSyntax},
		{line: "ZADD k nx", want: msgSyntax},
		{line: "ZADD k nx xx 1 a", want: msgZAddXXAndNX},
		{line: "ZADD k nx gt 1 a", want: msgZAddGTLTNX},
		{line: "ZADD k gt lt 1 a", want: msgZAddGTLTNX},
		{line: "ZADD k incr 1 a 2 b", want: msgZAddIncrPair},
		{line: "ZADD k abc a", want: msgNotFloat},
		{line: "ZADD k 1 a nan b", want: msgNotFloat},
	}
	for _, tt := range tests {
		p, err := parseZAdd(args(tt.line), tt.incr)
		if tt.want != "" {
			if err == nil || errorText(err) != tt.want {
				t.Errorf("%s: err %v, want %q", tt.line, err, tt.want)
			}
			continue
		}
		if err != nil || p.flags != tt.f || p.ch != tt.ch || len(p.members) != tt.n {
			t.Errorf("%s: got %+v, %v", tt.line, p, err)
		}
	}
}

func TestParseZRange(t *testing.T) {
	tests := []struct {
		line  string
		store bool
		kind  zrangeKind
		dir   zrangeDir
		want  string
	}{
		{line: "ZRANGE k 0 -1"},
		{line: "ZRANGE k 0 -1 withscores rev"},
		{line: "ZRANGE k (1 5 BYSCORE LIMIT 1 2"},
		{line: "ZRANGE k 0 -1 LIMIT 0 1", want: msgZRangeLimitByRank},
		{line: "ZRANGE k 0 -1 LIMIT 0 -1"}, // no limit: no conflict
		{line: "ZRANGE k [a [b BYLEX WITHSCORES", want: msgZRangeScoresByLex},
		{line: "ZRANGE k a b BYLEX", want: msgZRangeNotLex},
		{line: "ZRANGE k a b BYSCORE", want: msgZRangeNotFloat},
		{line: "ZRANGE k a b", want: msgNotInteger},
		{line: "ZRANGE k 0 1 REV REV", want: msgSyntax},
		{line: "ZRANGE k 0 1 BYSCORE BYLEX", want: msgSyntax},
		{line: "ZRANGE k 0 1 LIMIT 1", want: msgSyntax},
		{line: "ZRANGE k 0 1 BYSCORE LIMIT x 1", want: msgNotInteger},
		{line: "ZRANGESTORE d k 0 1 WITHSCORES", store: true, want: msgSyntax},
		{line: "ZREVRANGE k 0 1 REV", kind: zrangeRank, dir: zrangeDirReverse, want: msgSyntax},
		{line: "ZRANGEBYSCORE k 0 1 BYSCORE", kind: zrangeScore, dir: zrangeDirForward, want: msgSyntax},
		{line: "ZRANGEBYLEX k - + WITHSCORES", kind: zrangeLex, dir: zrangeDirForward, want: msgZRangeScoresByLex},
	}
	for _, tt := range tests {
		keyIdx := 1
		if tt.store {
			keyIdx = 2
		}
		_, err := parseZRange(args(tt.line), keyIdx, tt.store, tt.kind, tt.dir)
		got := ""
		if err != nil {
			got = errorText(err)
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.line, got, tt.want)
		}
	}
	// REV swaps the bounds of a score range.
	p, err := parseZRange(args("ZRANGE k 5 (1 BYSCORE REV"), 1, false, zrangeAuto, zrangeDirAuto)
	if err != nil || p.score != (scoreRange{min: 1, max: 5, minex: true}) || !p.reverse {
		t.Fatalf("reversed score range: %+v %v", p, err)
	}
}

func TestParseZMPop(t *testing.T) {
	tests := []struct {
		line string
		want string
		keys int
		cnt  int64
	}{
		{line: "ZMPOP 1 k MIN", keys: 1, cnt: 1},
		{line: "ZMPOP 2 a b max COUNT 5", keys: 2, cnt: 5},
		{line: "ZMPOP 0 k MIN", want: msgNumKeysPositive},
		{line: "ZMPOP x k MIN", want: msgNumKeysPositive},
		{line: "ZMPOP 2 k MIN", want: msgSyntax},
		{line: "ZMPOP 1 k LEFT", want: msgSyntax},
		{line: "ZMPOP 1 k MIN COUNT 0", want: msgCountPositive},
		{line: "ZMPOP 1 k MIN COUNT 1 COUNT 1", want: msgSyntax},
		{line: "ZMPOP 1 k MIN COUNT", want: msgSyntax},
	}
	for _, tt := range tests {
		p, err := parseZMPop(args(tt.line), 1)
		got := ""
		if err != nil {
			got = errorText(err)
		}
		if got != tt.want || (got == "" && (len(p.keys) != tt.keys || p.count != tt.cnt)) {
			t.Errorf("%s: %+v %q, want %q", tt.line, p, got, tt.want)
		}
	}
}

// TestZsetRangesAgainstModel checks every kind of range, with offsets,
// limits and both directions, against a plain filter of the sorted
// members.
func TestZsetRangesAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// Scores vary for score ranges; lex ranges are defined on members of
	// one score, so they get a set of their own.
	byScore, byLex := newZset(), newZset()
	var scoreModel, lexModel zslModel
	for i := 0; i < 300; i++ {
		m := string(rune('a'+r.IntN(26))) + strconv.Itoa(i)
		score := float64(r.IntN(30))
		byScore.add(m, score, zaddFlags{}, testLimits)
		scoreModel = append(scoreModel, scoredMember{m, score})
		byLex.add(m, 0, zaddFlags{}, testLimits)
		lexModel = append(lexModel, scoredMember{m, 0})
	}
	scoreModel.sort()
	lexModel.sort()
	if byScore.listpack || byLex.listpack {
		t.Fatal("300 members should be a skip list")
	}
	bound := func() (float64, bool) { return float64(r.IntN(34) - 2), r.IntN(2) == 0 }
	lexBoundOf := func() lexBound {
		switch r.IntN(6) {
		case 0:
			return lexBound{inf: -1, ex: true}
		case 1:
			return lexBound{inf: 1, ex: true}
		}
		return lexBound{s: string(rune('a' + r.IntN(27))), ex: r.IntN(2) == 0}
	}
	for trial := 0; trial < 2000; trial++ {
		p := zrangeArgs{offset: int64(r.IntN(5)), limit: int64(r.IntN(8) - 1), reverse: r.IntN(2) == 0}
		if r.IntN(5) == 0 {
			p.offset = 0
		}
		var in func(scoredMember) bool
		z, model := byScore, scoreModel
		if r.IntN(2) == 0 {
			p.kind = zrangeScore
			p.score.min, p.score.minex = bound()
			p.score.max, p.score.maxex = bound()
			in = func(it scoredMember) bool { return p.score.gteMin(it.score) && p.score.lteMax(it.score) }
		} else {
			p.kind = zrangeLex
			z, model = byLex, lexModel
			p.lex = lexRange{lexBoundOf(), lexBoundOf()}
			in = func(it scoredMember) bool { return p.lex.gteMin(it.member) && p.lex.lteMax(it.member) }
		}
		var want []scoredMember
		for i := range model {
			it := model[i]
			if p.reverse {
				it = model[len(model)-1-i]
			}
			if in(it) {
				want = append(want, it)
			}
		}
		if int(p.offset) >= len(want) {
			want = nil
		} else {
			want = want[p.offset:]
		}
		if p.limit >= 0 && int(p.limit) < len(want) {
			want = want[:p.limit]
		}
		got := z.collectRange(p)
		if len(got) != len(want) {
			t.Fatalf("trial %d %+v: %d members, want %d", trial, p, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("trial %d %+v: member %d is %v, want %v", trial, p, i, got[i], want[i])
			}
		}
		// ZCOUNT and ZLEXCOUNT agree with the unlimited range.
		if p.kind == zrangeScore {
			n := 0
			for _, it := range model {
				if in(it) {
					n++
				}
			}
			if c := z.countBetween(z.firstInScoreRange(p.score), z.lastInScoreRange(p.score)); c != n {
				t.Fatalf("trial %d: count %d, want %d", trial, c, n)
			}
		}
	}
}

func TestZsetEncodingAndNegativeZero(t *testing.T) {
	z := newZset()
	z.add("a", math.Copysign(0, -1), zaddFlags{}, testLimits)
	if s, _ := z.score("a"); math.Signbit(s) {
		t.Fatal("a listpack keeps -0")
	}
	for i := 0; i < testLimits.ZsetMaxListpackEntries-1; i++ {
		z.add("m"+strconv.Itoa(i), float64(i), zaddFlags{}, testLimits)
	}
	if !z.listpack || z.len() != testLimits.ZsetMaxListpackEntries {
		t.Fatalf("listpack=%v len=%d", z.listpack, z.len())
	}
	z.add("one-more", 1, zaddFlags{}, testLimits)
	if z.listpack {
		t.Fatal("129 members should convert to a skip list")
	}
	z.add("b", math.Copysign(0, -1), zaddFlags{}, testLimits)
	if s, _ := z.score("b"); !math.Signbit(s) {
		t.Fatal("a skip list keeps -0")
	}
	for z.len() > 3 {
		z.pop(true)
	}
	if z.listpack {
		t.Fatal("a skip list never converts back while the key lives")
	}
	z.rebuildEncoding(testLimits)
	if !z.listpack {
		t.Fatal("a small set loads as a listpack")
	}
	if s, _ := z.score("b"); math.Signbit(s) {
		t.Fatal("loading as a listpack spells -0 as 0")
	}
	long := newZset()
	long.add(strings.Repeat("x", testLimits.ZsetMaxListpackValue+1), 1, zaddFlags{}, testLimits)
	if long.listpack {
		t.Fatal("a member longer than 64 bytes makes a skip list")
	}
}

func TestZAddOutcomes(t *testing.T) {
	z := newZset()
	check := func(member string, score float64, f zaddFlags, want zaddOutcome, wantScore float64) {
		t.Helper()
		got, s := z.add(member, score, f, testLimits)
		if got != want || (want != zaddNop && want != zaddNaN && s != wantScore) {
			t.Fatalf("add %q %v %+v = %v %v, want %v %v", member, score, f, got, s, want, wantScore)
		}
	}
	check("a", 1, zaddFlags{}, zaddAdded, 1)
	check("a", 1, zaddFlags{}, zaddUnchanged, 1)
	check("a", 2, zaddFlags{nx: true}, zaddNop, 0)
	check("b", 2, zaddFlags{xx: true}, zaddNop, 0)
	check("a", 0, zaddFlags{gt: true}, zaddNop, 0)
	check("a", 5, zaddFlags{gt: true}, zaddUpdated, 5)
	check("a", 6, zaddFlags{lt: true}, zaddNop, 0)
	check("a", 2, zaddFlags{incr: true}, zaddUpdated, 7)
	check("a", -1, zaddFlags{incr: true, gt: true}, zaddNop, 0)
	check("i", math.Inf(1), zaddFlags{}, zaddAdded, math.Inf(1))
	check("i", math.Inf(-1), zaddFlags{incr: true}, zaddNaN, 0)
	check("n", math.NaN(), zaddFlags{}, zaddNaN, 0)
	if s, _ := z.score("i"); !math.IsInf(s, 1) {
		t.Fatal("a NaN increment changed the score")
	}
}

// TestZsetEffects checks how the commands that are not deterministic as
// typed log their change, and that replaying the log rebuilds the dataset.
func TestZsetEffects(t *testing.T) {
	live := newStringsEnv(t)
	live.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	live.do("ZADD", "y", "9", "q")
	live.takeEffects()
	tests := []struct {
		cmd  []string
		want []string
	}{
		{[]string{"ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "2"}, []string{"ZPOPMAX z 2"}},
		{[]string{"ZMPOP", "1", "z", "MIN", "COUNT", "10"}, []string{"ZPOPMIN z 2"}},
		{[]string{"BZPOPMIN", "nokey", "y", "0"}, []string{"ZPOPMIN y"}},
		{[]string{"ZADD", "z", "1", "a"}, []string{"ZADD z 1 a"}},
		{[]string{"BZMPOP", "0", "1", "z", "MIN"}, []string{"ZPOPMIN z 1"}},
		{[]string{"ZPOPMIN", "nokey"}, nil},
		{[]string{"ZADD", "w", "XX", "1", "a"}, nil},
		{[]string{"SADD", "s", "x"}, []string{"SADD s x"}},
		{[]string{"SPOP", "s"}, []string{"SREM s x"}},
		{[]string{"SADD", "s", "1", "2", "3"}, []string{"SADD s 1 2 3"}},
		{[]string{"SPOP", "s", "5"}, []string{"DEL s"}},
	}
	for _, tt := range tests {
		live.do(tt.cmd...)
		got := live.takeEffects()
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: effects %q, want %q", tt.cmd, got, tt.want)
		}
	}
	// Random pops log what they removed: replay rebuilds the same sets.
	for i := 0; i < 50; i++ {
		live.do("SADD", "r", strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	live.do("SPOP", "r", "7")
	live.do("SPOP", "r")
	live.do("SPOP", "r", "80")
	live.do("ZADD", "q", "1", "a", "2", "b")
	live.do("ZRANGESTORE", "q2", "q", "0", "-1")
	live.do("SUNIONSTORE", "u", "r", "nokey")
	effects := live.effects
	replayed := newStringsEnv(t)
	client := NewClient(2, "replay", "replay", replayed.now, true)
	for _, eff := range effects {
		if err := replayed.eng.Replay(client, eff); err != nil {
			t.Fatalf("replay %q: %v", eff.Args, err)
		}
	}
	if got, want := replayed.eng.Dump(), live.eng.Dump(); got != want {
		t.Fatalf("replayed dataset differs\nlive:\n%s\nreplayed:\n%s", want, got)
	}
}
