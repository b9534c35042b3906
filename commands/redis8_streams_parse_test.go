package commands

import (
	"strings"
	"testing"
)

func r8Args(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		if f == `""` {
			f = ""
		}
		out = append(out, []byte(f))
	}
	return out
}

func TestParseXAddIdmp(t *testing.T) {
	for _, tc := range []struct {
		line, err    string
		pid, iid     string
		auto, replay bool
		idIndex      int
	}{
		{line: "XADD k IDMP p i * f v", pid: "p", iid: "i", idIndex: 5},
		{line: "XADD k IDMPAUTO p * f v", pid: "p", auto: true, idIndex: 4},
		{line: "XADD k NOMKSTREAM MAXLEN ~ 5 IDMP p i * f v", pid: "p", iid: "i", idIndex: 9},
		{line: "XADD k idmp p i MINID 5 * f v", pid: "p", iid: "i", idIndex: 7},
		{line: "XADD k IDMP p i 5-1 f v", pid: "p", iid: "i", replay: true, idIndex: 5},
		{line: "XADD k IDMP p i 5-1 f v", err: msgIdmpExplicitID},
		{line: "XADD k IDMPAUTO p 5-* f v", err: msgIdmpExplicitID},
		{line: "XADD k IDMP p i bad f v", err: msgStreamInvalidID},
		{line: "XADD k IDMP p i IDMPAUTO q * f v", err: msgIdmpTwice},
		{line: `XADD k IDMPAUTO "" * f v`, err: msgIdmpAutoEmptyPid},
		{line: `XADD k IDMP "" i * f v`, err: msgIdmpEmptyPid},
		{line: `XADD k IDMP p "" * f v`, err: msgIdmpEmptyIid},
	} {
		p, err := parseAddTrimArgs(r8Args(tc.line), true, tc.replay)
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
		if string(p.idmpPid) != tc.pid || string(p.idmpIid) != tc.iid || p.idmpAuto != tc.auto || p.idIndex != tc.idIndex {
			t.Errorf("%s: got pid %q iid %q auto %v idIndex %d", tc.line, p.idmpPid, p.idmpIid, p.idmpAuto, p.idIndex)
		}
	}
}

func TestParseXCfgSet(t *testing.T) {
	for _, tc := range []struct {
		line, err         string
		duration, maxSize int64
	}{
		{line: "XCFGSET k IDMP-DURATION 300", duration: 300, maxSize: -1},
		{line: "XCFGSET k idmp-maxsize 10000 idmp-duration 1", duration: 1, maxSize: 10000},
		{line: "XCFGSET k", err: msgXCfgNoParameter},
		{line: "XCFGSET k IDMP-DURATION 0", err: msgXCfgDurationRange},
		{line: "XCFGSET k IDMP-DURATION 86401", err: msgXCfgDurationRange},
		{line: "XCFGSET k IDMP-MAXSIZE 0", err: msgXCfgMaxSizeRange},
		{line: "XCFGSET k IDMP-MAXSIZE 10001", err: msgXCfgMaxSizeRange},
		{line: "XCFGSET k IDMP-MAXSIZE x", err: msgNotInteger},
		{line: "XCFGSET k IDMP-DURATION 1 IDMP-DURATION 1", err: msgXCfgDurationTwice},
		{line: "XCFGSET k IDMP-MAXSIZE 1 IDMP-MAXSIZE 2", err: msgXCfgMaxSizeTwice},
		{line: "XCFGSET k IDMP-DURATION", err: msgSyntax},
		{line: "XCFGSET k FOO 1", err: msgSyntax},
	} {
		p, err := parseXCfgSet(r8Args(tc.line))
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%s: error %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || p.duration != tc.duration || p.maxSize != tc.maxSize {
			t.Errorf("%s: got %+v, %v", tc.line, p, err)
		}
	}
}

func TestParseAckDelArgs(t *testing.T) {
	for _, tc := range []struct {
		line, err string
		policy    refPolicy
		ids       string
	}{
		{line: "XDELEX k IDS 1 1-1", policy: refKeep, ids: "1-1"},
		{line: "XDELEX k DELREF IDS 2 1-1 2-2", policy: refDel, ids: "1-1 2-2"},
		{line: "XDELEX k ids 1 1-1 acked", policy: refAcked, ids: "1-1"},
		{line: "XDELEX k IDS 1 1-1 IDS 1 2-2", policy: refKeep, ids: "2-2"},
		{line: "XDELEX k KEEPREF", err: msgAckDelNoIDs},
		{line: "XDELEX k IDS 0 1-1", err: msgAckDelNumIDs},
		{line: "XDELEX k IDS x 1-1", err: msgAckDelNumIDs},
		{line: "XDELEX k IDS 3 1-1", err: msgAckDelNumIDsMatch},
		{line: "XDELEX k IDS 1 1-1 2-2", err: msgSyntax},
		{line: "XDELEX k KEEPREF ACKED IDS 1 1-1", err: msgSyntax},
		{line: "XDELEX k IDS", err: msgSyntax},
	} {
		p, err := parseAckDelArgs(r8Args(tc.line), 2)
		if tc.err != "" {
			if err == nil || errorText(err) != tc.err {
				t.Errorf("%s: error %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		got := string(bytesJoin(p.ids))
		if err != nil || p.policy != tc.policy || got != tc.ids {
			t.Errorf("%s: got policy %d ids %q, %v", tc.line, p.policy, got, err)
		}
	}
}

func bytesJoin(b [][]byte) []byte {
	var s []string
	for _, x := range b {
		s = append(s, string(x))
	}
	return []byte(strings.Join(s, " "))
}
