package server_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
)

// fillStream adds n entries to stream s through the engine, as XADD from a
// client would, and, when pending > 0, delivers that many to a consumer group
// without acking them.
func fillStream(b *testing.B, srv *server.Server, n, pending int) {
	b.Helper()
	srv.Lock()
	defer srv.Unlock()
	e := srv.Engine()
	client := commands.NewClient(1, "bench", "bench", time.Now(), true)
	run := func(args ...string) {
		bargs := make([][]byte, len(args))
		for i, a := range args {
			bargs[i] = []byte(a)
		}
		ctx := e.NewContext(client, commands.DiscardReply{}, bargs)
		e.Execute(ctx)
	}
	for i := 0; i < n; i++ {
		run("XADD", "s", strconv.Itoa(i+1)+"-0", "f", "v")
	}
	if pending > 0 {
		run("XGROUP", "CREATE", "s", "g", "0")
		for i := 0; i < pending; i += 1000 {
			run("XREADGROUP", "GROUP", "g", "c"+strconv.Itoa(i%7), "COUNT", "1000", "STREAMS", "s", ">")
		}
	}
}

// BenchmarkSnapshotPause measures how long a snapshot holds the keyspace
// lock (the encoding of the dataset into memory) for 1M entries with 100k
// pending, and start-up from that snapshot.
func BenchmarkSnapshotPause(b *testing.B) {
	cfg := server.DefaultConfig()
	cfg.Dir = b.TempDir()
	srv, err := server.New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	if err := srv.WaitLoaded(); err != nil {
		b.Fatal(err)
	}
	fillStream(b, srv, 1_000_000, pendingForBench)
	b.ResetTimer()
	var capture *commands.SnapshotCapture
	for i := 0; i < b.N; i++ {
		srv.Lock()
		capture, err = srv.Engine().CaptureSnapshot()
		srv.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	body := capture.AppendTo(nil)
	b.ReportMetric(float64(len(body)), "snapshot-bytes")
	start := time.Now()
	fresh := commands.NewEngine(16, srv, nil)
	if err := fresh.LoadSnapshot(body); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "load-ms")
}

// pendingForBench is the PEL size of BenchmarkSnapshotPause; set
// SPOOL_BENCH_PENDING=0 to measure the stream alone.
var pendingForBench = func() int {
	if v, err := strconv.Atoi(os.Getenv("SPOOL_BENCH_PENDING")); err == nil {
		return v
	}
	return 100_000
}()
