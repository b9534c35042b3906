package wal

import "testing"

// TestReleaseDropsBatches: batches released after an fsync must not stay
// reachable from the retained list's backing array; under everysec that
// kept up to a second of writes (26 MB after a 1M-entry fill) alive.
func TestReleaseDropsBatches(t *testing.T) {
	l := &Log{}
	for first := uint64(1); first <= 7; first += 2 { // records 1-2, 3-4, 5-6, 7-8
		l.retained = append(l.retained, &batch{first: first, ends: []int{1, 2}})
	}
	backing := l.retained[:cap(l.retained)]
	l.releaseLocked(4)
	if len(l.retained) != 2 || l.retained[0].first != 5 || l.retained[1].first != 7 {
		t.Fatalf("retained after release(4): %d batches", len(l.retained))
	}
	for i := len(l.retained); i < len(backing); i++ {
		if backing[i] != nil {
			t.Fatalf("slot %d of the backing array still holds batch %d", i, backing[i].first)
		}
	}
	l.releaseLocked(8)
	if len(l.retained) != 0 || backing[0] != nil || backing[1] != nil {
		t.Fatal("fully released batches still reachable")
	}
}
