package wal

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkAppendWait measures group commit: N goroutines each Append a
// 100-byte record and Wait for it, as N clients with one write each would.
//
//	go test -run '^$' -bench AppendWait -benchtime 2s ./wal/
func BenchmarkAppendWait(b *testing.B) {
	for _, p := range policies {
		for _, appenders := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/appenders=%d", p, appenders), func(b *testing.B) {
				l, _ := openLog(b, b.TempDir(), Options{Fsync: p})
				defer l.Close()
				record := make([]byte, 100)
				before := l.Stats()
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				for g := 0; g < appenders; g++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for next.Add(1) <= int64(b.N) {
							seq, err := l.Append(record)
							if err == nil {
								err = l.Wait(seq)
							}
							if err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				secs := b.Elapsed().Seconds()
				after := l.Stats()
				b.ReportMetric(float64(b.N)/secs, "records/s")
				b.ReportMetric(float64(after.Fsyncs-before.Fsyncs)/secs, "fsyncs/s")
				b.ReportMetric(float64(after.RecordsWritten-before.RecordsWritten)/float64(max(after.Batches-before.Batches, 1)), "records/batch")
			})
		}
	}
}
