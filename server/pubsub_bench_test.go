package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spool-dev/spool/server/servertest"
)

// BenchmarkPubSubFanout50 measures delivered messages per second with one
// publisher and 50 subscribers of one channel, against Spool (in this
// process) and a redis-server started for the run, and reports both and
// their ratio. The publisher pipelines PUBLISH 64 at a time with 64-byte
// payloads; a delivery counts when its bytes reached the subscriber's
// socket reader. b.N is the number of messages published per server:
//
//	go test ./server -run '^$' -bench PubSubFanout50 -benchtime 200000x
func BenchmarkPubSubFanout50(b *testing.B) {
	_, spoolAddr := servertest.Start(b, nil)
	redisAddr := servertest.StartRedis(b)
	spool := fanout(b, spoolAddr, 50, b.N)
	redis := fanout(b, redisAddr, 50, b.N)
	b.ReportMetric(spool, "spool-deliveries/s")
	b.ReportMetric(redis, "redis-deliveries/s")
	b.ReportMetric(spool/redis, "spool/redis")
}

// fanout publishes messages to subscribers connections of addr and returns
// the deliveries per second, from the first PUBLISH sent to the last byte
// received by the last subscriber.
func fanout(b *testing.B, addr string, subscribers, messages int) float64 {
	const channel, depth = "bench:fanout", 64
	payload := strings.Repeat("p", 64)
	frame := fmt.Sprintf("*3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(channel), channel, len(payload), payload)
	want := int64(messages) * int64(len(frame))

	var received atomic.Int64
	var wg sync.WaitGroup
	conns := make([]net.Conn, subscribers)
	for i := range conns {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		conns[i] = nc
		defer nc.Close()
		confirm := fmt.Sprintf("*3\r\n$9\r\nsubscribe\r\n$%d\r\n%s\r\n:1\r\n", len(channel), channel)
		if _, err := nc.Write(servertest.Encode("SUBSCRIBE", channel)); err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, len(confirm))
		if _, err := io.ReadFull(nc, buf); err != nil || string(buf) != confirm {
			b.Fatalf("SUBSCRIBE: %q %v", buf, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64<<10)
			var got int64
			for got < want {
				n, err := nc.Read(buf)
				got += int64(n)
				received.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
	}

	pub, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	var batch []byte
	for i := 0; i < depth; i++ {
		batch = append(batch, servertest.Encode("PUBLISH", channel, payload)...)
	}
	reply := fmt.Sprintf(":%d\r\n", subscribers)
	replies := bufio.NewReader(pub)
	start := time.Now()
	for sent := 0; sent < messages; sent += depth {
		n := min(depth, messages-sent)
		if _, err := pub.Write(batch[:n*len(batch)/depth]); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < n; j++ {
			line, err := replies.ReadString('\n')
			if err != nil || line != reply {
				b.Fatalf("PUBLISH: %q %v", line, err)
			}
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		b.Fatalf("%s: %d of %d bytes delivered", addr, received.Load(), want*int64(subscribers))
	}
	elapsed := time.Since(start)
	if got := received.Load(); got != want*int64(subscribers) {
		b.Fatalf("%s: %d of %d bytes delivered", addr, got, want*int64(subscribers))
	}
	return float64(messages) * float64(subscribers) / elapsed.Seconds()
}
