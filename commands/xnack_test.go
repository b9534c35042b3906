package commands

import (
	"testing"

	"github.com/spool-dev/spool/streams"
)

func TestParseXNack(t *testing.T) {
	for _, tc := range []struct {
		line, err string
		mode      streams.NackMode
		ids       int
		retry     int64 // -1: not given
		force     bool
	}{
		{line: "XNACK k g SILENT IDS 1 1-0", mode: streams.NackSilent, ids: 1, retry: -1},
		{line: "XNACK k g fail ids 2 1-0 2-0", mode: streams.NackFail, ids: 2, retry: -1},
		{line: "XNACK k g Fatal IDS 1 1-0 RETRYCOUNT 5 FORCE", mode: streams.NackFatal, ids: 1, retry: 5, force: true},
		{line: "XNACK k g FAIL FORCE RETRYCOUNT 0 IDS 1 1-0", mode: streams.NackFail, ids: 1, retry: 0, force: true},
		{line: "XNACK k g FAIL IDS 1 bad", mode: streams.NackFail, ids: 1, retry: -1}, // IDs parse later
		{line: "XNACK k g MAYBE IDS 1 1-0", err: msgXNackMode},
		{line: "XNACK k g IDS 1 1-0 2-0", err: msgXNackMode},
		{line: "XNACK k g SILENT IDS 0 1-0", err: msgXNackNumIDs},
		{line: "XNACK k g SILENT IDS -1 1-0", err: msgXNackNumIDs},
		{line: "XNACK k g SILENT IDS x 1-0", err: msgXNackNumIDs},
		{line: "XNACK k g SILENT IDS 3 1-0", err: msgXNackIDsMismatch},
		{line: "XNACK k g SILENT IDS 1 1-0 RETRYCOUNT -1", err: msgXNackRetryCount},
		{line: "XNACK k g SILENT IDS 1 1-0 RETRYCOUNT x", err: msgNotInteger},
		{line: "XNACK k g SILENT IDS 1 1-0 RETRYCOUNT", err: "ERR Unrecognized XNACK option 'RETRYCOUNT'"},
		{line: "XNACK k g SILENT IDS 1 1-0 BOGUS", err: "ERR Unrecognized XNACK option 'BOGUS'"},
		{line: "XNACK k g SILENT FORCE FORCE FORCE", err: msgXNackNoIDs},
	} {
		p, err := parseXNack(r8Args(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%s: error %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.line, err)
			continue
		}
		retry := int64(-1)
		if p.opts.RetryCountGiven {
			retry = p.opts.RetryCount
		}
		if p.mode != tc.mode || len(p.ids) != tc.ids || retry != tc.retry || p.opts.Force != tc.force {
			t.Errorf("%s: got %+v", tc.line, p)
		}
	}
}
