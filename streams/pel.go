package streams

// idTree is an ordered map from ID to V: a B+tree whose leaves hold the
// entries in ID order and are chained left to right, so that a seek costs
// O(log n) and each step of a scan O(1). Consumer groups use one for the
// group's pending entries list (V = nack) and one per consumer (V =
// struct{}, a set of IDs), as Redis uses a rax for each.
//
// Why not tidwall/btree: measured with the same workloads (deliver 10,
// ack 10; seek + scan 10 at 1M entries), this tree specialised on ID is
// about twice as fast, because comparisons are inlined instead of going
// through a less func, and because it packs sequential inserts (the common
// case: entries are delivered in ID order) into full leaves. See
// BenchmarkPELTree in pel_test.go.
//
// Pointers returned by get, set and iterators into a tree stay valid until
// the next insertion or deletion in that same tree.
type idTree[V any] struct {
	root  *tnode[V]
	count int
}

const (
	// treeMaxItems is the most entries a leaf, or children an inner node,
	// holds; a node that grows past it splits.
	treeMaxItems = 64
	// treeMinItems is the fill below which a node is merged with, or
	// refilled from, a sibling after a deletion.
	treeMinItems = treeMaxItems / 4
)

// tnode is a leaf (kids == nil) or an inner node. In an inner node,
// ids[i] for i >= 1 separates kids[i-1] from kids[i]: every ID under
// kids[i-1] is smaller and every ID under kids[i] is equal or greater.
// ids[0] is not used for routing.
type tnode[V any] struct {
	ids  []ID
	vals []V         // leaf only, parallel to ids
	kids []*tnode[V] // inner only
	next *tnode[V]   // leaf only: the leaf to the right
}

func (n *tnode[V]) leaf() bool { return n.kids == nil }

// Len returns the number of entries.
func (t *idTree[V]) Len() int { return t.count }

// search returns the index of the first ID in ids that is >= id, and whether
// it is equal to id.
func search(ids []ID, id ID) (int, bool) {
	lo, hi := 0, len(ids)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ids[m].Less(id) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(ids) && ids[lo] == id
}

// childIndex returns the index of the child of inner node n under which id
// belongs: the last i >= 1 with ids[i] <= id, or 0.
func (n *tnode[V]) childIndex(id ID) int {
	lo, hi := 1, len(n.ids) // invariant: ids[1:lo] <= id < ids[hi:]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if id.Less(n.ids[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

// get returns a pointer to the value stored for id, or nil.
func (t *idTree[V]) get(id ID) *V {
	n := t.root
	if n == nil {
		return nil
	}
	for !n.leaf() {
		n = n.kids[n.childIndex(id)]
	}
	i, ok := search(n.ids, id)
	if !ok {
		return nil
	}
	return &n.vals[i]
}

// has reports whether id is in the tree.
func (t *idTree[V]) has(id ID) bool { return t.get(id) != nil }

// set stores v for id and returns a pointer to the stored value and whether
// id was added (false: an existing value was replaced).
func (t *idTree[V]) set(id ID, v V) (*V, bool) {
	p, added := t.upsert(id)
	*p = v
	return p, added
}

// upsert returns a pointer to the value for id, adding id with the zero
// value if it is missing, and whether it was added.
func (t *idTree[V]) upsert(id ID) (*V, bool) {
	if t.root == nil {
		t.root = &tnode[V]{}
	}
	p, added, right := t.insert(t.root, id, true)
	if right != nil {
		left := t.root
		t.root = &tnode[V]{
			ids:  append(make([]ID, 0, 4), MinID, right.ids[0]),
			kids: append(make([]*tnode[V], 0, 4), left, right),
		}
	}
	if added {
		t.count++
	}
	return p, added
}

// insert adds id under n (with the zero value) unless it is there, and
// returns the value's pointer, whether it was added and, if n had to split,
// the new node to its right. rightmost says that n is the last node of its
// level: a node there that overflows because of an append keeps all its
// entries and starts an empty neighbour, so that IDs inserted in increasing
// order (deliveries) fill leaves completely.
func (t *idTree[V]) insert(n *tnode[V], id ID, rightmost bool) (p *V, added bool, right *tnode[V]) {
	if n.leaf() {
		i, found := search(n.ids, id)
		if found {
			return &n.vals[i], false, nil
		}
		var zero V
		n.ids = insertAt(n.ids, i, id)
		n.vals = insertAt(n.vals, i, zero)
		if len(n.ids) <= treeMaxItems {
			return &n.vals[i], true, nil
		}
		right = n.splitLeaf(rightmost && i == len(n.ids)-1)
		if i < len(n.ids) {
			return &n.vals[i], true, right
		}
		return &right.vals[i-len(n.ids)], true, right
	}
	ci := n.childIndex(id)
	p, added, split := t.insert(n.kids[ci], id, rightmost && ci == len(n.kids)-1)
	if split == nil {
		return p, added, nil
	}
	n.ids = insertAt(n.ids, ci+1, split.ids[0])
	n.kids = insertAt(n.kids, ci+1, split)
	if len(n.kids) <= treeMaxItems {
		return p, added, nil
	}
	return p, added, n.splitInner(rightmost && ci+1 == len(n.kids)-1)
}

// splitLeaf moves the upper half of an overflowing leaf (only its last entry
// if appending) into a new leaf to its right and returns it.
func (n *tnode[V]) splitLeaf(appending bool) *tnode[V] {
	mid := len(n.ids) / 2
	if appending {
		mid = len(n.ids) - 1
	}
	right := &tnode[V]{
		ids:  make([]ID, len(n.ids)-mid, treeMaxItems+1),
		vals: make([]V, len(n.ids)-mid, treeMaxItems+1),
		next: n.next,
	}
	copy(right.ids, n.ids[mid:])
	copy(right.vals, n.vals[mid:])
	clear(n.vals[mid:]) // drop references for the garbage collector
	n.ids, n.vals = n.ids[:mid], n.vals[:mid]
	n.next = right
	return right
}

// splitInner moves the upper half of an overflowing inner node (only its
// last child if appending) into a new node to its right and returns it.
// right.ids[0] is the separator the parent must use for it.
func (n *tnode[V]) splitInner(appending bool) *tnode[V] {
	mid := len(n.kids) / 2
	if appending {
		mid = len(n.kids) - 1
	}
	right := &tnode[V]{
		ids:  make([]ID, len(n.kids)-mid, treeMaxItems+1),
		kids: make([]*tnode[V], len(n.kids)-mid, treeMaxItems+1),
	}
	copy(right.ids, n.ids[mid:])
	copy(right.kids, n.kids[mid:])
	clear(n.kids[mid:])
	n.ids, n.kids = n.ids[:mid], n.kids[:mid]
	return right
}

// insertAt inserts x at index i of s, growing s by doubling up to one more
// than treeMaxItems (a node holds at most that many before it splits), so
// that small trees (a consumer with a few pending entries) stay small.
func insertAt[T any](s []T, i int, x T) []T {
	if len(s) == cap(s) {
		c := max(4, min(2*cap(s), treeMaxItems+1))
		if c <= len(s) {
			c = len(s) + 1
		}
		grown := make([]T, len(s), c)
		copy(grown, s)
		s = grown
	}
	s = s[:len(s)+1]
	copy(s[i+1:], s[i:])
	s[i] = x
	return s
}

// removeAt removes index i from s and zeroes the freed slot. In a large
// node it shifts whichever side of i is shorter, so that acknowledging the
// oldest pending entries (the common case) costs O(1), at the price of the
// slot dropped from the front until the node next reallocates; a small node
// keeps its capacity, so that a short PEL that keeps filling and emptying
// (a consumer keeping up) does not reallocate.
func removeAt[T any](s []T, i int) []T {
	var zero T
	if i < len(s)/2 && len(s) > treeMinItems {
		copy(s[1:i+1], s[:i])
		s[0] = zero
		return s[1:]
	}
	copy(s[i:], s[i+1:])
	s[len(s)-1] = zero
	return s[:len(s)-1]
}

// delete removes id and returns its value and whether it was there.
func (t *idTree[V]) delete(id ID) (V, bool) {
	var zero V
	if t.root == nil {
		return zero, false
	}
	v, ok := t.remove(t.root, id)
	if !ok {
		return zero, false
	}
	t.count--
	if !t.root.leaf() && len(t.root.kids) == 1 {
		t.root = t.root.kids[0]
	}
	return v, true
}

func (t *idTree[V]) remove(n *tnode[V], id ID) (V, bool) {
	if n.leaf() {
		i, found := search(n.ids, id)
		if !found {
			var zero V
			return zero, false
		}
		v := n.vals[i]
		n.ids = removeAt(n.ids, i)
		n.vals = removeAt(n.vals, i)
		return v, true
	}
	ci := n.childIndex(id)
	v, ok := t.remove(n.kids[ci], id)
	if ok && n.kids[ci].size() < treeMinItems {
		n.rebalance(ci)
	}
	return v, ok
}

// size is the number of entries of a leaf or children of an inner node.
func (n *tnode[V]) size() int {
	if n.leaf() {
		return len(n.ids)
	}
	return len(n.kids)
}

// rebalance fixes the underfull child ci of n by merging it with a
// neighbour or by moving entries over from that neighbour.
func (n *tnode[V]) rebalance(ci int) {
	if len(n.kids) < 2 {
		return // only the root can have one child; delete collapses it
	}
	li := ci - 1
	if ci == 0 {
		li = 0
	}
	ri := li + 1
	left, right := n.kids[li], n.kids[ri]
	if !right.leaf() {
		// The separator in n is the exact lower bound of right; right's own
		// ids[0] may be stale, and is about to be used as a separator.
		right.ids[0] = n.ids[ri]
	}
	total := left.size() + right.size()
	if total <= treeMaxItems {
		left.ids = append(left.ids, right.ids...)
		if left.leaf() {
			left.vals = append(left.vals, right.vals...)
			left.next = right.next
		} else {
			left.kids = append(left.kids, right.kids...)
		}
		n.ids = removeAt(n.ids, ri)
		n.kids = removeAt(n.kids, ri)
		return
	}
	// Share the entries evenly between the two.
	want := total / 2
	if left.size() < want {
		k := want - left.size() // move right's first k to left's end
		left.ids = append(left.ids, right.ids[:k]...)
		right.ids = append(right.ids[:0], right.ids[k:]...)
		clearTail(&right.ids, k)
		if left.leaf() {
			left.vals = append(left.vals, right.vals[:k]...)
			right.vals = append(right.vals[:0], right.vals[k:]...)
			clearTail(&right.vals, k)
		} else {
			left.kids = append(left.kids, right.kids[:k]...)
			right.kids = append(right.kids[:0], right.kids[k:]...)
			clearTail(&right.kids, k)
		}
	} else {
		k := left.size() - want // move left's last k to right's front
		cut := len(left.ids) - k
		right.ids = append(append(make([]ID, 0, treeMaxItems+1), left.ids[cut:]...), right.ids...)
		left.ids = left.ids[:cut]
		if left.leaf() {
			right.vals = append(append(make([]V, 0, treeMaxItems+1), left.vals[cut:]...), right.vals...)
			clear(left.vals[cut:])
			left.vals = left.vals[:cut]
		} else {
			right.kids = append(append(make([]*tnode[V], 0, treeMaxItems+1), left.kids[cut:]...), right.kids...)
			clear(left.kids[cut:])
			left.kids = left.kids[:cut]
		}
	}
	n.ids[ri] = right.ids[0]
}

// clearTail zeroes the k slots just past the end of *s (left over after the
// contents were shifted down by k), so that they hold no references.
func clearTail[T any](s *[]T, k int) {
	clear((*s)[len(*s) : len(*s)+k])
}

// treeIter is a position in a tree: a leaf and an index in it. Any insertion
// or deletion in the tree invalidates it; changing values through val does
// not.
type treeIter[V any] struct {
	n *tnode[V]
	i int
}

// seek returns an iterator at the first entry with an ID >= id.
func (t *idTree[V]) seek(id ID) treeIter[V] {
	n := t.root
	if n == nil {
		return treeIter[V]{}
	}
	for !n.leaf() {
		n = n.kids[n.childIndex(id)]
	}
	i, _ := search(n.ids, id)
	it := treeIter[V]{n, i}
	it.skipEmpty()
	return it
}

// first returns an iterator at the smallest entry.
func (t *idTree[V]) first() treeIter[V] { return t.seek(MinID) }

// last returns the largest ID and true, or false for an empty tree.
func (t *idTree[V]) last() (ID, bool) {
	n := t.root
	if n == nil {
		return ID{}, false
	}
	for !n.leaf() {
		n = n.kids[len(n.kids)-1]
	}
	if len(n.ids) == 0 {
		return ID{}, false
	}
	return n.ids[len(n.ids)-1], true
}

func (it *treeIter[V]) skipEmpty() {
	for it.n != nil && it.i >= len(it.n.ids) {
		it.n, it.i = it.n.next, 0
	}
}

func (it *treeIter[V]) valid() bool { return it.n != nil }
func (it *treeIter[V]) id() ID      { return it.n.ids[it.i] }
func (it *treeIter[V]) val() *V     { return &it.n.vals[it.i] }

func (it *treeIter[V]) next() {
	it.i++
	it.skipEmpty()
}

// nack is one entry of a group's pending entries list, Redis's streamNACK:
// an entry delivered to consumer and not acknowledged yet. It is stored by
// value in the group's tree; the consumer's own tree holds just the ID.
type nack struct {
	deliveryTime  int64 // unix ms of the last delivery
	deliveryCount int64 // deliveries so far (wraps like Redis's uint64 printed as long long)
	// consumer is nil for an unowned entry, released by XNACK (see
	// Group.Nack); nackOrder is then its place in the group's NACK zone.
	consumer  *Consumer
	nackOrder uint64
	// redeliverAt is the unix ms time XQ.NACK set for the entry's
	// redelivery, 0 if none (see Group.NackDelay).
	redeliverAt int64
}
