package commands

import (
	"math"
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXRange(t *testing.T) {
	id := func(ms, seq uint64) streams.ID { return streams.ID{Ms: ms, Seq: seq} }
	cases := []struct {
		line       string
		rev        bool
		start, end streams.ID
		count      int64
		err        string
	}{
		{line: "XRANGE s - +", start: streams.MinID, end: streams.MaxID, count: -1},
		{line: "XRANGE s 5 5", start: id(5, 0), end: id(5, math.MaxUint64), count: -1},
		{line: "XRANGE s (5 (7-1", start: id(5, 1), end: id(7, 0), count: -1},
		{line: "XRANGE s (1-1 + COUNT 3", start: id(1, 2), end: streams.MaxID, count: 3},
		{line: "XRANGE s - + COUNT -5", start: streams.MinID, end: streams.MaxID, count: 0},
		{line: "XRANGE s - + count 1 COUNT 2", start: streams.MinID, end: streams.MaxID, count: 2},
		{line: "XREVRANGE s + -", rev: true, start: streams.MinID, end: streams.MaxID, count: -1},
		{line: "XREVRANGE s 9 (3", rev: true, start: id(3, 1), end: id(9, math.MaxUint64), count: -1},
		{line: "XRANGE s (- +", err: msgStreamInvalidID},
		{line: "XRANGE s - (+", err: msgStreamInvalidID},
		{line: "XRANGE s (18446744073709551615-18446744073709551615 +", err: msgStreamRangeStart},
		{line: "XRANGE s - (0-0", err: msgStreamRangeEnd},
		{line: "XRANGE s abc (0-0", err: msgStreamInvalidID},
		// XREVRANGE parses its start (the last argument) first.
		{line: "XREVRANGE s abc def", rev: true, err: msgStreamInvalidID},
		{line: "XREVRANGE s (0 (18446744073709551615-18446744073709551615", rev: true, err: msgStreamRangeStart},
		{line: "XRANGE s - + COUNT", err: msgSyntax},
		{line: "XRANGE s - + COUNT x", err: msgNotInteger},
		{line: "XRANGE s - + FOO 1", err: msgSyntax},
	}
	for _, tc := range cases {
		p, err := parseXRange(streamTestArgs(tc.line), tc.rev)
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.start != tc.start || p.end != tc.end || p.count != tc.count {
			t.Errorf("%q: got %+v, %v; want %v %v %d", tc.line, p, err, tc.start, tc.end, tc.count)
		}
	}
}
