package commands

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/spool-dev/spool/streams"
)

// The snapshot form of the dataset: every database's keys with their TTLs
// and values. Streams (with their groups) encode themselves, node for node,
// so that a restored stream trims exactly as the original would.
//
//	uvarint databases
//	per database: uvarint index, uvarint keys, then per key:
//	  byte type, uvarint len + key, varint expireAt, value
//	  string: uvarint len + bytes, byte flags (1 raw, 2 plain)
//	  stream: the streams encoding (self-delimiting)
//	  list, hash: see snapshot_list_hash.go
//	  set, zset: see snapshot_sets.go

const (
	snapString byte = 1
	snapStream byte = 2
)

var errBadSnapshot = errors.New("commands: malformed snapshot")

// AppendSnapshot appends the whole dataset to dst. The caller holds the
// keyspace lock.
func (e *Engine) AppendSnapshot(dst []byte) ([]byte, error) {
	c, err := e.CaptureSnapshot()
	if err != nil {
		return nil, err
	}
	return c.AppendTo(dst), nil
}

// SnapshotCapture is a point-in-time copy of the dataset, taken under the
// keyspace lock and encoded after it is released: everything but streams is
// encoded at capture; streams are frozen (their node bytes shared
// copy-on-write) and encoded by AppendTo, so the pause under the lock grows
// with the number of keys and stream nodes, not with the number of entries.
type SnapshotCapture struct {
	head    []byte
	streams []capturedStream
}

type capturedStream struct {
	at     int // offset in head where the stream's encoding goes
	frozen *streams.Frozen
}

// AppendTo appends the snapshot encoding to dst. It needs no lock.
func (c *SnapshotCapture) AppendTo(dst []byte) []byte {
	from := 0
	for _, st := range c.streams {
		dst = append(dst, c.head[from:st.at]...)
		dst = st.frozen.AppendBinary(dst) // self-delimiting: no length
		from = st.at
	}
	return append(dst, c.head[from:]...)
}

// CaptureSnapshot copies the dataset for a snapshot. The caller holds the
// keyspace lock.
func (e *Engine) CaptureSnapshot() (*SnapshotCapture, error) {
	c := &SnapshotCapture{}
	dst := binary.AppendUvarint(nil, uint64(len(e.Keys.DBs)))
	for _, db := range e.Keys.DBs {
		dst = binary.AppendUvarint(dst, uint64(db.ID))
		dst = binary.AppendUvarint(dst, uint64(len(db.entries)))
		for _, en := range db.entries {
			switch v := en.value.(type) {
			case *stringValue:
				dst = append(dst, snapString)
				dst = appendBytes(dst, []byte(en.key))
				dst = binary.AppendVarint(dst, en.expireAt)
				dst = appendBytes(dst, v.b)
				var flags byte
				if v.raw {
					flags |= 1
				}
				if v.plain {
					flags |= 2
				}
				dst = append(dst, flags)
			case *streams.Stream:
				dst = append(dst, snapStream)
				dst = appendBytes(dst, []byte(en.key))
				dst = binary.AppendVarint(dst, en.expireAt)
				c.streams = append(c.streams, capturedStream{at: len(dst), frozen: v.Freeze()})
			case *listValue:
				dst = appendListSnapshot(appendSnapKey(dst, snapList, en), v)
			case *hashValue:
				dst = appendHashSnapshot(appendSnapKey(dst, snapHash, en), v)
			case *setObject:
				dst = appendBytes(appendSnapKey(dst, snapSet, en), appendSetSnapshot(nil, v))
			case *zsetObject:
				dst = appendBytes(appendSnapKey(dst, snapZset, en), appendZsetSnapshot(nil, v))
			default:
				return nil, fmt.Errorf("commands: snapshot: key %q has unknown type %T", en.key, v)
			}
		}
	}
	c.head = dst
	return c, nil
}

// LoadSnapshot replaces the dataset with the one encoded in b. The caller
// holds the keyspace lock.
func (e *Engine) LoadSnapshot(b []byte) error {
	r := snapReader{b: b, limits: e.Settings.Encoding}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(b)) {
		return errBadSnapshot
	}
	ks := NewKeyspace(len(e.Keys.DBs))
	now := e.nowMs()
	for i := uint64(0); i < n; i++ {
		idx := r.uvarint()
		keys := r.uvarint()
		if r.err != nil || idx >= uint64(len(ks.DBs)) {
			return fmt.Errorf("commands: snapshot holds database %d; the server has %d: %w", idx, len(ks.DBs), errBadSnapshot)
		}
		db := ks.DBs[idx]
		for k := uint64(0); k < keys && r.err == nil; k++ {
			typ := r.byte()
			key := string(r.bytes())
			expireAt := r.varint()
			var value any
			switch typ {
			case snapString:
				sv := &stringValue{b: append([]byte(nil), r.bytes()...)}
				flags := r.byte()
				sv.raw, sv.plain = flags&1 != 0, flags&2 != 0
				value = sv
			case snapStream:
				st, rest, err := streams.DecodeStreamFrom(r.b)
				if err != nil {
					return fmt.Errorf("commands: snapshot: stream %q: %w", key, err)
				}
				r.b = rest
				value = st
			case snapList:
				value = r.list()
			case snapHash:
				value = r.hash()
			case snapSet:
				set, err := decodeSetSnapshot(r.bytes(), r.limits)
				if err != nil {
					return fmt.Errorf("commands: snapshot: set %q: %w", key, err)
				}
				value = set
			case snapZset:
				z, err := decodeZsetSnapshot(r.bytes(), r.limits)
				if err != nil {
					return fmt.Errorf("commands: snapshot: sorted set %q: %w", key, err)
				}
				value = z
			default:
				return fmt.Errorf("commands: snapshot: key %q has unknown type %d: %w", key, typ, errBadSnapshot)
			}
			if r.err != nil {
				break
			}
			en := db.add(key, value, now)
			if expireAt != 0 {
				db.setExpire(en, expireAt)
			}
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return errBadSnapshot
	}
	e.Keys = ks
	return nil
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// snapReader decodes the snapshot, remembering the first error.
type snapReader struct {
	b   []byte
	err error
	// limits decide the encodings of loaded values, as the config does
	// for Redis's RDB load.
	limits EncodingLimits
}

func (r *snapReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadSnapshot
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadSnapshot
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errBadSnapshot
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *snapReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadSnapshot
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}
