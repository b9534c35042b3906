package server_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spool-dev/spool/server/servertest"
)

// BenchmarkLPushBRPop moves b.N elements through a list from producers
// doing LPUSH to consumers blocked in BRPOP, first through Spool, then
// through redis-server (appendonly yes, appendfsync everysec, as Spool
// logs with its default everysec) started for the same run. It reports the
// time per element for each and Spool's time as a multiple of Redis's:
//
//	go test ./server -run '^$' -bench LPushBRPop -benchtime 50000x
func BenchmarkLPushBRPop(b *testing.B) {
	for _, shape := range []struct{ producers, consumers int }{{1, 1}, {4, 4}, {8, 32}} {
		name := strconv.Itoa(shape.producers) + "x" + strconv.Itoa(shape.consumers)
		b.Run(name, func(b *testing.B) {
			_, spoolAddr := servertest.Start(b, nil)
			redisAddr := servertest.StartRedis(b, "--appendonly", "yes", "--appendfsync", "everysec")
			spool := runListQueue(b, spoolAddr, b.N, shape.producers, shape.consumers)
			redisTime := runListQueue(b, redisAddr, b.N, shape.producers, shape.consumers)
			b.ReportMetric(float64(spool.Nanoseconds())/float64(b.N), "spool-ns/elem")
			b.ReportMetric(float64(redisTime.Nanoseconds())/float64(b.N), "redis-ns/elem")
			b.ReportMetric(float64(spool)/float64(redisTime), "spool/redis")
		})
	}
}

// runListQueue pushes n elements with the producers and pops them all with
// the consumers, and returns how long that took.
func runListQueue(b *testing.B, addr string, n, producers, consumers int) time.Duration {
	b.Helper()
	ctx := context.Background()
	newClient := func() *redis.Client {
		return redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1, MinIdleConns: 1})
	}
	admin := newClient()
	defer admin.Close()
	if err := admin.Del(ctx, "bench:q").Err(); err != nil {
		b.Fatal(err)
	}
	var popped atomic.Int64
	var wg sync.WaitGroup
	done := make(chan struct{})
	clients := make([]*redis.Client, consumers)
	for i := range clients {
		clients[i] = newClient()
		clients[i].Ping(ctx)
	}
	b.ResetTimer()
	start := time.Now()
	for _, c := range clients {
		wg.Add(1)
		go func(c *redis.Client) {
			defer wg.Done()
			defer c.Close()
			for {
				_, err := c.BRPop(ctx, time.Second, "bench:q").Result()
				if err == nil && popped.Add(1) == int64(n) {
					close(done)
				}
				select {
				case <-done:
					return
				default:
				}
			}
		}(c)
	}
	var pwg sync.WaitGroup
	for p := 0; p < producers; p++ {
		share := n / producers
		if p == 0 {
			share += n % producers
		}
		pwg.Add(1)
		go func(share int) {
			defer pwg.Done()
			c := newClient()
			defer c.Close()
			for i := 0; i < share; i++ {
				if err := c.LPush(ctx, "bench:q", "job").Err(); err != nil {
					b.Error(err)
					return
				}
			}
		}(share)
	}
	pwg.Wait()
	<-done
	elapsed := time.Since(start)
	b.StopTimer()
	// Wake the consumers still blocked, so that they see done.
	wake := make([]any, consumers)
	for i := range wake {
		wake[i] = "stop"
	}
	admin.LPush(ctx, "bench:q", wake...)
	wg.Wait()
	return elapsed
}
