package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var policies = []Policy{Always, EverySec, No}

func TestRoundTrip(t *testing.T) {
	for _, p := range policies {
		for _, segSize := range []int{0, 4096} { // one segment; many
			t.Run(fmt.Sprintf("%s/segment=%d", p, segSize), func(t *testing.T) {
				dir := t.TempDir()
				l, _ := openLog(t, dir, Options{Fsync: p, SegmentSize: segSize})
				if n, _ := replayAll(t, l, 0); n != 0 || l.LastSeq() != 0 {
					t.Fatalf("new log: %d records, LastSeq %d", n, l.LastSeq())
				}
				last := appendN(t, l, 300)
				if last != 300 {
					t.Fatalf("last seq %d", last)
				}
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
				if err := l.Close(); !errors.Is(err, ErrClosed) {
					t.Fatalf("second Close: %v", err)
				}
				if _, err := l.Append(nil); !errors.Is(err, ErrClosed) {
					t.Fatalf("Append after Close: %v", err)
				}

				l, r := openLog(t, dir, Options{Fsync: p, SegmentSize: segSize})
				defer l.Close()
				if !r.OK() || len(r.Actions) != 0 {
					t.Fatalf("clean reopen reported %v", r)
				}
				if segSize > 0 && len(r.Segments) < 3 {
					t.Fatalf("want several segments, got %d", len(r.Segments))
				}
				if got := l.LastSeq(); got != 300 {
					t.Fatalf("LastSeq after reopen %d", got)
				}
				if n, last := replayAll(t, l, 0); n != 300 || last != 300 {
					t.Fatalf("replayed %d records, last %d", n, last)
				}
				if n, _ := replayAll(t, l, 250); n != 50 {
					t.Fatalf("Replay(250) gave %d records", n)
				}
				if n, _ := replayAll(t, l, 300); n != 0 {
					t.Fatalf("Replay(300) gave %d records", n)
				}
				if n, _ := replayAll(t, l, 1000); n != 0 {
					t.Fatalf("Replay(1000) gave %d records", n)
				}
				// Appending continues the sequence.
				if seq := appendN(t, l, 5); seq != 305 {
					t.Fatalf("seq after reopen %d", seq)
				}
				if st := l.Stats(); st.Size <= 0 || st.BytesWritten == 0 || st.RecordsWritten != 5 {
					t.Fatalf("stats %+v", st)
				}
			})
		}
	}
}

func TestSegmentSizeOnDiskMatchesSize(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{SegmentSize: 2048})
	defer l.Close()
	appendN(t, l, 200)
	if got, want := l.Size(), segmentsSize(filepath.Join(dir, logDirName)); got != want {
		t.Fatalf("Size %d, files hold %d", got, want)
	}
}

// TestWaitAfterDurable checks, per policy, that every Wait returns only
// after the operation that makes its record durable has completed: the
// write (everysec, no) or an fsync of the tail covering it (always). The
// recorder sees the order of operations; nothing depends on timing.
func TestWaitAfterDurable(t *testing.T) {
	for _, p := range policies {
		t.Run(p.String(), func(t *testing.T) {
			rec := &recorder{}
			l, _ := openLog(t, t.TempDir(), Options{Fsync: p, SegmentSize: 8192, Hook: rec.hook, SyncInterval: time.Hour})
			defer l.Close()
			opened := rec.count(OpSync)
			const appenders, each = 16, 40
			var wg sync.WaitGroup
			errs := make(chan error, appenders)
			for g := 0; g < appenders; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < each; i++ {
						seq, err := l.Append(make([]byte, 100))
						if err == nil {
							err = l.Wait(seq)
						}
						if err != nil {
							errs <- err
							return
						}
						if err := durableIn(rec.completed(), seq, p); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			st := l.Stats()
			if st.RecordsWritten != appenders*each {
				t.Fatalf("wrote %d records", st.RecordsWritten)
			}
			if p != Always && rec.count(OpSync) != opened {
				t.Fatalf("%s fsynced %d times in the foreground", p, rec.count(OpSync)-opened)
			}
			t.Logf("%s: %d records in %d batches, %d fsyncs", p, st.RecordsWritten, st.Batches, st.Fsyncs)
		})
	}
}

// durableIn checks that events (completed operations, in order) hold a
// successful write of seq and, under Always, a later successful fsync
// covering it.
func durableIn(events []Event, seq uint64, p Policy) error {
	written := -1
	for i, e := range events {
		if e.Op == OpWrite && e.Err == nil && e.First <= seq && seq <= e.Last {
			written = i
			break
		}
	}
	if written < 0 {
		return fmt.Errorf("Wait returned before record %d was written", seq)
	}
	if p != Always {
		return nil
	}
	for _, e := range events[written+1:] {
		if e.Op == OpSync && e.Err == nil && e.Last >= seq {
			return nil
		}
	}
	return fmt.Errorf("Wait returned before an fsync covered record %d", seq)
}

// TestGroupCommit holds the first fsync of an Always log and appends more
// records meanwhile: none of their waiters may return, and once the fsync is
// released the committer must write all of them with one WriteBatch and
// cover them with one fsync.
func TestGroupCommit(t *testing.T) {
	rec := &recorder{}
	entered := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	rec.block = func(e Event) {
		if e.Op == OpSync && e.Last == 1 {
			once.Do(func() {
				close(entered)
				<-release
			})
		}
	}
	l, _ := openLog(t, t.TempDir(), Options{Fsync: Always, Hook: rec.hook})
	defer l.Close()
	opened := len(rec.completed())

	returned := make(chan uint64, 100)
	wait := func(seq uint64) {
		if err := l.Wait(seq); err != nil {
			t.Error(err)
		}
		returned <- seq
	}
	first, _ := l.Append([]byte("first"))
	go wait(first)
	<-entered // the committer is inside the fsync of record 1

	const n = 50
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq, err := l.Append([]byte("grouped"))
			if err != nil {
				t.Error(err)
				return
			}
			go wait(seq)
		}()
	}
	wg.Wait()
	select {
	case seq := <-returned:
		t.Fatalf("Wait(%d) returned while the fsync was held", seq)
	default:
	}
	close(release)
	for i := 0; i < n+1; i++ {
		<-returned
	}
	var writes, syncs []Event
	for _, e := range rec.completed()[opened:] {
		switch e.Op {
		case OpWrite:
			writes = append(writes, e)
		case OpSync:
			syncs = append(syncs, e)
		}
	}
	if len(writes) != 2 || writes[0].First != 1 || writes[0].Last != 1 || writes[1].First != 2 || writes[1].Last != n+1 {
		t.Fatalf("want writes [1,1] and [2,%d], got %+v", n+1, writes)
	}
	if len(syncs) != 2 || syncs[1].Last != n+1 {
		t.Fatalf("want 2 fsyncs, the second covering %d, got %+v", n+1, syncs)
	}
}

func TestEverySecSyncsInBackground(t *testing.T) {
	rec := &recorder{}
	l, _ := openLog(t, t.TempDir(), Options{Fsync: EverySec, SyncInterval: 5 * time.Millisecond, Hook: rec.hook})
	defer l.Close()
	last := appendN(t, l, 20)
	waitFor(t, "background fsync", func() bool { return l.Stats().SyncedSeq == last })
	if err := durableIn(rec.completed(), last, Always); err != nil {
		t.Fatal(err)
	}
}

func TestNoPolicyLeavesSyncToCloseAndSync(t *testing.T) {
	rec := &recorder{}
	l, _ := openLog(t, t.TempDir(), Options{Fsync: No, SyncInterval: time.Millisecond, Hook: rec.hook})
	opened := rec.count(OpSync)
	last := appendN(t, l, 20)
	time.Sleep(20 * time.Millisecond) // an everysec log would have fsynced by now
	if got := rec.count(OpSync); got != opened {
		t.Fatalf("policy no fsynced %d times", got-opened)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	if l.Stats().SyncedSeq != last {
		t.Fatalf("Sync did not cover record %d", last)
	}
	appendN(t, l, 1)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := durableIn(rec.completed(), last+1, Always); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestSetPolicyToAlwaysSyncsPending(t *testing.T) {
	l, _ := openLog(t, t.TempDir(), Options{Fsync: No})
	defer l.Close()
	last := appendN(t, l, 10)
	l.SetPolicy(Always)
	if err := l.Wait(last); err != nil {
		t.Fatal(err)
	}
	if st := l.Stats(); st.SyncedSeq != last || st.Policy != Always {
		t.Fatalf("stats %+v", st)
	}
}

func TestWaitEdges(t *testing.T) {
	l, _ := openLog(t, t.TempDir(), Options{})
	if err := l.Wait(0); err != nil {
		t.Fatalf("Wait(0): %v", err)
	}
	if err := l.Wait(1); err == nil {
		t.Fatal("Wait for an unassigned record succeeded")
	}
	seq, _ := l.Append([]byte("x"))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Wait(seq); err != nil {
		t.Fatalf("Wait after Close for a flushed record: %v", err)
	}
}

func TestLockFile(t *testing.T) {
	dir := t.TempDir()
	l, _ := openLog(t, dir, Options{})
	if _, _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v", err)
	}
	if _, err := Check(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("Check while open: %v", err)
	}
	if _, err := Repair(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("Repair while open: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l, _ = openLog(t, dir, Options{})
	l.Close()
}

// TestWriteFaults injects write and fsync errors (disk full, I/O error),
// with and without a half-written record or lost page-cache data left
// behind, and checks that the log refuses further work with a sticky error,
// keeps queuing, recovers once the fault clears, and loses nothing that was
// acknowledged or queued.
func TestWriteFaults(t *testing.T) {
	cases := []struct {
		name   string
		policy Policy
		op     Op
		errno  syscall.Errno
		// damage runs when the fault fires, to leave the file the way a real
		// failure might.
		damage func(t *testing.T, e Event, syncedSize int64)
	}{
		{name: "write ENOSPC", policy: Always, op: OpWrite, errno: syscall.ENOSPC},
		{name: "write ENOSPC everysec", policy: EverySec, op: OpWrite, errno: syscall.ENOSPC},
		{name: "write ENOSPC no", policy: No, op: OpWrite, errno: syscall.ENOSPC},
		{name: "write EIO half a record", policy: Always, op: OpWrite, errno: syscall.EIO,
			damage: func(t *testing.T, e Event, _ int64) { appendBytes(t, e.Path, []byte{200, 1, 1, 1, 9}) }},
		{name: "write EIO half a record everysec", policy: EverySec, op: OpWrite, errno: syscall.EIO,
			damage: func(t *testing.T, e Event, _ int64) { appendBytes(t, e.Path, []byte{9, 1, 1}) }},
		{name: "fsync EIO", policy: Always, op: OpSync, errno: syscall.EIO},
		// After a failed fsync the kernel may drop the dirty pages: the
		// written records vanish from the file. They must be rewritten.
		{name: "fsync EIO pages lost", policy: Always, op: OpSync, errno: syscall.EIO,
			damage: func(t *testing.T, e Event, synced int64) { truncateTo(t, e.Path, synced) }},
		{name: "fsync EIO pages lost everysec", policy: EverySec, op: OpSync, errno: syscall.EIO,
			damage: func(t *testing.T, e Event, synced int64) { truncateTo(t, e.Path, synced) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			rec := &recorder{}
			var mu sync.Mutex
			syncedSize := map[string]int64{} // tail size at its last good fsync
			failing := false
			rec.setFail(func(e Event) error {
				mu.Lock()
				defer mu.Unlock()
				if e.Op == OpSync && !failing {
					if fi, err := os.Stat(e.Path); err == nil {
						syncedSize[e.Path] = fi.Size()
					}
				}
				if failing && e.Op == tc.op && filepath.Dir(e.Path) == filepath.Join(dir, logDirName) {
					if tc.damage != nil {
						tc.damage(t, e, syncedSize[e.Path])
					}
					return tc.errno
				}
				return nil
			})
			l, _ := openLog(t, dir, Options{Fsync: tc.policy, SegmentSize: 4096, Hook: rec.hook,
				SyncInterval: time.Hour, RetryInterval: time.Hour})
			defer l.Close()

			acked := appendN(t, l, 30)
			if err := l.Sync(); err != nil {
				t.Fatal(err)
			}
			// Under everysec/no these are acknowledged once written, before
			// any fsync: the fault must not lose them either.
			acked = appendN(t, l, 10)

			mu.Lock()
			failing = true
			mu.Unlock()
			seq, err := l.Append(body(acked + 1))
			if err != nil {
				t.Fatal(err)
			}
			if tc.op == OpSync && tc.policy != Always {
				err = l.Sync() // the fsync that fails
			} else {
				err = l.Wait(seq)
			}
			if !errors.Is(err, ErrFailed) || !errors.Is(err, tc.errno) {
				t.Fatalf("want a sticky %v, got %v", tc.errno, err)
			}
			if err := l.Err(); !errors.Is(err, tc.errno) {
				t.Fatalf("Err: %v", err)
			}
			// Still failed: appends queue, waits fail, truncation is refused.
			seq2, err := l.Append(body(seq + 1))
			if err != nil || seq2 != seq+1 {
				t.Fatalf("Append while failed: %d, %v", seq2, err)
			}
			if err := l.Wait(seq2); !errors.Is(err, ErrFailed) {
				t.Fatalf("Wait while failed: %v", err)
			}
			if err := l.TruncateFront(1); !errors.Is(err, ErrFailed) {
				t.Fatalf("TruncateFront while failed: %v", err)
			}
			if err := l.Retry(); !errors.Is(err, tc.errno) {
				t.Fatalf("Retry with the fault still there: %v", err)
			}
			if st := l.Stats(); st.Err == nil || st.FailedAt.IsZero() {
				t.Fatalf("stats while failed: %+v", st)
			}

			mu.Lock()
			failing = false
			mu.Unlock()
			if err := l.Retry(); err != nil {
				t.Fatalf("Retry after the fault cleared: %v", err)
			}
			if err := l.Wait(seq2); err != nil {
				t.Fatalf("Wait after recovery: %v", err)
			}
			last := appendN(t, l, 5)
			if st := l.Stats(); st.Err != nil || st.Recoveries != 1 || st.LastErr == nil {
				t.Fatalf("stats after recovery: %+v", st)
			}
			if n, got := replayAll(t, l, 0); n != int(last) || got != last {
				t.Fatalf("replayed %d records up to %d, want %d", n, got, last)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l, r := openLog(t, dir, Options{})
			defer l.Close()
			if !r.OK() {
				t.Fatalf("reopen after recovery: %v", r)
			}
			if n, got := replayAll(t, l, 0); n != int(last) || got != last {
				t.Fatalf("after reopen: %d records up to %d, want %d", n, got, last)
			}
		})
	}
}

// TestFaultRecoversInBackground leaves recovery to the committer's retry.
func TestFaultRecoversInBackground(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{}
	var mu sync.Mutex
	failing := true
	rec.setFail(func(e Event) error {
		mu.Lock()
		defer mu.Unlock()
		if failing && e.Op == OpWrite {
			return syscall.ENOSPC
		}
		return nil
	})
	l, _ := openLog(t, dir, Options{Fsync: Always, Hook: rec.hook, RetryInterval: time.Millisecond})
	defer l.Close()
	seq, _ := l.Append([]byte("a"))
	if err := l.Wait(seq); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Wait: %v", err)
	}
	mu.Lock()
	failing = false
	mu.Unlock()
	waitFor(t, "recovery", func() bool { return l.Err() == nil })
	if err := l.Wait(seq); err != nil {
		t.Fatal(err)
	}
}

// TestCloseWhileFailed: Close gives up on records it cannot write, returns
// the error, and the acknowledged ones are there on the next Open.
func TestCloseWhileFailed(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{}
	l, _ := openLog(t, dir, Options{Fsync: Always, Hook: rec.hook, RetryInterval: time.Hour})
	acked := appendN(t, l, 10)
	rec.setFail(func(e Event) error {
		if e.Op == OpWrite {
			return syscall.ENOSPC
		}
		return nil
	})
	seq, _ := l.Append([]byte("lost"))
	if err := l.Wait(seq); err == nil {
		t.Fatal("Wait succeeded on a full disk")
	}
	if err := l.Close(); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Close: %v", err)
	}
	l, _ = openLog(t, dir, Options{})
	defer l.Close()
	if n, last := replayAll(t, l, 0); n != int(acked) || last != acked {
		t.Fatalf("after reopen %d records, last %d, want %d", n, last, acked)
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Error(err)
	}
}

func truncateTo(t *testing.T, path string, size int64) {
	if err := os.Truncate(path, size); err != nil {
		t.Error(err)
	}
}

func TestTruncateFront(t *testing.T) {
	for _, p := range policies {
		t.Run(p.String(), func(t *testing.T) {
			dir := t.TempDir()
			l, _ := openLog(t, dir, Options{Fsync: p, SegmentSize: 2048, KeepSnapshots: 5})
			last := appendN(t, l, 100)
			if err := l.Sync(); err != nil {
				t.Fatal(err)
			}
			if err := l.TruncateFront(50); err != nil || l.Stats().FirstSeq != 1 {
				t.Fatalf("TruncateFront without a snapshot: first %d, %v", l.Stats().FirstSeq, err)
			}
			if err := l.WriteSnapshot(99, writeString("state@99")); err != nil {
				t.Fatal(err)
			}
			sizeBefore := l.Size()
			for _, cut := range []uint64{0, 10, 10, 60, 120} { // 120 is clamped to the snapshot
				if err := l.TruncateFront(cut); err != nil {
					t.Fatalf("TruncateFront(%d): %v", cut, err)
				}
			}
			if st := l.Stats(); st.FirstSeq != 100 || l.Size() >= sizeBefore {
				t.Fatalf("after TruncateFront(99): first %d, size %d (was %d)", st.FirstSeq, l.Size(), sizeBefore)
			}
			if err := l.Replay(0, func(uint64, []byte) error { return nil }); !errors.Is(err, ErrTruncated) {
				t.Fatalf("Replay(0) after truncation: %v", err)
			}
			if n, _ := replayAll(t, l, 99); n != 1 {
				t.Fatalf("Replay(99): %d records", n)
			}
			last = appendN(t, l, 50)
			// Everything, including the tail segment.
			if err := l.Sync(); err != nil {
				t.Fatal(err)
			}
			if err := l.WriteSnapshot(last, writeString("state")); err != nil {
				t.Fatal(err)
			}
			if err := l.TruncateFront(last); err != nil {
				t.Fatal(err)
			}
			last = appendN(t, l, 3)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l, r := openLog(t, dir, Options{})
			defer l.Close()
			if !r.OK() || r.FirstSeq != last-2 || r.LastSeq != last || r.SnapshotSeq != last-3 {
				t.Fatalf("reopen: %v", r)
			}
			if n, _ := replayAll(t, l, last-3); n != 3 {
				t.Fatalf("replayed %d", n)
			}
		})
	}
}

// TestTruncateFrontKeepsUnsynced: records written but not fsynced stay in
// the log, because a fault may still need to rewrite them.
func TestTruncateFrontKeepsUnsynced(t *testing.T) {
	l, _ := openLog(t, t.TempDir(), Options{Fsync: EverySec, SyncInterval: time.Hour})
	defer l.Close()
	appendN(t, l, 10)
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	last := appendN(t, l, 10)
	if err := l.WriteSnapshot(last, writeString("state")); err != nil {
		t.Fatal(err)
	}
	if err := l.TruncateFront(last); err != nil {
		t.Fatal(err)
	}
	if st := l.Stats(); st.FirstSeq != 11 {
		t.Fatalf("first %d, want 11", st.FirstSeq)
	}
}

// TestConcurrentStress runs appenders, snapshots (which truncate the log),
// replays, policy changes and injected faults at once, then checks after a
// reopen that the newest snapshot plus the log hold every record with the
// body it was appended with.
func TestConcurrentStress(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{}
	var ops, faults atomic.Int64
	rec.setFail(func(e Event) error {
		// Every 25th write or fsync of the log fails.
		if (e.Op == OpWrite || e.Op == OpSync) && filepath.Dir(e.Path) == filepath.Join(dir, logDirName) && e.Last > 0 &&
			ops.Add(1)%25 == 0 {
			faults.Add(1)
			return syscall.EIO
		}
		return nil
	})
	l, _ := openLog(t, dir, Options{Fsync: Always, SegmentSize: 2048, SyncInterval: time.Millisecond,
		RetryInterval: time.Millisecond, Hook: rec.hook})

	var mu sync.Mutex
	bodies := map[uint64]string{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 150; i++ {
				b := fmt.Sprintf("g%d-%d", g, i)
				mu.Lock() // the caller's state lock: Append order = apply order
				seq, err := l.Append([]byte(b))
				bodies[seq] = b
				mu.Unlock()
				if err != nil {
					t.Error(err)
					return
				}
				for l.Wait(seq) != nil {
					l.Retry()
				}
			}
		}()
	}
	var side sync.WaitGroup
	side.Add(1)
	go func() { // snapshots, replays and policy changes
		defer side.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			seq := l.LastSeq()
			if err := l.WriteSnapshot(seq, writeString(strconv.FormatUint(seq, 10))); err != nil &&
				!strings.Contains(err.Error(), "older than") {
				t.Error(err)
			}
			l.Replay(l.Stats().FirstSeq-1, func(uint64, []byte) error { return nil })
			l.SetPolicy(policies[i%len(policies)])
		}
	}()
	wg.Wait()
	close(stop)
	side.Wait()
	rec.setFail(nil)
	for l.Retry() != nil {
	}
	recoveries := l.Stats().Recoveries
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l, r := openLog(t, dir, Options{})
	defer l.Close()
	if !r.OK() {
		t.Fatalf("reopen: %v", r)
	}
	snap, err := l.LoadSnapshot()
	if err != nil || snap == nil {
		t.Fatalf("no snapshot: %v", err)
	}
	next := snap.Seq + 1
	err = l.Replay(snap.Seq, func(seq uint64, b []byte) error {
		if seq != next || string(b) != bodies[seq] {
			return fmt.Errorf("record %d = %q, want record %d = %q", seq, b, next, bodies[next])
		}
		next++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if next-1 != uint64(len(bodies)) {
		t.Fatalf("log ends at %d, %d records were appended", next-1, len(bodies))
	}
	if faults.Load() == 0 || recoveries == 0 {
		t.Fatalf("%d faults, %d recoveries: the test did not exercise recovery", faults.Load(), recoveries)
	}
	t.Logf("%d records, snapshot at %d, %d injected faults, %d recoveries", len(bodies), snap.Seq, faults.Load(), recoveries)
}
