package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	tidwall "github.com/tidwall/wal"
)

// recover brings a failed log back: it drops the (possibly inconsistent)
// tidwall log, cuts the segment files back to the last record that is
// durable (or, under No, written), reopens, rewrites the records it still
// holds, fsyncs, and clears the sticky error. On failure the log stays
// failed with the new error.
func (l *Log) recover() error {
	l.storeMu.Lock()
	defer l.storeMu.Unlock()
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	l.mu.Lock()
	if l.failErr == nil {
		l.mu.Unlock()
		return nil
	}
	keep := l.written
	if len(l.retained) > 0 {
		keep = l.retained[0].first - 1
	}
	redo := append([]*batch(nil), l.retained...)
	l.mu.Unlock()

	err := l.reopenAt(keep)
	last := keep
	if err == nil && len(redo) > 0 {
		l.tbatch.Clear()
		next := l.tail
		for _, b := range redo {
			for i := 0; i < b.count(); i++ {
				l.tbatch.Write(b.first+uint64(i), b.record(i))
			}
			next, _ = next.advance(b)
		}
		last = redo[len(redo)-1].last()
		err = l.fs.do(Event{Op: OpWrite, Path: l.tailFile.Name(), First: keep + 1, Last: last}, func() error {
			return l.store.WriteBatch(&l.tbatch)
		})
		if err == nil && next.first != l.tail.first {
			l.tailFile.Close()
			l.tailFile, err = os.OpenFile(filepath.Join(l.logDir, segmentName(next.first)), os.O_WRONLY, 0)
		}
		l.tail = next
	}
	if err == nil {
		err = l.fs.syncFile(l.tailFile, last)
	}
	if err == nil {
		err = l.fs.syncDir(l.logDir)
	}
	if err != nil {
		var fe *FailedError
		if !errors.As(err, &fe) {
			err = &FailedError{Op: "recover", Path: l.logDir, Err: err}
		}
		l.mu.Lock()
		l.failErr = err
		l.stats.LastErr = err
		l.cond.Broadcast()
		l.mu.Unlock()
		l.logger.Warn("wal: recovery failed, still refusing writes", "err", err)
		return err
	}
	l.dirDirty = false
	size := segmentsSize(l.logDir)
	l.mu.Lock()
	l.written, l.synced = last, last
	l.publishLocked()
	l.size = size
	l.releaseLocked(last)
	l.failErr = nil
	l.stats.Recoveries++
	l.cond.Broadcast()
	l.mu.Unlock()
	l.logger.Info("wal: recovered, accepting writes", "rewritten", last-keep, "last", last)
	return nil
}

// reopenAt closes the tidwall log, cuts the segment files after record keep
// and opens it again. Caller holds storeMu and syncMu.
func (l *Log) reopenAt(keep uint64) error {
	if l.store != nil {
		// tidwall's Close fsyncs first; on a failing disk that can fail, and
		// the instance is dropped either way (its descriptor is closed by the
		// runtime when collected).
		if err := l.store.Close(); err != nil && !errors.Is(err, tidwall.ErrClosed) {
			l.logger.Warn("wal: closing the failed log", "err", err)
		}
		l.store = nil
	}
	if l.tailFile != nil {
		l.tailFile.Close()
		l.tailFile = nil
	}
	if _, err := finishPendingTruncation(l.fs, l.logDir); err != nil {
		return err
	}
	segs, err := listSegments(l.logDir)
	if err != nil {
		return err
	}
	if err := cutAfter(l.fs, l.logDir, segs, keep); err != nil {
		return err
	}
	if err := l.openStore(); err != nil {
		return err
	}
	l.mu.Lock()
	written := l.written
	l.mu.Unlock()
	if written != keep {
		return fmt.Errorf("wal: after cutting at record %d the log ends at %d", keep, written)
	}
	return nil
}

// cutAfter removes every record after keep from the segment files: later
// segments are deleted and the one holding record keep+1 is truncated there.
// These records are not lost: the caller holds them and writes them again.
func cutAfter(fs fsys, logDir string, segs []segmentFile, keep uint64) error {
	removed := false
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s.first > keep+1 {
			if err := fs.remove(s.path); err != nil {
				return err
			}
			removed = true
			continue
		}
		scan, err := scanSegment(s, true)
		if err != nil {
			return err
		}
		need := keep + 1 - s.first // records of this segment to keep
		if scan.records < need {
			return &CorruptionError{File: s.path, Offset: scan.goodEnd, Seq: s.first + scan.records, Kind: ProblemGap,
				Reason: fmt.Sprintf("records up to %d were written, but the segment holds good records only up to %d", keep, scan.last())}
		}
		cut := scan.goodEnd
		if need < scan.records {
			cut = scan.offsets[need]
		}
		if cut < scan.size {
			if err := fs.truncate(s.path, cut); err != nil {
				return err
			}
		}
		break
	}
	if removed {
		return fs.syncDir(logDir)
	}
	return nil
}

func segmentsSize(logDir string) int64 {
	segs, err := listSegments(logDir)
	if err != nil {
		return 0
	}
	var n int64
	for _, s := range segs {
		if fi, err := os.Stat(s.path); err == nil {
			n += fi.Size()
		}
	}
	return n
}
