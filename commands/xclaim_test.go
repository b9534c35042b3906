package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXClaim(t *testing.T) {
	const now = 1_000_000
	id := func(ms, seq uint64) streams.ID { return streams.ID{Ms: ms, Seq: seq} }
	cases := []struct {
		line    string
		minIdle int64
		ids     []streams.ID
		opts    streams.ClaimOptions
		err     string
	}{
		{line: "XCLAIM k g c 10 1-1 2", minIdle: 10, ids: []streams.ID{id(1, 1), id(2, 0)}},
		{line: "XCLAIM k g c -5 1-1", ids: []streams.ID{id(1, 1)}},
		{line: "XCLAIM k g c 0 1-1 FORCE justid RETRYCOUNT 3 LASTID 9-9", ids: []streams.ID{id(1, 1)},
			opts: streams.ClaimOptions{Force: true, JustID: true, RetryCountGiven: true, RetryCount: 3, LastID: id(9, 9)}},
		{line: "XCLAIM k g c 0 1-1 IDLE 100", ids: []streams.ID{id(1, 1)},
			opts: streams.ClaimOptions{TimeGiven: true, Time: now - 100}},
		// IDLE and TIME: the last one wins.
		{line: "XCLAIM k g c 0 1-1 IDLE 100 TIME 5", ids: []streams.ID{id(1, 1)},
			opts: streams.ClaimOptions{TimeGiven: true, Time: 5}},
		{line: "XCLAIM k g c 0 1-1 RETRYCOUNT -1", ids: []streams.ID{id(1, 1)},
			opts: streams.ClaimOptions{RetryCountGiven: true, RetryCount: -1}},
		// IDs stop at the first argument that is not one.
		{line: "XCLAIM k g c 0 FORCE", opts: streams.ClaimOptions{Force: true}},
		{line: "XCLAIM k g c 0 1-1 FORCE 2-2", err: "ERR Unrecognized XCLAIM option '2-2'"},
		{line: "XCLAIM k g c 0 x", err: "ERR Unrecognized XCLAIM option 'x'"},
		{line: "XCLAIM k g c 0 1-1 IDLE", err: "ERR Unrecognized XCLAIM option 'IDLE'"},
		{line: "XCLAIM k g c x 1-1", err: msgXClaimMinIdle},
		{line: "XCLAIM k g c 0 1-1 IDLE x", err: msgXClaimIdle},
		{line: "XCLAIM k g c 0 1-1 TIME x", err: msgXClaimTime},
		{line: "XCLAIM k g c 0 1-1 RETRYCOUNT x", err: msgXClaimRetryCount},
		{line: "XCLAIM k g c 0 1-1 LASTID -", err: msgStreamInvalidID},
	}
	for _, tc := range cases {
		p, err := parseXClaim(streamTestArgs(tc.line), now)
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.minIdle != tc.minIdle || len(p.ids) != len(tc.ids) || p.opts != tc.opts {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
			continue
		}
		for i := range p.ids {
			if p.ids[i] != tc.ids[i] {
				t.Errorf("%q: ids %v", tc.line, p.ids)
			}
		}
	}
}

func TestParseXAutoClaim(t *testing.T) {
	cases := []struct {
		line    string
		minIdle int64
		start   streams.ID
		count   int64
		justID  bool
		err     string
	}{
		{line: "XAUTOCLAIM k g c 10 0", minIdle: 10, count: 100},
		{line: "XAUTOCLAIM k g c -5 (1-1 COUNT 3 JUSTID count 4", start: streams.ID{Ms: 1, Seq: 2}, count: 4, justID: true},
		{line: "XAUTOCLAIM k g c 0 - COUNT 576460752303423487", count: 576460752303423487},
		{line: "XAUTOCLAIM k g c 0 + JUSTID", start: streams.MaxID, count: 100, justID: true},
		{line: "XAUTOCLAIM k g c x 0", err: msgXAutoClaimMinIdle},
		{line: "XAUTOCLAIM k g c 0 x", err: msgStreamInvalidID},
		{line: "XAUTOCLAIM k g c 0 (-", err: msgStreamInvalidID},
		{line: "XAUTOCLAIM k g c 0 (18446744073709551615-18446744073709551615", err: msgStreamRangeStart},
		{line: "XAUTOCLAIM k g c 0 0 COUNT 0", err: msgXAutoClaimCount},
		{line: "XAUTOCLAIM k g c 0 0 COUNT x", err: msgXAutoClaimCount},
		{line: "XAUTOCLAIM k g c 0 0 COUNT 576460752303423488", err: msgXAutoClaimCount},
		{line: "XAUTOCLAIM k g c 0 0 COUNT", err: msgSyntax},
		{line: "XAUTOCLAIM k g c 0 0 FOO", err: msgSyntax},
	}
	for _, tc := range cases {
		p, err := parseXAutoClaim(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.minIdle != tc.minIdle || p.start != tc.start || p.count != tc.count || p.justID != tc.justID {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
		}
	}
}
