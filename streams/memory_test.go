package streams

import "testing"

// exactSizer charges every request at its size and every map entry at its
// slot, so that the tests see MemoryUsage's own arithmetic.
type exactSizer struct{}

func (exactSizer) Alloc(n int) int     { return max(n, 0) }
func (exactSizer) Map(n, slot int) int { return n * slot }

func TestMemoryUsage(t *testing.T) {
	s := New()
	empty := s.MemoryUsage(0, exactSizer{})
	fv := [][]byte{[]byte("field"), []byte("value")}
	for i := 0; i < 1000; i++ {
		if _, err := s.Append(AddIDSpec{}, fv, uint64(1_700_000_000_000+i), DefaultNodeLimits); err != nil {
			t.Fatal(err)
		}
	}
	full := s.MemoryUsage(0, exactSizer{})
	if full-empty < 1000*len("value") {
		t.Fatalf("1000 entries cost %d bytes", full-empty)
	}
	// Blocks of one shape: the sampled estimate is close to the full sum.
	sampled := s.MemoryUsage(5, exactSizer{})
	if r := float64(sampled) / float64(full); r < 0.9 || r > 1.1 {
		t.Errorf("sampled %d, full %d", sampled, full)
	}
	if got := s.MemoryUsage(s.NodeCount(), exactSizer{}); got != full {
		t.Errorf("samples = blocks: %d, want %d", got, full)
	}

	// A group, a consumer and pending entries add to it.
	g, err := s.CreateGroup("g", MinID, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := g.CreateConsumer("alice", 1_700_000_000_000)
	withGroup := s.MemoryUsage(0, exactSizer{})
	g.ReadNew(c, 500, false, 1_700_000_001_000)
	withPEL := s.MemoryUsage(0, exactSizer{})
	if withGroup <= full || withPEL-withGroup < 500*16 {
		t.Errorf("group %d -> %d, 500 pending -> %d", full, withGroup, withPEL)
	}
}
