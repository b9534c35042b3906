package streams

import "math"

// NodeLimits are Redis's stream-node-max-entries and stream-node-max-bytes,
// passed on every call that may start a node because CONFIG SET can change
// them at any time. MaxEntries <= 0 means no entry limit; MaxBytes <= 0
// means no byte limit beyond Redis's own 1 GiB cap.
type NodeLimits struct {
	MaxEntries int
	MaxBytes   int
}

// DefaultNodeLimits are the redis.conf defaults.
var DefaultNodeLimits = NodeLimits{MaxEntries: 100, MaxBytes: 4096}

// Entry is one stream entry. Fields alternates field names and values.
type Entry struct {
	ID     ID
	Fields [][]byte
}

// Stream is the entry log of one stream key: an append-only sequence of
// entries in blocks that mirror Redis's rax of listpacks node for node, plus
// the counters XINFO STREAM reports.
//
// A Stream is not safe for concurrent use: every method needs the keyspace
// lock (the caller holds it). The stream owns its consumer groups (see
// group.go); they refer to entries by ID only, so entries are stored once
// whatever the number of groups.
type Stream struct {
	// blocks are ordered by first ID. Every entry of blocks[i] sorts before
	// blocks[i+1].first, so a binary search on first finds an entry's block.
	blocks []*block

	length       uint64 // live entries
	lastID       ID     // last-generated-id
	firstID      ID     // recorded-first-entry-id
	maxDeletedID ID     // max-deleted-entry-id
	entriesAdded uint64 // entries-added

	groups []*Group // consumer groups, sorted by name

	idmp *idmpState // idempotent producers (idmp.go); nil until used

	// scratch buffers reused by iteration so that Range does not allocate.
	fieldsBuf  [][]byte
	masterBuf  [][]byte
	offsetsBuf []int
}

// New returns an empty stream.
func New() *Stream { return &Stream{} }

// Len returns the number of entries (XLEN).
func (s *Stream) Len() uint64 { return s.length }

// LastID returns the last generated ID (last-generated-id), 0-0 for a stream
// that never had an entry. It may be greater than any entry's ID after
// deletions or XSETID.
func (s *Stream) LastID() ID { return s.lastID }

// FirstID returns recorded-first-entry-id: the ID of the first entry, or 0-0
// when the stream is empty.
func (s *Stream) FirstID() ID { return s.firstID }

// MaxDeletedID returns max-deleted-entry-id: the greatest ID removed by
// XDEL (trimming does not count), or what XSETID set; 0-0 if none.
func (s *Stream) MaxDeletedID() ID { return s.maxDeletedID }

// EntriesAdded returns entries-added: every entry ever added, or what
// XSETID set.
func (s *Stream) EntriesAdded() uint64 { return s.entriesAdded }

// NodeCount returns radix-tree-keys: the number of Redis nodes (blocks).
func (s *Stream) NodeCount() int { return len(s.blocks) }

// Info holds the XINFO STREAM counters.
type Info struct {
	Length               uint64
	RadixTreeKeys        int
	RadixTreeNodes       int
	LastGeneratedID      ID
	MaxDeletedEntryID    ID
	EntriesAdded         uint64
	RecordedFirstEntryID ID
}

// Info returns the XINFO STREAM counters. RadixTreeNodes costs
// O(NodeCount), the rest O(1).
func (s *Stream) Info() Info {
	return Info{
		Length:               s.length,
		RadixTreeKeys:        len(s.blocks),
		RadixTreeNodes:       s.RaxNodeCount(),
		LastGeneratedID:      s.lastID,
		MaxDeletedEntryID:    s.maxDeletedID,
		EntriesAdded:         s.entriesAdded,
		RecordedFirstEntryID: s.firstID,
	}
}

// NextAutoID returns the ID "*" generates at time nowMs (t_stream.c
// streamNextID): nowMs-0 if the clock is past the last ID's time, otherwise
// the successor of the last ID, so IDs keep increasing when the clock goes
// backwards. It returns ErrStreamExhausted when the last ID is MaxID.
func (s *Stream) NextAutoID(nowMs uint64) (ID, error) {
	if s.lastID == MaxID {
		return ID{}, ErrStreamExhausted
	}
	if nowMs > s.lastID.Ms {
		return ID{Ms: nowMs}, nil
	}
	id, _ := s.lastID.Next()
	return id, nil
}

// ResolveAddID returns the ID an XADD with this ID argument gives its entry
// at time nowMs, or the error XADD replies with, checked in Redis's order:
// ErrIDZero (explicit 0-0), ErrStreamExhausted (last ID is MaxID, any form),
// ErrSeqExhausted ("ms-*" on a full sequence), ErrIDTooSmall.
func (s *Stream) ResolveAddID(spec AddIDSpec, nowMs uint64) (ID, error) {
	if err := spec.Validate(); err != nil {
		return ID{}, err
	}
	if s.lastID == MaxID {
		return ID{}, ErrStreamExhausted
	}
	var id ID
	switch spec.Kind {
	case AddIDAuto:
		return s.NextAutoID(nowMs)
	case AddIDAutoSeq:
		id = ID{Ms: spec.ID.Ms}
		if s.lastID.Ms == id.Ms {
			if s.lastID.Seq == math.MaxUint64 {
				return ID{}, ErrSeqExhausted
			}
			id.Seq = s.lastID.Seq + 1
		}
	default:
		id = spec.ID
	}
	if !s.lastID.Less(id) {
		return ID{}, ErrIDTooSmall
	}
	return id, nil
}

// Append resolves spec at time nowMs and adds the entry: XADD without
// trimming. It returns the new ID or an error of ResolveAddID or Add.
func (s *Stream) Append(spec AddIDSpec, fieldsAndValues [][]byte, nowMs uint64, limits NodeLimits) (ID, error) {
	id, err := s.ResolveAddID(spec, nowMs)
	if err != nil {
		return ID{}, err
	}
	return id, s.Add(id, fieldsAndValues, limits)
}

// Add appends an entry with the given id, which must be greater than LastID
// (ErrIDTooSmall otherwise). fieldsAndValues alternates field names and
// values (an odd count is a programming error and panics) and is copied.
// It returns ErrElementsTooLarge if the fields and
// values add up to more than 1 GiB, as Redis does. The entry goes into the
// last block unless that block is full by Redis's rules (streamAppendItem):
// its listpack size plus the raw size of the new fields and values reaches
// MaxBytes, or it holds MaxEntries entries counting deleted ones.
func (s *Stream) Add(id ID, fieldsAndValues [][]byte, limits NodeLimits) error {
	fv := fieldsAndValues
	if len(fv)%2 != 0 {
		panic("streams: Add needs field-value pairs")
	}
	if !s.lastID.Less(id) {
		return ErrIDTooSmall
	}
	rawLen := 0
	for _, b := range fv {
		rawLen += len(b)
	}
	if rawLen > streamListpackMaxSize {
		return ErrElementsTooLarge
	}

	var tail *block
	if n := len(s.blocks); n > 0 {
		tail = s.blocks[n-1]
		maxBytes := limits.MaxBytes
		if maxBytes <= 0 || maxBytes > streamListpackMaxSize {
			maxBytes = streamListpackMaxSize
		}
		if tail.lpSize()+rawLen >= maxBytes ||
			(limits.MaxEntries > 0 && tail.total() >= limits.MaxEntries) {
			tail.shrink()
			tail = nil
		}
	}
	if tail == nil {
		s.blocks = append(s.blocks, newBlock(id, fv, blockCapHint(fv, limits, s.entriesAdded == 0)))
	} else {
		tail.appendEntry(id, fv, tail.sameFields(fv))
	}

	s.length++
	s.entriesAdded++
	s.lastID = id
	if s.length == 1 {
		s.firstID = id
	}
	return nil
}

// blockCapHint guesses the final size of a new block from its first entry
// (as if every entry took one byte each for flags and the two ID deltas),
// so that filling a block usually takes one allocation. A new stream's
// first block is sized for its first entry only and grows by append: most
// streams that stay small (a key per job or per user) hold a few entries,
// and reserving a full node for each cost 1.7-4.4 KB per stream.
func blockCapHint(fv [][]byte, limits NodeLimits, firstInStream bool) int {
	perEntry := 3
	for i := 1; i < len(fv); i += 2 {
		perEntry += 1 + len(fv[i])
	}
	header := 1
	for i := 0; i < len(fv); i += 2 {
		header += 1 + len(fv[i])
	}
	if firstInStream {
		return header + perEntry
	}
	n := limits.MaxEntries
	if n <= 0 || n > 128 {
		n = 128
	}
	hint := header + n*perEntry
	if hint > 4096 {
		hint = max(4096, header+perEntry)
	}
	return hint
}

// blockFor returns the index of the block that would hold id: the last block
// whose first ID is <= id, or -1 if id sorts before every block.
func (s *Stream) blockFor(id ID) int {
	lo, hi := 0, len(s.blocks) // invariant: blocks[:lo] <= id < blocks[hi:]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if id.Less(s.blocks[m].first) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

// Get returns the entry with this ID, or false if there is none (never
// added, deleted or trimmed). The returned Fields slice is the caller's; the
// byte slices in it are shared with the stream and must not be modified.
func (s *Stream) Get(id ID) (Entry, bool) {
	i := s.blockFor(id)
	if i < 0 {
		return Entry{}, false
	}
	b := s.blocks[i]
	h, ok := b.findLive(id)
	if !ok {
		return Entry{}, false
	}
	return b.entry(h), true
}

// Contains reports whether an entry with this ID exists (streamEntryExists).
func (s *Stream) Contains(id ID) bool {
	i := s.blockFor(id)
	if i < 0 {
		return false
	}
	_, ok := s.blocks[i].findLive(id)
	return ok
}

// entry materialises the entry with header h with its own Fields slice.
func (b *block) entry(h entryHeader) Entry {
	var master [][]byte
	if h.flags&flagSameFields != 0 {
		master = b.appendMaster(make([][]byte, 0, b.nmaster))
	}
	return Entry{ID: h.id, Fields: b.appendFields(h, master, nil)}
}

// FirstEntryID returns the ID of the first entry, or false if the stream is
// empty.
func (s *Stream) FirstEntryID() (ID, bool) {
	for _, b := range s.blocks {
		if h, ok := b.firstLive(); ok {
			return h.id, true
		}
	}
	return ID{}, false
}

// HeadNodeID returns the master ID of the first node, the ID of its first
// entry whether deleted or not (Redis's streamGetEdgeID with tombstones), and
// false when the stream has no node. An exact MINID trim at this ID removes
// every node before the first one and nothing else, which is how Redis (and
// Spool's effects) turn an approximate or limited trim into one that replays
// to the same nodes.
func (s *Stream) HeadNodeID() (ID, bool) {
	if len(s.blocks) == 0 {
		return ID{}, false
	}
	return s.blocks[0].first, true
}

// LastEntryID returns the ID of the last entry, or false if the stream is
// empty. It can be smaller than LastID (streamLastValidID).
func (s *Stream) LastEntryID() (ID, bool) {
	for i := len(s.blocks) - 1; i >= 0; i-- {
		if h, ok := s.blocks[i].lastLive(); ok {
			return h.id, true
		}
	}
	return ID{}, false
}

// FirstEntry returns the first entry, or false if the stream is empty.
// Fields is as for Get.
func (s *Stream) FirstEntry() (Entry, bool) {
	for _, b := range s.blocks {
		if h, ok := b.firstLive(); ok {
			return b.entry(h), true
		}
	}
	return Entry{}, false
}

// LastEntry returns the last entry, or false if the stream is empty.
// Fields is as for Get.
func (s *Stream) LastEntry() (Entry, bool) {
	for i := len(s.blocks) - 1; i >= 0; i-- {
		b := s.blocks[i]
		if h, ok := b.lastLive(); ok {
			return b.entry(h), true
		}
	}
	return Entry{}, false
}

// Range calls fn for the entries with start <= ID <= end, in ID order or in
// reverse order, until count entries were visited (count <= 0: no limit) or
// fn returns false, and returns how many entries fn was called with. An
// empty range (start > end) or stream visits nothing. The cost is
// O(log blocks) to find the first block plus a scan of the blocks visited.
//
// Within fn, e.Fields is a buffer reused for the next entry; the byte slices
// in it are shared with the stream, never change, and must not be modified.
// fn must not modify the stream or call Range on it (Get is fine).
func (s *Stream) Range(start, end ID, count int, reverse bool, fn func(e Entry) bool) int {
	if end.Less(start) || s.length == 0 {
		return 0
	}
	if reverse {
		return s.rangeReverse(start, end, count, fn)
	}
	n := 0
	i := max(s.blockFor(start), 0)
	for ; i < len(s.blocks); i++ {
		b := s.blocks[i]
		if end.Less(b.first) {
			break
		}
		if b.live == 0 || b.last.Less(start) {
			continue
		}
		s.masterBuf = b.appendMaster(s.masterBuf[:0])
		for off := b.seek(start); off < len(b.data); {
			h := b.readHeader(off)
			off = b.skipBody(h)
			if h.flags&flagDeleted != 0 {
				continue
			}
			if end.Less(h.id) {
				return n
			}
			s.fieldsBuf = b.appendFields(h, s.masterBuf, s.fieldsBuf[:0])
			n++
			if !fn(Entry{ID: h.id, Fields: s.fieldsBuf}) || n == count {
				return n
			}
		}
	}
	return n
}

func (s *Stream) rangeReverse(start, end ID, count int, fn func(e Entry) bool) int {
	n := 0
	for i := s.blockFor(end); i >= 0; i-- {
		b := s.blocks[i]
		if b.last.Less(start) {
			break
		}
		if b.live == 0 {
			continue
		}
		s.masterBuf = b.appendMaster(s.masterBuf[:0])
		s.offsetsBuf = b.liveOffsets(end, s.offsetsBuf[:0])
		for j := len(s.offsetsBuf) - 1; j >= 0; j-- {
			h := b.readHeader(s.offsetsBuf[j])
			if h.id.Less(start) {
				return n
			}
			s.fieldsBuf = b.appendFields(h, s.masterBuf, s.fieldsBuf[:0])
			n++
			if !fn(Entry{ID: h.id, Fields: s.fieldsBuf}) || n == count {
				return n
			}
		}
	}
	return n
}

// Delete removes the entry with this ID (XDEL) and reports whether it
// existed. As in Redis the entry is only flagged in its block, and the block
// goes away when its last live entry does. It updates max-deleted-entry-id
// and, when the first entry goes, recorded-first-entry-id.
func (s *Stream) Delete(id ID) bool {
	i := s.blockFor(id)
	if i < 0 {
		return false
	}
	b := s.blocks[i]
	h, ok := b.findLive(id)
	if !ok {
		return false
	}
	b.markDeleted(h, b.skipBody(h))
	if b.live == 0 {
		s.removeBlock(i)
	}
	s.length--
	if s.maxDeletedID.Less(id) {
		s.maxDeletedID = id
	}
	// XDEL refreshes first_id once per command if any deleted ID was the
	// recorded first one; doing it per ID gives the same result because the
	// recorded first ID is always the first live entry.
	if s.length == 0 {
		s.firstID = ID{}
	} else if id == s.firstID {
		s.firstID, _ = s.FirstEntryID()
	}
	return true
}

// removeBlock drops blocks[i]. Dropping the first block, the common case
// (trimming, queues deleting their oldest entries), only reslices.
func (s *Stream) removeBlock(i int) {
	s.blocks[i] = nil
	if i == 0 {
		s.blocks = s.blocks[1:]
		return
	}
	copy(s.blocks[i:], s.blocks[i+1:])
	s.blocks[len(s.blocks)-1] = nil
	s.blocks = s.blocks[:len(s.blocks)-1]
}

// SetID applies XSETID: the last generated ID, and entries-added and
// max-deleted-entry-id when given. entriesAdded < 0 means not given; a
// maxDeletedID of 0-0 means not given (as in Redis). Errors, in Redis
// 7.0.15's order: ErrSetIDBelowMaxDeleted (lastID < maxDeletedID),
// ErrSetIDTooSmall (lastID < the last entry's ID), ErrSetIDEntriesAdded
// (entriesAdded < Len). On an empty stream any lastID is accepted, even one
// below the current LastID or max-deleted-entry-id, as Redis 7.0.15 does.
func (s *Stream) SetID(lastID ID, entriesAdded int64, maxDeletedID ID) error {
	if lastID.Less(maxDeletedID) {
		return ErrSetIDBelowMaxDeleted
	}
	if s.length > 0 {
		top, _ := s.LastEntryID()
		if lastID.Less(top) {
			return ErrSetIDTooSmall
		}
		if entriesAdded >= 0 && s.length > uint64(entriesAdded) {
			return ErrSetIDEntriesAdded
		}
	}
	s.lastID = lastID
	if entriesAdded >= 0 {
		s.entriesAdded = uint64(entriesAdded)
	}
	if !maxDeletedID.IsZero() {
		s.maxDeletedID = maxDeletedID
	}
	return nil
}
