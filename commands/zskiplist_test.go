package commands

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
)

// zslModel is a sorted slice that the skip list must always agree with.
type zslModel []scoredMember

func (m zslModel) sort() {
	sort.Slice(m, func(i, j int) bool {
		return m[i].score < m[j].score || (m[i].score == m[j].score && m[i].member < m[j].member)
	})
}

// checkZsl compares the list with the model: order both ways, length,
// every rank and every node by rank, and the spans of every level.
func checkZsl(t *testing.T, zsl *zskiplist, model zslModel) {
	t.Helper()
	if zsl.length != len(model) {
		t.Fatalf("length %d, model %d", zsl.length, len(model))
	}
	i := 0
	for n := zsl.first(); n != nil; n = n.level[0].forward {
		if n.member != model[i].member || n.score != model[i].score {
			t.Fatalf("node %d is %q/%v, model %q/%v", i, n.member, n.score, model[i].member, model[i].score)
		}
		if r := zsl.rank(n.score, n.member); r != i+1 {
			t.Fatalf("rank of %q is %d, want %d", n.member, r, i+1)
		}
		if got := zsl.byRank(i + 1); got != n {
			t.Fatalf("byRank(%d) is not %q", i+1, n.member)
		}
		i++
	}
	for n, j := zsl.tail, len(model)-1; n != nil; n, j = n.backward, j-1 {
		if n.member != model[j].member {
			t.Fatalf("backward walk at %d is %q, want %q", j, n.member, model[j].member)
		}
	}
	if zsl.byRank(0) != nil || zsl.byRank(len(model)+1) != nil {
		t.Fatalf("byRank out of range returned a node")
	}
	// Every level's spans add up to the distance they cover.
	for lvl := 0; lvl < zsl.level; lvl++ {
		pos := 0
		for x := zsl.header; x.level[lvl].forward != nil; x = x.level[lvl].forward {
			pos += x.level[lvl].span
			if zsl.rank(x.level[lvl].forward.score, x.level[lvl].forward.member) != pos {
				t.Fatalf("level %d: span sum %d does not reach %q", lvl, pos, x.level[lvl].forward.member)
			}
		}
	}
}

func TestZskiplistAgainstModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	zsl := newZskiplist()
	var model zslModel
	find := func(m string) int {
		for i, it := range model {
			if it.member == m {
				return i
			}
		}
		return -1
	}
	for step := 0; step < 3000; step++ {
		m := "m" + strconv.Itoa(r.IntN(200))
		score := float64(r.IntN(20)) // many ties: order by member
		switch i := find(m); {
		case i < 0:
			zsl.insert(score, m)
			model = append(model, scoredMember{m, score})
		case r.IntN(2) == 0:
			if !zsl.delete(model[i].score, m) {
				t.Fatalf("delete %q failed", m)
			}
			model = append(model[:i], model[i+1:]...)
		default:
			n := zsl.updateScore(model[i].score, m, score)
			if n.member != m || n.score != score {
				t.Fatalf("updateScore returned %q/%v", n.member, n.score)
			}
			model[i].score = score
		}
		model.sort()
		if step%50 == 0 || step > 2950 {
			checkZsl(t, zsl, model)
		}
	}
	if zsl.delete(1234, "absent") {
		t.Fatal("deleted an absent member")
	}
}

func TestZskiplistDeleteRanges(t *testing.T) {
	build := func() (*zskiplist, zslModel) {
		zsl := newZskiplist()
		var model zslModel
		for i := 0; i < 100; i++ {
			m := "m" + strconv.Itoa(i)
			zsl.insert(float64(i/3), m)
			model = append(model, scoredMember{m, float64(i / 3)})
		}
		model.sort()
		return zsl, model
	}
	var gone []string
	record := func(n *zslNode) { gone = append(gone, n.member) }

	zsl, model := build()
	if n := zsl.deleteRangeByRank(10, 19, record); n != 10 {
		t.Fatalf("deleteRangeByRank removed %d", n)
	}
	model = append(model[:9], model[19:]...)
	checkZsl(t, zsl, model)
	if len(gone) != 10 {
		t.Fatalf("gone %d", len(gone))
	}

	zsl, model = build()
	n := zsl.deleteFrom(func(n *zslNode) bool { return n.score < 5 }, func(n *zslNode) bool { return n.score <= 7 }, func(*zslNode) {})
	var kept zslModel
	for _, it := range model {
		if it.score < 5 || it.score > 7 {
			kept = append(kept, it)
		}
	}
	if n != len(model)-len(kept) {
		t.Fatalf("deleteFrom removed %d, want %d", n, len(model)-len(kept))
	}
	checkZsl(t, zsl, kept)
}
