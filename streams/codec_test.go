package streams

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

// randomStream builds a stream with deletions, trims, empty head nodes and
// groups with consumers and pending entries.
func randomStream(t testing.TB, seed uint64, n int) *Stream {
	r := rand.New(rand.NewPCG(seed, 1))
	s := New()
	limits := NodeLimits{MaxEntries: 1 + r.IntN(8), MaxBytes: 4096}
	now := int64(1000)
	g, _ := s.CreateGroup("g1", MinID, 0)
	g2, _ := s.CreateGroup("g0", MinID, UnknownEntriesRead)
	ca, _ := g.CreateConsumer("alice", now)
	cb, _ := g.CreateConsumer("bob", now)
	cc, _ := g2.CreateConsumer("carol", now)
	for i := 0; i < n; i++ {
		now++
		fv := [][]byte{[]byte("f"), []byte(strconv.Itoa(i))}
		if r.IntN(5) == 0 {
			fv = append(fv, []byte("other"), bytes.Repeat([]byte("x"), r.IntN(50)))
		}
		if _, err := s.Append(AddIDSpec{Kind: AddIDAuto}, fv, uint64(now), limits); err != nil {
			t.Fatal(err)
		}
		switch r.IntN(10) {
		case 0:
			s.Delete(ID{Ms: uint64(now - int64(r.IntN(20)))})
		case 1:
			s.Trim(TrimSpec{MaxLen: uint64(50 + r.IntN(50)), Approx: r.IntN(2) == 0, Limit: -1}, limits)
		case 2:
			g.ReadNew(ca, 3, false, now)
		case 3:
			g.ReadNew(cb, 2, false, now)
			g2.ReadNew(cc, 1, false, now)
		case 4:
			for p := range g.PEL(MinID) {
				g.Ack(p.ID)
				break
			}
		}
	}
	return s
}

func TestCodecRoundTrip(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		s := randomStream(t, seed, 300)
		enc := s.AppendBinary(nil)
		got, err := DecodeStream(enc)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if again := got.AppendBinary(nil); !bytes.Equal(again, enc) {
			t.Fatalf("seed %d: re-encoding differs", seed)
		}
		if describe(got) != describe(s) {
			t.Fatalf("seed %d: decoded stream differs:\n%s\nvs\n%s", seed, describe(got), describe(s))
		}
		// The copy keeps working like the original.
		limits := DefaultNodeLimits
		for _, st := range []*Stream{s, got} {
			st.Add(ID{Ms: 1 << 40}, [][]byte{[]byte("a"), []byte("b")}, limits)
			st.Trim(TrimSpec{MaxLen: 10, Approx: true, Limit: -1}, limits)
		}
		if describe(got) != describe(s) {
			t.Fatalf("seed %d: streams diverge after more operations", seed)
		}
	}
}

// describe renders everything observable about a stream.
func describe(s *Stream) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%+v\n", s.Info())
	s.Range(MinID, MaxID, 0, false, func(e Entry) bool {
		fmt.Fprintf(&b, "%s %q\n", e.ID, e.Fields)
		return true
	})
	for g := range s.Groups() {
		lag, ok := g.Lag()
		fmt.Fprintf(&b, "group %s %s %d lag %d %v\n", g.Name(), g.LastID(), g.EntriesRead(), lag, ok)
		for c := range g.Consumers() {
			fmt.Fprintf(&b, " consumer %s %d %d %d\n", c.Name(), c.SeenTime(), c.ActiveTime(), c.PendingCount())
		}
		for p := range g.PEL(MinID) {
			fmt.Fprintf(&b, " pending %s %s %d %d at=%d\n", p.ID, p.Consumer.Name(), p.DeliveryTime, p.DeliveryCount, g.RedeliverAt(p.ID))
		}
		pol, ok := g.Policy()
		due, dueOK := g.NextDue()
		fmt.Fprintf(&b, " policy %v %+v stats %+v next-due %d %v\n", ok, pol, g.Stats(), due, dueOK)
	}
	return b.String()
}

func TestCodecRejectsDamage(t *testing.T) {
	enc := randomStream(t, 3, 200).AppendBinary(nil)
	for _, cut := range []int{0, 1, len(enc) / 2, len(enc) - 1} {
		if _, err := DecodeStream(enc[:cut]); !errors.Is(err, ErrCorruptEncoding) {
			t.Errorf("truncated at %d: err %v", cut, err)
		}
	}
	if _, err := DecodeStream(append(append([]byte(nil), enc...), 0)); !errors.Is(err, ErrCorruptEncoding) {
		t.Errorf("trailing byte accepted: %v", err)
	}
}

// FuzzDecodeStream: damaged encodings are errors, never panics, and whatever
// decodes can be read and encoded again.
func FuzzDecodeStream(f *testing.F) {
	f.Add(randomStream(f, 1, 30).AppendBinary(nil))
	f.Add(New().AppendBinary(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeStream(b)
		if err != nil {
			return
		}
		describe(s)
		if _, err := DecodeStream(s.AppendBinary(nil)); err != nil {
			t.Fatalf("re-decoding a decoded stream: %v", err)
		}
	})
}

// TestFreezeIsPointInTime: a frozen stream encodes as it was when frozen,
// whatever happens to the stream afterwards (deletes flag bytes in place,
// which must copy the block first).
func TestFreezeIsPointInTime(t *testing.T) {
	s := randomStream(t, 9, 400)
	want := s.AppendBinary(nil)
	f := s.Freeze()
	limits := DefaultNodeLimits
	s.Range(MinID, MaxID, 0, false, func(e Entry) bool {
		s.Delete(e.ID)
		return false
	})
	for i := 0; i < 50; i++ {
		s.Add(ID{Ms: 1 << 40, Seq: uint64(i)}, [][]byte{[]byte("f"), []byte("v")}, limits)
	}
	var ids []ID
	s.Range(MinID, MaxID, 30, false, func(e Entry) bool { ids = append(ids, e.ID); return true })
	for _, id := range ids {
		s.Delete(id)
	}
	s.Trim(TrimSpec{MaxLen: 5, Limit: -1}, limits)
	if got := f.AppendBinary(nil); !bytes.Equal(got, want) {
		t.Fatal("the frozen copy changed with the stream")
	}
}
