package wal

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	tidwall "github.com/tidwall/wal"
)

// Policy is the fsync policy, Redis's appendfsync.
type Policy int

const (
	// EverySec (the default, Redis's recommended setting): Wait returns once
	// a record is written to the OS, and a background fsync runs every
	// SyncInterval. A process crash loses nothing acknowledged; a power loss
	// can lose up to about a second.
	EverySec Policy = iota
	// Always: Wait returns only after the batch holding the record is
	// fsynced. Survives power loss.
	Always
	// No: Wait returns once the record is written to the OS; the OS decides
	// when it reaches the disk. Survives a process crash only.
	No
)

func (p Policy) String() string {
	switch p {
	case Always:
		return "always"
	case EverySec:
		return "everysec"
	case No:
		return "no"
	}
	return fmt.Sprintf("policy(%d)", int(p))
}

// ParsePolicy parses "always", "everysec" or "no" (the appendfsync values).
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "always":
		return Always, nil
	case "everysec":
		return EverySec, nil
	case "no":
		return No, nil
	}
	return 0, fmt.Errorf("wal: unknown fsync policy %q (want always, everysec or no)", s)
}

// Defaults for the zero fields of Options.
const (
	DefaultSegmentSize   = 4 << 20
	DefaultKeepSnapshots = 2
	DefaultSyncInterval  = time.Second
	DefaultRetryInterval = time.Second
)

// Options configure Open. The zero value is usable.
type Options struct {
	Fsync Policy
	// SegmentSize is the size at which the log moves to a new segment file.
	SegmentSize int
	// KeepSnapshots is how many snapshot files WriteSnapshot keeps (at least
	// 1). With 2, a newest snapshot found corrupt at start-up falls back to
	// the previous one, and the log is kept back to that one for it.
	KeepSnapshots int
	// SyncInterval is the period of the background fsync under EverySec.
	SyncInterval time.Duration
	// RetryInterval is how often a failed log tries to recover.
	RetryInterval time.Duration
	Logger        *slog.Logger
	// Hook, when set, observes every disk operation and can fail it (tests).
	Hook Hook
}

func (o Options) withDefaults() Options {
	if o.SegmentSize <= 0 {
		o.SegmentSize = DefaultSegmentSize
	}
	if o.KeepSnapshots <= 0 {
		o.KeepSnapshots = DefaultKeepSnapshots
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = DefaultRetryInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// logDirName is the subdirectory of the data directory that holds the
// tidwall/wal segments (tidwall treats every 20-digit file name in its
// directory as a segment, so it gets one of its own).
const logDirName = "log"

var (
	// ErrClosed is returned by operations on a closed Log.
	ErrClosed = errors.New("wal: log closed")
	// ErrFailed matches (errors.Is) the sticky error of a log whose write or
	// fsync failed; see Log.Err.
	ErrFailed = errors.New("wal: log failed")
	// ErrTruncated is returned by Replay when records it should replay were
	// removed by TruncateFront.
	ErrTruncated = errors.New("wal: records truncated")
)

// FailedError is the sticky error of a failed log. It unwraps to the error
// the disk returned (errors.Is(err, syscall.ENOSPC) works) and matches
// ErrFailed.
type FailedError struct {
	Op   string // what failed: "write", "fsync", "truncate-front", "recover"
	Path string
	Err  error
}

func (e *FailedError) Error() string {
	return fmt.Sprintf("wal: log failed, writes refused until it recovers: %s %s: %v", e.Op, e.Path, e.Err)
}

func (e *FailedError) Unwrap() error { return e.Err }

func (e *FailedError) Is(target error) bool { return target == ErrFailed }

// Stats are the numbers INFO persistence reports.
type Stats struct {
	Policy     Policy
	FirstSeq   uint64 // first record in the log
	LastSeq    uint64 // last record appended
	WrittenSeq uint64 // last record written to the OS
	SyncedSeq  uint64 // last record known to be fsynced
	Size       int64  // bytes in segment files
	// Since Open:
	BytesWritten   uint64
	RecordsWritten uint64
	Batches        uint64 // WriteBatch calls (group commit rounds)
	Fsyncs         uint64
	LastFsync      time.Duration // duration of the last fsync
	FsyncPending   bool          // an fsync is running now
	Recoveries     uint64
	Err            error     // the sticky error; nil while healthy
	FailedAt       time.Time // when Err was set
	LastErr        error     // the most recent write/fsync error, even if recovered since
	SnapshotSeq    uint64    // newest snapshot written or loaded, when HasSnapshot
	HasSnapshot    bool

	// FsyncTime is the total duration of Fsyncs, and FsyncLatency[i] counts
	// fsyncs that took at most FsyncBound(i) and more than FsyncBound(i-1);
	// its last slot counts slower ones.
	FsyncTime    time.Duration
	FsyncLatency [FsyncBuckets + 1]uint64
}

// Log is a durable, append-only log of opaque records with group commit,
// fsync policies, checksums, torn-tail repair and snapshots. All methods are
// safe for concurrent use.
type Log struct {
	dir, logDir string
	opts        Options
	fs          fsys
	logger      *slog.Logger
	lock        *dirLock

	// storeMu is held by whoever calls into the tidwall log or replaces it:
	// the committer's writes, TruncateFront, recovery, Replay's reads.
	// Lock order: storeMu, syncMu, mu.
	storeMu sync.Mutex
	store   *tidwall.Log
	tail    segmentTracker
	tbatch  tidwall.Batch

	// syncMu serialises fsyncs; it guards tailFile (a descriptor of the tail
	// segment of our own, so an fsync does not hold tidwall's lock and stall
	// writes) and dirDirty (a segment was created since the last dir fsync).
	syncMu   sync.Mutex
	tailFile *os.File
	dirDirty bool

	snapMu sync.Mutex // one WriteSnapshot at a time

	mu       sync.Mutex
	cond     *sync.Cond // broadcast when written, synced, failErr or closed change
	policy   Policy
	lastSeq  uint64   // last sequence number assigned by Append
	queue    *batch   // appended, not yet taken by the committer
	retained []*batch // taken by the committer and not yet durable: rewritten after a fault
	written  uint64
	synced   uint64
	firstSeq uint64
	size     int64
	failErr  error
	closing  bool
	closed   bool
	// batchBytes and batchRecords size a new queue like the last batch
	// taken, so that it rarely has to grow while records are appended.
	batchBytes, batchRecords int
	// leading is set while one goroutine (a waiter, Sync or the committer)
	// writes the queue: leader-based group commit, see leadLocked.
	leading bool
	// durable mirrors durableLocked's bound (written, or synced under
	// Always) for Wait's lock-free fast path; set by publishLocked.
	durable  atomic.Uint64
	snapshot *Snapshot // found by Open, handed out once by LoadSnapshot
	stats    Stats

	kick          chan struct{} // wakes the committer
	stop          chan struct{} // closed by Close
	committerDone chan struct{}
	syncerDone    chan struct{}
}

// Open opens (creating if needed) the data directory dir: it takes the
// directory lock (a second Open of the same directory, from any process,
// fails with ErrLocked), finds the newest valid snapshot (setting invalid
// newer ones aside as .broken, see Report.Snapshots), repairs the log, opens
// it and starts the committer.
//
// Repair at open: an interrupted TruncateFront is finished; a damaged tail
// of the last segment (torn entry, zero-filled or garbage bytes, a bad
// checksum, with no valid record after it) is cut back to the last good
// record after its bytes are saved in a .broken file; the cut is in the
// Report and logged. Anything else (a bad record before the tail, a missing
// or overlapping segment, a log that starts after the snapshot ends) is
// refused with a *CorruptionError naming the file, offset and record; see
// Check and Repair. When the snapshot is ahead of the whole log, the log is
// restarted just after the snapshot.
//
// The Report is returned even with an error, when there is one.
func Open(dir string, opts Options) (*Log, *Report, error) {
	opts = opts.withDefaults()
	lock, err := lockDir(dir, true)
	if err != nil {
		return nil, nil, err
	}
	l := &Log{
		dir:           dir,
		logDir:        filepath.Join(dir, logDirName),
		opts:          opts,
		fs:            fsys{hook: opts.Hook},
		logger:        opts.Logger,
		lock:          lock,
		policy:        opts.Fsync,
		kick:          make(chan struct{}, 1),
		stop:          make(chan struct{}),
		committerDone: make(chan struct{}),
		syncerDone:    make(chan struct{}),
	}
	l.cond = sync.NewCond(&l.mu)
	report, err := l.open()
	if err != nil {
		if l.store != nil {
			l.store.Close()
		}
		if l.tailFile != nil {
			l.tailFile.Close()
		}
		lock.release()
		return nil, report, err
	}
	go l.commitLoop()
	go l.syncLoop()
	return l, report, nil
}

func (l *Log) open() (*Report, error) {
	r := &Report{Dir: l.dir}
	if err := os.MkdirAll(l.logDir, 0o755); err != nil {
		return r, fmt.Errorf("wal: %w", err)
	}
	removeTemps(l.dir, l.logDir)
	snap, infos, err := newestSnapshot(l.dir)
	if err != nil {
		return r, fmt.Errorf("wal: snapshots: %w", err)
	}
	r.Snapshots = infos
	if snap != nil {
		r.HasSnapshot, r.SnapshotSeq = true, snap.Seq
		for _, s := range snap.Skipped {
			l.logger.Warn("wal: invalid snapshot skipped", "file", s.Path, "reason", s.Problem)
		}
	}
	if err := quarantineSnapshots(l.fs, l.dir, infos, r); err != nil {
		return r, err
	}
	if err := prepareLog(l.fs, l.logDir, r, l.logger); err != nil {
		return r, err
	}
	if err := l.openStore(); err != nil {
		return r, err
	}
	// Make what the previous process wrote durable (it may have died before
	// its fsync), so that synced is true from the start.
	if err := l.fs.syncFile(l.tailFile, l.written); err != nil {
		return r, fmt.Errorf("wal: fsync %s: %w", l.tailFile.Name(), err)
	}
	if err := l.fs.syncDir(l.logDir); err != nil {
		return r, fmt.Errorf("wal: fsync %s: %w", l.logDir, err)
	}
	if err := l.fs.syncDir(l.dir); err != nil {
		return r, fmt.Errorf("wal: fsync %s: %w", l.dir, err)
	}
	l.snapshot = snap
	if snap != nil {
		l.stats.SnapshotSeq, l.stats.HasSnapshot = snap.Seq, true
	}
	if len(r.Segments) == 0 {
		r.FirstSeq, r.LastSeq = l.firstSeq, l.written
	}
	return r, nil
}

// tidwallOptions are the options the log opens tidwall/wal with.
func tidwallOptions(segmentSize int) *tidwall.Options {
	return &tidwall.Options{
		NoSync:           true, // fsync is ours, per policy
		SegmentSize:      segmentSize,
		LogFormat:        tidwall.Binary, // the format the repair reads
		SegmentCacheSize: 1,              // tidwall keeps cached segments whole in memory
		NoCopy:           true,           // Replay's body is only valid during its callback
		AllowEmpty:       true,           // TruncateFront up to the last record
		DirPerms:         0o755,
		FilePerms:        0o644,
	}
}

// openStore opens the tidwall log (after repair) and the tail descriptor.
// Caller holds storeMu and syncMu, or is Open.
func (l *Log) openStore() error {
	st, err := tidwall.Open(l.logDir, tidwallOptions(l.opts.SegmentSize))
	if err != nil {
		return fmt.Errorf("wal: open %s: %w", l.logDir, err)
	}
	first, err1 := st.FirstIndex()
	last, err2 := st.LastIndex()
	if err := errors.Join(err1, err2); err != nil {
		st.Close()
		return fmt.Errorf("wal: open %s: %w", l.logDir, err)
	}
	segs, err := listSegments(l.logDir)
	if err != nil || len(segs) == 0 {
		st.Close()
		return fmt.Errorf("wal: open %s: list segments: %v", l.logDir, err)
	}
	var size int64
	for _, s := range segs {
		fi, err := os.Stat(s.path)
		if err != nil {
			st.Close()
			return fmt.Errorf("wal: %w", err)
		}
		size += fi.Size()
	}
	tailSeg := segs[len(segs)-1]
	fi, err := os.Stat(tailSeg.path)
	if err != nil {
		st.Close()
		return fmt.Errorf("wal: %w", err)
	}
	f, err := os.OpenFile(tailSeg.path, os.O_WRONLY, 0)
	if err != nil {
		st.Close()
		return fmt.Errorf("wal: %w", err)
	}
	l.store = st
	l.tail = segmentTracker{segmentSize: int64(l.opts.SegmentSize), first: tailSeg.first, size: fi.Size()}
	l.tailFile = f
	l.mu.Lock()
	l.firstSeq, l.written, l.synced, l.size = first, last, last, size
	l.publishLocked()
	if l.lastSeq < last {
		l.lastSeq = last
	}
	l.mu.Unlock()
	return nil
}

// Append assigns the next sequence number to body and queues it for the
// committer. It never waits for the disk: it is meant to be called with the
// caller's own state lock held, so that the order of Append calls is the
// order of the changes they describe. The log keeps its own copy of body.
//
// Append does not refuse records while the log is failed (see Err): the
// caller has already applied the change, and a record refused here would be
// missing from the log for good once the disk recovers. It queues the record,
// which is written when the log recovers; its Wait returns the sticky error
// meanwhile. Callers stop producing records by checking Err before making a
// change. Append fails only with ErrClosed once Close has begun.
func (l *Log) Append(body []byte) (seq uint64, err error) {
	crc := recordCRC(recordVersion, recordData, body) // outside the lock
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return 0, ErrClosed
	}
	if l.queue == nil {
		// Batches are not reused: the committer may still hold one that a
		// recovery has written and released.
		l.queue = &batch{first: l.lastSeq + 1, data: make([]byte, 0, l.batchBytes), ends: make([]int, 0, l.batchRecords)}
	}
	b := l.queue
	b.data = appendRecord(b.data, body, crc)
	b.ends = append(b.ends, len(b.data))
	l.lastSeq++
	seq = l.lastSeq
	first := b.count() == 1
	l.mu.Unlock()
	if first {
		// The committer writes a batch that nobody waits for (a client with
		// replies off, background changes) after committerDelay; a waiter
		// writes it itself before that (Wait).
		l.wakeCommitter()
	}
	return seq, nil
}

// Wait blocks until record seq is durable under the current policy: written
// to the OS (EverySec, No) or fsynced (Always). Records become durable in
// order, so one Wait for the last record of a pipeline covers all before it.
// It returns nil at once for seq 0 or a record already durable, the sticky
// error while the log is failed, ErrClosed once the log is closed, and an
// error for a seq that Append has not assigned.
//
// The first waiter that finds its record not yet durable and no write in
// progress becomes the leader of a group commit round: it writes everything
// queued (and fsyncs under Always) itself, and the others wait for it. This
// spares each waiter a hand-off to the committer goroutine and back.
func (l *Log) Wait(seq uint64) error {
	if seq <= l.durable.Load() {
		return nil // already durable: no need for the lock
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if seq > l.lastSeq {
		return fmt.Errorf("wal: wait for record %d: only %d appended", seq, l.lastSeq)
	}
	for {
		if l.durableLocked(seq) {
			return nil
		}
		if l.failErr != nil {
			return l.failErr
		}
		if l.closed {
			return ErrClosed
		}
		if !l.leading && !l.closing {
			l.leadLocked()
			continue
		}
		l.cond.Wait()
	}
}

// leadLocked runs one group commit round as its leader: it writes the queued
// records and, under Always, fsyncs them, then wakes every waiter. Leaders
// take turns (leading), so batches reach the store in sequence order. Caller
// holds mu and has checked that nobody leads; mu is released during the
// round and held again on return.
func (l *Log) leadLocked() bool {
	l.leading = true
	l.mu.Unlock()
	// Let the goroutines that are ready to run (typically other clients'
	// commands, about to append) queue their records first, so that one
	// write covers them: without it nearly every round at one command per
	// client wrote a single record (measured: 1.04 records per write at 50
	// clients, 17 with it). They wait for this round rather than lead.
	runtime.Gosched()
	worked := l.commitRound()
	l.mu.Lock()
	l.leading = false
	l.cond.Broadcast()
	return worked
}

// publishLocked updates the durable bound after written, synced or the
// policy changed. Caller holds mu.
func (l *Log) publishLocked() {
	if l.policy == Always {
		l.durable.Store(l.synced)
	} else {
		l.durable.Store(l.written)
	}
}

// durableLocked reports whether seq may be acknowledged. Caller holds mu.
func (l *Log) durableLocked(seq uint64) bool {
	if l.policy == Always {
		return seq <= l.synced
	}
	return seq <= l.written
}

// Err returns the sticky error of a failed log (a *FailedError, which
// matches ErrFailed), or nil. A write or fsync failure fails the log; it
// recovers in the background (every RetryInterval, or on Retry) by cutting
// the segment files back to the last record known durable and rewriting the
// records it still holds. Callers should refuse new changes while Err is set
// (the server replies -MISCONF).
func (l *Log) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failErr
}

// Retry tries to recover a failed log now instead of at the next
// RetryInterval, and returns the remaining sticky error (nil when healthy).
func (l *Log) Retry() error {
	if err := l.Err(); err == nil {
		return nil
	}
	err := l.recover()
	l.wakeCommitter()
	return err
}

// LastSeq returns the sequence number of the last record appended (0 for an
// empty, new log; after a restart, the last record in the log or the newest
// snapshot, whichever is later).
func (l *Log) LastSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastSeq
}

// Size returns the bytes in the log's segment files, for deciding when to
// write a snapshot.
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size
}

// Policy returns the current fsync policy.
func (l *Log) Policy() Policy {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.policy
}

// SetPolicy changes the fsync policy. Waiters re-check against the new
// policy; switching to Always fsyncs what is written but not yet synced.
func (l *Log) SetPolicy(p Policy) {
	l.mu.Lock()
	l.policy = p
	l.publishLocked()
	l.cond.Broadcast()
	l.mu.Unlock()
	l.wakeCommitter()
}

// Sync writes every record appended before the call and fsyncs it, whatever
// the policy. It returns the sticky error if the log is failed (or fails).
func (l *Log) Sync() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	target := l.lastSeq
	for l.written < target && l.failErr == nil && !l.closed {
		if !l.leading && !l.closing {
			l.leadLocked()
			continue
		}
		l.cond.Wait()
	}
	err := l.failErr
	if err == nil && l.written < target {
		err = ErrClosed
	}
	l.mu.Unlock()
	if err != nil {
		return err
	}
	return l.syncTail()
}

// Replay calls fn for every record after seq after that has been written,
// in order, checking each record's checksum. body is only valid during the
// call. It stops at the first error from fn and returns it. Replaying after
// LastSeq does nothing; replaying from before the first record in the log
// (records removed by TruncateFront) returns an error wrapping ErrTruncated
// without calling fn. A record that fails its checks returns a
// *CorruptionError.
func (l *Log) Replay(after uint64, fn func(seq uint64, body []byte) error) error {
	l.mu.Lock()
	first, last, closed := l.firstSeq, l.written, l.closed
	l.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if after+1 < first {
		return fmt.Errorf("%w: replay after record %d, but the log starts at %d", ErrTruncated, after, first)
	}
	for seq := after + 1; seq <= last; seq++ {
		l.storeMu.Lock()
		var data []byte
		var err error
		if l.store == nil {
			err = l.Err()
		} else {
			data, err = l.store.Read(seq)
		}
		l.storeMu.Unlock()
		if err != nil {
			return fmt.Errorf("wal: replay record %d: %w", seq, err)
		}
		body, kind, derr := decodeRecord(data)
		if derr != nil {
			return &CorruptionError{File: l.segmentFor(seq), Offset: -1, Seq: seq, Kind: kind, Reason: derr.Error()}
		}
		if err := fn(seq, body); err != nil {
			return err
		}
	}
	return nil
}

// segmentFor names the segment file that holds seq, for error messages.
func (l *Log) segmentFor(seq uint64) string {
	segs, _ := listSegments(l.logDir)
	name := l.logDir
	for _, s := range segs {
		if s.first <= seq {
			name = s.path
		}
	}
	return name
}

// TruncateFront removes the records up to and including seq from the front
// of the log, because a snapshot holds them. It removes only records that
// are both durable (written, under No) and in the newest snapshot, so a seq
// beyond either truncates less (and with no snapshot, nothing); a seq before
// the first record does nothing. WriteSnapshot calls it itself. A failure
// fails the log like a write failure.
func (l *Log) TruncateFront(seq uint64) error {
	l.storeMu.Lock()
	defer l.storeMu.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	if l.failErr != nil {
		err := l.failErr
		l.mu.Unlock()
		return err
	}
	stable := l.written
	if len(l.retained) > 0 {
		stable = l.retained[0].first - 1
	}
	// Records no snapshot holds must stay: Open refuses a log that starts
	// after the newest snapshot ends.
	covered := uint64(0)
	if l.stats.HasSnapshot {
		covered = l.stats.SnapshotSeq
	}
	target := min(seq, stable, covered)
	first := l.firstSeq
	l.mu.Unlock()
	if target < first {
		return nil
	}
	err := l.fs.do(Event{Op: OpTruncateFront, Path: l.logDir, Last: target}, func() error {
		return l.store.TruncateFront(target + 1)
	})
	if err == nil && target+1 >= l.tail.first {
		// The cut fell inside the tail segment: tidwall replaced it with a
		// new file named after target+1 (even when nothing of it was cut).
		var f *os.File
		var fi os.FileInfo
		path := filepath.Join(l.logDir, segmentName(target+1))
		if f, err = os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			if fi, err = f.Stat(); err == nil {
				l.syncMu.Lock()
				old := l.tailFile
				l.tailFile = f
				l.tail.first, l.tail.size = target+1, fi.Size()
				l.syncMu.Unlock()
				old.Close()
			} else {
				f.Close()
			}
		}
	}
	if err == nil {
		// tidwall removes and renames without fsyncing the directory.
		err = l.fs.syncDir(l.logDir)
	}
	if err != nil {
		err = &FailedError{Op: "truncate-front", Path: l.logDir, Err: err}
		l.fail(err)
		return err
	}
	size := segmentsSize(l.logDir)
	l.mu.Lock()
	l.firstSeq = target + 1
	l.size = size
	l.mu.Unlock()
	return nil
}

// Stats returns the current counters.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	s.Policy = l.policy
	s.FirstSeq, s.LastSeq, s.WrittenSeq, s.SyncedSeq = l.firstSeq, l.lastSeq, l.written, l.synced
	s.Size = l.size
	s.Err = l.failErr
	if s.Err == nil {
		s.FailedAt = time.Time{}
	}
	return s
}

// Close writes every queued record, fsyncs (whatever the policy), stops the
// background goroutines and releases the directory lock. If the log is
// failed it makes one last recovery attempt; if that fails, the records not
// yet written are dropped (none was acknowledged) and Close returns the
// sticky error. Appends after Close has begun fail with ErrClosed; waiters
// whose record did not become durable get the error. A second Close returns
// ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closing = true
	l.mu.Unlock()
	close(l.stop)
	<-l.committerDone
	<-l.syncerDone

	err := l.Err()
	if err == nil {
		err = l.syncTail()
	}
	l.storeMu.Lock()
	l.syncMu.Lock()
	if l.store != nil {
		if cerr := l.store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("wal: close: %w", cerr)
		}
		l.store = nil
	}
	if l.tailFile != nil {
		l.tailFile.Close()
		l.tailFile = nil
	}
	l.syncMu.Unlock()
	l.storeMu.Unlock()
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	if lerr := l.lock.release(); lerr != nil && err == nil {
		err = lerr
	}
	return err
}
