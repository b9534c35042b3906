package streams

// RaxNodeCount returns what XINFO STREAM calls radix-tree-nodes: the number
// of nodes of the rax in which Redis would keep this stream's nodes, keyed by
// each node's master ID as 16 big-endian bytes.
//
// Spool has no rax, so the count is derived from the keys. That is exact
// because, for keys that all have the same length (so that no key is a
// prefix of another), the shape rax.c builds is a function of the key set
// alone: insertion (raxGenericInsert) only ever splits a compressed node
// where a new key diverges, and removal (raxRemove) frees the chain above a
// dropped leaf and re-compresses the single-child chain it leaves. The shape
// is therefore the canonical compressed trie, whose nodes are: the head;
// for each branching prefix, one node; below every branch (and below a
// non-branching head), one compressed node per chain of single-child
// prefixes; and the leaves. Cost: O(blocks x 16).
func (s *Stream) RaxNodeCount() int {
	if len(s.blocks) == 0 {
		return 1 // raxNew: an empty head node
	}
	return s.raxSubtree(0, len(s.blocks), 0)
}

// raxKeyByte returns byte i of block k's rax key (big-endian ms, then seq).
func (s *Stream) raxKeyByte(k, i int) byte {
	id := s.blocks[k].first
	if i < 8 {
		return byte(id.Ms >> (56 - 8*i))
	}
	return byte(id.Seq >> (56 - 8*(i-8)))
}

// raxLCP returns the length of the common prefix of the keys of blocks j and
// k, starting the comparison at byte from.
func (s *Stream) raxLCP(j, k, from int) int {
	i := from
	for i < 16 && s.raxKeyByte(j, i) == s.raxKeyByte(k, i) {
		i++
	}
	return i
}

// raxSubtree counts the nodes below and including the node that starts at
// prefix length depth, for the sorted keys of blocks [lo, hi), which all
// share that prefix.
func (s *Stream) raxSubtree(lo, hi, depth int) int {
	if hi-lo == 1 {
		if depth == 16 {
			return 1 // the leaf itself
		}
		return 2 // a compressed chain to the leaf, and the leaf
	}
	// In sorted order the common prefix of a range is that of its ends.
	branch := s.raxLCP(lo, hi-1, depth)
	nodes := 1 // the branching node
	if branch > depth {
		nodes++ // a compressed chain from depth down to the branching node
	}
	for start := lo; start < hi; {
		c := s.raxKeyByte(start, branch)
		end := start + 1
		for end < hi && s.raxKeyByte(end, branch) == c {
			end++
		}
		nodes += s.raxSubtree(start, end, branch+1)
		start = end
	}
	return nodes
}
