package streams

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
)

// Idempotent producers (Redis 8.6): XADD ... IDMP pid iid / IDMPAUTO pid and
// XCFGSET key [IDMP-DURATION s] [IDMP-MAXSIZE n].
//
// Each producer keeps its idempotent IDs (iids) in the order they were added,
// with the ID of the entry each one added. An iid is forgotten when it is
// older than the duration or when the producer holds more than the maximum
// size (the oldest goes first).
//
// Redis (t_stream.c) expires iids from a cron job: an iid goes once its
// entry's ID time is <= now - duration. Spool applies the same rule at the
// time of each lookup instead, so that whether an XADD is a duplicate
// depends only on the dedup state and the clock (never on when a cron job
// happened to run), and replaying the effects rebuilds the same answers.
// Because an iid's entry IDs grow with the order of insertion, the expired
// iids of a producer are always a prefix of its list; pruning that prefix
// early or late changes nothing a later lookup can see.

// IDMP limits and defaults (CONFIG_STREAM_IDMP_* in Redis).
const (
	IdmpMinDuration     = 1
	IdmpMaxDuration     = 86400
	IdmpDefaultDuration = 100
	IdmpMinMaxSize      = 1
	IdmpMaxMaxSize      = 10000
	IdmpDefaultMaxSize  = 100
)

// idmpEntry is one remembered iid and the ID of the entry it added.
type idmpEntry struct {
	iid string
	id  ID
}

// idmpProducer is one producer's iids, oldest first, indexed by iid.
type idmpProducer struct {
	entries []idmpEntry
	index   map[string]ID
}

// idmpState is a stream's dedup configuration, maps and counters. A nil
// *idmpState is a stream that never used IDMP nor XCFGSET.
type idmpState struct {
	durationSec int64
	maxSize     int64
	producers   map[string]*idmpProducer
	added       uint64 // iids-added
	duplicates  uint64 // iids-duplicates
}

func newIdmpState() *idmpState {
	return &idmpState{durationSec: IdmpDefaultDuration, maxSize: IdmpDefaultMaxSize,
		producers: map[string]*idmpProducer{}}
}

func (s *Stream) idmpInit() *idmpState {
	if s.idmp == nil {
		s.idmp = newIdmpState()
	}
	return s.idmp
}

// expired reports whether an iid that added entry id is past the window at
// nowMs (Redis's handleExpiredIdmpEntries: id.ms <= now - duration*1000).
func (st *idmpState) expired(id ID, nowMs int64) bool {
	limit := nowMs - st.durationSec*1000
	return limit >= 0 && id.Ms <= uint64(limit)
}

// prune drops p's expired iids (a prefix of its list).
func (st *idmpState) prune(p *idmpProducer, nowMs int64) {
	n := 0
	for n < len(p.entries) && st.expired(p.entries[n].id, nowMs) {
		delete(p.index, p.entries[n].iid)
		n++
	}
	if n > 0 {
		p.entries = slices.Delete(p.entries, 0, n)
	}
}

// IdmpLookup returns the ID of the entry that producer pid added with
// idempotent ID iid, if that iid is still remembered at nowMs. It changes
// nothing (see IdmpDuplicate).
func (s *Stream) IdmpLookup(pid, iid []byte, nowMs int64) (ID, bool) {
	if s.idmp == nil {
		return ID{}, false
	}
	p := s.idmp.producers[string(pid)]
	if p == nil {
		return ID{}, false
	}
	id, ok := p.index[string(iid)]
	if !ok || s.idmp.expired(id, nowMs) {
		return ID{}, false
	}
	return id, true
}

// IdmpDuplicate counts a refused duplicate (iids-duplicates). Like Redis,
// which neither marks the key dirty nor propagates a duplicate XADD, the
// count is a statistic: it is kept by snapshots but not by effects.
func (s *Stream) IdmpDuplicate() { s.idmpInit().duplicates++ }

// IdmpRecord remembers that producer pid added the entry id with idempotent
// ID iid: expired iids of the producer are dropped first (at nowMs), and the
// oldest ones beyond the maximum size after. The caller has checked with
// IdmpLookup that iid is not remembered.
func (s *Stream) IdmpRecord(pid, iid []byte, id ID, nowMs int64) {
	st := s.idmpInit()
	p := st.producers[string(pid)]
	if p == nil {
		p = &idmpProducer{index: map[string]ID{}}
		st.producers[string(pid)] = p
	}
	st.prune(p, nowMs)
	key := string(iid)
	if _, ok := p.index[key]; ok {
		// Only possible when the clock went backwards past an iid that a
		// lookup at a later time saw as expired; forget the old one.
		i := slices.IndexFunc(p.entries, func(e idmpEntry) bool { return e.iid == key })
		p.entries = slices.Delete(p.entries, i, i+1)
	}
	p.entries = append(p.entries, idmpEntry{iid: key, id: id})
	p.index[key] = id
	st.added++
	for int64(len(p.entries)) > st.maxSize {
		delete(p.index, p.entries[0].iid)
		p.entries = slices.Delete(p.entries, 0, 1)
	}
}

// IdmpConfig returns IDMP-DURATION (seconds) and IDMP-MAXSIZE.
func (s *Stream) IdmpConfig() (durationSec, maxSize int64) {
	if s.idmp == nil {
		return IdmpDefaultDuration, IdmpDefaultMaxSize
	}
	return s.idmp.durationSec, s.idmp.maxSize
}

// IdmpConfigure applies XCFGSET: a value < 0 is not given. Changing either
// value to a different one forgets every producer's iids (setting the same
// value again keeps them, as in Redis, so that producers may all call
// XCFGSET before they publish). It reports whether anything changed; the
// first call on a stream always does, since the stream then starts to show
// its idmp fields in XINFO STREAM.
func (s *Stream) IdmpConfigure(durationSec, maxSize int64) bool {
	changed := s.idmp == nil
	st := s.idmpInit()
	if durationSec >= 0 && durationSec != st.durationSec {
		st.durationSec = durationSec
		changed = true
	}
	if maxSize >= 0 && maxSize != st.maxSize {
		st.maxSize = maxSize
		changed = true
	}
	if changed {
		clear(st.producers)
	}
	return changed
}

// IdmpInfo holds the XINFO STREAM idmp fields.
type IdmpInfo struct {
	Duration       int64
	MaxSize        int64
	PidsTracked    int64 // producers with at least one iid remembered
	IidsTracked    int64 // iids remembered
	IidsAdded      uint64
	IidsDuplicates uint64
}

// IdmpInfo returns the idmp fields at nowMs, and false for a stream that
// never used IDMP or XCFGSET. Costs O(producers).
func (s *Stream) IdmpInfo(nowMs int64) (IdmpInfo, bool) {
	st := s.idmp
	if st == nil {
		return IdmpInfo{}, false
	}
	info := IdmpInfo{Duration: st.durationSec, MaxSize: st.maxSize,
		IidsAdded: st.added, IidsDuplicates: st.duplicates}
	for _, p := range st.producers {
		live := len(p.entries)
		// The expired iids are a prefix: find where the live ones start.
		first, _ := slices.BinarySearchFunc(p.entries, false, func(e idmpEntry, _ bool) int {
			if st.expired(e.id, nowMs) {
				return -1
			}
			return 1
		})
		live -= first
		if live > 0 {
			info.PidsTracked++
			info.IidsTracked += int64(live)
		}
	}
	return info, true
}

// IdmpAutoID is the idempotent ID IDMPAUTO derives from an entry's fields,
// built as Redis's createIdempotencyHash is: a 128-bit hash of each field
// name followed by its value, XORed over the pairs. So the order of the
// pairs does not matter, and, as in Redis, a pair hashes its field and
// value concatenated ("ab" "c" is the pair "a" "bc"). Redis uses XXH3-128;
// Spool uses the first 128 bits of SHA-256, which only the collisions can
// tell apart. The result is 16 raw bytes.
func IdmpAutoID(fieldsAndValues [][]byte) []byte {
	var acc [2]uint64
	for i := 0; i+1 < len(fieldsAndValues); i += 2 {
		h := sha256.New()
		h.Write(fieldsAndValues[i])
		h.Write(fieldsAndValues[i+1])
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		acc[0] ^= binary.LittleEndian.Uint64(sum[0:8])
		acc[1] ^= binary.LittleEndian.Uint64(sum[8:16])
	}
	out := make([]byte, 16)
	binary.LittleEndian.PutUint64(out[0:8], acc[0])
	binary.LittleEndian.PutUint64(out[8:16], acc[1])
	return out
}

// appendIdmp encodes the dedup state (see codec.go): a 0 byte when there is
// none, else 1, duration, max size, added, duplicates, and the producers
// sorted by name, each with its iids oldest first.
func (st *idmpState) appendBinary(dst []byte) []byte {
	if st == nil {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	dst = binary.AppendUvarint(dst, uint64(st.durationSec))
	dst = binary.AppendUvarint(dst, uint64(st.maxSize))
	dst = binary.AppendUvarint(dst, st.added)
	dst = binary.AppendUvarint(dst, st.duplicates)
	names := make([]string, 0, len(st.producers))
	for name, p := range st.producers {
		if len(p.entries) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	dst = binary.AppendUvarint(dst, uint64(len(names)))
	for _, name := range names {
		p := st.producers[name]
		dst = appendBytes(dst, []byte(name))
		dst = binary.AppendUvarint(dst, uint64(len(p.entries)))
		for _, e := range p.entries {
			dst = appendBytes(dst, []byte(e.iid))
			dst = appendID(dst, e.id)
		}
	}
	return dst
}

// decodeIdmp reads what appendBinary wrote.
func decodeIdmp(d *decoder) *idmpState {
	if len(d.b) == 0 {
		d.fail()
		return nil
	}
	flag := d.b[0]
	d.b = d.b[1:]
	if flag == 0 {
		return nil
	}
	st := newIdmpState()
	st.durationSec = int64(d.uvarint())
	st.maxSize = int64(d.uvarint())
	st.added = d.uvarint()
	st.duplicates = d.uvarint()
	if d.err == nil && (flag != 1 || st.durationSec < IdmpMinDuration || st.durationSec > IdmpMaxDuration ||
		st.maxSize < IdmpMinMaxSize || st.maxSize > IdmpMaxMaxSize) {
		d.fail()
		return nil
	}
	nproducers := d.count()
	for i := 0; i < nproducers && d.err == nil; i++ {
		name := string(d.bytes())
		n := d.count()
		p := &idmpProducer{entries: make([]idmpEntry, 0, n), index: make(map[string]ID, n)}
		for j := 0; j < n && d.err == nil; j++ {
			iid := string(d.bytes())
			id := d.id()
			if _, dup := p.index[iid]; dup {
				d.fail()
				break
			}
			p.entries = append(p.entries, idmpEntry{iid: iid, id: id})
			p.index[iid] = id
		}
		st.producers[name] = p
	}
	if d.err != nil {
		return nil
	}
	return st
}

// IdmpDump renders the dedup state for state comparisons in tests (DEBUG
// and replay checks): the configuration, iids-added and every remembered
// iid with its entry ID, producers sorted. iids-duplicates is left out (a
// statistic that effects do not carry), and so is time: iids are shown
// until pruned. Empty for a stream that never used IDMP or XCFGSET.
func (s *Stream) IdmpDump() string {
	st := s.idmp
	if st == nil {
		return ""
	}
	var b []byte
	b = fmt.Appendf(b, " idmp=[duration=%d maxsize=%d added=%d", st.durationSec, st.maxSize, st.added)
	names := make([]string, 0, len(st.producers))
	for name, p := range st.producers {
		if len(p.entries) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		b = fmt.Appendf(b, " %q:", name)
		for _, e := range st.producers[name].entries {
			b = fmt.Appendf(b, " %q=%v", e.iid, e.id)
		}
		b = append(b, ';')
	}
	return string(append(b, ']'))
}
