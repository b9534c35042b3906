package commands

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spool-dev/spool/streams"
)

func TestParseXRead(t *testing.T) {
	cases := []struct {
		line      string
		count     int64
		block     bool
		blockMs   int64
		keys, ids string
		err       string
	}{
		{line: "XREAD STREAMS a 0", keys: "a", ids: "0"},
		{line: "XREAD COUNT 5 BLOCK 100 STREAMS a b $ 1-1", count: 5, block: true, blockMs: 100, keys: "a b", ids: "$ 1-1"},
		{line: "XREAD count -3 block 0 count 2 STREAMS a +", count: 2, block: true, keys: "a", ids: "+"},
		{line: "XREAD BLOCK 1 BLOCK 0 STREAMS a 0", block: true, keys: "a", ids: "0"},
		{line: "XREAD STREAMS STREAMS 0", keys: "STREAMS", ids: "0"},
		{line: "XREAD STREAMS a 0 b", err: msgXReadUnbalanced},
		{line: "XREAD COUNT 1 STREAMS", err: msgSyntax},
		{line: "XREAD COUNT 1 a 0", err: msgSyntax},
		{line: "XREAD COUNT 1 BLOCK", err: msgSyntax},
		{line: "XREAD COUNT x STREAMS a 0", err: msgNotInteger},
		{line: "XREAD BLOCK x STREAMS a 0", err: msgTimeoutNotInt},
		{line: "XREAD BLOCK 1.5 STREAMS a 0", err: msgTimeoutNotInt},
		{line: "XREAD BLOCK -1 STREAMS a 0", err: msgTimeoutNegative},
		{line: "XREAD GROUP g c STREAMS a 0", err: msgXReadGroupOption},
		{line: "XREAD COUNT 1 GROUP g", err: msgSyntax},
		{line: "XREAD NOACK STREAMS a 0", err: msgXReadNoAckOption},
	}
	for _, tc := range cases {
		p, err := parseXRead(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		join := func(b [][]byte) string { return string(bytesJoinSpace(b)) }
		if err != nil || p.count != tc.count || p.block != tc.block || p.blockMs != tc.blockMs ||
			join(p.keys) != tc.keys || join(p.ids) != tc.ids {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
		}
	}
}

func bytesJoinSpace(b [][]byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = string(x)
	}
	return strings.Join(parts, " ")
}

func TestResolveXReadID(t *testing.T) {
	limits := streams.DefaultNodeLimits
	s := streams.New()
	for _, id := range []streams.ID{{Ms: 1, Seq: 0}, {Ms: 2, Seq: 5}, {Ms: 3, Seq: 0}} {
		if err := s.Add(id, streamTestArgs("f v"), limits); err != nil {
			t.Fatal(err)
		}
	}
	s.Delete(streams.ID{Ms: 3})
	empty := streams.New()
	if err := empty.Add(streams.ID{Ms: 9}, streamTestArgs("f v"), limits); err != nil {
		t.Fatal(err)
	}
	empty.Delete(streams.ID{Ms: 9})
	cases := []struct {
		s    *streams.Stream
		arg  string
		want streams.ID
		err  string
	}{
		{s, "$", streams.ID{Ms: 3}, ""},
		{nil, "$", streams.MinID, ""},
		// "+" is just below the last entry (not the last generated ID).
		{s, "+", streams.ID{Ms: 2, Seq: 4}, ""},
		{empty, "+", streams.ID{Ms: 9}, ""},
		{nil, "+", streams.MinID, ""},
		{s, "7", streams.ID{Ms: 7}, ""},
		{s, ">", streams.ID{}, msgXReadGreaterID},
		{s, "-", streams.ID{}, msgStreamInvalidID},
		{s, "(1", streams.ID{}, msgStreamInvalidID},
	}
	for _, tc := range cases {
		got, err := resolveXReadID(tc.s, []byte(tc.arg))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.arg, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %v, %v; want %v", tc.arg, got, err, tc.want)
		}
	}
}

func TestBlockDeadline(t *testing.T) {
	now := time.Unix(1000, 0)
	if got := blockDeadline(now, 1500); !got.Equal(now.Add(1500 * time.Millisecond)) {
		t.Errorf("1500ms: %v", got)
	}
	if got := blockDeadline(now, math.MaxInt64); !got.IsZero() {
		t.Errorf("a huge timeout should block forever, got %v", got)
	}
}
