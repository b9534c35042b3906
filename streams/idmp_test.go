package streams

import (
	"bytes"
	"testing"
)

func idmpAdd(t *testing.T, s *Stream, pid, iid string, nowMs int64) ID {
	t.Helper()
	if id, dup := s.IdmpLookup([]byte(pid), []byte(iid), nowMs); dup {
		return id
	}
	id, err := s.Append(AddIDSpec{Kind: AddIDAuto}, [][]byte{[]byte("f"), []byte("v")}, uint64(nowMs), DefaultNodeLimits)
	if err != nil {
		t.Fatal(err)
	}
	s.IdmpRecord([]byte(pid), []byte(iid), id, nowMs)
	return id
}

func TestIdmpWindowByTime(t *testing.T) {
	s := New()
	s.IdmpConfigure(10, -1) // 10 s
	now := int64(1_000_000)
	first := idmpAdd(t, s, "p", "a", now)
	if got := idmpAdd(t, s, "p", "a", now+9_999); got != first {
		t.Fatalf("duplicate inside the window added %v", got)
	}
	// Redis expires an iid once its entry's ID time is <= now - duration.
	if _, dup := s.IdmpLookup([]byte("p"), []byte("a"), now+10_000); dup {
		t.Fatal("iid still remembered at the end of the window")
	}
	again := idmpAdd(t, s, "p", "a", now+10_000)
	if again == first {
		t.Fatal("expired iid did not add a new entry")
	}
	info, _ := s.IdmpInfo(now + 10_000)
	if info.IidsTracked != 1 || info.PidsTracked != 1 || info.IidsAdded != 2 {
		t.Fatalf("info %+v", info)
	}
	if info, _ := s.IdmpInfo(now + 30_000); info.IidsTracked != 0 || info.PidsTracked != 0 {
		t.Fatalf("expired iids still counted: %+v", info)
	}
}

func TestIdmpWindowBySize(t *testing.T) {
	s := New()
	s.IdmpConfigure(-1, 2)
	now := int64(5_000)
	a := idmpAdd(t, s, "p", "a", now)
	idmpAdd(t, s, "p", "b", now)
	idmpAdd(t, s, "q", "a", now) // other producers have their own cap
	if got := idmpAdd(t, s, "p", "a", now); got != a {
		t.Fatal("a evicted too early")
	}
	idmpAdd(t, s, "p", "c", now) // evicts a, the oldest
	if _, dup := s.IdmpLookup([]byte("p"), []byte("a"), now); dup {
		t.Fatal("oldest iid not evicted")
	}
	if _, dup := s.IdmpLookup([]byte("q"), []byte("a"), now); !dup {
		t.Fatal("other producer's iid evicted")
	}
}

func TestIdmpConfigureClears(t *testing.T) {
	s := New()
	if !s.IdmpConfigure(IdmpDefaultDuration, IdmpDefaultMaxSize) {
		t.Fatal("first XCFGSET must count as a change")
	}
	idmpAdd(t, s, "p", "a", 1000)
	if s.IdmpConfigure(IdmpDefaultDuration, -1) {
		t.Fatal("same value reported as a change")
	}
	if _, dup := s.IdmpLookup([]byte("p"), []byte("a"), 1000); !dup {
		t.Fatal("same value cleared the maps")
	}
	if !s.IdmpConfigure(-1, 7) {
		t.Fatal("new max size not a change")
	}
	if _, dup := s.IdmpLookup([]byte("p"), []byte("a"), 1000); dup {
		t.Fatal("new value kept the maps")
	}
	if d, m := s.IdmpConfig(); d != IdmpDefaultDuration || m != 7 {
		t.Fatalf("config %d %d", d, m)
	}
}

func TestIdmpAutoID(t *testing.T) {
	b := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i, x := range s {
			out[i] = []byte(x)
		}
		return out
	}
	if !bytes.Equal(IdmpAutoID(b("a", "1", "b", "2")), IdmpAutoID(b("b", "2", "a", "1"))) {
		t.Fatal("pair order changed the hash")
	}
	if bytes.Equal(IdmpAutoID(b("a", "1")), IdmpAutoID(b("a", "2"))) {
		t.Fatal("values not hashed")
	}
	// As in Redis, a pair hashes field and value concatenated.
	if !bytes.Equal(IdmpAutoID(b("ab", "c")), IdmpAutoID(b("a", "bc"))) {
		t.Fatal("pair not hashed as field+value")
	}
	if len(IdmpAutoID(b("a", "1"))) != 16 {
		t.Fatal("not 128 bits")
	}
}

func TestIdmpCodecRoundTrip(t *testing.T) {
	s := New()
	s.IdmpConfigure(300, 3)
	for _, iid := range []string{"a", "b", "c", "d"} {
		idmpAdd(t, s, "p", iid, 2000)
	}
	idmpAdd(t, s, "q", "a", 2000)
	s.IdmpDuplicate()
	got, err := DecodeStream(s.AppendBinary(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got.IdmpDump() != s.IdmpDump() {
		t.Fatalf("dump\n%s\n%s", got.IdmpDump(), s.IdmpDump())
	}
	gi, _ := got.IdmpInfo(2000)
	wi, _ := s.IdmpInfo(2000)
	if gi != wi {
		t.Fatalf("info %+v, want %+v", gi, wi)
	}
	// A stream without IDMP state round-trips without it.
	plain, err := DecodeStream(New().AppendBinary(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain.IdmpInfo(0); ok {
		t.Fatal("plain stream gained idmp state")
	}
}

// TestCodecDecodesVersion1 decodes a version-1 encoding (no idmp section).
func TestCodecDecodesVersion1(t *testing.T) {
	s := New()
	if _, err := s.Append(AddIDSpec{Kind: AddIDExplicit, ID: ID{Ms: 1, Seq: 1}}, [][]byte{[]byte("f"), []byte("v")}, 0, DefaultNodeLimits); err != nil {
		t.Fatal(err)
	}
	v2 := s.AppendBinary(nil)
	if v2[0] != codecVersion || v2[len(v2)-1] != 0 { // no groups: v2 and later differ only here
		t.Fatalf("unexpected v2 framing % x", v2)
	}
	v1 := append([]byte{}, v2[:len(v2)-1]...) // drop the idmp byte
	v1[0] = 1
	got, err := DecodeStream(v1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 1 || got.LastID() != (ID{Ms: 1, Seq: 1}) {
		t.Fatalf("decoded %d entries, last %v", got.Len(), got.LastID())
	}
}
