package streams

import (
	"fmt"
	"testing"
)

// refsFixture: entries 1..10 in nodes of 2 ([1 2] [3 4] ... [9 10]); group
// g1 has read 1..6 and acked 1, 2 and 5; group g2 has read everything and
// acked all but 3. So 3, 4, 6 are in a PEL (3 in both), 7..10 are unread by
// g1, and only 1, 2 and 5 are referenced by nobody.
func refsFixture(t *testing.T) (*Stream, *Group, *Group, NodeLimits) {
	t.Helper()
	limits := NodeLimits{MaxEntries: 2, MaxBytes: 4096}
	s := New()
	for i := uint64(1); i <= 10; i++ {
		mustAdd(t, s, mid(i), limits, "f", "v")
	}
	g1 := mustCreateGroup(t, s, "g1", ID{}, 0)
	g2 := mustCreateGroup(t, s, "g2", ID{}, 0)
	g1.ReadNew(consumer(g1, "c", 1), 6, false, 1)
	g1.Ack(mid(1), mid(2), mid(5))
	g2.ReadNew(consumer(g2, "c", 1), 0, false, 1)
	for i := uint64(1); i <= 10; i++ {
		if i != 3 {
			g2.Ack(mid(i))
		}
	}
	return s, g1, g2, limits
}

func liveIDs(s *Stream) string {
	var out []uint64
	s.Range(ID{}, MaxID, 0, false, func(e Entry) bool { out = append(out, e.ID.Ms); return true })
	return fmt.Sprint(out)
}

func TestTrimPolicies(t *testing.T) {
	cases := []struct {
		name    string
		spec    TrimSpec
		removed int64
		live    string
		nodes   int
		pel1    string // g1's PEL after the trim
		pel2    string
	}{
		// KEEPREF: the classic trim; PELs untouched.
		{"keepref maxlen", TrimSpec{MaxLen: 5}, 5, "[6 7 8 9 10]", 3, "[3-0 4-0 6-0]", "[3-0]"},
		{"keepref minid ~", TrimSpec{ByMinID: true, MinID: mid(6), Approx: true, Limit: -1}, 4, "[5 6 7 8 9 10]", 3, "[3-0 4-0 6-0]", "[3-0]"},
		// DELREF: same entries go, and their PEL entries with them; "~" is
		// ignored (entry 5 goes although its node cannot go whole).
		{"delref maxlen", TrimSpec{MaxLen: 5, Policy: TrimDelRef}, 5, "[6 7 8 9 10]", 3, "[6-0]", "[]"},
		{"delref minid ~", TrimSpec{ByMinID: true, MinID: mid(6), Approx: true, Limit: -1, Policy: TrimDelRef}, 5, "[6 7 8 9 10]", 3, "[6-0]", "[]"},
		// ACKED: only 1, 2 and 5 are free; node [1 2] goes, [3 4] stays
		// whole, [5 6] keeps 6; trimming goes on past them.
		{"acked maxlen", TrimSpec{MaxLen: 5, Policy: TrimAcked}, 3, "[3 4 6 7 8 9 10]", 4, "[3-0 4-0 6-0]", "[3-0]"},
		{"acked minid", TrimSpec{ByMinID: true, MinID: mid(6), Policy: TrimAcked}, 3, "[3 4 6 7 8 9 10]", 4, "[3-0 4-0 6-0]", "[3-0]"},
		{"acked maxlen 9", TrimSpec{MaxLen: 9, Policy: TrimAcked}, 1, "[2 3 4 5 6 7 8 9 10]", 5, "[3-0 4-0 6-0]", "[3-0]"},
		// LIMIT still caps the work, in whole nodes' worth of entries.
		{"delref limit", TrimSpec{MaxLen: 0, Approx: true, Limit: 5, Policy: TrimDelRef}, 4, "[5 6 7 8 9 10]", 3, "[6-0]", "[]"},
	}
	for _, tc := range cases {
		s, g1, g2, limits := refsFixture(t)
		removed := s.Trim(tc.spec, limits)
		got := fmt.Sprintf("removed %d live %s nodes %d pel %s %s", removed, liveIDs(s), s.NodeCount(), pelIDs(g1), pelIDs(g2))
		want := fmt.Sprintf("removed %d live %s nodes %d pel %s %s", tc.removed, tc.live, tc.nodes, tc.pel1, tc.pel2)
		if got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
		checkGroup(t, g1)
		checkGroup(t, g2)
		if first, ok := s.FirstEntryID(); ok && first != s.FirstID() {
			t.Errorf("%s: recorded first %v, first entry %v", tc.name, s.FirstID(), first)
		}
	}
}

// Once every group acked everything, ACKED trims like DELREF, and a stream
// without groups trims the same entries with every policy.
func TestTrimAckedAllAcked(t *testing.T) {
	s, g1, g2, limits := refsFixture(t)
	g1.ReadNew(consumer(g1, "c", 1), 0, false, 1)
	for i := uint64(1); i <= 10; i++ {
		g1.Ack(mid(i))
		g2.Ack(mid(i))
	}
	if removed := s.Trim(TrimSpec{MaxLen: 3, Policy: TrimAcked}, limits); removed != 7 || liveIDs(s) != "[8 9 10]" {
		t.Errorf("acked all: removed %d live %s", removed, liveIDs(s))
	}
	for _, policy := range []TrimPolicy{TrimKeepRef, TrimDelRef, TrimAcked} {
		s := New()
		for i := uint64(1); i <= 10; i++ {
			mustAdd(t, s, mid(i), limits, "f", "v")
		}
		if removed := s.Trim(TrimSpec{ByMinID: true, MinID: mid(8), Policy: policy}, limits); removed != 7 || liveIDs(s) != "[8 9 10]" || s.NodeCount() != 2 {
			t.Errorf("policy %d without groups: removed %d live %s nodes %d", policy, removed, liveIDs(s), s.NodeCount())
		}
	}
}

// TrimReport tells where LIMIT stopped, and an exact MINID trim at that
// node with the same policy replays to the same stream and PELs.
func TestTrimReportReplays(t *testing.T) {
	s, g1, g2, limits := refsFixture(t)
	removed, stop, limited := s.TrimReport(TrimSpec{MaxLen: 0, Approx: true, Limit: 4, Policy: TrimAcked}, limits)
	if !limited || stop != mid(7) {
		t.Fatalf("removed %d stop %v limited %v", removed, stop, limited)
	}
	r, rg1, rg2, _ := refsFixture(t)
	r.Trim(TrimSpec{ByMinID: true, MinID: stop, Policy: TrimAcked}, limits)
	if liveIDs(r) != liveIDs(s) || r.NodeCount() != s.NodeCount() || pelString(rg1) != pelString(g1) || pelString(rg2) != pelString(g2) {
		t.Errorf("replay differs: %s %d vs %s %d", liveIDs(r), r.NodeCount(), liveIDs(s), s.NodeCount())
	}
}

func pelIDs(g *Group) string {
	var ids []string
	for p := range g.PEL(MinID) {
		ids = append(ids, p.ID.String())
	}
	return fmt.Sprint(ids)
}
