package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server/servertest"
)

// TestWorkQueuePromise: worker a takes MAXPENDING jobs and crashes holding
// them; b and c get them after ACKWAIT (delivery count 2) and do every job;
// the poison job is tried MAXDELIVER times, then waits in the DLQ with the
// xq-* fields and a notice; after the fix, XQ.REDRIVE sends it back and it
// is done. Every job is done at least once, nothing is left pending, and
// XQ.STATS adds up.
func TestWorkQueuePromise(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()

	const stream, n, poison = "jobs", 20, 7
	p := Policy{AckWait: 200 * time.Millisecond, MaxDeliver: 3, MaxPending: 5}
	rep, err := Demo(ctx, rdb, stream, n, poison, p)
	if err != nil {
		t.Fatal(err)
	}

	// MAXPENDING: a asked for 10 and got 5.
	if len(rep.Crashed) != p.MaxPending {
		t.Fatalf("worker a got %d jobs; want MAXPENDING = %d", len(rep.Crashed), p.MaxPending)
	}
	// Each job a held went to b or c, once more, and was done there.
	for _, d := range rep.Crashed {
		var to []string
		for _, r := range rep.Deliveries {
			if r.ID == d.ID {
				to = append(to, r.Worker)
			}
		}
		if len(to) != 1 || (to[0] != "b" && to[0] != "c") {
			t.Errorf("%s held by the crashed worker was delivered to %v; want once, to b or c", d.Job, to)
		}
		if !slices.Equal(rep.Done[d.Job], to) {
			t.Errorf("%s done by %v; want %v", d.Job, rep.Done[d.Job], to)
		}
	}
	// Every job done at least once (the redriven one included).
	for _, job := range rep.Jobs {
		if len(rep.Done[job]) == 0 {
			t.Errorf("%s was never done", job)
		}
	}
	// The poison job: MAXDELIVER deliveries, then the DLQ with its fields.
	poisonJob := rep.Jobs[poison]
	tries := rep.Tries[poisonJob]     // in delivery order
	if len(tries) != p.MaxDeliver+1 { // three failures, then the redriven entry
		t.Errorf("%s delivered to %v; want %d failed tries and the redriven one", poisonJob, tries, p.MaxDeliver)
	}
	if len(rep.DeadLetters) != 1 {
		t.Fatalf("dead letters: %+v; want one", rep.DeadLetters)
	}
	dl := rep.DeadLetters[0]
	want := DeadLetter{ID: dl.ID, Job: poisonJob, Source: stream, SourceID: dl.SourceID, Group: "workers",
		Consumer: tries[p.MaxDeliver-1], Deliveries: p.MaxDeliver, Reason: "maxdeliver"}
	if dl != want {
		t.Errorf("dead letter %+v; want %+v", dl, want)
	}
	if !slices.Equal(rep.Notices, []string{dl.SourceID}) {
		t.Errorf("notices %v; want [%s]", rep.Notices, dl.SourceID)
	}
	if rep.Redriven != 1 {
		t.Errorf("XQ.REDRIVE moved %d; want 1", rep.Redriven)
	}
	if n, err := rdb.XLen(ctx, DLQKey(stream)).Result(); err != nil || n != 0 {
		t.Errorf("DLQ length after the redrive: %d, %v; want 0", n, err)
	}

	// XQ.STATS: a's 5 jobs and the poison job's 2 retries were redelivered;
	// every entry delivered left the PEL by XACK or the DLQ.
	st := rep.Stats
	if st["pending"] != 0 || st["dead-lettered"] != 1 || st["redelivered"] != int64(p.MaxPending+p.MaxDeliver-1) {
		t.Errorf("XQ.STATS %v; want pending 0, dead-lettered 1, redelivered %d", st, p.MaxPending+p.MaxDeliver-1)
	}
	if st["delivered"]-st["redelivered"] != st["acked"]+st["dead-lettered"]+st["pending"] || st["acked"] != n {
		t.Errorf("XQ.STATS %v do not add up: want delivered - redelivered = acked + dead-lettered + pending, acked %d", st, n)
	}
}
