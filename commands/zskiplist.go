package commands

// A skip list ordered by (score, member), after Redis's t_zset.c (William
// Pugh's algorithm with Redis's three changes: repeated scores, ties broken
// by the member's bytes, and a backward pointer on level 0). Every forward
// link records its span, the number of level-0 steps it jumps, so that the
// rank of a node and the node at a rank are found in O(log n), as ZRANK,
// ZRANGE and ZREMRANGEBYRANK need.

// zslMaxLevel is Redis's ZSKIPLIST_MAXLEVEL; levels grow with Redis's
// ZSKIPLIST_P of 0.25 (randomLevel).
const zslMaxLevel = 32

type zslLevel struct {
	forward *zslNode
	span    int
}

type zslNode struct {
	member   string
	score    float64
	backward *zslNode
	level    []zslLevel
	// idx is the node's position in its zset's dense node slice (ZSCAN).
	idx int32
}

type zskiplist struct {
	header *zslNode
	tail   *zslNode
	length int
	level  int
	// seed drives the level choice. Levels only shape performance, never
	// results, so a private generator is enough and keeps the structure
	// free of shared state.
	seed uint64
}

func newZskiplist() *zskiplist {
	return &zskiplist{
		header: &zslNode{level: make([]zslLevel, zslMaxLevel)},
		level:  1,
	}
}

// zslLess orders nodes by score, then member bytes (Redis's sdscmp).
func zslLess(score float64, member string, n *zslNode) bool {
	return n.score < score || (n.score == score && n.member < member)
}

// randomLevel draws a level with P(level > k) = 0.25^k, Redis's
// distribution, from one splitmix64 output: two bits per level.
func (zsl *zskiplist) randomLevel() int {
	zsl.seed += 0x9e3779b97f4a7c15
	z := zsl.seed
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	level := 1
	for level < zslMaxLevel && z&3 == 0 {
		level++
		z >>= 2
	}
	return level
}

// insert adds a node; the caller has checked that member is absent.
func (zsl *zskiplist) insert(score float64, member string) *zslNode {
	var update [zslMaxLevel]*zslNode
	var rank [zslMaxLevel]int
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		if i != zsl.level-1 {
			rank[i] = rank[i+1]
		}
		for x.level[i].forward != nil && zslLess(score, member, x.level[i].forward) {
			rank[i] += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	level := zsl.randomLevel()
	if level > zsl.level {
		for i := zsl.level; i < level; i++ {
			rank[i] = 0
			update[i] = zsl.header
			update[i].level[i].span = zsl.length
		}
		zsl.level = level
	}
	x = newZslNode(member, score, level)
	for i := 0; i < level; i++ {
		x.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = x
		x.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	for i := level; i < zsl.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != zsl.header {
		x.backward = update[0]
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x
	} else {
		zsl.tail = x
	}
	zsl.length++
	return x
}

// newZslNode allocates a node with its levels in the same block for the
// common heights (a node is one cache miss away, as Redis's are).
func newZslNode(member string, score float64, level int) *zslNode {
	var n *zslNode
	switch level {
	case 1:
		b := &struct {
			zslNode
			lv [1]zslLevel
		}{}
		n = &b.zslNode
		n.level = b.lv[:]
	case 2:
		b := &struct {
			zslNode
			lv [2]zslLevel
		}{}
		n = &b.zslNode
		n.level = b.lv[:]
	case 3:
		b := &struct {
			zslNode
			lv [3]zslLevel
		}{}
		n = &b.zslNode
		n.level = b.lv[:]
	case 4:
		b := &struct {
			zslNode
			lv [4]zslLevel
		}{}
		n = &b.zslNode
		n.level = b.lv[:]
	default:
		n = &zslNode{level: make([]zslLevel, level)}
	}
	n.member, n.score = member, score
	return n
}

// deleteNode unlinks x given the rightmost node before it on every level.
func (zsl *zskiplist) deleteNode(x *zslNode, update *[zslMaxLevel]*zslNode) {
	for i := 0; i < zsl.level; i++ {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		zsl.tail = x.backward
	}
	for zsl.level > 1 && zsl.header.level[zsl.level-1].forward == nil {
		zsl.level--
	}
	zsl.length--
}

// findUpdate fills update with the rightmost node before (score, member)
// on every level and returns the node at that position, if any.
func (zsl *zskiplist) findUpdate(score float64, member string, update *[zslMaxLevel]*zslNode) *zslNode {
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && zslLess(score, member, x.level[i].forward) {
			x = x.level[i].forward
		}
		update[i] = x
	}
	return x.level[0].forward
}

// delete removes the node of (score, member) and reports whether it was
// there.
func (zsl *zskiplist) delete(score float64, member string) bool {
	var update [zslMaxLevel]*zslNode
	x := zsl.findUpdate(score, member, &update)
	if x != nil && x.score == score && x.member == member {
		zsl.deleteNode(x, &update)
		return true
	}
	return false
}

// updateScore moves the node of member from curScore to newScore, in place
// when its position does not change (Redis's zslUpdateScore). It returns
// the node now holding the member.
func (zsl *zskiplist) updateScore(curScore float64, member string, newScore float64) *zslNode {
	var update [zslMaxLevel]*zslNode
	x := zsl.findUpdate(curScore, member, &update)
	if (x.backward == nil || x.backward.score < newScore) &&
		(x.level[0].forward == nil || x.level[0].forward.score > newScore) {
		x.score = newScore
		return x
	}
	zsl.deleteNode(x, &update)
	n := zsl.insert(newScore, member)
	n.idx = x.idx
	return n
}

// rank is the 1-based rank of (score, member), 0 when absent.
func (zsl *zskiplist) rank(score float64, member string) int {
	rank := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil &&
			(x.level[i].forward.score < score ||
				(x.level[i].forward.score == score && x.level[i].forward.member <= member)) {
			rank += x.level[i].span
			x = x.level[i].forward
		}
		if x != zsl.header && x.member == member {
			return rank
		}
	}
	return 0
}

// byRank returns the node at 1-based rank, or nil.
func (zsl *zskiplist) byRank(rank int) *zslNode {
	traversed := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= rank {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == rank {
			if x == zsl.header {
				return nil
			}
			return x
		}
	}
	return nil
}

// first is the lowest node, or nil.
func (zsl *zskiplist) first() *zslNode { return zsl.header.level[0].forward }

// firstWhere returns the first node for which outside reports false,
// given that outside holds for a prefix of the list (a monotone predicate
// such as "below the range's minimum").
func (zsl *zskiplist) firstWhere(outside func(*zslNode) bool) *zslNode {
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && outside(x.level[i].forward) {
			x = x.level[i].forward
		}
	}
	return x.level[0].forward
}

// lastWhere returns the last node for which inside reports true, given
// that inside holds for a prefix of the list, or nil.
func (zsl *zskiplist) lastWhere(inside func(*zslNode) bool) *zslNode {
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && inside(x.level[i].forward) {
			x = x.level[i].forward
		}
	}
	if x == zsl.header {
		return nil
	}
	return x
}

// deleteFrom removes nodes from the first one for which before reports
// false (before holds for a prefix) while keep reports true, calling gone
// for each removed node. It returns how many it removed.
func (zsl *zskiplist) deleteFrom(before func(*zslNode) bool, keep func(*zslNode) bool, gone func(*zslNode)) int {
	var update [zslMaxLevel]*zslNode
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && before(x.level[i].forward) {
			x = x.level[i].forward
		}
		update[i] = x
	}
	x = x.level[0].forward
	removed := 0
	for x != nil && keep(x) {
		next := x.level[0].forward
		zsl.deleteNode(x, &update)
		gone(x)
		removed++
		x = next
	}
	return removed
}

// deleteRangeByRank removes the nodes of 1-based ranks start..end
// inclusive, calling gone for each, and returns how many it removed.
func (zsl *zskiplist) deleteRangeByRank(start, end int, gone func(*zslNode)) int {
	var update [zslMaxLevel]*zslNode
	traversed := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span < start {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	traversed++
	x = x.level[0].forward
	removed := 0
	for x != nil && traversed <= end {
		next := x.level[0].forward
		zsl.deleteNode(x, &update)
		gone(x)
		removed++
		traversed++
		x = next
	}
	return removed
}
