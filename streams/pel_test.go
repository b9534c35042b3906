package streams

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// checkTree verifies the B+tree invariants: sorted leaves chained left to
// right, separators that bound their subtrees, every leaf at one depth, node
// sizes within bounds, and the entry count.
func checkTree[V any](t *testing.T, tr *idTree[V]) []ID {
	t.Helper()
	if tr.root == nil {
		if tr.count != 0 {
			t.Fatalf("nil root with count %d", tr.count)
		}
		return nil
	}
	var leaves []*tnode[V]
	leafDepth := -1
	var walk func(n *tnode[V], lo, hi *ID, depth int, isRoot bool)
	walk = func(n *tnode[V], lo, hi *ID, depth int, isRoot bool) {
		if n.size() > treeMaxItems {
			t.Fatalf("node with %d items", n.size())
		}
		if !isRoot && n.size() == 0 {
			t.Fatalf("empty non-root node")
		}
		if n.leaf() {
			if len(n.vals) != len(n.ids) {
				t.Fatalf("leaf with %d ids and %d vals", len(n.ids), len(n.vals))
			}
			if leafDepth == -1 {
				leafDepth = depth
			} else if leafDepth != depth {
				t.Fatalf("leaves at depths %d and %d", leafDepth, depth)
			}
			for i, id := range n.ids {
				if i > 0 && !n.ids[i-1].Less(id) {
					t.Fatalf("leaf not sorted: %v then %v", n.ids[i-1], id)
				}
				if lo != nil && id.Less(*lo) {
					t.Fatalf("%v below separator %v", id, *lo)
				}
				if hi != nil && !id.Less(*hi) {
					t.Fatalf("%v not below separator %v", id, *hi)
				}
			}
			leaves = append(leaves, n)
			return
		}
		if len(n.ids) != len(n.kids) {
			t.Fatalf("inner with %d ids and %d kids", len(n.ids), len(n.kids))
		}
		if !isRoot && len(n.kids) < 2 {
			t.Fatalf("inner non-root node with %d kids", len(n.kids))
		}
		for i, kid := range n.kids {
			kidLo, kidHi := lo, hi
			if i > 0 {
				kidLo = &n.ids[i]
				if !n.ids[i-1].Less(n.ids[i]) && i > 1 {
					t.Fatalf("separators not increasing")
				}
			}
			if i+1 < len(n.kids) {
				kidHi = &n.ids[i+1]
			}
			walk(kid, kidLo, kidHi, depth+1, false)
		}
	}
	walk(tr.root, nil, nil, 0, true)
	var ids []ID
	for i, l := range leaves {
		want := (*tnode[V])(nil)
		if i+1 < len(leaves) {
			want = leaves[i+1]
		}
		if l.next != want {
			t.Fatalf("leaf %d: broken chain", i)
		}
		ids = append(ids, l.ids...)
	}
	if len(ids) != tr.count {
		t.Fatalf("count %d, %d ids in leaves", tr.count, len(ids))
	}
	return ids
}

func treeIDs[V any](tr *idTree[V]) []ID {
	var out []ID
	for it := tr.first(); it.valid(); it.next() {
		out = append(out, it.id())
	}
	return out
}

func TestTreeAgainstModel(t *testing.T) {
	patterns := []struct {
		name string
		next func(r *rand.Rand, i int) (ID, bool) // id, insert (false: delete)
	}{
		{"random", func(r *rand.Rand, i int) (ID, bool) {
			return ID{uint64(r.Intn(3000)), uint64(r.Intn(3))}, r.Intn(3) != 0
		}},
		{"queue: append in order, delete the oldest", func(r *rand.Rand, i int) (ID, bool) {
			if i%3 == 2 {
				return ID{uint64(i/3 - 500), 0}, false
			}
			return ID{uint64(i), 0}, true
		}},
		{"append then random deletes", func(r *rand.Rand, i int) (ID, bool) {
			if i < 4000 {
				return ID{uint64(i), 0}, true
			}
			return ID{uint64(r.Intn(4000)), 0}, false
		}},
		{"descending inserts, ascending deletes", func(r *rand.Rand, i int) (ID, bool) {
			if i < 4000 {
				return ID{uint64(10000 - i), 0}, true
			}
			return ID{uint64(i - 4000 + 6000), 0}, false
		}},
	}
	for _, p := range patterns {
		t.Run(p.name, func(t *testing.T) {
			r := rand.New(rand.NewSource(1))
			var tr idTree[int]
			model := map[ID]int{}
			for i := 0; i < 8000; i++ {
				id, ins := p.next(r, i)
				if ins {
					_, added := tr.set(id, i)
					_, had := model[id]
					if added == had {
						t.Fatalf("step %d: set(%v) added=%v, model had=%v", i, id, added, had)
					}
					model[id] = i
				} else {
					v, ok := tr.delete(id)
					mv, had := model[id]
					if ok != had || (ok && v != mv) {
						t.Fatalf("step %d: delete(%v) = %v,%v; model %v,%v", i, id, v, ok, mv, had)
					}
					delete(model, id)
				}
				if i%97 == 0 || i > 7900 {
					got := checkTree(t, &tr)
					want := make([]ID, 0, len(model))
					for id := range model {
						want = append(want, id)
					}
					slices.SortFunc(want, ID.Compare)
					if !slices.Equal(got, want) {
						t.Fatalf("step %d: tree has %d ids, model %d", i, len(got), len(want))
					}
					if !slices.Equal(treeIDs(&tr), want) {
						t.Fatalf("step %d: iteration differs from model", i)
					}
				}
			}
			// Every seek lands on the first ID >= the probe; get finds exactly
			// what the model has.
			want := make([]ID, 0, len(model))
			for id := range model {
				want = append(want, id)
			}
			slices.SortFunc(want, ID.Compare)
			for probe := 0; probe < 12000; probe += 7 {
				id := ID{uint64(probe), 1}
				it := tr.seek(id)
				j, _ := slices.BinarySearchFunc(want, id, ID.Compare)
				if j == len(want) {
					if it.valid() {
						t.Fatalf("seek(%v) = %v, want end", id, it.id())
					}
				} else if !it.valid() || it.id() != want[j] {
					t.Fatalf("seek(%v) wrong", id)
				}
				p := tr.get(id)
				mv, had := model[id]
				if (p != nil) != had || (p != nil && *p != mv) {
					t.Fatalf("get(%v) wrong", id)
				}
			}
			if last, ok := tr.last(); ok != (len(want) > 0) || (ok && last != want[len(want)-1]) {
				t.Fatalf("last() = %v,%v", last, ok)
			}
			for _, id := range want {
				tr.delete(id)
			}
			checkTree(t, &tr)
			if it := tr.first(); tr.Len() != 0 || !tr.root.leaf() || len(tr.root.ids) != 0 || it.valid() {
				t.Fatalf("not empty after deleting everything")
			}
			if _, ok := tr.last(); ok {
				t.Fatalf("last() of an empty tree")
			}
		})
	}
}

// A tree deep enough for three levels of inner nodes, built and torn down in
// random order.
func TestTreeDeep(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	r := rand.New(rand.NewSource(7))
	const n = 400_000
	perm := r.Perm(n)
	var tr idTree[int]
	for _, k := range perm {
		tr.set(ID{uint64(k) * 3, 0}, k)
	}
	height := 0
	for nd := tr.root; !nd.leaf(); nd = nd.kids[0] {
		height++
	}
	if height < 3 {
		t.Fatalf("height %d, want at least 3 inner levels", height)
	}
	ids := checkTree(t, &tr)
	for i, id := range ids {
		if id != (ID{uint64(i) * 3, 0}) {
			t.Fatalf("ids[%d] = %v", i, id)
		}
	}
	for i, k := range perm {
		if i%2 == 0 {
			if v, ok := tr.delete(ID{uint64(k) * 3, 0}); !ok || v != k {
				t.Fatalf("delete %d", k)
			}
		}
	}
	checkTree(t, &tr)
	if tr.Len() != n/2 {
		t.Fatalf("%d left", tr.Len())
	}
	for i, k := range perm {
		if i%2 == 1 {
			if p := tr.get(ID{uint64(k) * 3, 0}); p == nil || *p != k {
				t.Fatalf("get %d", k)
			}
			if tr.has(ID{uint64(k)*3 + 1, 0}) {
				t.Fatalf("has a missing ID")
			}
			tr.delete(ID{uint64(k) * 3, 0})
		}
	}
	checkTree(t, &tr)
	if tr.Len() != 0 {
		t.Fatalf("%d left", tr.Len())
	}
}

// Appending in ID order (deliveries) fills leaves completely.
func TestTreeSequentialFill(t *testing.T) {
	var tr idTree[struct{}]
	n := 64 * 64 * 3
	for i := 0; i < n; i++ {
		tr.set(ID{uint64(i), 0}, struct{}{})
	}
	checkTree(t, &tr)
	leaves := 0
	for l := tr.seek(MinID).n; l != nil; l = l.next {
		leaves++
	}
	if want := n / treeMaxItems; leaves != want {
		t.Fatalf("%d leaves for %d sequential entries, want %d", leaves, n, want)
	}
}

func BenchmarkPELTree(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		var tr idTree[nack]
		for i := 0; i < n; i++ {
			tr.set(ID{uint64(i), 0}, nack{})
		}
		b.Run(fmt.Sprintf("deliver10+ack10/pending=%d", n), func(b *testing.B) {
			next := uint64(n)
			oldest := uint64(0)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for j := 0; j < 10; j++ {
					tr.set(ID{next, 0}, nack{deliveryCount: 1})
					next++
				}
				for j := 0; j < 10; j++ {
					tr.delete(ID{oldest, 0})
					oldest++
				}
			}
		})
		b.Run(fmt.Sprintf("seek+scan10/pending=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewSource(1))
			first := tr.first()
			lo := first.id().Ms
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				k := 0
				for it := tr.seek(ID{lo + uint64(r.Intn(n)), 0}); it.valid() && k < 10; it.next() {
					k++
				}
			}
		})
	}
}
