package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Corruption tests in the manner of etcd's repair_test.go: build a good log
// once, copy it for each case, damage the copy with a corrupt function and
// check what Open, Check and Repair make of it.

// 134 records leave 15 in the last segment, the last one with a two-byte
// length prefix.
const pristineRecords = 134

// pristineLog writes pristineRecords records in several segments and closes
// the log; cases copy the directory.
func pristineLog(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{Fsync: No, SegmentSize: 4096})
	appendN(t, l, pristineRecords)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(segmentPaths(t, dir)); n < 4 {
		t.Fatalf("want 4+ segments, got %d", n)
	}
	return dir
}

// entryAt describes one record of a segment on disk.
type entryAt struct {
	seg    string
	seq    uint64
	offset int64 // of the tidwall entry (its length prefix)
	end    int64
}

// entries lists the records of every segment of dir.
func entries(t *testing.T, dir string) []entryAt {
	t.Helper()
	segs, err := listSegments(filepath.Join(dir, logDirName))
	if err != nil {
		t.Fatal(err)
	}
	var out []entryAt
	for _, s := range segs {
		scan, err := scanSegment(s, true)
		if err != nil {
			t.Fatal(err)
		}
		for i, off := range scan.offsets {
			end := scan.size
			if i+1 < len(scan.offsets) {
				end = scan.offsets[i+1]
			}
			out = append(out, entryAt{seg: s.path, seq: s.first + uint64(i), offset: off, end: end})
		}
	}
	return out
}

func entryOf(t *testing.T, dir string, seq uint64) entryAt {
	for _, e := range entries(t, dir) {
		if e.seq == seq {
			return e
		}
	}
	t.Fatalf("no record %d", seq)
	return entryAt{}
}

func modify(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	if err := os.WriteFile(path, f(mustRead(t, path)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// flipBodyBit flips one bit in the body of record seq.
func flipBodyBit(t *testing.T, dir string, seq uint64) entryAt {
	e := entryOf(t, dir, seq)
	modify(t, e.seg, func(b []byte) []byte {
		b[e.end-1] ^= 0x10 // last byte of the body (or of the header for an empty body)
		return b
	})
	return e
}

// TestTornTailAtEveryOffset cuts the last segment at every byte of its last
// record: Open must cut the torn record, keep its bytes in a .broken file,
// and keep every earlier record.
func TestTornTailAtEveryOffset(t *testing.T) {
	pristine := pristineLog(t)
	last := entryOf(t, pristine, pristineRecords)
	data := mustRead(t, last.seg)
	if last.end != int64(len(data)) || last.end-last.offset < 10 {
		t.Fatalf("unexpected last record %+v in %d bytes", last, len(data))
	}
	for cut := last.offset; cut < last.end; cut++ {
		dir := t.TempDir()
		copyDir(t, pristine, dir)
		seg := filepath.Join(dir, logDirName, filepath.Base(last.seg))
		if err := os.Truncate(seg, cut); err != nil {
			t.Fatal(err)
		}
		l, r, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("cut at %d: Open: %v", cut, err)
		}
		if cut == last.offset {
			// The record is gone entirely: nothing to repair.
			if !r.OK() || len(r.Actions) != 0 {
				t.Fatalf("cut at a record boundary: %v", r)
			}
		} else {
			if len(r.Problems) != 1 || !r.Problems[0].Auto || r.Problems[0].Kind != ProblemTorn ||
				r.Problems[0].Offset != last.offset || r.Problems[0].Seq != pristineRecords {
				t.Fatalf("cut at %d: problems %+v", cut, r.Problems)
			}
			if len(r.Actions) != 1 || r.Actions[0].Offset != last.offset || r.Actions[0].FromSeq != pristineRecords {
				t.Fatalf("cut at %d: actions %+v", cut, r.Actions)
			}
			if got := mustRead(t, r.Actions[0].Broken); !bytes.Equal(got, data[last.offset:cut]) {
				t.Fatalf("cut at %d: .broken holds %d bytes, want the %d cut ones", cut, len(got), cut-last.offset)
			}
			if fi, _ := os.Stat(seg); fi.Size() != last.offset {
				t.Fatalf("cut at %d: segment is %d bytes, want %d", cut, fi.Size(), last.offset)
			}
		}
		if n, got := replayAll(t, l, 0); n != pristineRecords-1 || got != pristineRecords-1 {
			t.Fatalf("cut at %d: %d records up to %d", cut, n, got)
		}
		// The torn record was never acknowledged; its number is reused.
		if seq := appendN(t, l, 1); seq != pristineRecords {
			t.Fatalf("cut at %d: next seq %d", cut, seq)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if r, err := Check(dir); err != nil || !r.OK() {
			t.Fatalf("cut at %d: Check after repair: %v %v", cut, r, err)
		}
	}
}

func TestCorruption(t *testing.T) {
	type outcome struct {
		refused bool // Open refuses (else it repairs the tail by itself)
		kind    ProblemKind
		seq     uint64 // first bad or missing record
		// file and offset the problem names, in the pristine log; nil to
		// skip the check
		file   func(dir string) string
		offset func(dir string) int64
		// lastSeq is the last record after Open (tail) or after Repair (refused).
		lastSeq uint64
		// broken is what the first .broken file must hold; nil to skip.
		broken func(pristine string) []byte
		// unrepairable: Repair reports the problem but cannot fix it.
		unrepairable bool
	}
	lastSeg := func(dir string) string {
		segs := segmentPaths(t, dir)
		return segs[len(segs)-1]
	}
	segN := func(i int) func(string) string {
		return func(dir string) string { return segmentPaths(t, dir)[i] }
	}
	at := func(seq uint64) func(string) int64 {
		return func(dir string) int64 { return entryOf(t, dir, seq).offset }
	}
	// midSeq is a record in the middle of the last segment, midEarly one in
	// the middle of the second segment.
	pristine := pristineLog(t)
	segs := segmentPaths(t, pristine)
	var lastSegEntries, secondSegEntries []entryAt
	for _, e := range entries(t, pristine) {
		switch e.seg {
		case segs[len(segs)-1]:
			lastSegEntries = append(lastSegEntries, e)
		case segs[1]:
			secondSegEntries = append(secondSegEntries, e)
		}
	}
	if len(lastSegEntries) < 3 {
		t.Fatalf("last segment has %d records", len(lastSegEntries))
	}
	midSeq := lastSegEntries[len(lastSegEntries)/2].seq
	midEarly := secondSegEntries[len(secondSegEntries)/2].seq
	firstOfSecond := secondSegEntries[0].seq
	garbage := make([]byte, 1000)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}

	cases := []struct {
		name    string
		corrupt func(t *testing.T, dir string)
		want    outcome
	}{
		{
			name: "zero-filled tail",
			corrupt: func(t *testing.T, dir string) {
				modify(t, lastSeg(dir), func(b []byte) []byte { return append(b, make([]byte, 4096)...) })
			},
			want: outcome{kind: ProblemZeroFilled, seq: pristineRecords + 1, file: lastSeg, lastSeq: pristineRecords,
				broken: func(string) []byte { return make([]byte, 4096) }},
		},
		{
			name: "last record zeroed, zeros beyond",
			corrupt: func(t *testing.T, dir string) {
				e := entryOf(t, dir, pristineRecords)
				modify(t, e.seg, func(b []byte) []byte {
					clear(b[e.offset:])
					return append(b, make([]byte, 100)...)
				})
			},
			want: outcome{kind: ProblemZeroFilled, seq: pristineRecords, file: lastSeg, offset: at(pristineRecords), lastSeq: pristineRecords - 1},
		},
		{
			name: "garbage tail",
			corrupt: func(t *testing.T, dir string) {
				modify(t, lastSeg(dir), func(b []byte) []byte { return append(b, garbage...) })
			},
			want: outcome{seq: pristineRecords + 1, file: lastSeg, lastSeq: pristineRecords,
				broken: func(string) []byte { return garbage }},
		},
		{
			name:    "bad CRC in the last record",
			corrupt: func(t *testing.T, dir string) { flipBodyBit(t, dir, pristineRecords) },
			want: outcome{kind: ProblemChecksum, seq: pristineRecords, file: lastSeg, offset: at(pristineRecords), lastSeq: pristineRecords - 1,
				broken: func(pristine string) []byte {
					e := entryOf(t, pristine, pristineRecords)
					b := mustRead(t, e.seg)[e.offset:]
					b[len(b)-1] ^= 0x10
					return b
				}},
		},
		{
			name:    "bit flip mid-log, last segment",
			corrupt: func(t *testing.T, dir string) { flipBodyBit(t, dir, midSeq) },
			want: outcome{refused: true, kind: ProblemChecksum, seq: midSeq, file: lastSeg, offset: at(midSeq), lastSeq: midSeq - 1,
				broken: func(pristine string) []byte {
					e := entryOf(t, pristine, midSeq)
					b := mustRead(t, e.seg)[e.offset:]
					b[e.end-e.offset-1] ^= 0x10
					return b
				}},
		},
		{
			name:    "bit flip in an earlier segment",
			corrupt: func(t *testing.T, dir string) { flipBodyBit(t, dir, midEarly) },
			want:    outcome{refused: true, kind: ProblemChecksum, seq: midEarly, file: segN(1), offset: at(midEarly), lastSeq: midEarly - 1},
		},
		{
			name: "length prefix damaged mid-log",
			corrupt: func(t *testing.T, dir string) {
				e := entryOf(t, dir, midSeq)
				modify(t, e.seg, func(b []byte) []byte {
					size, n := binary.Uvarint(b[e.offset:])
					var buf [binary.MaxVarintLen64]byte
					if binary.PutUvarint(buf[:], size+3) != n {
						t.Fatalf("record %d: cannot grow its length in place", midSeq)
					}
					copy(b[e.offset:], buf[:n])
					return b
				})
			},
			want: outcome{refused: true, kind: ProblemChecksum, seq: midSeq, file: lastSeg, offset: at(midSeq), lastSeq: midSeq - 1},
		},
		{
			name: "zeroed block mid-log",
			corrupt: func(t *testing.T, dir string) {
				e := entryOf(t, dir, midSeq)
				modify(t, e.seg, func(b []byte) []byte {
					clear(b[e.offset:e.end])
					return b
				})
			},
			want: outcome{refused: true, kind: ProblemEmpty, seq: midSeq, file: lastSeg, offset: at(midSeq), lastSeq: midSeq - 1},
		},
		{
			name: "records from a newer version",
			corrupt: func(t *testing.T, dir string) {
				for _, e := range entries(t, dir) {
					if e.seg == lastSeg(dir) {
						modify(t, e.seg, func(b []byte) []byte {
							_, n := binary.Uvarint(b[e.offset:])
							b[e.offset+int64(n)] = recordVersion + 1
							return b
						})
					}
				}
			},
			want: outcome{refused: true, kind: ProblemHeader, file: lastSeg, offset: func(string) int64 { return 0 },
				seq: lastSegEntries[0].seq, lastSeq: lastSegEntries[0].seq - 1},
		},
		{
			name:    "missing middle segment",
			corrupt: func(t *testing.T, dir string) { os.Remove(segmentPaths(t, dir)[1]) },
			want: outcome{refused: true, kind: ProblemGap, file: segN(2), // the segment after the gap
				seq: firstOfSecond, lastSeq: firstOfSecond - 1},
		},
		{
			name:    "missing first segment, no snapshot",
			corrupt: func(t *testing.T, dir string) { os.Remove(segmentPaths(t, dir)[0]) },
			want:    outcome{refused: true, kind: ProblemSnapshotGap, seq: 1, unrepairable: true},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, pristine, dir)
			tc.corrupt(t, dir)
			want := tc.want
			// Files and offsets are those of the pristine copy.
			wantFile, wantOffset := "", int64(-1)
			if want.file != nil {
				wantFile = filepath.Join(dir, logDirName, filepath.Base(want.file(pristine)))
			}
			if want.offset != nil {
				wantOffset = want.offset(pristine)
			}
			checkProblem := func(what string, p Problem) {
				t.Helper()
				if want.kind != "" && p.Kind != want.kind {
					t.Fatalf("%s: kind %s, want %s (%v)", what, p.Kind, want.kind, p)
				}
				if want.seq != 0 && p.Seq != want.seq {
					t.Fatalf("%s: record %d, want %d (%v)", what, p.Seq, want.seq, p)
				}
				if wantFile != "" && p.File != wantFile {
					t.Fatalf("%s: file %s, want %s", what, p.File, wantFile)
				}
				if wantOffset >= 0 && p.Offset != wantOffset {
					t.Fatalf("%s: offset %d, want %d", what, p.Offset, wantOffset)
				}
				if p.Auto == want.refused {
					t.Fatalf("%s: Auto=%v for a case Open should %s", what, p.Auto, map[bool]string{true: "refuse", false: "repair"}[want.refused])
				}
			}

			check, err := Check(dir)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if len(check.Problems) != 1 || check.NeedsRepair() != want.refused {
				t.Fatalf("Check: %v", check)
			}
			checkProblem("Check", check.Problems[0])

			l, r, err := Open(dir, Options{})
			if want.refused {
				var ce *CorruptionError
				if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Open: want a *CorruptionError, got %v", err)
				}
				checkProblem("Open", r.Problems[len(r.Problems)-1])
				if ce.File != wantFile && wantFile != "" || !strings.Contains(err.Error(), ce.File) {
					t.Fatalf("Open error %q does not name %s", err, wantFile)
				}
				if wantOffset >= 0 && !strings.Contains(err.Error(), "offset "+strconv.FormatInt(wantOffset, 10)) {
					t.Fatalf("Open error %q does not name offset %d", err, wantOffset)
				}
				rep, err := Repair(dir)
				if want.unrepairable {
					if !errors.Is(err, ErrCorrupt) {
						t.Fatalf("Repair of an unrepairable log: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("Repair: %v\n%v", err, rep)
				}
				checkProblem("Repair", rep.Problems[0])
				if len(rep.Actions) == 0 {
					t.Fatalf("Repair did nothing: %v", rep)
				}
				if want.broken != nil && !bytes.Equal(mustRead(t, rep.Actions[0].Broken), want.broken(pristine)) {
					t.Fatalf("Repair: .broken does not hold the cut bytes")
				}
				l, r, err = Open(dir, Options{})
				if err != nil {
					t.Fatalf("Open after Repair: %v", err)
				}
				if !r.OK() {
					t.Fatalf("Open after Repair: %v", r)
				}
			} else {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if len(r.Problems) != 1 || len(r.Actions) == 0 {
					t.Fatalf("Open: %v", r)
				}
				checkProblem("Open", r.Problems[0])
				if want.broken != nil && !bytes.Equal(mustRead(t, r.Actions[0].Broken), want.broken(pristine)) {
					t.Fatalf(".broken does not hold the cut bytes")
				}
			}
			defer l.Close()
			if n, last := replayAll(t, l, 0); uint64(n) != want.lastSeq || last != want.lastSeq {
				t.Fatalf("replayed %d records up to %d, want %d", n, last, want.lastSeq)
			}
			if seq := appendN(t, l, 1); seq != want.lastSeq+1 {
				t.Fatalf("next seq %d", seq)
			}
		})
	}
}

// TestOpenFinishesInterruptedTruncateFront: a crash during TruncateFront
// leaves a .START file; Open completes the truncation.
func TestOpenFinishesInterruptedTruncateFront(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{SegmentSize: 4096, KeepSnapshots: 5})
	appendN(t, l, 100)
	if err := l.WriteSnapshot(60, writeString("state")); err != nil {
		t.Fatal(err)
	}
	l.Close()
	e := entryOf(t, dir, 61)
	start := filepath.Join(dir, logDirName, segmentName(61)+".START")
	if err := os.WriteFile(start, mustRead(t, e.seg)[e.offset:], 0o644); err != nil {
		t.Fatal(err)
	}
	l, r := openLog(t, dir, Options{})
	defer l.Close()
	if r.FirstSeq != 61 || len(r.Actions) == 0 {
		t.Fatalf("report %v", r)
	}
	if n, _ := replayAll(t, l, 60); n != 40 {
		t.Fatalf("replayed %d", n)
	}
}

func TestCheckCleanAndNewDirectory(t *testing.T) {
	dir := t.TempDir()
	if r, err := Check(dir); err != nil || !r.OK() || len(r.Segments) != 0 {
		t.Fatalf("Check of an empty directory: %v %v", r, err)
	}
	if _, err := Check(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("Check of a missing directory succeeded")
	}
	pristine := pristineLog(t)
	r, err := Check(pristine)
	if err != nil || !r.OK() || r.LastSeq != pristineRecords || r.FirstSeq != 1 {
		t.Fatalf("Check of a good log: %v %v", r, err)
	}
	if !strings.Contains(r.String(), "no problems found") {
		t.Fatalf("report text: %s", r)
	}
}
