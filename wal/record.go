package wal

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// A record is the payload of one tidwall/wal entry:
//
//	offset 0: version (recordVersion)
//	offset 1: type (recordData)
//	offset 2: CRC32-C (Castagnoli), little endian, over bytes 0..1 and the body
//	offset 6: body, opaque to this package
//
// tidwall/wal frames each entry as uvarint(length) + payload and has no
// checksum of its own: the CRC is what tells a flipped bit from data.
const (
	recordVersion    = 1
	recordData       = 1
	recordHeaderSize = 6
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// recordCRC is the checksum of a record with the given version, type and body.
func recordCRC(version, typ byte, body []byte) uint32 {
	crc := crc32.Update(0, castagnoli, []byte{version, typ})
	return crc32.Update(crc, castagnoli, body)
}

// appendRecord appends the record for body, whose checksum is crc
// (recordCRC(recordVersion, recordData, body)), to dst.
func appendRecord(dst, body []byte, crc uint32) []byte {
	dst = append(dst, recordVersion, recordData)
	dst = binary.LittleEndian.AppendUint32(dst, crc)
	return append(dst, body...)
}

// decodeRecord checks a record and returns its body (a sub-slice of rec).
// The error says what is wrong, for a corruption report.
func decodeRecord(rec []byte) (body []byte, kind ProblemKind, err error) {
	if len(rec) == 0 {
		return nil, ProblemEmpty, fmt.Errorf("empty entry")
	}
	if len(rec) < recordHeaderSize {
		return nil, ProblemHeader, fmt.Errorf("record of %d bytes is shorter than its %d-byte header", len(rec), recordHeaderSize)
	}
	if rec[0] != recordVersion {
		return nil, ProblemHeader, fmt.Errorf("unknown record version %d", rec[0])
	}
	if rec[1] != recordData {
		return nil, ProblemHeader, fmt.Errorf("unknown record type %d", rec[1])
	}
	want := binary.LittleEndian.Uint32(rec[2:])
	if got := recordCRC(rec[0], rec[1], rec[recordHeaderSize:]); got != want {
		return nil, ProblemChecksum, fmt.Errorf("checksum mismatch: stored %08x, computed %08x", want, got)
	}
	return rec[recordHeaderSize:], "", nil
}

// entrySize is the number of bytes tidwall/wal's binary format uses for an
// entry whose payload is n bytes long.
func entrySize(n int) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], uint64(n)) + n
}
