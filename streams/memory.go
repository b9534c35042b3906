package streams

import "unsafe"

// Sizer is the allocator model MemoryUsage charges a stream's allocations
// with. The caller owns it (MEMORY USAGE charges every type with the same
// model), so that this package keeps no knowledge of Go's size classes or
// map layout.
type Sizer interface {
	// Alloc is the bytes the allocator hands out for a request of n bytes.
	Alloc(n int) int
	// Map is the bytes of a Go map holding n entries of slot bytes each
	// (key plus value).
	Map(n, slot int) int
}

// MemoryUsage estimates the bytes the stream holds in memory (MEMORY
// USAGE): the Stream value, its blocks (header plus the allocated capacity
// of the entry bytes), the consumer groups with their PEL trees, consumers
// and queue state, and the idempotent-producer maps.
//
// Blocks are sampled as Redis's objectComputeSize samples a stream's
// listpacks: the first samples blocks are measured, their average is
// charged for every block but the last, and the last block (usually still
// filling, with spare capacity) is measured. samples <= 0 measures every
// block. Group state is measured in full, as Redis does: walking a PEL tree
// visits about one node per 64 pending entries.
//
// Caller holds the keyspace lock.
func (s *Stream) MemoryUsage(samples int, z Sizer) int {
	const ptr = int(unsafe.Sizeof(uintptr(0)))
	size := z.Alloc(int(unsafe.Sizeof(*s)))
	size += z.Alloc(cap(s.blocks) * ptr)
	size += z.Alloc(cap(s.fieldsBuf)*int(unsafe.Sizeof([]byte(nil)))) + z.Alloc(cap(s.masterBuf)*int(unsafe.Sizeof([]byte(nil))))
	size += z.Alloc(cap(s.offsetsBuf) * int(unsafe.Sizeof(0)))
	blockSize := func(b *block) int {
		return z.Alloc(int(unsafe.Sizeof(*b))) + z.Alloc(cap(b.data))
	}
	n := len(s.blocks)
	if samples <= 0 || samples >= n {
		for _, b := range s.blocks {
			size += blockSize(b)
		}
	} else {
		sum := 0
		for _, b := range s.blocks[:samples] {
			sum += blockSize(b)
		}
		size += sum / samples * (n - 1)
		size += blockSize(s.blocks[n-1])
	}

	size += z.Alloc(cap(s.groups) * ptr)
	for _, g := range s.groups {
		size += g.memoryUsage(z)
	}
	if s.idmp != nil {
		size += s.idmp.memoryUsage(z)
	}
	return size
}

// memoryUsage is the group's share of Stream.MemoryUsage.
func (g *Group) memoryUsage(z Sizer) int {
	const ptr = int(unsafe.Sizeof(uintptr(0)))
	size := z.Alloc(int(unsafe.Sizeof(*g))) + z.Alloc(len(g.name))
	size += treeMemoryUsage(&g.pel, z)
	size += z.Alloc(cap(g.consumers) * ptr)
	for _, c := range g.consumers {
		size += z.Alloc(int(unsafe.Sizeof(*c))) + z.Alloc(len(c.name))
		size += treeMemoryUsage(&c.pel, z)
	}
	if g.policy != nil {
		size += z.Alloc(int(unsafe.Sizeof(*g.policy)))
		size += z.Alloc(cap(g.policy.Backoff)*int(unsafe.Sizeof(int64(0)))) + z.Alloc(len(g.policy.DLQ))
	}
	if g.due != nil {
		size += z.Alloc(int(unsafe.Sizeof(*g.due))) + z.Alloc(cap(*g.due)*int(unsafe.Sizeof(dueItem{})))
	}
	// Dead letters share their fields with the stream's blocks.
	size += z.Alloc(cap(g.dead) * int(unsafe.Sizeof(DeadLetter{})))
	return size
}

// treeMemoryUsage is the bytes of an idTree's nodes: each node's header and
// the capacity of its slices.
func treeMemoryUsage[V any](t *idTree[V], z Sizer) int {
	var zero V
	idSize, valSize := int(unsafe.Sizeof(ID{})), int(unsafe.Sizeof(zero))
	ptrSize := int(unsafe.Sizeof(uintptr(0)))
	size := 0
	var walk func(n *tnode[V])
	walk = func(n *tnode[V]) {
		size += z.Alloc(int(unsafe.Sizeof(*n)))
		size += z.Alloc(cap(n.ids) * idSize)
		if valSize > 0 {
			size += z.Alloc(cap(n.vals) * valSize)
		}
		size += z.Alloc(cap(n.kids) * ptrSize)
		for _, k := range n.kids {
			walk(k)
		}
	}
	if t.root != nil {
		walk(t.root)
	}
	return size
}

// memoryUsage is the dedup state's share of Stream.MemoryUsage.
func (st *idmpState) memoryUsage(z Sizer) int {
	strSize, idSize := int(unsafe.Sizeof("")), int(unsafe.Sizeof(ID{}))
	ptrSize := int(unsafe.Sizeof(uintptr(0)))
	size := z.Alloc(int(unsafe.Sizeof(*st))) + z.Map(len(st.producers), strSize+ptrSize)
	for pid, p := range st.producers {
		size += z.Alloc(len(pid)) + z.Alloc(int(unsafe.Sizeof(*p)))
		size += z.Alloc(cap(p.entries) * int(unsafe.Sizeof(idmpEntry{})))
		size += z.Map(len(p.index), strSize+idSize)
		// The index shares its keys with entries.
		for _, e := range p.entries {
			size += z.Alloc(len(e.iid))
		}
	}
	return size
}
