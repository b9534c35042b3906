package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spool-dev/spool/streams"
)

// streamTestArgs turns a space-separated command line into arguments.
func streamTestArgs(line string) [][]byte {
	var out [][]byte
	for _, w := range strings.Fields(line) {
		out = append(out, []byte(w))
	}
	return out
}

func TestParseAddTrimArgs(t *testing.T) {
	maxLen := func(n uint64, approx bool, limit int64) streams.TrimSpec {
		return streams.TrimSpec{MaxLen: n, Approx: approx, Limit: limit}
	}
	minID := func(id streams.ID, approx bool, limit int64) streams.TrimSpec {
		return streams.TrimSpec{ByMinID: true, MinID: id, Approx: approx, Limit: limit}
	}
	auto := streams.AddIDSpec{Kind: streams.AddIDAuto}
	cases := []struct {
		line      string
		xadd      bool
		replaying bool
		strategy  trimStrategy
		trim      streams.TrimSpec
		idIndex   int
		id        streams.AddIDSpec
		noMk      bool
		err       string
	}{
		{line: "XADD s * f v", xadd: true, idIndex: 2, id: auto},
		{line: "XADD s 5-3 f v", xadd: true, idIndex: 2,
			id: streams.AddIDSpec{Kind: streams.AddIDExplicit, ID: streams.ID{Ms: 5, Seq: 3}}},
		{line: "XADD s 5-* f v", xadd: true, idIndex: 2,
			id: streams.AddIDSpec{Kind: streams.AddIDAutoSeq, ID: streams.ID{Ms: 5}}},
		{line: "XADD s NOMKSTREAM nomkstream * f v", xadd: true, idIndex: 4, id: auto, noMk: true},
		{line: "XADD s MAXLEN 10 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(10, false, 0), idIndex: 4, id: auto},
		{line: "XADD s maxlen = 10 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(10, false, 0), idIndex: 5, id: auto},
		{line: "XADD s MAXLEN ~ 10 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(10, true, -1), idIndex: 5, id: auto},
		{line: "XADD s MAXLEN ~ 10 LIMIT 5 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(10, true, 5), idIndex: 7, id: auto},
		{line: "XADD s LIMIT 0 MAXLEN ~ 10 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(10, true, 0), idIndex: 7, id: auto},
		{line: "XADD s MAXLEN ~ 10 LIMIT 5 * f v", xadd: true, replaying: true, strategy: trimMaxLen, trim: maxLen(10, true, 0), idIndex: 7, id: auto},
		{line: "XADD s MAXLEN 10 LIMIT 5 * f v", xadd: true, replaying: true, strategy: trimMaxLen, trim: maxLen(10, false, 0), idIndex: 6, id: auto},
		{line: "XADD s MINID ~ 7 * f v", xadd: true, strategy: trimMinID, trim: minID(streams.ID{Ms: 7}, true, -1), idIndex: 5, id: auto},
		{line: "XADD s MINID 7-1 * f v", xadd: true, strategy: trimMinID, trim: minID(streams.ID{Ms: 7, Seq: 1}, false, 0), idIndex: 4, id: auto},
		// "~" as the threshold itself when nothing follows it.
		{line: "XTRIM s MAXLEN ~", err: msgNotInteger},
		{line: "XTRIM s MINID ~", err: msgStreamInvalidID},
		{line: "XADD s MAXLEN * f v", xadd: true, err: msgNotInteger},
		{line: "XADD s MAXLEN -1 * f v", xadd: true, err: msgStreamMaxLenNegative},
		{line: "XADD s MAXLEN 1 MINID 2 * f v", xadd: true, err: msgStreamTrimBoth},
		{line: "XADD s MAXLEN 1 MAXLEN 2 * f v", xadd: true, err: msgStreamTrimBoth},
		{line: "XADD s MINID - * f v", xadd: true, err: msgStreamInvalidID},
		{line: "XADD s LIMIT -1 * f v", xadd: true, err: msgStreamLimitNegative},
		{line: "XADD s LIMIT x * f v", xadd: true, err: msgNotInteger},
		{line: "XADD s LIMIT 10 * f v", xadd: true, err: msgStreamLimitNoStrategy},
		{line: "XADD s LIMIT 0 * f v", xadd: true, err: msgStreamLimitNoApprox},
		{line: "XADD s MAXLEN 5 LIMIT 1 * f v", xadd: true, err: msgStreamLimitNoApprox},
		{line: "XADD s MAXLEN = 5 LIMIT 1 * f v", xadd: true, err: msgStreamLimitNoApprox},
		{line: "XADD s FOO * f v", xadd: true, err: msgStreamInvalidID},
		{line: "XADD s MAXLEN f v", xadd: true, err: msgNotInteger},
		// No ID: the arity check that follows reports it.
		{line: "XADD s NOMKSTREAM MAXLEN 5", xadd: true, strategy: trimMaxLen, trim: maxLen(5, false, 0), idIndex: 5, noMk: true},
		{line: "XTRIM s MAXLEN 5", strategy: trimMaxLen, trim: maxLen(5, false, 0), idIndex: 4},
		{line: "XTRIM s MINID ~ 5 LIMIT 3", strategy: trimMinID, trim: minID(streams.ID{Ms: 5}, true, 3), idIndex: 7},
		{line: "XTRIM s MAXLEN 5 FOO", err: msgSyntax},
		{line: "XTRIM s MAXLEN 5 *", err: msgSyntax},
		{line: "XTRIM s NOMKSTREAM MAXLEN 5", err: msgSyntax},
		{line: "XTRIM s LIMIT 0", err: msgStreamXTrimNoStrategy},
		{line: "XTRIM s LIMIT 1", err: msgStreamLimitNoStrategy},
		// Reference policies (Redis 8.2): anywhere among the options, the
		// last one counts.
		{line: "XADD s DELREF MAXLEN 3 * f v", xadd: true, strategy: trimMaxLen,
			trim: streams.TrimSpec{MaxLen: 3, Policy: streams.TrimDelRef}, idIndex: 5, id: auto},
		{line: "XADD s MINID ~ 7 acked * f v", xadd: true, strategy: trimMinID,
			trim: streams.TrimSpec{ByMinID: true, MinID: streams.ID{Ms: 7}, Approx: true, Limit: -1, Policy: streams.TrimAcked}, idIndex: 6, id: auto},
		{line: "XADD s ACKED KeepRef MAXLEN 3 * f v", xadd: true, strategy: trimMaxLen, trim: maxLen(3, false, 0), idIndex: 6, id: auto},
		{line: "XADD s DELREF * f v", xadd: true, idIndex: 3, id: auto, trim: streams.TrimSpec{Policy: streams.TrimDelRef}},
		{line: "XTRIM s MAXLEN ~ 5 LIMIT 2 DELREF", strategy: trimMaxLen,
			trim: streams.TrimSpec{MaxLen: 5, Approx: true, Limit: 2, Policy: streams.TrimDelRef}, idIndex: 8},
		{line: "XTRIM s ACKED MINID 5", strategy: trimMinID,
			trim: streams.TrimSpec{ByMinID: true, MinID: streams.ID{Ms: 5}, Policy: streams.TrimAcked}, idIndex: 5},
		{line: "XTRIM s ACKED", err: msgStreamXTrimNoStrategy},
		{line: "XTRIM s MAXLEN 5 DELREF LIMIT 1", err: msgStreamLimitNoApprox},
		{line: "XTRIM s MAXLEN 5 DELREFS", err: msgSyntax},
	}
	for _, tc := range cases {
		p, err := parseAddTrimArgs(streamTestArgs(tc.line), tc.xadd, tc.replaying)
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if p.strategy != tc.strategy || p.trim != tc.trim || p.idIndex != tc.idIndex || p.id != tc.id || p.noMkStream != tc.noMk {
			t.Errorf("%q: got strategy %d trim %+v idIndex %d id %+v noMk %v", tc.line,
				p.strategy, p.trim, p.idIndex, p.id, p.noMkStream)
		}
	}
}

func TestTrimEffectArgs(t *testing.T) {
	limits := streams.NodeLimits{MaxEntries: 2, MaxBytes: 4096}
	s := streams.New()
	for i := uint64(1); i <= 5; i++ {
		if err := s.Add(streams.ID{Ms: i}, streamTestArgs("f v"), limits); err != nil {
			t.Fatal(err)
		}
	}
	join := func(args [][]byte) string { return string(bytes.Join(args, []byte(" "))) }
	exact, _ := parseAddTrimArgs(streamTestArgs("XTRIM s MAXLEN 3"), false, false)
	if got := join(trimEffectArgs(&exact, s, streams.ID{}, false)); got != "MAXLEN = 3" {
		t.Errorf("exact MAXLEN: %q", got)
	}
	exactMin, _ := parseAddTrimArgs(streamTestArgs("XTRIM s MINID 00012"), false, false)
	if got := join(trimEffectArgs(&exactMin, s, streams.ID{}, false)); got != "MINID = 00012" {
		t.Errorf("exact MINID keeps the threshold as typed: %q", got)
	}
	approx, _ := parseAddTrimArgs(streamTestArgs("XTRIM s MAXLEN ~ 2 LIMIT 2"), false, false)
	s.Trim(approx.trim, limits) // removes the first node [1 2] only
	if got := join(trimEffectArgs(&approx, s, streams.ID{}, false)); got != "MINID = 3-0" {
		t.Errorf("approx: %q", got)
	}
	all, _ := parseAddTrimArgs(streamTestArgs("XTRIM s MAXLEN ~ 0"), false, false)
	s.Trim(all.trim, limits)
	if got := join(trimEffectArgs(&all, s, streams.ID{}, false)); got != "MINID = 18446744073709551615-18446744073709551615" {
		t.Errorf("approx to empty: %q", got)
	}
}

func TestTrimEffectArgsWithPolicy(t *testing.T) {
	join := func(args [][]byte) string { return string(bytes.Join(args, []byte(" "))) }
	s := streams.New()
	delref, err := parseAddTrimArgs(streamTestArgs("XTRIM s MAXLEN ~ 3 LIMIT 9 DELREF"), false, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := join(trimEffectArgs(&delref, s, streams.ID{}, false)); got != "MAXLEN = 3 DELREF" {
		t.Errorf("delref effect %q", got)
	}
	if got := join(trimEffectArgs(&delref, s, streams.ID{Ms: 5}, true)); got != "MINID = 5-0 DELREF" {
		t.Errorf("limited delref effect %q", got)
	}
	acked, err := parseAddTrimArgs(streamTestArgs("XTRIM s MINID 4 ACKED"), false, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := join(trimEffectArgs(&acked, s, streams.ID{Ms: 5}, true)); got != "MINID = 4-0 ACKED" {
		t.Errorf("limited acked effect below the stop %q", got)
	}
	if got := join(trimEffectArgs(&acked, s, streams.ID{Ms: 3}, true)); got != "MINID = 3-0 ACKED" {
		t.Errorf("limited acked effect %q", got)
	}
	if got := join(trimEffectArgs(&acked, s, streams.ID{}, false)); got != "MINID = 4 ACKED" {
		t.Errorf("acked effect %q", got)
	}
}
