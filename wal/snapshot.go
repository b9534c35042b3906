package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// A snapshot file, "snapshot-<seq as %020d>.snap" in the data directory:
//
//	offset  0: magic "SPOOLSNP"
//	offset  8: format version, uint32 little endian (snapshotVersion)
//	offset 12: seq, uint64 little endian: the state includes every record up to seq
//	offset 20: body length, uint64 little endian
//	offset 28: CRC32-C of the body followed by header bytes 0..27
//	offset 32: body, opaque to this package
//
// The CRC covers the header too, so a flipped bit in seq or length cannot
// make a snapshot claim a different position in the log.
const (
	snapshotMagic      = "SPOOLSNP"
	snapshotVersion    = 1
	snapshotHeaderSize = 32
	snapshotPrefix     = "snapshot-"
	snapshotSuffix     = ".snap"
	tempSuffix         = ".tmp"
	brokenSuffix       = ".broken"
)

// Snapshot is the newest valid snapshot, as LoadSnapshot returns it.
type Snapshot struct {
	Seq  uint64 // the state includes every record up to and including Seq
	Body []byte // what the write function of WriteSnapshot produced
	Path string
	// Skipped lists newer snapshot files that failed their checks and were
	// passed over for this one.
	Skipped []SnapshotInfo
}

// SnapshotInfo describes one snapshot file found in the directory.
type SnapshotInfo struct {
	Path    string
	Seq     uint64 // from the file name
	Size    int64
	Valid   bool
	Checked bool   // false when the file was not read (an older one than the newest valid)
	Problem string // why it is not valid
}

func snapshotName(seq uint64) string {
	return fmt.Sprintf("%s%020d%s", snapshotPrefix, seq, snapshotSuffix)
}

// listSnapshots returns the snapshot files in dir, newest (highest seq) first.
func listSnapshots(dir string) ([]SnapshotInfo, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []SnapshotInfo
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, snapshotPrefix) || !strings.HasSuffix(name, snapshotSuffix) {
			continue
		}
		digits := strings.TrimSuffix(strings.TrimPrefix(name, snapshotPrefix), snapshotSuffix)
		if len(digits) != 20 {
			continue
		}
		seq, err := strconv.ParseUint(digits, 10, 64)
		if err != nil {
			continue
		}
		info := SnapshotInfo{Path: filepath.Join(dir, name), Seq: seq}
		if fi, err := e.Info(); err == nil {
			info.Size = fi.Size()
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq > out[j].Seq })
	return out, nil
}

// readSnapshot reads a snapshot file and checks its header and CRC against
// the sequence number in its name.
func readSnapshot(path string, seq uint64) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < snapshotHeaderSize {
		return nil, fmt.Errorf("file of %d bytes is shorter than the %d-byte header", len(data), snapshotHeaderSize)
	}
	h := data[:snapshotHeaderSize]
	if string(h[:8]) != snapshotMagic {
		return nil, fmt.Errorf("bad magic %q", h[:8])
	}
	if v := binary.LittleEndian.Uint32(h[8:]); v != snapshotVersion {
		return nil, fmt.Errorf("unknown snapshot version %d", v)
	}
	body := data[snapshotHeaderSize:]
	want := binary.LittleEndian.Uint32(h[28:])
	crc := crc32.Update(crc32.Update(0, castagnoli, body), castagnoli, h[:28])
	if crc != want {
		return nil, fmt.Errorf("checksum mismatch: stored %08x, computed %08x", want, crc)
	}
	if n := binary.LittleEndian.Uint64(h[20:]); n != uint64(len(body)) {
		return nil, fmt.Errorf("header says %d body bytes, file has %d", n, len(body))
	}
	if s := binary.LittleEndian.Uint64(h[12:]); s != seq {
		return nil, fmt.Errorf("header seq %d does not match the file name (seq %d)", s, seq)
	}
	return body, nil
}

// newestSnapshot returns the newest snapshot that passes its checks, with the
// newer ones that did not (and why). infos describes every snapshot file.
// It returns nil when there is no valid snapshot.
func newestSnapshot(dir string) (snap *Snapshot, infos []SnapshotInfo, err error) {
	infos, err = listSnapshots(dir)
	if err != nil {
		return nil, nil, err
	}
	for i := range infos {
		body, rerr := readSnapshot(infos[i].Path, infos[i].Seq)
		infos[i].Checked = true
		if rerr != nil {
			infos[i].Problem = rerr.Error()
			continue
		}
		infos[i].Valid = true
		snap = &Snapshot{Seq: infos[i].Seq, Body: body, Path: infos[i].Path}
		for _, bad := range infos[:i] {
			snap.Skipped = append(snap.Skipped, bad)
		}
		return snap, infos, nil
	}
	return nil, infos, nil
}

// countingCRCWriter computes the CRC and length of everything written through it.
type countingCRCWriter struct {
	w   io.Writer
	crc uint32
	n   uint64
}

func (c *countingCRCWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	c.n += uint64(n)
	return n, err
}

// writeSnapshotFile writes a snapshot durably: temp file, fsync, rename,
// fsync the directory. It returns the final path.
func writeSnapshotFile(fs fsys, dir string, seq uint64, write func(io.Writer) error) (string, error) {
	final := filepath.Join(dir, snapshotName(seq))
	tmp := final + tempSuffix
	f, err := fs.create(tmp)
	if err != nil {
		return "", fmt.Errorf("wal: snapshot %s: %w", tmp, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(make([]byte, snapshotHeaderSize)); err != nil {
		return "", fmt.Errorf("wal: snapshot %s: %w", tmp, err)
	}
	// Only whole buffers reach the file, each through the hook.
	bw := bufio.NewWriterSize(hookWriter{fs: fs, path: tmp, w: f}, 1<<20)
	cw := &countingCRCWriter{w: bw}
	if err := write(cw); err != nil {
		return "", fmt.Errorf("wal: snapshot %d: write body: %w", seq, err)
	}
	if err := bw.Flush(); err != nil {
		return "", fmt.Errorf("wal: snapshot %s: %w", tmp, err)
	}
	var h [snapshotHeaderSize]byte
	copy(h[:8], snapshotMagic)
	binary.LittleEndian.PutUint32(h[8:], snapshotVersion)
	binary.LittleEndian.PutUint64(h[12:], seq)
	binary.LittleEndian.PutUint64(h[20:], cw.n)
	binary.LittleEndian.PutUint32(h[28:], crc32.Update(cw.crc, castagnoli, h[:28]))
	err = fs.do(Event{Op: OpWrite, Path: tmp}, func() error {
		_, err := f.WriteAt(h[:], 0)
		return err
	})
	if err == nil {
		err = fs.syncFile(f, seq)
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return "", fmt.Errorf("wal: snapshot %s: %w", tmp, err)
	}
	ok = true
	if err := fs.rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("wal: snapshot %s: %w", final, err)
	}
	if err := fs.syncDir(dir); err != nil {
		return "", fmt.Errorf("wal: snapshot %s: %w", final, err)
	}
	return final, nil
}

// pruneSnapshots removes all but the newest keep snapshot files and returns
// the sequence number of the oldest one kept and how many were kept.
func pruneSnapshots(fs fsys, dir string, keep int) (oldestKept uint64, kept int, err error) {
	infos, err := listSnapshots(dir)
	if err != nil {
		return 0, 0, err
	}
	if len(infos) == 0 {
		return 0, 0, errors.New("wal: no snapshot to keep")
	}
	if keep > len(infos) {
		keep = len(infos)
	}
	for _, old := range infos[keep:] {
		if err := fs.remove(old.Path); err != nil {
			return 0, 0, fmt.Errorf("wal: prune snapshot: %w", err)
		}
	}
	if len(infos) > keep {
		if err := fs.syncDir(dir); err != nil {
			return 0, 0, err
		}
	}
	return infos[keep-1].Seq, keep, nil
}

// removeTemps deletes snapshot temp files and tidwall's TEMP files left by a
// crash in the middle of writing them.
func removeTemps(dir, logDir string) {
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), snapshotPrefix) && strings.HasSuffix(e.Name(), snapshotSuffix+tempSuffix) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	if entries, err := os.ReadDir(logDir); err == nil {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".TEMP") {
				os.Remove(filepath.Join(logDir, e.Name()))
			}
		}
	}
}

// WriteSnapshot stores a snapshot of the state that includes every record
// up to seq. write streams the body; the CRC is computed as it goes. The
// file is written to a temp name, fsynced, renamed and the directory
// fsynced; only then are snapshots beyond Options.KeepSnapshots removed and
// the log truncated up to the oldest snapshot kept (so a fallback to it still
// finds every record after it; with fewer snapshots than that the log is not
// truncated). seq must not be beyond LastSeq or before the
// newest snapshot. Only one WriteSnapshot runs at a time; appends continue
// meanwhile. An error from write, or a failed write of the file, leaves the
// previous snapshots and the log as they were and does not fail the log. A
// log that is failed (or fails truncating, see TruncateFront) is left
// untruncated; the snapshot is still written and nil returned.
func (l *Log) WriteSnapshot(seq uint64, write func(io.Writer) error) error {
	l.snapMu.Lock()
	defer l.snapMu.Unlock()
	l.mu.Lock()
	lastSeq, closed := l.lastSeq, l.closing
	newest, has := l.stats.SnapshotSeq, l.stats.HasSnapshot
	l.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if seq > lastSeq {
		return fmt.Errorf("wal: snapshot at record %d: only %d appended", seq, lastSeq)
	}
	if has && seq < newest {
		return fmt.Errorf("wal: snapshot at record %d is older than the newest snapshot (%d)", seq, newest)
	}
	if _, err := writeSnapshotFile(l.fs, l.dir, seq, write); err != nil {
		return err
	}
	l.mu.Lock()
	l.stats.SnapshotSeq, l.stats.HasSnapshot = seq, true
	l.mu.Unlock()
	oldest, kept, err := pruneSnapshots(l.fs, l.dir, l.opts.KeepSnapshots)
	if err != nil {
		return err
	}
	if kept < l.opts.KeepSnapshots {
		// Until there are enough snapshots, the start of the log stands in
		// for the one to fall back to.
		return nil
	}
	if err := l.TruncateFront(oldest); err != nil {
		if errors.Is(err, ErrFailed) && l.Err() != nil {
			// The log was failed already or failed truncating; the
			// snapshot is durable, and the next one truncates.
			l.logger.Warn("wal: snapshot written, log not truncated", "seq", seq, "err", err)
			return nil
		}
		return fmt.Errorf("wal: snapshot %d written, truncating the log: %w", seq, err)
	}
	return nil
}

// LoadSnapshot returns the newest valid snapshot, or nil when there is none.
// Newer snapshot files that fail their checks are skipped (Snapshot.Skipped;
// Open also sets them aside and reports them). The first call returns what
// Open read; later calls read the directory again.
func (l *Log) LoadSnapshot() (*Snapshot, error) {
	l.mu.Lock()
	snap := l.snapshot
	l.snapshot = nil
	l.mu.Unlock()
	if snap != nil {
		return snap, nil
	}
	l.snapMu.Lock()
	defer l.snapMu.Unlock()
	snap, _, err := newestSnapshot(l.dir)
	return snap, err
}
