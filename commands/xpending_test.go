package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXPending(t *testing.T) {
	id := func(ms, seq uint64) streams.ID { return streams.ID{Ms: ms, Seq: seq} }
	cases := []struct {
		line       string
		summary    bool
		minIdle    int64
		start, end streams.ID
		count      int64
		consumer   string
		err        string
	}{
		{line: "XPENDING k g", summary: true},
		{line: "XPENDING k g - + 10", end: streams.MaxID, count: 10},
		{line: "XPENDING k g (1-1 (4 -5 alice", start: id(1, 2), end: id(4, 1<<64-2), consumer: "alice"},
		{line: "XPENDING k g IDLE 50 2 3 7 bob", minIdle: 50, start: id(2, 0), end: id(3, 1<<64-1), count: 7, consumer: "bob"},
		{line: "XPENDING k g idle -5 - + 1", minIdle: -5, end: streams.MaxID, count: 1},
		// As in Redis, an argument after the consumer is ignored.
		{line: "XPENDING k g - + 10 alice extra", end: streams.MaxID, count: 10, consumer: "alice"},
		{line: "XPENDING k g IDLE 0 - + 10 alice extra", err: msgSyntax},
		{line: "XPENDING k g IDLE 0 - + 10 alice", end: streams.MaxID, count: 10, consumer: "alice"},
		{line: "XPENDING k g -", err: msgSyntax},
		{line: "XPENDING k g - +", err: msgSyntax},
		{line: "XPENDING k g - + 10 a b c d", err: msgSyntax},
		{line: "XPENDING k g IDLE 0 - +", err: msgSyntax},
		{line: "XPENDING k g IDLE x - + 10", err: msgNotInteger},
		{line: "XPENDING k g IDLE x - +", err: msgNotInteger},
		{line: "XPENDING k g x + y", err: msgNotInteger},
		{line: "XPENDING k g x + 1", err: msgStreamInvalidID},
		{line: "XPENDING k g - x 1", err: msgStreamInvalidID},
		{line: "XPENDING k g (- + 1", err: msgStreamInvalidID},
		{line: "XPENDING k g (18446744073709551615-18446744073709551615 + 1", err: msgStreamRangeStart},
		{line: "XPENDING k g - (0-0 1", err: msgStreamRangeEnd},
	}
	for _, tc := range cases {
		p, err := parseXPending(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.summary != tc.summary || p.minIdle != tc.minIdle || p.start != tc.start ||
			p.end != tc.end || p.count != tc.count || string(p.consumer) != tc.consumer {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
		}
	}
}
