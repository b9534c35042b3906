package streams

import (
	"fmt"
	"testing"
)

// trimStep is one XTRIM (or XDEL) and the state redis-server 7.0.15 reported
// after it with XINFO STREAM.
type trimStep struct {
	cmd      string
	spec     TrimSpec
	del      []ID // XDEL instead of XTRIM when set
	removed  int64
	length   uint64
	keys     int
	nodes    int
	maxDel   ID
	recorded ID
}

func runTrimSteps(t *testing.T, s *Stream, limits NodeLimits, steps []trimStep) {
	t.Helper()
	for _, st := range steps {
		var removed int64
		if st.del != nil {
			for _, id := range st.del {
				if s.Delete(id) {
					removed++
				}
			}
		} else {
			removed = s.Trim(st.spec, limits)
		}
		info := s.Info()
		got := fmt.Sprintf("removed %d len %d keys %d nodes %d maxdel %v first %v",
			removed, info.Length, info.RadixTreeKeys, info.RadixTreeNodes, info.MaxDeletedEntryID, info.RecordedFirstEntryID)
		want := fmt.Sprintf("removed %d len %d keys %d nodes %d maxdel %v first %v",
			st.removed, st.length, st.keys, st.nodes, st.maxDel, st.recorded)
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", st.cmd, got, want)
		}
		// recorded-first-entry-id is always the first entry.
		if first, ok := s.FirstEntryID(); ok != (info.Length > 0) || (ok && first != info.RecordedFirstEntryID) {
			t.Errorf("%s: FirstEntryID %v %v", st.cmd, first, ok)
		}
	}
}

func fillTiny(t *testing.T, n int, limits NodeLimits) *Stream {
	s := New()
	for i := 1; i <= n; i++ {
		mustAdd(t, s, ID{uint64(i), 0}, limits, "f", "v")
	}
	return s
}

// 1000 entries in 10 nodes of 100; every expected line is what
// redis-server 7.0.15 replied to the same commands.
func TestTrimMatchesRedis(t *testing.T) {
	s := fillTiny(t, 1000, DefaultNodeLimits)
	runTrimSteps(t, s, DefaultNodeLimits, []trimStep{
		{cmd: "XTRIM t MAXLEN 950", spec: TrimSpec{MaxLen: 950, Limit: -1},
			removed: 50, length: 950, keys: 10, nodes: 26, recorded: ID{51, 0}},
		// The first node has 50 live entries and can go whole; the next cannot.
		{cmd: "XTRIM t MAXLEN ~ 850", spec: TrimSpec{MaxLen: 850, Approx: true, Limit: -1},
			removed: 50, length: 900, keys: 9, nodes: 24, recorded: ID{101, 0}},
		// LIMIT counts whole nodes: a third node would pass 250.
		{cmd: "XTRIM t MAXLEN ~ 0 LIMIT 250", spec: TrimSpec{MaxLen: 0, Approx: true, Limit: 250},
			removed: 200, length: 700, keys: 7, nodes: 19, recorded: ID{301, 0}},
		{cmd: "XTRIM t MAXLEN ~ 0 LIMIT 99", spec: TrimSpec{MaxLen: 0, Approx: true, Limit: 99},
			removed: 0, length: 700, keys: 7, nodes: 19, recorded: ID{301, 0}},
		{cmd: "XTRIM t MAXLEN = 690", spec: TrimSpec{MaxLen: 690, Limit: -1},
			removed: 10, length: 690, keys: 7, nodes: 19, recorded: ID{311, 0}},
		{cmd: "XTRIM t MINID ~ 750", spec: TrimSpec{ByMinID: true, MinID: ID{750, 0}, Approx: true, Limit: -1},
			removed: 390, length: 300, keys: 3, nodes: 9, recorded: ID{701, 0}},
		{cmd: "XTRIM t MINID 750", spec: TrimSpec{ByMinID: true, MinID: ID{750, 0}, Limit: -1},
			removed: 49, length: 251, keys: 3, nodes: 9, recorded: ID{750, 0}},
		{cmd: "XDEL t 800-0 850-0", del: []ID{{800, 0}, {850, 0}},
			removed: 2, length: 249, keys: 3, nodes: 9, maxDel: ID{850, 0}, recorded: ID{750, 0}},
		{cmd: "XTRIM t MINID 801", spec: TrimSpec{ByMinID: true, MinID: ID{801, 0}, Limit: -1},
			removed: 50, length: 199, keys: 2, nodes: 6, maxDel: ID{850, 0}, recorded: ID{801, 0}},
		{cmd: "XTRIM t MAXLEN ~ 100", spec: TrimSpec{MaxLen: 100, Approx: true, Limit: -1},
			removed: 99, length: 100, keys: 1, nodes: 2, maxDel: ID{850, 0}, recorded: ID{901, 0}},
		{cmd: "XTRIM t MAXLEN 100", spec: TrimSpec{MaxLen: 100, Limit: -1},
			removed: 0, length: 100, keys: 1, nodes: 2, maxDel: ID{850, 0}, recorded: ID{901, 0}},
		{cmd: "XTRIM t MINID ~ 2000", spec: TrimSpec{ByMinID: true, MinID: ID{2000, 0}, Approx: true, Limit: -1},
			removed: 100, length: 0, keys: 0, nodes: 1, maxDel: ID{850, 0}},
		{cmd: "XTRIM t MAXLEN 0", spec: TrimSpec{MaxLen: 0, Limit: -1},
			removed: 0, length: 0, keys: 0, nodes: 1, maxDel: ID{850, 0}},
	})
}

// An exact MINID trim walks tombstones too: when a node's last entry is
// deleted and >= MINID, the node cannot go whole, all its live entries are
// flagged, and Redis keeps the empty node (radix-tree-keys counts it; an
// XADD may even land in it). Checked on redis-server 7.0.15.
func TestTrimKeepsEmptyNodeLikeRedis(t *testing.T) {
	t.Run("empty node before others", func(t *testing.T) {
		s := fillTiny(t, 150, DefaultNodeLimits)
		runTrimSteps(t, s, DefaultNodeLimits, []trimStep{
			{cmd: "XDEL q 100-0", del: []ID{{100, 0}},
				removed: 1, length: 149, keys: 2, nodes: 6, maxDel: ID{100, 0}, recorded: ID{1, 0}},
			{cmd: "XTRIM q MINID 100-0", spec: TrimSpec{ByMinID: true, MinID: ID{100, 0}, Limit: -1},
				removed: 99, length: 50, keys: 2, nodes: 6, maxDel: ID{100, 0}, recorded: ID{101, 0}},
			{cmd: "XTRIM q MAXLEN 50", spec: TrimSpec{MaxLen: 50, Limit: -1},
				removed: 0, length: 50, keys: 2, nodes: 6, maxDel: ID{100, 0}, recorded: ID{101, 0}},
			// The empty node has no live entries, so it goes first, for free.
			{cmd: "XTRIM q MAXLEN 49", spec: TrimSpec{MaxLen: 49, Limit: -1},
				removed: 1, length: 49, keys: 1, nodes: 2, maxDel: ID{100, 0}, recorded: ID{102, 0}},
		})
		if got := rangeStrings(s, MinID, ID{99, 0}, 1, true); len(got) != 0 {
			t.Errorf("reverse range into the trimmed node = %q", got)
		}
	})
	t.Run("empty tail node takes new entries", func(t *testing.T) {
		s := fillTiny(t, 5, DefaultNodeLimits)
		runTrimSteps(t, s, DefaultNodeLimits, []trimStep{
			{cmd: "XDEL q 5-0", del: []ID{{5, 0}},
				removed: 1, length: 4, keys: 1, nodes: 2, maxDel: ID{5, 0}, recorded: ID{1, 0}},
			{cmd: "XTRIM q MINID 5-0", spec: TrimSpec{ByMinID: true, MinID: ID{5, 0}, Limit: -1},
				removed: 4, length: 0, keys: 1, nodes: 2, maxDel: ID{5, 0}},
		})
		mustAdd(t, s, ID{6, 0}, DefaultNodeLimits, "f", "v")
		mustAdd(t, s, ID{7, 0}, DefaultNodeLimits, "g", "v")
		checkInfo(t, s, Info{Length: 2, RadixTreeKeys: 1, RadixTreeNodes: 2, LastGeneratedID: ID{7, 0},
			MaxDeletedEntryID: ID{5, 0}, EntriesAdded: 7, RecordedFirstEntryID: ID{6, 0}})
		runTrimSteps(t, s, DefaultNodeLimits, []trimStep{
			{cmd: "XTRIM q MAXLEN ~ 0", spec: TrimSpec{MaxLen: 0, Approx: true, Limit: -1},
				removed: 2, length: 0, keys: 0, nodes: 1, maxDel: ID{5, 0}},
		})
	})
}

// With stream-node-max-entries 0 the default LIMIT for "~" is 10000, so
// XTRIM b MAXLEN ~ 0 on 30000 tiny entries (86 nodes of ~349) removes the
// whole nodes that fit in 10000 entries: 9828 on redis-server 7.0.15.
func TestApproxDefaultLimit(t *testing.T) {
	limits := NodeLimits{MaxEntries: 0, MaxBytes: 4096}
	s := fillTiny(t, 30000, limits)
	if s.NodeCount() != 86 {
		t.Fatalf("NodeCount %d, want 86", s.NodeCount())
	}
	if got := s.Trim(TrimSpec{MaxLen: 0, Approx: true, Limit: -1}, limits); got != 9828 {
		t.Errorf("removed %d, want 9828", got)
	}
	if s.Len() != 20172 {
		t.Errorf("Len %d, want 20172", s.Len())
	}
	for _, tc := range []struct {
		limits NodeLimits
		want   int64
	}{
		{DefaultNodeLimits, 10000},
		{NodeLimits{0, 4096}, 10000},
		{NodeLimits{-5, 4096}, 10000},
		{NodeLimits{20000, 4096}, 1000000},
		{NodeLimits{1, 4096}, 100},
	} {
		if got := ApproxTrimLimit(tc.limits); got != tc.want {
			t.Errorf("ApproxTrimLimit(%+v) = %d, want %d", tc.limits, got, tc.want)
		}
	}
	// LIMIT 0 means no limit.
	if got := s.Trim(TrimSpec{MaxLen: 0, Approx: true, Limit: 0}, limits); got != 20172-int64(s.Len()) || s.NodeCount() != 0 {
		t.Errorf("unlimited approx trim removed %d, %d nodes left", got, s.NodeCount())
	}
}
