package wal

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// batch is a run of consecutive records, framed and concatenated.
type batch struct {
	first uint64 // seq of the first record
	data  []byte
	ends  []int // end offset of each record in data
}

func (b *batch) count() int   { return len(b.ends) }
func (b *batch) last() uint64 { return b.first + uint64(len(b.ends)) - 1 }

func (b *batch) record(i int) []byte {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.data[start:b.ends[i]]
}

// segmentTracker follows tidwall/wal's tail segment so that the log knows,
// without asking the library, which file to fsync and when a new segment
// (a new directory entry, which needs a directory fsync) was created.
type segmentTracker struct {
	segmentSize int64
	first       uint64 // first index of the tail segment
	size        int64  // bytes in it
}

// advance mirrors tidwall/wal's writeBatch: a tail already over the size
// cycles before the batch, and an entry that brings it to the size cycles
// right after that entry (to a segment named after the next index).
func (t segmentTracker) advance(b *batch) (next segmentTracker, cycled bool) {
	if t.size > t.segmentSize {
		t.first, t.size, cycled = b.first, 0, true
	}
	for i := 0; i < b.count(); i++ {
		t.size += int64(entrySize(len(b.record(i))))
		if t.size >= t.segmentSize {
			t.first, t.size, cycled = b.first+uint64(i)+1, 0, true
		}
	}
	return t, cycled
}

func (l *Log) wakeCommitter() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// releaseLocked drops retained batches up to seq: they no longer need to be
// rewritten after a fault. Caller holds mu.
func (l *Log) releaseLocked(seq uint64) {
	n := 0
	for n < len(l.retained) && l.retained[n].last() <= seq {
		n++
	}
	if n > 0 {
		kept := copy(l.retained, l.retained[n:])
		// Clear the vacated slots: a released batch left in the backing
		// array stays reachable, and under everysec a second of writes is
		// tens of megabytes.
		clear(l.retained[kept:])
		l.retained = l.retained[:kept]
	}
}

// fail makes err the sticky error (unless one is set already) and wakes
// every waiter.
func (l *Log) fail(err error) {
	l.mu.Lock()
	first := l.failErr == nil
	if first {
		l.failErr = err
		l.stats.FailedAt = time.Now()
	}
	l.stats.LastErr = err
	l.cond.Broadcast()
	l.mu.Unlock()
	if first {
		l.logger.Error("wal: log failed, refusing writes until it recovers", "err", err)
	}
	l.wakeCommitter()
}

// commitLoop is the committer goroutine: it writes whatever was appended
// since its last round as one batch, fsyncs it under Always, and while the
// log is failed tries to recover every RetryInterval.
func (l *Log) commitLoop() {
	defer close(l.committerDone)
	finalAttempt := false
	var retryAt time.Time // next recovery attempt while failed
	for {
		l.mu.Lock()
		failed, closing := l.failErr != nil, l.closing
		l.mu.Unlock()
		if failed {
			if closing {
				if finalAttempt {
					return
				}
				finalAttempt = true
			} else {
				if retryAt.IsZero() {
					retryAt = time.Now().Add(l.opts.RetryInterval)
				}
				timer := time.NewTimer(time.Until(retryAt))
				select {
				case <-l.stop:
				case <-timer.C:
				case <-l.kick:
					// Maybe Retry recovered the log; look again, keeping
					// the retry deadline.
					timer.Stop()
					continue
				}
				timer.Stop()
			}
			retryAt = time.Time{}
			l.recover()
			continue
		}
		retryAt = time.Time{}
		worked := l.commitAsCommitter()
		l.mu.Lock()
		failed, closing = l.failErr != nil, l.closing
		l.mu.Unlock()
		if failed {
			continue
		}
		if closing {
			if worked {
				continue // drain everything before Close goes on
			}
			return
		}
		select {
		case <-l.kick:
			// Give waiters the chance to write their batch themselves
			// (leader-based group commit); only then write what is left.
			delay := time.NewTimer(committerDelay)
			select {
			case <-delay.C:
			case <-l.stop:
				delay.Stop()
			}
		case <-l.stop:
		}
	}
}

// maxBatchHint bounds the memory a new queue is given up front.
const maxBatchHint = 1 << 20

// committerDelay is how long the committer leaves a new batch to its
// waiters before writing it itself: a batch nobody waits for (the replies
// of its client are off, or no client caused it) is written after at most
// about this long.
const committerDelay = time.Millisecond

// commitAsCommitter runs a commit round for the committer goroutine and
// reports whether it did any work. While a waiter leads a round, it leaves
// the work to the waiters and kicks itself to look again after the next
// delay: records queued after that leader took its batch are written by the
// next leader, or by the committer once no round is running. Once the log
// is closing it waits for the leader and drains the queue itself.
func (l *Log) commitAsCommitter() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leading && !l.closing {
		if l.queue != nil && l.queue.count() > 0 {
			l.wakeCommitter()
		}
		return false
	}
	for l.leading {
		l.cond.Wait()
	}
	return l.leadLocked()
}

// commitRound writes the queued records, if any, and reports whether it did
// any work.
func (l *Log) commitRound() bool {
	l.mu.Lock()
	b := l.queue
	if b == nil || b.count() == 0 {
		needSync := l.policy == Always && l.written > l.synced
		l.mu.Unlock()
		if needSync {
			return l.syncTail() == nil
		}
		return false
	}
	l.queue = nil
	l.batchBytes, l.batchRecords = min(len(b.data), maxBatchHint), min(len(b.ends), maxBatchHint/8)
	l.retained = append(l.retained, b)
	l.mu.Unlock()

	if err := l.writeBatch(b); err != nil {
		return false
	}
	l.mu.Lock()
	always := l.policy == Always
	l.mu.Unlock()
	if always {
		l.syncTail()
	}
	return true
}

// writeBatch writes b with one tidwall WriteBatch and publishes it as
// written. A failure fails the log; b stays retained for recovery.
func (l *Log) writeBatch(b *batch) error {
	l.storeMu.Lock()
	defer l.storeMu.Unlock()
	l.mu.Lock()
	// A recovery that ran since b was taken has written it already, or will.
	if l.failErr != nil || l.written >= b.last() {
		err := l.failErr
		l.mu.Unlock()
		return err
	}
	l.mu.Unlock()
	next, cycled := l.tail.advance(b)
	l.tbatch.Clear()
	var bytes int64
	for i := 0; i < b.count(); i++ {
		rec := b.record(i)
		l.tbatch.Write(b.first+uint64(i), rec)
		bytes += int64(entrySize(len(rec)))
	}
	path := l.tailFile.Name()
	err := l.fs.do(Event{Op: OpWrite, Path: path, First: b.first, Last: b.last()}, func() error {
		return l.store.WriteBatch(&l.tbatch)
	})
	if err != nil {
		l.fail(&FailedError{Op: "write", Path: path, Err: err})
		return err
	}
	if cycled {
		// tidwall fsynced and closed the old segment itself; the new one is a
		// new directory entry and our descriptor must follow it.
		if err := l.switchTail(next); err != nil {
			l.fail(&FailedError{Op: "write", Path: l.logDir, Err: err})
			return err
		}
	} else {
		l.tail = next
	}
	l.mu.Lock()
	l.written = b.last()
	l.publishLocked()
	l.size += bytes
	l.stats.BytesWritten += uint64(bytes)
	l.stats.RecordsWritten += uint64(b.count())
	l.stats.Batches++
	if l.policy == No {
		l.releaseLocked(l.written)
	}
	if !l.leading { // a leader wakes everyone once, at the end of its round
		l.cond.Broadcast()
	}
	l.mu.Unlock()
	return nil
}

// switchTail points the tail descriptor at the segment tidwall cycled to.
// Caller holds storeMu.
func (l *Log) switchTail(next segmentTracker) error {
	path := filepath.Join(l.logDir, segmentName(next.first))
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		// tidwall did not create the segment where segmentTracker said it
		// would: the format assumptions no longer hold.
		return fmt.Errorf("tidwall/wal segment layout changed: %w", err)
	}
	l.syncMu.Lock()
	old := l.tailFile
	l.tailFile, l.dirDirty, l.tail = f, true, next
	l.syncMu.Unlock()
	old.Close()
	return nil
}

// syncTail fsyncs the tail segment (and the directory when a segment was
// created since the last time), then publishes everything written before it
// started as synced. A failure fails the log.
func (l *Log) syncTail() error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	l.mu.Lock()
	if l.failErr != nil {
		err := l.failErr
		l.mu.Unlock()
		return err
	}
	target := l.written
	if target <= l.synced && !l.dirDirty {
		l.mu.Unlock()
		return nil
	}
	f, dirty := l.tailFile, l.dirDirty
	l.stats.FsyncPending = true
	l.mu.Unlock()

	start := time.Now()
	err := l.fs.syncFile(f, target)
	path := f.Name()
	if err == nil && dirty {
		path = l.logDir
		if err = l.fs.syncDir(l.logDir); err == nil {
			l.dirDirty = false
		}
	}
	took := time.Since(start)

	l.mu.Lock()
	l.stats.FsyncPending = false
	l.stats.Fsyncs++
	l.stats.LastFsync = took
	l.stats.FsyncTime += took
	l.stats.FsyncLatency[fsyncBucket(took)]++
	if err == nil {
		if target > l.synced {
			l.synced = target
			l.publishLocked()
		}
		l.releaseLocked(target)
		if !l.leading { // else the leader wakes everyone at its round's end
			l.cond.Broadcast()
		}
	}
	l.mu.Unlock()
	if err != nil {
		err = &FailedError{Op: "fsync", Path: path, Err: err}
		l.fail(err)
	}
	return err
}

// syncLoop fsyncs once per SyncInterval under EverySec.
func (l *Log) syncLoop() {
	defer close(l.syncerDone)
	t := time.NewTicker(l.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		due := l.policy == EverySec && l.failErr == nil && l.written > l.synced
		l.mu.Unlock()
		if due {
			l.syncTail()
		}
	}
}
