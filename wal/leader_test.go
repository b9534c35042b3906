package wal

import (
	"sync"
	"testing"
	"time"
)

// TestUnwaitedRecordWrittenAfterLongRound appends a record that nobody waits
// for (a client with replies off) while a waiter leads a round stuck in its
// fsync: once that round ends, the committer must write the record without
// any further Append or Wait.
func TestUnwaitedRecordWrittenAfterLongRound(t *testing.T) {
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

	first, _ := l.Append([]byte("waited"))
	waited := make(chan error, 1)
	go func() { waited <- l.Wait(first) }()
	<-entered // the waiter leads and is inside the fsync of record 1

	unwaited, err := l.Append([]byte("nobody waits"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * committerDelay) // the committer looks while the round runs
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().SyncedSeq < unwaited {
		if time.Now().After(deadline) {
			t.Fatalf("record %d not written and synced: %+v", unwaited, l.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}
