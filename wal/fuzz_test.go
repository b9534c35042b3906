package wal

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzDecodeRecord feeds arbitrary bytes to the record decoder: no input
// panics, and a record that decodes is exactly the encoding of its body
// (the version and type are the only ones known, and the CRC covers both
// and the body), so encoding what decoded gives the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	body := []byte("\x01\x00\x03\x03SET\x01k\x01v")
	f.Add(appendRecord(nil, body, recordCRC(recordVersion, recordData, body)))
	f.Add(appendRecord(nil, nil, recordCRC(recordVersion, recordData, nil)))
	f.Add([]byte{recordVersion, recordData, 0, 0, 0})
	f.Fuzz(func(t *testing.T, rec []byte) {
		body, kind, err := decodeRecord(rec)
		if err != nil {
			if kind == "" {
				t.Fatalf("error %v without a problem kind", err)
			}
			return
		}
		if kind != "" {
			t.Fatalf("kind %q without an error", kind)
		}
		again := appendRecord(nil, body, recordCRC(recordVersion, recordData, body))
		if !bytes.Equal(again, rec) {
			t.Fatalf("re-encoding %q gives %q", rec, again)
		}
	})
}

// FuzzNextEntry walks arbitrary bytes as a segment's contents the way the
// scan at start-up does (nextEntry, entry after entry): no input panics, a
// good entry never claims more bytes than there are, its body re-encodes to
// the entry's record, and a problem always has a kind and a description.
func FuzzNextEntry(f *testing.F) {
	var seg []byte
	for _, b := range []string{"a", "", "hello world"} {
		rec := appendRecord(nil, []byte(b), recordCRC(recordVersion, recordData, []byte(b)))
		seg = binary.AppendUvarint(seg, uint64(len(rec)))
		seg = append(seg, rec...)
	}
	f.Add(seg)
	f.Add(seg[:len(seg)-3])        // torn tail
	f.Add(append(seg, 0, 0, 0, 0)) // zero-filled tail
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		for off := 0; off < len(data); {
			body, n, bad := nextEntry(data[off:])
			if bad != nil {
				if bad.kind == "" || bad.reason == "" {
					t.Fatalf("problem at %d without kind or reason: %+v", off, bad)
				}
				return
			}
			if n <= 0 || n > len(data)-off {
				t.Fatalf("entry at %d claims %d of %d bytes", off, n, len(data)-off)
			}
			size, vn := binary.Uvarint(data[off:])
			rec := data[off+vn : off+n]
			if uint64(len(rec)) != size {
				t.Fatalf("entry at %d: record of %d bytes, prefix says %d", off, len(rec), size)
			}
			again := appendRecord(nil, body, recordCRC(recordVersion, recordData, body))
			if !bytes.Equal(again, rec) {
				t.Fatalf("entry at %d: re-encoding %q gives %q", off, rec, again)
			}
			off += n
		}
	})
}
