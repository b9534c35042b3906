package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{})
	if snap, err := l.LoadSnapshot(); err != nil || snap != nil {
		t.Fatalf("new directory: %v %v", snap, err)
	}
	appendN(t, l, 10)
	big := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // several buffer flushes
	if err := l.WriteSnapshot(10, func(w io.Writer) error {
		_, err := w.Write(big)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	appendN(t, l, 10)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l, r := openLog(t, dir, Options{})
	defer l.Close()
	if !r.OK() || !r.HasSnapshot || r.SnapshotSeq != 10 {
		t.Fatalf("report %v", r)
	}
	for i := 0; i < 2; i++ { // first from Open, then from disk
		snap, err := l.LoadSnapshot()
		if err != nil || snap == nil || snap.Seq != 10 || !bytes.Equal(snap.Body, big) || len(snap.Skipped) != 0 {
			t.Fatalf("LoadSnapshot #%d: %v", i, err)
		}
	}
	if n, _ := replayAll(t, l, 10); n != 10 {
		t.Fatalf("replayed %d after the snapshot", n)
	}
}

func TestSnapshotArguments(t *testing.T) {
	l, _ := openLog(t, t.TempDir(), Options{})
	defer l.Close()
	appendN(t, l, 5)
	if err := l.WriteSnapshot(6, writeString("x")); err == nil {
		t.Fatal("snapshot beyond LastSeq accepted")
	}
	if err := l.WriteSnapshot(4, writeString("x")); err != nil {
		t.Fatal(err)
	}
	if err := l.WriteSnapshot(3, writeString("x")); err == nil {
		t.Fatal("snapshot older than the newest accepted")
	}
	if err := l.WriteSnapshot(4, writeString("again")); err != nil {
		t.Fatalf("rewriting the newest snapshot: %v", err)
	}
	if err := l.WriteSnapshot(0, writeString("x")); err == nil {
		t.Fatal("snapshot at 0 after one at 4 accepted")
	}
}

// TestSnapshotPruneAndTruncate: with KeepSnapshots 2, a third snapshot
// removes the first, and the log is truncated only up to the older snapshot
// kept, never further.
func TestSnapshotPruneAndTruncate(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{SegmentSize: 1024})
	defer l.Close()
	steps := []struct {
		seq       uint64
		files     []uint64
		wantFirst uint64
	}{
		{20, []uint64{20}, 1}, // one snapshot: the log start stands in for the previous
		{40, []uint64{40, 20}, 21},
		{60, []uint64{60, 40}, 41},
	}
	for _, st := range steps {
		appendN(t, l, 20)
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if err := l.WriteSnapshot(st.seq, writeString("state")); err != nil {
			t.Fatal(err)
		}
		infos, err := listSnapshots(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint64
		for _, s := range infos {
			got = append(got, s.Seq)
		}
		if len(got) != len(st.files) || got[0] != st.files[0] || got[len(got)-1] != st.files[len(st.files)-1] {
			t.Fatalf("after snapshot %d: files %v, want %v", st.seq, got, st.files)
		}
		if first := l.Stats().FirstSeq; first != st.wantFirst {
			t.Fatalf("after snapshot %d: log starts at %d, want %d", st.seq, first, st.wantFirst)
		}
	}
}

// TestSnapshotCorrupt damages the newest of two snapshots in several ways:
// Open must fall back to the older one, report it, set the bad file aside,
// and the log must still hold every record after the older one.
func TestSnapshotCorrupt(t *testing.T) {
	cases := []struct {
		name    string
		corrupt func([]byte) []byte
	}{
		{"bad CRC in the body", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"seq in the header changed", func(b []byte) []byte { binary.LittleEndian.PutUint64(b[12:], 41); return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)-3] }},
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"empty file", func(b []byte) []byte { return nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			l, _ := openLog(t, dir, Options{SegmentSize: 1024})
			for _, seq := range []uint64{20, 40, 60} {
				appendN(t, l, 20)
				l.Sync()
				if err := l.WriteSnapshot(seq, writeString("state@"+strconv.FormatUint(seq, 10))); err != nil {
					t.Fatal(err)
				}
			}
			appendN(t, l, 5)
			l.Close()
			newest := filepath.Join(dir, snapshotName(60))
			modify(t, newest, tc.corrupt)

			check, err := Check(dir)
			if err != nil || check.OK() || check.NeedsRepair() || check.SnapshotSeq != 40 {
				t.Fatalf("Check: %v %v", check, err)
			}

			l, r := openLog(t, dir, Options{})
			defer l.Close()
			if !r.HasSnapshot || r.SnapshotSeq != 40 || len(r.Problems) != 1 || r.Problems[0].Kind != ProblemSnapshot ||
				r.Snapshots[0].Valid || r.Snapshots[0].Problem == "" {
				t.Fatalf("report %v", r)
			}
			if len(r.Actions) != 1 || r.Actions[0].Broken == "" {
				t.Fatalf("bad snapshot not set aside: %v", r)
			}
			if _, err := os.Stat(newest); !os.IsNotExist(err) {
				t.Fatalf("bad snapshot still in place: %v", err)
			}
			snap, err := l.LoadSnapshot()
			if err != nil || snap.Seq != 40 || string(snap.Body) != "state@40" || len(snap.Skipped) != 1 || snap.Skipped[0].Seq != 60 {
				t.Fatalf("LoadSnapshot: %+v %v", snap, err)
			}
			if n, last := replayAll(t, l, 40); n != 25 || last != 65 {
				t.Fatalf("replay after the fallback snapshot: %d records up to %d", n, last)
			}
		})
	}
}

// TestAllSnapshotsCorrupt: with every snapshot bad and the log truncated,
// the records before the log exist nowhere: Open refuses.
func TestAllSnapshotsCorrupt(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{SegmentSize: 1024})
	for _, seq := range []uint64{20, 40} {
		appendN(t, l, 20)
		l.Sync()
		if err := l.WriteSnapshot(seq, writeString("state")); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	for _, seq := range []uint64{20, 40} {
		modify(t, filepath.Join(dir, snapshotName(seq)), func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	}
	_, r, err := Open(dir, Options{})
	var ce *CorruptionError
	if !errors.As(err, &ce) || ce.Kind != ProblemSnapshotGap || ce.Seq != 1 {
		t.Fatalf("Open: %v\n%v", err, r)
	}
}

// TestSnapshotAheadOfLog: the log lost records that a snapshot holds (they
// were written, not fsynced, when the machine died). Open restarts the log
// after the snapshot so that new records do not reuse covered numbers.
func TestSnapshotAheadOfLog(t *testing.T) {
	for _, lose := range []string{"some records", "the whole log directory"} {
		t.Run(lose, func(t *testing.T) {
			dir := t.TempDir()
			l, _ := openLog(t, dir, Options{Fsync: No})
			appendN(t, l, 10)
			if err := l.WriteSnapshot(10, writeString("state@10")); err != nil {
				t.Fatal(err)
			}
			l.Close()
			if lose == "some records" {
				e := entryOf(t, dir, 6)
				if err := os.Truncate(e.seg, e.offset); err != nil {
					t.Fatal(err)
				}
			} else {
				os.RemoveAll(filepath.Join(dir, logDirName))
			}
			l, r := openLog(t, dir, Options{})
			defer l.Close()
			if l.LastSeq() != 10 || r.FirstSeq != 11 || len(r.Actions) != 1 {
				t.Fatalf("LastSeq %d, report %v", l.LastSeq(), r)
			}
			if seq := appendN(t, l, 1); seq != 11 {
				t.Fatalf("next seq %d", seq)
			}
			l.Close()
			l, r = openLog(t, dir, Options{})
			defer l.Close()
			if !r.OK() || len(r.Actions) != 0 {
				t.Fatalf("second reopen: %v", r)
			}
			if n, last := replayAll(t, l, 10); n != 1 || last != 11 {
				t.Fatalf("replayed %d up to %d", n, last)
			}
		})
	}
}

// TestSnapshotWriteOrderAndFailures checks the order of a snapshot's disk
// operations and that a failure at any step leaves the previous snapshot,
// no temp file, and a healthy log.
func TestSnapshotWriteOrderAndFailures(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{}
	l, _ := openLog(t, dir, Options{Hook: rec.hook})
	defer l.Close()
	appendN(t, l, 10)
	opened := len(rec.completed())
	if err := l.WriteSnapshot(5, writeString("five")); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, e := range rec.completed()[opened:] {
		if e.Op == OpSyncDir && e.Path == filepath.Join(dir, logDirName) {
			continue // TruncateFront of the log, not the snapshot
		}
		ops = append(ops, e.Op.String())
	}
	want := []string{"create", "write", "write", "fsync", "rename", "fsync-dir"}
	if len(ops) != len(want) {
		t.Fatalf("operations %v, want %v", ops, want)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Fatalf("operations %v, want %v", ops, want)
		}
	}

	for _, op := range []Op{OpCreate, OpWrite, OpSync, OpRename} {
		t.Run("fail "+op.String(), func(t *testing.T) {
			rec.setFail(func(e Event) error {
				if e.Op == op && filepath.Dir(e.Path) == dir {
					return syscall.EIO
				}
				return nil
			})
			defer rec.setFail(nil)
			if err := l.WriteSnapshot(8, writeString("eight")); !errors.Is(err, syscall.EIO) {
				t.Fatalf("WriteSnapshot: %v", err)
			}
			if err := l.Err(); err != nil {
				t.Fatalf("a failed snapshot failed the log: %v", err)
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, "*"+tempSuffix))
			if _, err := os.Stat(filepath.Join(dir, snapshotName(8))); !os.IsNotExist(err) || len(leftovers) > 0 {
				t.Fatalf("failed snapshot left files: %v %v", err, leftovers)
			}
		})
	}
	failing := errors.New("encoder failed")
	if err := l.WriteSnapshot(9, func(io.Writer) error { return failing }); !errors.Is(err, failing) {
		t.Fatalf("WriteSnapshot with a failing writer: %v", err)
	}
	snap, err := l.LoadSnapshot()
	if err != nil || snap.Seq != 5 || string(snap.Body) != "five" {
		t.Fatalf("previous snapshot: %+v %v", snap, err)
	}
}
