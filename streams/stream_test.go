package streams

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func pairs(kv ...string) [][]byte {
	out := make([][]byte, len(kv))
	for i, s := range kv {
		out[i] = []byte(s)
	}
	return out
}

func mustAdd(t testing.TB, s *Stream, id ID, limits NodeLimits, kv ...string) {
	t.Helper()
	if err := s.Add(id, pairs(kv...), limits); err != nil {
		t.Fatalf("Add(%v): %v", id, err)
	}
}

func entryString(e Entry) string {
	var b strings.Builder
	b.WriteString(e.ID.String())
	for _, f := range e.Fields {
		b.WriteByte(' ')
		b.Write(f)
	}
	return b.String()
}

func rangeStrings(s *Stream, start, end ID, count int, reverse bool) []string {
	var out []string
	s.Range(start, end, count, reverse, func(e Entry) bool {
		out = append(out, entryString(e))
		return true
	})
	return out
}

// Node counts (radix-tree-keys) and rax node counts (radix-tree-nodes) below
// were produced by redis-server 7.0.15 with the same XADDs and the same
// CONFIG SET stream-node-max-entries / stream-node-max-bytes.
func TestNodeBoundariesMatchRedis(t *testing.T) {
	v := func(c byte, n int) string { return strings.Repeat(string(c), n) }
	tests := []struct {
		name      string
		limits    NodeLimits
		n         int
		entry     func(i int) (ID, []string)
		wantKeys  int
		wantNodes int
	}{
		{"tiny f v, split by entries", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", "v"} }, 10, 26},
		{"100-byte values, split by bytes", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", v('v', 100)} }, 28, 62},
		{"five 20-byte fields", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) {
				w := v('w', 20)
				return ID{uint64(i), 0}, []string{"a", w, "b", w, "c", w, "d", w, "e", w}
			}, 30, 66},
		{"alternating field names, no SAMEFIELDS half the time", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) {
				if i%2 == 0 {
					return ID{uint64(i), 0}, []string{"f", "v"}
				}
				return ID{uint64(i), 0}, []string{"g", "v"}
			}, 10, 26},
		{"integer values, large ms deltas", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) {
				return ID{uint64(i * 1000), uint64(i)}, []string{"n", strconv.Itoa(i * 12345)}
			}, 10, 22},
		{"3000-byte values, one entry per node", DefaultNodeLimits, 50,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", v('x', 3000)} }, 50, 102},
		{"same ms, growing seq", DefaultNodeLimits, 1000,
			func(i int) (ID, []string) { return ID{1700000000000, uint64(i)}, []string{"f", v('y', 40)} }, 13, 19},
		{"200-byte field names, integer values", DefaultNodeLimits, 300,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{v('F', 200), strconv.Itoa(i)} }, 3, 8},
		{"master fields differ every third entry", DefaultNodeLimits, 300,
			func(i int) (ID, []string) {
				if i%3 == 0 {
					return ID{uint64(i), 0}, []string{v('F', 200), strconv.Itoa(i)}
				}
				return ID{uint64(i), 0}, []string{"x", strconv.Itoa(i)}
			}, 5, 13},
		{"ms deltas past int32, seq below master seq", DefaultNodeLimits, 300,
			func(i int) (ID, []string) {
				return ID{uint64(i) * 100000000000, uint64(300-i) * 1000000}, []string{"f", "v"}
			}, 3, 8},
		{"no entry limit, tiny entries", NodeLimits{0, 4096}, 5000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", "v"} }, 15, 32},
		{"no entry limit, many tiny entries", NodeLimits{0, 4096}, 30000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", "v"} }, 86, 174},
		{"no entry limit, 100-byte values", NodeLimits{0, 4096}, 1000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", v('v', 100)} }, 28, 62},
		{"no byte limit, 10 entries per node", NodeLimits{10, 0}, 1000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", v('v', 100)} }, 100, 206},
		{"200-byte nodes", NodeLimits{100, 200}, 1000,
			func(i int) (ID, []string) { return ID{uint64(i), 0}, []string{"f", "v"} }, 59, 124},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			for i := 1; i <= tt.n; i++ {
				id, kv := tt.entry(i)
				mustAdd(t, s, id, tt.limits, kv...)
			}
			info := s.Info()
			if info.Length != uint64(tt.n) || info.RadixTreeKeys != tt.wantKeys || info.RadixTreeNodes != tt.wantNodes {
				t.Errorf("length %d keys %d nodes %d; want %d %d %d",
					info.Length, info.RadixTreeKeys, info.RadixTreeNodes, tt.n, tt.wantKeys, tt.wantNodes)
			}
			first, _ := tt.entry(1)
			if info.RecordedFirstEntryID != first || info.EntriesAdded != uint64(tt.n) {
				t.Errorf("recorded-first-entry-id %v entries-added %d", info.RecordedFirstEntryID, info.EntriesAdded)
			}
			// Every entry reads back whole, in order.
			i := 0
			s.Range(MinID, MaxID, 0, false, func(e Entry) bool {
				i++
				id, kv := tt.entry(i)
				if e.ID != id || !slices.EqualFunc(e.Fields, pairs(kv...), func(a, b []byte) bool { return string(a) == string(b) }) {
					t.Fatalf("entry %d = %s", i, entryString(e))
				}
				return true
			})
			if i != tt.n {
				t.Errorf("Range visited %d entries", i)
			}
		})
	}
}

// Scenarios replayed on redis-server 7.0.15; the expected counters are its
// XINFO STREAM output after each step.
func TestDeleteMatchesRedis(t *testing.T) {
	t.Run("whole node and entries inside nodes", func(t *testing.T) {
		s := New()
		for i := 1; i <= 1000; i++ {
			mustAdd(t, s, ID{uint64(i), 0}, DefaultNodeLimits, "f", "v")
		}
		deleted := 0
		for i := 101; i <= 200; i++ {
			if s.Delete(ID{uint64(i), 0}) {
				deleted++
			}
		}
		for _, i := range []uint64{401, 450, 500} {
			if s.Delete(ID{i, 0}) {
				deleted++
			}
		}
		checkInfo(t, s, Info{Length: 897, RadixTreeKeys: 9, RadixTreeNodes: 24,
			LastGeneratedID: ID{1000, 0}, MaxDeletedEntryID: ID{500, 0}, EntriesAdded: 1000,
			RecordedFirstEntryID: ID{1, 0}})
		if deleted != 103 {
			t.Errorf("deleted %d, want 103", deleted)
		}
	})
	t.Run("emptying the tail node, then adding", func(t *testing.T) {
		s := New()
		for i := 1; i <= 150; i++ {
			mustAdd(t, s, ID{uint64(i), 0}, DefaultNodeLimits, "f", "v")
		}
		for i := 101; i <= 150; i++ {
			s.Delete(ID{uint64(i), 0})
		}
		checkInfo(t, s, Info{Length: 100, RadixTreeKeys: 1, RadixTreeNodes: 2,
			LastGeneratedID: ID{150, 0}, MaxDeletedEntryID: ID{150, 0}, EntriesAdded: 150,
			RecordedFirstEntryID: ID{1, 0}})
		// The first node holds 100 entries, so 151 starts a node.
		mustAdd(t, s, ID{151, 0}, DefaultNodeLimits, "f", "v")
		checkInfo(t, s, Info{Length: 101, RadixTreeKeys: 2, RadixTreeNodes: 6,
			LastGeneratedID: ID{151, 0}, MaxDeletedEntryID: ID{150, 0}, EntriesAdded: 151,
			RecordedFirstEntryID: ID{1, 0}})
	})
	t.Run("after the tail node goes, the previous node takes entries again", func(t *testing.T) {
		s := New()
		five, ten := NodeLimits{5, 4096}, NodeLimits{10, 4096}
		for i := 1; i <= 7; i++ {
			mustAdd(t, s, ID{uint64(i), 0}, five, "f", "v")
		}
		if s.NodeCount() != 2 {
			t.Fatalf("NodeCount %d, want 2", s.NodeCount())
		}
		s.Delete(ID{6, 0})
		s.Delete(ID{7, 0})
		mustAdd(t, s, ID{8, 0}, ten, "f", "v")
		mustAdd(t, s, ID{9, 0}, ten, "f", "v")
		checkInfo(t, s, Info{Length: 7, RadixTreeKeys: 1, RadixTreeNodes: 2,
			LastGeneratedID: ID{9, 0}, MaxDeletedEntryID: ID{7, 0}, EntriesAdded: 9,
			RecordedFirstEntryID: ID{1, 0}})
		want := []string{"1-0 f v", "2-0 f v", "3-0 f v", "4-0 f v", "5-0 f v", "8-0 f v", "9-0 f v"}
		if got := rangeStrings(s, MinID, MaxID, 0, false); !slices.Equal(got, want) {
			t.Errorf("Range = %q", got)
		}
	})
	t.Run("missing, repeated and first IDs", func(t *testing.T) {
		s := New()
		for i := 1; i <= 5; i++ {
			mustAdd(t, s, ID{uint64(i), 0}, DefaultNodeLimits, "f", "v")
		}
		for _, tc := range []struct {
			id   ID
			want bool
		}{{ID{0, 5}, false}, {ID{3, 1}, false}, {ID{9, 0}, false}, {ID{3, 0}, true}, {ID{3, 0}, false}} {
			if got := s.Delete(tc.id); got != tc.want {
				t.Errorf("Delete(%v) = %v, want %v", tc.id, got, tc.want)
			}
		}
		s.Delete(ID{1, 0})
		if s.FirstID() != (ID{2, 0}) || s.MaxDeletedID() != (ID{3, 0}) {
			t.Errorf("first %v maxdel %v", s.FirstID(), s.MaxDeletedID())
		}
		s.Delete(ID{2, 0})
		if s.FirstID() != (ID{4, 0}) {
			t.Errorf("first %v, want 4-0", s.FirstID())
		}
		s.Delete(ID{5, 0})
		s.Delete(ID{4, 0})
		checkInfo(t, s, Info{Length: 0, RadixTreeKeys: 0, RadixTreeNodes: 1,
			LastGeneratedID: ID{5, 0}, MaxDeletedEntryID: ID{5, 0}, EntriesAdded: 5})
		if _, ok := s.FirstEntry(); ok {
			t.Error("FirstEntry on an empty stream")
		}
		if _, ok := s.LastEntry(); ok {
			t.Error("LastEntry on an empty stream")
		}
		if n := s.Range(MinID, MaxID, 0, false, func(Entry) bool { return true }); n != 0 {
			t.Errorf("Range on empty stream visited %d", n)
		}
	})
}

func checkInfo(t *testing.T, s *Stream, want Info) {
	t.Helper()
	if got := s.Info(); got != want {
		t.Errorf("Info()\n got %+v\nwant %+v", got, want)
	}
}

func TestRange(t *testing.T) {
	s := New()
	small := NodeLimits{MaxEntries: 3, MaxBytes: 4096}
	for i := 1; i <= 10; i++ {
		mustAdd(t, s, ID{uint64(i), 0}, small, "f", strconv.Itoa(i))
	}
	s.Delete(ID{5, 0})
	s.Delete(ID{6, 0}) // with 4-0 still there, the second node stays
	ids := func(es []string) string {
		var out []string
		for _, e := range es {
			out = append(out, strings.Fields(e)[0])
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		start, end ID
		count      int
		reverse    bool
		want       string
	}{
		{MinID, MaxID, 0, false, "1-0,2-0,3-0,4-0,7-0,8-0,9-0,10-0"},
		{MinID, MaxID, 0, true, "10-0,9-0,8-0,7-0,4-0,3-0,2-0,1-0"},
		{MinID, MaxID, 3, false, "1-0,2-0,3-0"},
		{MinID, MaxID, 3, true, "10-0,9-0,8-0"},
		{ID{4, 0}, ID{8, 0}, 0, false, "4-0,7-0,8-0"},
		{ID{4, 0}, ID{8, 0}, 0, true, "8-0,7-0,4-0"},
		{ID{3, 1}, ID{7, 0}, 0, false, "4-0,7-0"},
		{ID{5, 0}, ID{6, 9}, 0, false, ""},
		{ID{5, 0}, ID{6, 9}, 0, true, ""},
		{ID{8, 0}, ID{4, 0}, 0, false, ""},
		{ID{8, 0}, ID{4, 0}, 0, true, ""},
		{ID{10, 0}, MaxID, 0, false, "10-0"},
		{ID{10, 1}, MaxID, 0, false, ""},
		{MinID, ID{1, 0}, 0, true, "1-0"},
		{MinID, ID{0, 9}, 0, true, ""},
		{ID{2, 0}, ID{9, 0}, 4, true, "9-0,8-0,7-0,4-0"},
		{ID{2, 0}, ID{9, 0}, 1, false, "2-0"},
	}
	for _, tt := range tests {
		got := ids(rangeStrings(s, tt.start, tt.end, tt.count, tt.reverse))
		if got != tt.want {
			t.Errorf("Range(%v, %v, %d, reverse=%v) = %q, want %q", tt.start, tt.end, tt.count, tt.reverse, got, tt.want)
		}
	}
	// fn stops the iteration.
	n := s.Range(MinID, MaxID, 0, false, func(e Entry) bool { return e.ID != (ID{3, 0}) })
	if n != 3 {
		t.Errorf("Range stopped by fn returned %d, want 3", n)
	}
	// Fields read through Range and Get agree, and values survive mutation.
	e, ok := s.Get(ID{7, 0})
	if !ok || entryString(e) != "7-0 f 7" {
		t.Fatalf("Get(7-0) = %v, %v", e, ok)
	}
	kept := e.Fields[1]
	for i := 11; i <= 40; i++ {
		mustAdd(t, s, ID{uint64(i), 0}, small, "f", strconv.Itoa(i))
	}
	s.Trim(TrimSpec{MaxLen: 5}, small)
	if string(kept) != "7" {
		t.Errorf("a value read earlier changed to %q", kept)
	}
	if _, ok := s.Get(ID{7, 0}); ok {
		t.Error("Get found a trimmed entry")
	}
	if first, _ := s.FirstEntry(); first.ID != (ID{36, 0}) {
		t.Errorf("FirstEntry = %v", first.ID)
	}
	if last, _ := s.LastEntry(); entryString(last) != "40-0 f 40" {
		t.Errorf("LastEntry = %v", entryString(last))
	}
}

func TestAddErrors(t *testing.T) {
	s := New()
	mustAdd(t, s, ID{5, 5}, DefaultNodeLimits, "f", "v")
	for _, id := range []ID{{5, 5}, {5, 4}, {4, 9}, {0, 0}} {
		if err := s.Add(id, pairs("f", "v"), DefaultNodeLimits); !errors.Is(err, ErrIDTooSmall) {
			t.Errorf("Add(%v) = %v, want ErrIDTooSmall", id, err)
		}
	}
	// 1026 pairs of one shared MiB: just over Redis's 1 GiB per entry.
	mib := make([]byte, 1<<20)
	huge := make([][]byte, 1026)
	for i := range huge {
		huge[i] = mib
	}
	if err := s.Add(ID{6, 0}, huge, DefaultNodeLimits); !errors.Is(err, ErrElementsTooLarge) {
		t.Errorf("Add with > 1 GiB of fields = %v, want ErrElementsTooLarge", err)
	}
	if s.Len() != 1 || s.LastID() != (ID{5, 5}) || s.EntriesAdded() != 1 {
		t.Errorf("failed adds changed the stream: len %d last %v added %d", s.Len(), s.LastID(), s.EntriesAdded())
	}
	// Add copies its input.
	in := pairs("f", "abc")
	if err := s.Add(ID{7, 0}, in, DefaultNodeLimits); err != nil {
		t.Fatal(err)
	}
	in[1][0] = 'X'
	if e, _ := s.Get(ID{7, 0}); string(e.Fields[1]) != "abc" {
		t.Errorf("stored value changed with the caller's buffer: %q", e.Fields[1])
	}
	// An entry may have any number of pairs, including fields repeated.
	mustAdd(t, s, ID{8, 0}, DefaultNodeLimits, "f", "1", "f", "2", "", "")
	if e, _ := s.Get(ID{8, 0}); entryString(e) != "8-0 f 1 f 2  " {
		t.Errorf("Get(8-0) = %q", entryString(e))
	}
}

func TestAppend(t *testing.T) {
	s := New()
	add := func(spec string, now uint64) string {
		a, err := ParseAddID(spec)
		if err != nil {
			return err.Error()
		}
		id, err := s.Append(a, pairs("f", "v"), now, DefaultNodeLimits)
		if err != nil {
			return err.Error()
		}
		return id.String()
	}
	steps := []struct {
		spec string
		now  uint64
		want string
	}{
		{"*", 100, "100-0"},
		{"*", 100, "100-1"},
		{"*", 50, "100-2"}, // clock went back
		{"100-*", 0, "100-3"},
		{"150", 0, "150-0"},
		{"*", 120, "150-1"},
		{"*", 200, "200-0"},
		{"199-5", 0, ErrIDTooSmall.Error()},
	}
	for _, st := range steps {
		if got := add(st.spec, st.now); got != st.want {
			t.Errorf("XADD %s at %d = %s, want %s", st.spec, st.now, got, st.want)
		}
	}
	if s.Len() != 7 || s.EntriesAdded() != 7 {
		t.Errorf("Len %d EntriesAdded %d", s.Len(), s.EntriesAdded())
	}
}

// Behaviour checked with XSETID on redis-server 7.0.15.
func TestSetID(t *testing.T) {
	s := New()
	mustAdd(t, s, ID{1, 0}, DefaultNodeLimits, "f", "v")
	mustAdd(t, s, ID{2, 0}, DefaultNodeLimits, "f", "v")
	s.Delete(ID{2, 0})
	steps := []struct {
		last         ID
		entriesAdded int64
		maxDeleted   ID
		err          error
		wantLast     ID
		wantAdded    uint64
		wantMaxDel   ID
	}{
		// Below the last generated ID but not below the last entry: fine.
		{ID{1, 5}, -1, ID{}, nil, ID{1, 5}, 2, ID{2, 0}},
		{ID{0, 5}, -1, ID{}, ErrSetIDTooSmall, ID{1, 5}, 2, ID{2, 0}},
		{ID{1, 0}, 0, ID{}, ErrSetIDEntriesAdded, ID{1, 5}, 2, ID{2, 0}},
		{ID{5, 0}, -1, ID{6, 0}, ErrSetIDBelowMaxDeleted, ID{1, 5}, 2, ID{2, 0}},
		// 0-0 as MAXDELETEDID means "not given".
		{ID{3, 0}, 1, ID{}, nil, ID{3, 0}, 1, ID{2, 0}},
		// Redis 7.0.15 lets MAXDELETEDID go down.
		{ID{3, 0}, -1, ID{0, 1}, nil, ID{3, 0}, 1, ID{0, 1}},
	}
	for i, st := range steps {
		err := s.SetID(st.last, st.entriesAdded, st.maxDeleted)
		if !errors.Is(err, st.err) {
			t.Errorf("step %d: SetID = %v, want %v", i, err, st.err)
		}
		if s.LastID() != st.wantLast || s.EntriesAdded() != st.wantAdded || s.MaxDeletedID() != st.wantMaxDel {
			t.Errorf("step %d: last %v added %d maxdel %v", i, s.LastID(), s.EntriesAdded(), s.MaxDeletedID())
		}
	}
	// On an empty stream anything goes, even below max-deleted-entry-id.
	s.Delete(ID{1, 0})
	if err := s.SetID(ID{0, 1}, 0, ID{}); err != nil || s.LastID() != (ID{0, 1}) {
		t.Errorf("SetID on empty stream: %v, last %v", err, s.LastID())
	}
	mustAdd(t, s, ID{0, 2}, DefaultNodeLimits, "f", "v")
	if s.FirstID() != (ID{0, 2}) || s.EntriesAdded() != 1 {
		t.Errorf("first %v added %d", s.FirstID(), s.EntriesAdded())
	}
}

// TestModel checks contents (not layout) against a plain sorted slice under
// random adds, deletes, trims and limit changes.
func TestModel(t *testing.T) {
	limitChoices := []NodeLimits{DefaultNodeLimits, {1, 0}, {3, 100}, {0, 300}, {7, 0}, {0, 0}, {50, 64}}
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		s := New()
		var model []string // entry strings in ID order
		modelIDs := []ID{}
		limits := limitChoices[r.Intn(len(limitChoices))]
		last := ID{}
		for op := 0; op < 3000; op++ {
			switch k := r.Intn(100); {
			case k < 60:
				if r.Intn(2) == 0 {
					last = ID{last.Ms, last.Seq + 1 + uint64(r.Intn(3))}
				} else {
					last = ID{last.Ms + 1 + uint64(r.Intn(1000)), uint64(r.Intn(5))}
				}
				kv := []string{"f", strconv.Itoa(r.Intn(100000))}
				if r.Intn(5) == 0 {
					kv = append(kv, "g"+strconv.Itoa(r.Intn(3)), strings.Repeat("x", r.Intn(200)))
				}
				mustAdd(t, s, last, limits, kv...)
				model = append(model, last.String()+" "+strings.Join(kv, " "))
				modelIDs = append(modelIDs, last)
			case k < 80:
				if len(modelIDs) == 0 {
					continue
				}
				id := modelIDs[r.Intn(len(modelIDs))]
				if r.Intn(4) == 0 {
					id.Seq++
				}
				i := slices.IndexFunc(modelIDs, func(x ID) bool { return x == id })
				if got := s.Delete(id); got != (i >= 0) {
					t.Fatalf("seed %d: Delete(%v) = %v", seed, id, got)
				}
				if i >= 0 {
					model = slices.Delete(model, i, i+1)
					modelIDs = slices.Delete(modelIDs, i, i+1)
				}
			case k < 85:
				spec := TrimSpec{Limit: -1, Approx: r.Intn(3) == 0}
				if r.Intn(2) == 0 {
					spec.MaxLen = uint64(max(0, len(model)-r.Intn(50)))
				} else {
					spec.ByMinID = true
					spec.MinID = ID{uint64(r.Int63n(int64(last.Ms + 1))), 0}
				}
				removed := s.Trim(spec, limits)
				// Trimming removes a prefix of the live entries.
				keep := len(model) - int(removed)
				if keep < 0 {
					t.Fatalf("seed %d: Trim removed %d of %d", seed, removed, len(model))
				}
				model = model[len(model)-keep:]
				modelIDs = modelIDs[len(modelIDs)-keep:]
				if spec.Approx {
					break
				}
				if spec.ByMinID && len(modelIDs) > 0 && modelIDs[0].Less(spec.MinID) {
					t.Fatalf("seed %d: exact MINID trim left %v < %v", seed, modelIDs[0], spec.MinID)
				}
				if !spec.ByMinID && uint64(len(model)) > spec.MaxLen {
					t.Fatalf("seed %d: exact MAXLEN trim left %d > %d", seed, len(model), spec.MaxLen)
				}
			case k < 88:
				limits = limitChoices[r.Intn(len(limitChoices))]
			default:
				var a, b ID
				if len(modelIDs) > 0 {
					a = modelIDs[r.Intn(len(modelIDs))]
					b = modelIDs[r.Intn(len(modelIDs))]
				}
				if b.Less(a) {
					a, b = b, a
				}
				count := r.Intn(5)
				var want []string
				for i, id := range modelIDs {
					if !id.Less(a) && !b.Less(id) {
						want = append(want, model[i])
					}
				}
				wantFwd, wantRev := want, slices.Clone(want)
				slices.Reverse(wantRev)
				if count > 0 {
					wantFwd = wantFwd[:min(count, len(wantFwd))]
					wantRev = wantRev[:min(count, len(wantRev))]
				}
				if got := rangeStrings(s, a, b, count, false); !slices.Equal(got, wantFwd) {
					t.Fatalf("seed %d op %d: Range(%v,%v,%d) = %q, want %q", seed, op, a, b, count, got, wantFwd)
				}
				if got := rangeStrings(s, a, b, count, true); !slices.Equal(got, wantRev) {
					t.Fatalf("seed %d op %d: reverse Range(%v,%v,%d) = %q, want %q", seed, op, a, b, count, got, wantRev)
				}
			}
			if s.Len() != uint64(len(model)) {
				t.Fatalf("seed %d op %d: Len %d, model %d", seed, op, s.Len(), len(model))
			}
			wantFirst := ID{}
			if len(modelIDs) > 0 {
				wantFirst = modelIDs[0]
			}
			if s.FirstID() != wantFirst {
				t.Fatalf("seed %d op %d: FirstID %v, want %v", seed, op, s.FirstID(), wantFirst)
			}
			if len(modelIDs) > 0 {
				if id, _ := s.LastEntryID(); id != modelIDs[len(modelIDs)-1] {
					t.Fatalf("seed %d op %d: LastEntryID %v", seed, op, id)
				}
			}
		}
		if got := rangeStrings(s, MinID, MaxID, 0, false); !slices.Equal(got, model) {
			t.Fatalf("seed %d: final contents differ", seed)
		}
		if t.Failed() {
			t.Fatal(fmt.Sprint("seed ", seed))
		}
	}
}
