package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// TestPubSubGoRedis drives SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE through
// go-redis with RESP3 (its default) and RESP2.
func TestPubSubGoRedis(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range newClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			pub := redis.NewClient(&redis.Options{Addr: addr})
			defer pub.Close()

			sub := c.Subscribe(ctx, name+":ch")
			defer sub.Close()
			confirm, err := sub.Receive(ctx)
			require.NoError(t, err)
			require.Equal(t, &redis.Subscription{Kind: "subscribe", Channel: name + ":ch", Count: 1}, confirm)
			require.NoError(t, sub.PSubscribe(ctx, name+":p*"))
			confirm, err = sub.Receive(ctx)
			require.NoError(t, err)
			require.Equal(t, &redis.Subscription{Kind: "psubscribe", Channel: name + ":p*", Count: 2}, confirm)

			require.Equal(t, int64(1), pub.Publish(ctx, name+":pq", "x").Val())
			require.Equal(t, int64(1), pub.Publish(ctx, name+":ch", "hello").Val())
			msg, err := sub.ReceiveMessage(ctx)
			require.NoError(t, err)
			require.Equal(t, redis.Message{Channel: name + ":pq", Pattern: name + ":p*", Payload: "x"}, *msg)
			msg, err = sub.ReceiveMessage(ctx)
			require.NoError(t, err)
			require.Equal(t, redis.Message{Channel: name + ":ch", Payload: "hello"}, *msg)

			// A channel that also matches a pattern is delivered twice and
			// counted twice, the channel's copy first.
			require.NoError(t, sub.Subscribe(ctx, name+":p1"))
			confirm, err = sub.Receive(ctx)
			require.NoError(t, err)
			require.Equal(t, &redis.Subscription{Kind: "subscribe", Channel: name + ":p1", Count: 3}, confirm)
			require.Equal(t, int64(2), pub.Publish(ctx, name+":p1", "twice").Val())
			msg, err = sub.ReceiveMessage(ctx)
			require.NoError(t, err)
			require.Equal(t, redis.Message{Channel: name + ":p1", Payload: "twice"}, *msg)
			msg, err = sub.ReceiveMessage(ctx)
			require.NoError(t, err)
			require.Equal(t, redis.Message{Channel: name + ":p1", Pattern: name + ":p*", Payload: "twice"}, *msg)

			require.NoError(t, sub.Unsubscribe(ctx, name+":ch"))
			confirm, err = sub.Receive(ctx)
			require.NoError(t, err)
			require.Equal(t, &redis.Subscription{Kind: "unsubscribe", Channel: name + ":ch", Count: 2}, confirm)
			require.Equal(t, int64(0), pub.Publish(ctx, name+":ch", "gone").Val())

			ssub := c.SSubscribe(ctx, name+":s")
			defer ssub.Close()
			confirm, err = ssub.Receive(ctx)
			require.NoError(t, err)
			require.Equal(t, &redis.Subscription{Kind: "ssubscribe", Channel: name + ":s", Count: 1}, confirm)
			require.Equal(t, int64(1), pub.SPublish(ctx, name+":s", "shard").Val())
			msg, err = ssub.ReceiveMessage(ctx)
			require.NoError(t, err)
			require.Equal(t, redis.Message{Channel: name + ":s", Payload: "shard"}, *msg)

			require.Equal(t, map[string]int64{name + ":s": 1}, pub.PubSubShardNumSub(ctx, name+":s").Val())
			require.Equal(t, map[string]int64{name + ":ch": 0}, pub.PubSubNumSub(ctx, name+":ch").Val())
			require.Equal(t, []string{name + ":s"}, pub.PubSubShardChannels(ctx, name+":*").Val())
		})
	}
}

// TestPubSubOrder: every subscriber, RESP2 or RESP3, gets every message
// once, in publish order, while the publisher pipelines.
func TestPubSubOrder(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const subscribers, messages = 12, 5000
	var wg sync.WaitGroup
	errs := make(chan error, subscribers)
	ready := make(chan struct{}, subscribers)
	for i := 0; i < subscribers; i++ {
		proto := 2 + i%2
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto})
		defer c.Close()
		var sub *redis.PubSub
		if i%3 == 0 {
			sub = c.PSubscribe(ctx, "order:*")
		} else {
			sub = c.Subscribe(ctx, "order:ch")
		}
		defer sub.Close()
		_, err := sub.Receive(ctx)
		require.NoError(t, err)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ready <- struct{}{}
			for want := 0; want < messages; want++ {
				msg, err := sub.ReceiveMessage(ctx)
				if err != nil {
					errs <- fmt.Errorf("subscriber %d at %d: %w", i, want, err)
					return
				}
				if msg.Payload != strconv.Itoa(want) {
					errs <- fmt.Errorf("subscriber %d: got %q, want %d", i, msg.Payload, want)
					return
				}
			}
		}(i)
	}
	for i := 0; i < subscribers; i++ {
		<-ready
	}
	pub := redis.NewClient(&redis.Options{Addr: addr})
	defer pub.Close()
	for sent := 0; sent < messages; {
		p := pub.Pipeline()
		for j := 0; j < 100 && sent < messages; j++ {
			p.Publish(ctx, "order:ch", strconv.Itoa(sent))
			sent++
		}
		cmds, err := p.Exec(ctx)
		require.NoError(t, err)
		for _, c := range cmds {
			require.Equal(t, int64(subscribers), c.(*redis.IntCmd).Val())
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// rawSubscriber subscribes over a socket and then reads nothing, like a
// consumer that hangs. (A tiny receive buffer would make the kernel trickle
// the rest out by zero-window probes once the server closes the socket.)
func rawSubscriber(t *testing.T, addr, channel string) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	_, err = nc.Write(servertest.Encode("SUBSCRIBE", channel))
	require.NoError(t, err)
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	reply, err := servertest.ReadReply(bufio.NewReaderSize(nc, 16))
	require.NoError(t, err)
	require.Contains(t, reply, "subscribe")
	return nc
}

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestPubSubSlowSubscriberDisconnected: a subscriber that stops reading is
// disconnected when its queue reaches the hard limit, while the publisher
// and a reading subscriber carry on, and the server's memory stays bounded
// although far more than the limit is published.
func TestPubSubSlowSubscriberDisconnected(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pub := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer pub.Close()
	require.NoError(t, pub.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 8mb 4mb 60").Err())

	slow := rawSubscriber(t, addr, "slow:ch")

	fastClient := redis.NewClient(&redis.Options{Addr: addr})
	defer fastClient.Close()
	fast := fastClient.Subscribe(ctx, "slow:ch")
	defer fast.Close()
	_, err := fast.Receive(ctx)
	require.NoError(t, err)

	const messages, size = 8000, 8 << 10 // 64 MB published
	payload := strings.Repeat("x", size)
	var received atomic.Int64
	fastDone := make(chan error, 1)
	go func() {
		for i := 0; i < messages; i++ {
			msg, err := fast.ReceiveMessage(ctx)
			if err != nil {
				fastDone <- err
				return
			}
			if len(msg.Payload) != size {
				fastDone <- fmt.Errorf("message %d: %d bytes", i, len(msg.Payload))
				return
			}
			received.Add(1)
		}
		fastDone <- nil
	}()

	runtime.GC()
	base := heapInUse()
	var peak uint64
	var counts []int64
	start := time.Now()
	for sent := 0; sent < messages; {
		p := pub.Pipeline()
		for j := 0; j < 50; j++ {
			p.Publish(ctx, "slow:ch", payload)
			sent++
		}
		cmds, err := p.Exec(ctx)
		require.NoError(t, err)
		for _, c := range cmds {
			n := c.(*redis.IntCmd).Val()
			if len(counts) == 0 || counts[len(counts)-1] != n {
				counts = append(counts, n)
			}
		}
		peak = max(peak, heapInUse())
	}
	publishTime := time.Since(start)
	require.NoError(t, <-fastDone, "the reading subscriber gets everything")
	require.Equal(t, int64(messages), received.Load())
	require.Equal(t, []int64{2, 1}, counts, "PUBLISH counts the slow subscriber until it is cut off")
	require.Equal(t, map[string]int64{"slow:ch": 1}, pub.PubSubNumSub(ctx, "slow:ch").Val())
	t.Logf("published 64 MB in %v; heap in use %d MB at start, %d MB at peak", publishTime, base>>20, peak>>20)
	require.Less(t, peak, base+32<<20, "memory stays bounded with a subscriber that stops reading")

	// The slow subscriber's connection was closed: what reached its socket
	// can still be read, then EOF.
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, slow)
	require.NoError(t, err)
	require.Less(t, n, int64(messages*size/4), "it got only a part of the stream")
}

// TestPubSubSoftLimit: staying over the soft limit for longer than its
// seconds disconnects; Redis counts whole seconds, so this takes one to two.
func TestPubSubSoftLimit(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pub := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer pub.Close()
	require.NoError(t, pub.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 0 256kb 0").Err())
	rawSubscriber(t, addr, "soft:ch")
	payload := strings.Repeat("y", 64<<10)
	deadline := time.Now().Add(10 * time.Second)
	for pub.Publish(ctx, "soft:ch", payload).Val() == 1 {
		require.True(t, time.Now().Before(deadline), "the subscriber stays over the soft limit and is not disconnected")
		time.Sleep(10 * time.Millisecond)
	}
	require.Equal(t, map[string]int64{"soft:ch": 0}, pub.PubSubNumSub(ctx, "soft:ch").Val())
}

// TestPubSubClientListAndInfo: CLIENT LIST's sub, psub, ssub, flags and
// omem, and INFO's pub/sub counts.
func TestPubSubClientListAndInfo(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	sub := servertest.Dial(t, addr)
	sub.Do("SUBSCRIBE", "info:a", "info:b")
	sub.Read()
	sub.Do("PSUBSCRIBE", "info:p*")
	sub.Do("SSUBSCRIBE", "info:s")
	admin := servertest.Dial(t, addr)
	list := admin.Do("CLIENT", "LIST", "TYPE", "pubsub")
	require.Contains(t, list, " flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 ")
	require.Contains(t, list, " omem=0 ")
	info := admin.Do("INFO", "stats")
	require.Contains(t, info, "\r\npubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n")

	// A subscriber that does not read shows its queue in omem and oll.
	rawSubscriber(t, addr, "info:stuck")
	payload := strings.Repeat("z", 64<<10)
	for i := 0; i < 256; i++ { // 16 MB: more than the kernel's socket buffers
		admin.Do("PUBLISH", "info:stuck", payload)
	}
	list = admin.Do("CLIENT", "LIST", "TYPE", "pubsub")
	var omem int
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, " sub=1 ") {
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "omem="); ok {
					omem, _ = strconv.Atoi(v)
				}
			}
		}
	}
	require.Greater(t, omem, 1<<20, "the stuck subscriber's queue: %s", list)

	sub.Do("RESET")
	require.Eventually(t, func() bool {
		return strings.Contains(admin.Do("INFO", "stats"), "\r\npubsub_channels:1\r\npubsub_patterns:0\r\npubsubshard_channels:0\r\n")
	}, 5*time.Second, 10*time.Millisecond)
}

// TestPubSubWhileBlocked: a RESP3 subscriber parked in XREAD BLOCK still
// receives its messages, then its XREAD reply.
func TestPubSubWhileBlocked(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("HELLO", "3")
	require.Equal(t, ">3\r\n$9\r\nsubscribe\r\n$5\r\nblk:c\r\n:1\r\n", c.Do("SUBSCRIBE", "blk:c"))
	c.WriteRaw(servertest.Encode("XREAD", "BLOCK", "0", "STREAMS", "blk:s", "$"))
	other := servertest.Dial(t, addr)
	require.Eventually(t, func() bool {
		return strings.Contains(other.Do("CLIENT", "LIST"), "flags=Pb")
	}, 5*time.Second, 5*time.Millisecond)
	for i := 0; i < 3; i++ {
		require.Equal(t, ":1\r\n", other.Do("PUBLISH", "blk:c", "m"+strconv.Itoa(i)))
		require.Equal(t, ">3\r\n$7\r\nmessage\r\n$5\r\nblk:c\r\n$2\r\nm"+strconv.Itoa(i)+"\r\n", c.Read())
	}
	require.Equal(t, "$3\r\n1-1\r\n", other.Do("XADD", "blk:s", "1-1", "f", "v"))
	require.Equal(t, "%1\r\n$5\r\nblk:s\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", c.Read())
	require.Equal(t, ":1\r\n", other.Do("PUBLISH", "blk:c", "after"))
	require.Equal(t, ">3\r\n$7\r\nmessage\r\n$5\r\nblk:c\r\n$5\r\nafter\r\n", c.Read())
}

// TestPubSubIdleTimeout: the timeout option spares subscribers, as in Redis.
func TestPubSubIdleTimeout(t *testing.T) {
	cfg := servertestConfig()
	cfg.Timeout = 1
	_, addr := servertest.Start(t, &cfg)
	sub := servertest.Dial(t, addr)
	sub.Do("SUBSCRIBE", "idle:c")
	idle := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", idle.Do("PING"))
	time.Sleep(2500 * time.Millisecond)
	_, err := idle.ReadErr(time.Second)
	require.ErrorIs(t, err, io.EOF, "a normal client is closed after the timeout")
	pub := servertest.Dial(t, addr)
	require.Equal(t, ":1\r\n", pub.Do("PUBLISH", "idle:c", "still here"))
	require.Equal(t, "*3\r\n$7\r\nmessage\r\n$6\r\nidle:c\r\n$10\r\nstill here\r\n", sub.Read())
}

// TestPubSubConcurrent runs publishers, subscribers that come and go, and
// RESETs at once (run it with -race); afterwards nothing is left behind.
func TestPubSubConcurrent(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for p := 0; p < 4; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2 + p%2})
			defer c.Close()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ch := "race:" + strconv.Itoa(i%4)
				if err := c.Publish(ctx, ch, "m").Err(); err != nil {
					t.Error(err)
					return
				}
				if i%3 == 0 {
					c.SPublish(ctx, ch, "s")
				}
			}
		}(p)
	}
	for s := 0; s < 8; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2 + s%2})
			defer c.Close()
			for round := 0; ; round++ {
				select {
				case <-stop:
					return
				default:
				}
				sub := c.Subscribe(ctx, "race:"+strconv.Itoa(s%4))
				sub.PSubscribe(ctx, "race:*")
				sub.SSubscribe(ctx, "race:"+strconv.Itoa(round%4))
				for i := 0; i < 20; i++ {
					if _, err := sub.ReceiveTimeout(ctx, 5*time.Second); err != nil {
						select {
						case <-stop: // the publishers are gone
						default:
							t.Errorf("subscriber %d: %v", s, err)
						}
						break
					}
				}
				sub.Unsubscribe(ctx)
				sub.Close()
			}
		}(s)
	}
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := servertest.Dial(t, addr)
			for i := 0; i < 200; i++ {
				c.WriteRaw(servertest.Encode("SUBSCRIBE", "race:0", "race:1"))
				c.WriteRaw(servertest.Encode("PSUBSCRIBE", "race:*"))
				c.WriteRaw(servertest.Encode("RESET"))
				for {
					if c.Read() == "+RESET\r\n" {
						break
					}
				}
			}
		}()
	}
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	admin := redis.NewClient(&redis.Options{Addr: addr})
	defer admin.Close()
	require.Eventually(t, func() bool {
		return admin.PubSubNumPat(ctx).Val() == 0 && len(admin.PubSubChannels(ctx, "*").Val()) == 0 &&
			len(admin.PubSubShardChannels(ctx, "*").Val()) == 0
	}, 10*time.Second, 10*time.Millisecond)
}

// TestPubSubConfigFile: the options as redis.conf lines: the output buffer
// limits as words, several lines merging, and CONFIG REWRITE's quoted form.
func TestPubSubConfigFile(t *testing.T) {
	cfg, err := server.LoadConfig([]string{
		"--client-output-buffer-limit", "pubsub", "1mb", "512kb", "10",
		"--client-output-buffer-limit", "normal 1 2 3",
		"--notify-keyspace-events", "KEA",
	})
	require.NoError(t, err)
	require.Equal(t, [3]server.OutputBufferLimit{
		{Hard: 1, Soft: 2, SoftSeconds: 3},
		{Hard: 256 << 20, Soft: 64 << 20, SoftSeconds: 60},
		{Hard: 1 << 20, Soft: 512 << 10, SoftSeconds: 10},
	}, cfg.OutputBufferLimits)
	require.Equal(t, "AKE", commands.FormatNotifyFlags(cfg.NotifyKeyspaceEvents))

	_, err = server.LoadConfig([]string{"--client-output-buffer-limit", "pubsub", "1mb", "512kb"})
	require.ErrorContains(t, err, "Wrong number of arguments in buffer limit configuration.")
	_, err = server.LoadConfig([]string{"--notify-keyspace-events", "KEZ"})
	require.ErrorContains(t, err, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
}
