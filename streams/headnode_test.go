package streams

import "testing"

// An exact MINID trim at HeadNodeID replays an approximate trim: same nodes,
// same entries, even when the first node left has no live entry (an exact
// MINID trim stopped on a tombstone), where the MAXLEN-by-length rewrite
// would keep a node the approximate trim removed.
func TestHeadNodeIDReplaysApproxTrim(t *testing.T) {
	limits := NodeLimits{MaxEntries: 3, MaxBytes: 4096}
	build := func() *Stream {
		s := New()
		for i := uint64(1); i <= 10; i++ {
			mustAdd(t, s, ID{i, 0}, limits, "f", "v")
		}
		// Nodes: [1 2 3] [4 5 6] [7 8 9] [10]. Delete 3, then an exact MINID
		// trim at 3 empties the first node without removing it.
		s.Delete(ID{3, 0})
		s.Trim(TrimSpec{ByMinID: true, MinID: ID{3, 0}, Limit: -1}, limits)
		return s
	}
	s := build()
	if id, ok := s.HeadNodeID(); !ok || id != (ID{1, 0}) {
		t.Fatalf("HeadNodeID = %v, %v; want 1-0", id, ok)
	}
	if s.NodeCount() != 4 || s.Len() != 7 {
		t.Fatalf("setup: %d nodes, %d entries", s.NodeCount(), s.Len())
	}

	// MAXLEN ~ 6 removes the empty node only: no entry, but one node.
	removed := s.Trim(TrimSpec{MaxLen: 6, Approx: true, Limit: -1}, limits)
	head, ok := s.HeadNodeID()
	if removed != 0 || !ok || head != (ID{4, 0}) || s.NodeCount() != 3 {
		t.Fatalf("approx trim: removed %d, head %v %v, %d nodes", removed, head, ok, s.NodeCount())
	}

	replay := build()
	replay.Trim(TrimSpec{ByMinID: true, MinID: head, Limit: 0}, limits)
	if replay.NodeCount() != s.NodeCount() || replay.Len() != s.Len() || replay.FirstID() != s.FirstID() {
		t.Errorf("MINID replay: %d nodes %d entries first %v; want %d %d %v",
			replay.NodeCount(), replay.Len(), replay.FirstID(), s.NodeCount(), s.Len(), s.FirstID())
	}

	// The rewrite Redis uses for MAXLEN, "MAXLEN = <length>", keeps the
	// empty node here (and Redis's XTRIM, having removed no entry, does not
	// propagate at all).
	byLen := build()
	byLen.Trim(TrimSpec{MaxLen: s.Len(), Limit: 0}, limits)
	if byLen.NodeCount() == s.NodeCount() {
		t.Errorf("MAXLEN = %d replay unexpectedly matched; the MINID form is not needed", s.Len())
	}

	empty := New()
	if _, ok := empty.HeadNodeID(); ok {
		t.Error("HeadNodeID on an empty stream reported a node")
	}
}

// When an approximate trim leaves no node, an exact MINID at MaxID replays
// it, even over a node with no live entry (which can only be the first
// node), where an exact MAXLEN 0 stops at once: the stream is already empty.
func TestEmptyNodeOnlyReplay(t *testing.T) {
	limits := NodeLimits{MaxEntries: 2, MaxBytes: 4096}
	build := func() *Stream {
		s := New()
		for i := uint64(1); i <= 4; i++ {
			mustAdd(t, s, ID{i, 0}, limits, "f", "v")
		}
		// Nodes [1 2] [3 4]; delete 4, and an exact MINID 4 removes [1 2]
		// and flags 3: one node left, with no live entry.
		s.Delete(ID{4, 0})
		s.Trim(TrimSpec{ByMinID: true, MinID: ID{4, 0}, Limit: -1}, limits)
		return s
	}
	s := build()
	if s.NodeCount() != 1 || s.Len() != 0 {
		t.Fatalf("setup: %d nodes, %d entries", s.NodeCount(), s.Len())
	}
	if removed := s.Trim(TrimSpec{ByMinID: true, MinID: ID{100, 0}, Approx: true, Limit: -1}, limits); removed != 0 || s.NodeCount() != 0 {
		t.Fatalf("approx MINID: removed %d, left %d nodes", removed, s.NodeCount())
	}
	byMinID := build()
	byMinID.Trim(TrimSpec{ByMinID: true, MinID: MaxID}, limits)
	if byMinID.NodeCount() != 0 {
		t.Errorf("MINID MaxID replay left %d nodes", byMinID.NodeCount())
	}
	byMaxLen := build()
	byMaxLen.Trim(TrimSpec{MaxLen: 0}, limits)
	if byMaxLen.NodeCount() != 1 {
		t.Errorf("MAXLEN 0 replay left %d nodes; the MINID form is not needed", byMaxLen.NodeCount())
	}
}
