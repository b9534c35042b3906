package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	tidwall "github.com/tidwall/wal"
)

// These tests guard the assumptions segment.go makes about tidwall/wal's
// on-disk format. If one fails after a dependency change, the repair code
// is reading the wrong format: fix it before moving the pin.

const pinnedTidwall = "v1.2.1"

func TestTidwallVersionPinned(t *testing.T) {
	// Test binaries carry no dependency build info, so read go.mod.
	mod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(fields) >= 2 && fields[0] == "github.com/tidwall/wal" {
			if fields[1] != pinnedTidwall {
				t.Fatalf("go.mod requires github.com/tidwall/wal %s; the repair reads the %s segment format (see segment.go)", fields[1], pinnedTidwall)
			}
			return
		}
	}
	t.Fatal("github.com/tidwall/wal is not in go.mod")
}

// TestTidwallBinaryFormat writes through tidwall/wal with the options Open
// uses and checks the segment files byte for byte: names, entry framing and
// the points where a new segment starts (segmentTracker).
func TestTidwallBinaryFormat(t *testing.T) {
	for _, segSize := range []int{64, 500, 4096} {
		dir := t.TempDir()
		st, err := tidwall.Open(dir, tidwallOptions(segSize))
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(segSize), 1))
		tracker := segmentTracker{segmentSize: int64(segSize), first: 1}
		var all [][]byte
		seq := uint64(1)
		for round := 0; round < 60; round++ {
			b := &batch{first: seq}
			var tb tidwall.Batch
			for i := 0; i < 1+r.IntN(5); i++ {
				payload := make([]byte, r.IntN(segSize/2+20))
				for j := range payload {
					payload[j] = byte(r.Uint32())
				}
				b.data = append(b.data, payload...)
				b.ends = append(b.ends, len(b.data))
				tb.Write(seq, payload)
				all = append(all, payload)
				seq++
			}
			if err := st.WriteBatch(&tb); err != nil {
				t.Fatal(err)
			}
			tracker, _ = tracker.advance(b)
			segs, err := listSegments(dir)
			if err != nil {
				t.Fatal(err)
			}
			tail := segs[len(segs)-1]
			fi, err := os.Stat(tail.path)
			if err != nil {
				t.Fatal(err)
			}
			if tail.first != tracker.first || fi.Size() != tracker.size {
				t.Fatalf("segment size %d, round %d: tail is %s (%d bytes), tracker predicted %s (%d bytes)",
					segSize, round, filepath.Base(tail.path), fi.Size(), segmentName(tracker.first), tracker.size)
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		// Every segment is exactly uvarint(len)+payload for its entries.
		segs, _ := listSegments(dir)
		for i, s := range segs {
			if filepath.Base(s.path) != segmentName(s.first) {
				t.Fatalf("segment name %s", s.path)
			}
			end := seq
			if i+1 < len(segs) {
				end = segs[i+1].first
			}
			var want []byte
			for idx := s.first; idx < end; idx++ {
				want = binary.AppendUvarint(want, uint64(len(all[idx-1])))
				want = append(want, all[idx-1]...)
			}
			if got := mustRead(t, s.path); !bytes.Equal(got, want) {
				t.Fatalf("segment %s: layout differs from uvarint(len)+data", s.path)
			}
		}
	}
}

// TestTidwallRefusesTornTail documents why Open repairs before tidwall/wal
// opens the log, and why records carry a CRC: a torn tail is refused, and a
// zero-filled tail reads back as empty entries.
func TestTidwallRefusesTornTail(t *testing.T) {
	dir := t.TempDir()
	st, err := tidwall.Open(dir, tidwallOptions(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 3; i++ {
		if err := st.Write(i, []byte("hello")); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	seg := filepath.Join(dir, segmentName(1))
	pristine := mustRead(t, seg)

	if err := os.WriteFile(seg, pristine[:len(pristine)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tidwall.Open(dir, tidwallOptions(1<<20)); !errors.Is(err, tidwall.ErrCorrupt) {
		t.Fatalf("torn tail: tidwall.Open returned %v, want ErrCorrupt", err)
	}

	if err := os.WriteFile(seg, append(pristine, make([]byte, 4)...), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = tidwall.Open(dir, tidwallOptions(1<<20))
	if err != nil {
		t.Fatalf("zero-filled tail: %v", err)
	}
	defer st.Close()
	if last, _ := st.LastIndex(); last != 7 {
		t.Fatalf("zero-filled tail: LastIndex %d, want 7 (four empty entries)", last)
	}
	if data, err := st.Read(7); err != nil || len(data) != 0 {
		t.Fatalf("zero-filled tail entry: %q, %v", data, err)
	}
}

// TestFinishPendingTruncationMatchesTidwall leaves the directory as a crash
// in the middle of TruncateFront/TruncateBack would, and checks that
// finishPendingTruncation ends with the same files as tidwall/wal's own open.
func TestFinishPendingTruncationMatchesTidwall(t *testing.T) {
	cases := []struct {
		name  string
		crash func(t *testing.T, dir string, segs []segmentFile)
	}{
		{"START written, nothing removed", func(t *testing.T, dir string, segs []segmentFile) {
			writeStartEnd(t, dir, segs[1], 3, ".START", true)
		}},
		{"START written, first segment removed", func(t *testing.T, dir string, segs []segmentFile) {
			writeStartEnd(t, dir, segs[1], 3, ".START", true)
			os.Remove(segs[0].path)
		}},
		{"START written, all older removed", func(t *testing.T, dir string, segs []segmentFile) {
			writeStartEnd(t, dir, segs[1], 3, ".START", true)
			os.Remove(segs[0].path)
			os.Remove(segs[1].path)
		}},
		{"END written, nothing removed", func(t *testing.T, dir string, segs []segmentFile) {
			writeStartEnd(t, dir, segs[1], 3, ".END", false)
		}},
		{"END written, last segment removed", func(t *testing.T, dir string, segs []segmentFile) {
			writeStartEnd(t, dir, segs[1], 3, ".END", false)
			os.Remove(segs[len(segs)-1].path)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			st, err := tidwall.Open(base, tidwallOptions(1500))
			if err != nil {
				t.Fatal(err)
			}
			for i := uint64(1); i <= 40; i++ {
				if err := st.Write(i, appendRecord(nil, body(i%10), recordCRC(recordVersion, recordData, body(i%10)))); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			segs, _ := listSegments(base)
			if len(segs) < 3 {
				t.Fatalf("want 3+ segments, got %d", len(segs))
			}
			tc.crash(t, base, segs)

			viaTidwall, viaUs := t.TempDir(), t.TempDir()
			copyDir(t, base, viaTidwall)
			copyDir(t, base, viaUs)
			st, err = tidwall.Open(viaTidwall, tidwallOptions(1500))
			if err != nil {
				t.Fatalf("tidwall open: %v", err)
			}
			st.Close()
			planned, _, err := plannedSegments(viaUs)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := finishPendingTruncation(fsys{}, viaUs); err != nil {
				t.Fatal(err)
			}
			a, b := dirContents(t, viaTidwall), dirContents(t, viaUs)
			if len(a) != len(b) {
				t.Fatalf("tidwall left %v, we left %v", keys(a), keys(b))
			}
			for name, data := range a {
				if !bytes.Equal(b[name], data) {
					t.Fatalf("%s differs (tidwall %d bytes, ours %d)", name, len(data), len(b[name]))
				}
			}
			// Check's plan (without changing anything) saw the same segments.
			after, _ := listSegments(viaUs)
			if len(planned) != len(after) {
				t.Fatalf("planned %d segments, got %d", len(planned), len(after))
			}
			for i := range after {
				if planned[i].first != after[i].first || !bytes.Equal(mustRead(t, filepath.Join(base, filepath.Base(planned[i].path))), mustRead(t, after[i].path)) {
					t.Fatalf("planned segment %d differs", i)
				}
			}
		})
	}
}

// writeStartEnd writes the file tidwall's TruncateFront (START: entries
// from the k-th on) or TruncateBack (END: the first k entries) of seg creates.
func writeStartEnd(t *testing.T, dir string, seg segmentFile, k int, suffix string, front bool) {
	scan, err := scanSegment(seg, true)
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, seg.path)
	name := segmentName(seg.first)
	if front {
		data = data[scan.offsets[k]:]
		name = segmentName(seg.first + uint64(k))
	} else {
		data = data[:scan.offsets[k]]
	}
	if err := os.WriteFile(filepath.Join(dir, name+suffix), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func dirContents(t *testing.T, dir string) map[string][]byte {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		out[e.Name()] = mustRead(t, filepath.Join(dir, e.Name()))
	}
	return out
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
