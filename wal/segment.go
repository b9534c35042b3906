package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// This file reads tidwall/wal v1.2.1's on-disk layout directly, because the
// library refuses to open a log with a torn tail and has no checksums. The
// assumptions, checked by format_test.go against the library itself:
//
//   - A segment file is named by the index of its first entry, as 20 decimal
//     digits ("%020d"); lexical order is index order. Index 0 is not a segment.
//   - The binary format (the default, and what Open asks for) stores each
//     entry as uvarint(len(data)) followed by data; entry k of a segment has
//     index name+k. Nothing else is in the file: no header, no index.
//   - Only the last segment is parsed at open; a length running past the end
//     of it is ErrCorrupt, and a zero byte parses as an empty entry.
//   - TruncateFront writes the kept part of a segment to "NAME.START" (via
//     "NAME.START.TEMP"), deletes the older segments and renames START to NAME;
//     TruncateBack does the same with ".END". At open, a leftover START means
//     "delete every segment before it and rename it", an END "delete every
//     segment after it and rename it".
//   - Appending cycles to a new segment (named LastIndex+1) once the tail has
//     reached SegmentSize bytes, checked before a batch (tail > size) and after
//     each entry (tail >= size); see segmentTracker.

// segmentNameLen is the length of a segment file name.
const segmentNameLen = 20

func segmentName(first uint64) string { return fmt.Sprintf("%020d", first) }

// segmentFile is one segment of the log directory.
type segmentFile struct {
	path  string
	first uint64 // index (sequence number) of its first record
}

// parseSegmentName returns the index a tidwall segment file name starts with
// and the suffix after it ("" for a segment, ".START", ".END"), or ok=false
// when tidwall would ignore the file.
func parseSegmentName(name string) (first uint64, suffix string, ok bool) {
	if len(name) < segmentNameLen {
		return 0, "", false
	}
	first, err := strconv.ParseUint(name[:segmentNameLen], 10, 64)
	if err != nil || first == 0 {
		return 0, "", false
	}
	suffix = name[segmentNameLen:]
	switch suffix {
	case "", ".START", ".END":
		return first, suffix, true
	}
	return 0, "", false
}

// listSegments returns the segments of a log directory in index order. It
// fails if an unfinished TruncateFront/TruncateBack left a START or END file:
// finishPendingTruncation must run first.
func listSegments(logDir string) ([]segmentFile, error) {
	entries, err := os.ReadDir(logDir)
	if err != nil {
		return nil, err
	}
	var segs []segmentFile
	for _, e := range entries {
		first, suffix, ok := parseSegmentName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		if suffix != "" {
			return nil, fmt.Errorf("wal: unfinished truncation file %s", filepath.Join(logDir, e.Name()))
		}
		segs = append(segs, segmentFile{path: filepath.Join(logDir, e.Name()), first: first})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].first < segs[j].first })
	return segs, nil
}

// finishPendingTruncation completes a TruncateFront or TruncateBack that a
// crash interrupted, the way tidwall/wal's own open would, so that the repair
// scan sees the segments tidwall will use. It reports what it did.
func finishPendingTruncation(fs fsys, logDir string) ([]string, error) {
	entries, err := os.ReadDir(logDir) // sorted by name, as tidwall reads them
	if err != nil {
		return nil, err
	}
	type item struct {
		name  string
		first uint64
	}
	var items []item
	startIdx, endIdx := -1, -1
	for _, e := range entries {
		first, suffix, ok := parseSegmentName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		if suffix == ".START" {
			startIdx = len(items)
		} else if suffix == ".END" && endIdx == -1 {
			endIdx = len(items)
		}
		items = append(items, item{e.Name(), first})
	}
	if startIdx == -1 && endIdx == -1 {
		return nil, nil
	}
	if startIdx != -1 && endIdx != -1 {
		return nil, &CorruptionError{File: logDir, Offset: -1, Kind: ProblemLayout,
			Reason: "both a .START and an .END truncation file are present"}
	}
	var done []string
	path := func(name string) string { return filepath.Join(logDir, name) }
	if startIdx != -1 {
		for _, it := range items[:startIdx] {
			if err := fs.remove(path(it.name)); err != nil {
				return done, err
			}
			done = append(done, "removed "+it.name+" (before an interrupted TruncateFront)")
		}
		name := items[startIdx].name
		final := strings.TrimSuffix(name, ".START")
		if err := fs.rename(path(name), path(final)); err != nil {
			return done, err
		}
		done = append(done, "renamed "+name+" to "+final)
	} else {
		for i := len(items) - 1; i > endIdx; i-- {
			if err := fs.remove(path(items[i].name)); err != nil {
				return done, err
			}
			done = append(done, "removed "+items[i].name+" (after an interrupted TruncateBack)")
		}
		name := items[endIdx].name
		final := strings.TrimSuffix(name, ".END")
		if err := fs.rename(path(name), path(final)); err != nil {
			return done, err
		}
		done = append(done, "renamed "+name+" to "+final)
	}
	return done, fs.syncDir(logDir)
}

// entryProblem says why the entry at the start of data is unusable.
type entryProblem struct {
	kind   ProblemKind
	reason string
}

// nextEntry parses the tidwall entry at the start of data and checks the
// record in it. It returns the record body and the entry's length in bytes,
// or what is wrong with it.
func nextEntry(data []byte) (body []byte, n int, bad *entryProblem) {
	size, vn := binary.Uvarint(data)
	if vn == 0 {
		return nil, 0, &entryProblem{ProblemTorn, fmt.Sprintf("length prefix cut off by the end of the file (%d bytes left)", len(data))}
	}
	if vn < 0 {
		return nil, 0, &entryProblem{ProblemGarbage, "length prefix is not a valid uvarint"}
	}
	if size > uint64(len(data)-vn) {
		return nil, 0, &entryProblem{ProblemTorn, fmt.Sprintf("entry of %d bytes runs past the end of the file (%d bytes left)", size, len(data)-vn)}
	}
	n = vn + int(size)
	body, kind, err := decodeRecord(data[vn:n])
	if err != nil {
		if kind == ProblemEmpty && allZero(data) {
			return nil, 0, &entryProblem{ProblemZeroFilled, fmt.Sprintf("%d zero bytes up to the end of the file", len(data))}
		}
		return nil, 0, &entryProblem{kind, err.Error()}
	}
	return body, n, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// segmentScan is the result of reading one segment file.
type segmentScan struct {
	segmentFile
	size    int64
	records uint64 // good records before the first bad one
	goodEnd int64  // offset just after the last good record
	offsets []int64
	bad     *entryProblem // first bad entry (at goodEnd), nil if none
	// validAfterBad is the offset of a valid record found after the bad one,
	// -1 if none: a bad entry followed by good ones is not a torn tail.
	validAfterBad int64
}

// scanSegment reads a segment and checks every record in it. With offsets
// set it also records each record's offset (recovery needs them).
func scanSegment(seg segmentFile, offsets bool) (*segmentScan, error) {
	data, err := os.ReadFile(seg.path)
	if err != nil {
		return nil, fmt.Errorf("wal: read segment: %w", err)
	}
	s := &segmentScan{segmentFile: seg, size: int64(len(data)), validAfterBad: -1}
	off := 0
	for off < len(data) {
		_, n, bad := nextEntry(data[off:])
		if bad != nil {
			s.bad = bad
			s.validAfterBad = findValidRecord(data, off+1)
			if newerFormat(data[off:]) {
				// Not a torn tail: records of a format this version does not
				// know (a downgrade). Cutting them would drop the log.
				s.bad = &entryProblem{ProblemHeader, fmt.Sprintf("record version %d: written by a newer version of this program", data[off+uvarintLen(data[off:])])}
				s.validAfterBad = int64(off)
			}
			break
		}
		if offsets {
			s.offsets = append(s.offsets, int64(off))
		}
		off += n
		s.records++
	}
	s.goodEnd = int64(off)
	return s, nil
}

// findValidRecord looks for a well-formed record with a good checksum that
// starts anywhere at or after from, and returns its offset or -1. Random or
// zero bytes essentially never pass (version, type and a 32-bit CRC must all
// match), so a hit means real records follow the damage.
func findValidRecord(data []byte, from int) int64 {
	for y := from; y+1+recordHeaderSize <= len(data); y++ {
		size, vn := binary.Uvarint(data[y:])
		if vn <= 0 || size < recordHeaderSize || size > uint64(len(data)-y-vn) {
			continue
		}
		rec := data[y+vn : y+vn+int(size)]
		if rec[0] != recordVersion || rec[1] != recordData {
			continue
		}
		if _, _, err := decodeRecord(rec); err == nil {
			return int64(y)
		}
	}
	return -1
}

// newerFormat reports whether data is, up to its last byte, well-framed
// entries whose records all carry a version above recordVersion: the work of
// a newer program, not damage. Garbage almost never frames exactly to the end
// of the file with every version byte above the current one.
func newerFormat(data []byte) bool {
	if len(data) == 0 {
		return false
	}
	for len(data) > 0 {
		size, vn := binary.Uvarint(data)
		if vn <= 0 || size < recordHeaderSize || size > uint64(len(data)-vn) || data[vn] <= recordVersion {
			return false
		}
		data = data[vn+int(size):]
	}
	return true
}

func uvarintLen(data []byte) int {
	_, n := binary.Uvarint(data)
	return max(n, 0)
}

// last returns the sequence number of the last good record (first-1 if none).
func (s *segmentScan) last() uint64 { return s.first + s.records - 1 }

var errNoSegments = errors.New("wal: no segment files")
