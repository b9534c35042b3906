package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXReadGroup(t *testing.T) {
	cases := []struct {
		line            string
		group, consumer string
		count           int64
		block           bool
		blockMs         int64
		noack           bool
		keys, ids       string
		claim           bool
		minIdle         int64
		err             string
	}{
		{line: "XREADGROUP GROUP g c STREAMS a >", group: "g", consumer: "c", keys: "a", ids: ">"},
		{line: "XREADGROUP group g c COUNT 5 BLOCK 100 NOACK STREAMS a b > 0", group: "g", consumer: "c",
			count: 5, block: true, blockMs: 100, noack: true, keys: "a b", ids: "> 0"},
		{line: "XREADGROUP NOACK COUNT -3 GROUP g1 c1 GROUP g2 c2 STREAMS a >", group: "g2", consumer: "c2", noack: true, keys: "a", ids: ">"},
		{line: "XREADGROUP GROUP g c STREAMS STREAMS >", group: "g", consumer: "c", keys: "STREAMS", ids: ">"},
		{line: "XREADGROUP GROUP g c STREAMS a > b", err: msgXReadUnbalanced},
		{line: "XREADGROUP STREAMS a > b c d", err: msgXReadUnbalanced},
		{line: "XREADGROUP COUNT 1 BLOCK 1 STREAMS a >", err: msgXReadGroupNoGroup},
		{line: "XREADGROUP GROUP g c COUNT 1", err: msgSyntax},
		{line: "XREADGROUP GROUP g c FOO STREAMS a >", err: msgSyntax},
		{line: "XREADGROUP GROUP g STREAMS a >", err: msgSyntax},
		{line: "XREADGROUP GROUP g c COUNT x STREAMS a >", err: msgNotInteger},
		{line: "XREADGROUP GROUP g c BLOCK x STREAMS a >", err: msgTimeoutNotInt},
		{line: "XREADGROUP GROUP g c BLOCK -1 STREAMS a >", err: msgTimeoutNegative},
		{line: "XREADGROUP GROUP g c CLAIM 100 STREAMS a >", group: "g", consumer: "c", keys: "a", ids: ">", claim: true, minIdle: 100},
		{line: "XREADGROUP GROUP g c claim 5 COUNT 2 CLAIM 0 NOACK STREAMS a >", group: "g", consumer: "c", count: 2, noack: true,
			keys: "a", ids: ">", claim: true},
		{line: "XREADGROUP GROUP g c CLAIM -7 STREAMS a >", group: "g", consumer: "c", keys: "a", ids: ">", claim: true},
		{line: "XREADGROUP GROUP g c CLAIM x STREAMS a >", err: msgNotInteger},
		{line: "XREADGROUP GROUP g c CLAIM", err: msgSyntax},
		{line: "XREADGROUP GROUP g c STREAMS a CLAIM", group: "g", consumer: "c", keys: "a", ids: "CLAIM"},
	}
	for _, tc := range cases {
		p, err := parseXReadGroup(streamTestArgs(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || string(p.group) != tc.group || string(p.consumer) != tc.consumer ||
			p.count != tc.count || p.block != tc.block || p.blockMs != tc.blockMs || p.noack != tc.noack ||
			p.claim != tc.claim || p.minIdle != tc.minIdle ||
			bytesJoinSpace(p.keys) != tc.keys || bytesJoinSpace(p.ids) != tc.ids {
			t.Errorf("%q: got %+v, %v", tc.line, p, err)
		}
	}
}

func TestResolveXReadGroupID(t *testing.T) {
	cases := []struct {
		arg     string
		history bool
		after   streams.ID
		err     string
	}{
		{arg: ">"},
		{arg: "0", history: true},
		{arg: "5", history: true, after: streams.ID{Ms: 5}},
		{arg: "5-3", history: true, after: streams.ID{Ms: 5, Seq: 3}},
		// Redis encodes ">" as the greatest ID, so that ID reads new entries.
		{arg: "18446744073709551615-18446744073709551615", after: streams.MaxID},
		{arg: "$", err: msgXReadGroupDollarID},
		{arg: "+", err: msgStreamInvalidID},
		{arg: "-", err: msgStreamInvalidID},
		{arg: "x", err: msgStreamInvalidID},
	}
	for _, tc := range cases {
		got, err := resolveXReadGroupID([]byte("k"), []byte(tc.arg))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%q: err %v, want %q", tc.arg, err, tc.err)
			}
			continue
		}
		if err != nil || got.history != tc.history || got.after != tc.after {
			t.Errorf("%q: got %+v, %v", tc.arg, got, err)
		}
	}
}
