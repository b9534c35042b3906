package server_test

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spool-dev/spool/server/servertest"
)

// BenchmarkZAddZPopMin measures sorted-set throughput on Spool (in this
// process) and on a redis-server started for the run: 8 connections
// pipelining 32 commands at a time first ZADD b.N members (as a delayed-job
// producer would, with due times as scores), then ZPOPMIN them all. It
// reports the operations per second of each phase on each server and the
// ratios:
//
//	go test ./server -run '^$' -bench ZAddZPopMin -benchtime 200000x
func BenchmarkZAddZPopMin(b *testing.B) {
	_, spoolAddr := servertest.Start(b, nil)
	redisAddr := servertest.StartRedis(b)
	spoolAdd, spoolPop := zaddZPopMin(b, spoolAddr, b.N)
	redisAdd, redisPop := zaddZPopMin(b, redisAddr, b.N)
	b.ReportMetric(spoolAdd, "spool-zadd/s")
	b.ReportMetric(redisAdd, "redis-zadd/s")
	b.ReportMetric(spoolAdd/redisAdd, "zadd-spool/redis")
	b.ReportMetric(spoolPop, "spool-zpopmin/s")
	b.ReportMetric(redisPop, "redis-zpopmin/s")
	b.ReportMetric(spoolPop/redisPop, "zpopmin-spool/redis")
}

// zaddZPopMin runs both phases against addr and returns their rates.
func zaddZPopMin(b *testing.B, addr string, n int) (adds, pops float64) {
	const conns, depth = 8, 32
	key := "bench:z:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	base := time.Now().UnixMilli()
	phase := func(command func(i int) []string, check func(reply string) bool) float64 {
		var wg sync.WaitGroup
		start := time.Now()
		for c := 0; c < conns; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				nc, br := benchDial(b, addr)
				defer nc.Close()
				var batch []byte
				for i := c; i < n; i += conns * depth {
					batch = batch[:0]
					sent := 0
					for j := i; j < n && sent < depth; j += conns {
						batch = append(batch, servertest.Encode(command(j)...)...)
						sent++
					}
					if _, err := nc.Write(batch); err != nil {
						b.Error(err)
						return
					}
					for k := 0; k < sent; k++ {
						reply, err := servertest.ReadReply(br)
						if err != nil || !check(reply) {
							b.Errorf("%s: reply %q, %v", addr, reply, err)
							return
						}
					}
				}
			}(c)
		}
		wg.Wait()
		return float64(n) / time.Since(start).Seconds()
	}
	adds = phase(func(i int) []string {
		return []string{"ZADD", key, strconv.FormatInt(base+int64(i%5000), 10), "job:" + strconv.Itoa(i)}
	}, func(r string) bool { return r == ":1\r\n" })
	pops = phase(func(int) []string { return []string{"ZPOPMIN", key} },
		func(r string) bool { return strings.HasPrefix(r, "*2\r\n$") && strings.Contains(r, "\r\njob:") })
	return adds, pops
}

// BenchmarkBZPopMin measures blocked-consumer throughput: 8 connections
// loop on BZPOPMIN while one producer pipelines ZADD of b.N members, on
// Spool and on redis-server in the same run. The rate is members delivered
// per second, from the first ZADD to the last pop:
//
//	go test ./server -run '^$' -bench BZPopMin -benchtime 100000x
func BenchmarkBZPopMin(b *testing.B) {
	_, spoolAddr := servertest.Start(b, nil)
	redisAddr := servertest.StartRedis(b)
	spool := bzpopmin(b, spoolAddr, b.N)
	redis := bzpopmin(b, redisAddr, b.N)
	b.ReportMetric(spool, "spool-pops/s")
	b.ReportMetric(redis, "redis-pops/s")
	b.ReportMetric(spool/redis, "spool/redis")
}

func bzpopmin(b *testing.B, addr string, n int) float64 {
	const consumers, depth = 8, 64
	key := "bench:bz:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	popped := make(chan int, consumers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := 0; c < consumers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nc, br := benchDial(b, addr)
			defer nc.Close()
			got := 0
			defer func() { popped <- got }()
			cmd := servertest.Encode("BZPOPMIN", key, "0.2")
			for {
				if _, err := nc.Write(cmd); err != nil {
					b.Error(err)
					return
				}
				reply, err := servertest.ReadReply(br)
				if err != nil {
					b.Error(err)
					return
				}
				if reply == "*-1\r\n" {
					select {
					case <-stop:
						return
					default:
						continue
					}
				}
				got++
			}
		}()
	}
	time.Sleep(100 * time.Millisecond) // let the consumers block
	nc, br := benchDial(b, addr)
	defer nc.Close()
	start := time.Now()
	var batch []byte
	for sent := 0; sent < n; {
		batch = batch[:0]
		k := 0
		for ; k < depth && sent+k < n; k++ {
			batch = append(batch, servertest.Encode("ZADD", key, strconv.Itoa(sent+k), "m"+strconv.Itoa(sent+k))...)
		}
		if _, err := nc.Write(batch); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < k; j++ {
			if _, err := servertest.ReadReply(br); err != nil {
				b.Fatal(err)
			}
		}
		sent += k
	}
	// Wait until every member is popped (ZCARD 0 and nothing in flight).
	for {
		nc.Write(servertest.Encode("ZCARD", key))
		reply, err := servertest.ReadReply(br)
		if err != nil {
			b.Fatal(err)
		}
		if reply == ":0\r\n" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	total := 0
	for c := 0; c < consumers; c++ {
		total += <-popped
	}
	if total != n {
		b.Fatalf("%s: %d of %d members popped", addr, total, n)
	}
	return float64(n) / elapsed.Seconds()
}

func benchDial(b *testing.B, addr string) (net.Conn, *bufio.Reader) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	return nc, bufio.NewReaderSize(nc, 64<<10)
}
