package server_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
	"github.com/spool-dev/spool/wal"
)

func persistConfig(dir string) *server.Config {
	cfg := server.DefaultConfig()
	cfg.Dir = dir
	cfg.EnableDebugCommand = "yes"
	return &cfg
}

// TestRestartKeepsData writes, snapshots, writes more, reloads from disk
// and restarts on the same directory: every acknowledged write is there.
func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	srv, addr := servertest.Start(t, persistConfig(dir))
	c := redis.NewClient(&redis.Options{Addr: addr})
	for i := 0; i < 200; i++ {
		require.NoError(t, c.Set(ctx, "k"+strconv.Itoa(i), i, 0).Err())
	}
	require.NoError(t, c.Set(ctx, "ttl", "v", time.Hour).Err())
	require.NoError(t, c.Incr(ctx, "counter").Err())
	require.Equal(t, "OK", c.Save(ctx).Val())
	require.NoError(t, c.Incr(ctx, "counter").Err())
	require.NoError(t, c.Append(ctx, "k5", "x").Err())
	require.NoError(t, c.Do(ctx, "DEBUG", "RELOAD").Err())
	require.Equal(t, "5x", c.Get(ctx, "k5").Val())
	require.Equal(t, "2", c.Get(ctx, "counter").Val())
	require.NoError(t, c.Incr(ctx, "counter").Err())
	c.Close()
	srv.Close()

	_, addr = servertest.Start(t, persistConfig(dir))
	c = redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	require.Equal(t, int64(202), c.DBSize(ctx).Val())
	require.Equal(t, "3", c.Get(ctx, "counter").Val())
	require.Equal(t, "5x", c.Get(ctx, "k5").Val())
	ttl := c.TTL(ctx, "ttl").Val()
	require.True(t, ttl > 59*time.Minute && ttl <= time.Hour, "ttl %v", ttl)
	require.NotZero(t, c.LastSave(ctx).Val())
}

// TestDiskFailureRefusesWrites: while the log cannot write, writes get
// MISCONF and reads go on; once the disk recovers, writes resume and nothing
// acknowledged is lost.
func TestDiskFailureRefusesWrites(t *testing.T) {
	dir := t.TempDir()
	var failing atomic.Bool
	cfg := persistConfig(dir)
	cfg.WALHook = func(e wal.Event) error {
		if !e.Done && failing.Load() && (e.Op == wal.OpWrite || e.Op == wal.OpSync) {
			return syscall.ENOSPC
		}
		return nil
	}
	srv, addr := servertest.Start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	require.NoError(t, c.Set(ctx, "before", "1", 0).Err())

	failing.Store(true)
	// This write is applied in memory and queued; its reply waits for the
	// disk, so the client must not see OK while the disk is failing.
	slow := make(chan error, 1)
	go func() { slow <- c.Set(ctx, "during", "1", 0).Err() }()
	other := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer other.Close()
	require.Eventually(t, func() bool {
		err := other.Set(ctx, "refused", "1", 0).Err()
		return err != nil && err.Error() == "MISCONF Errors writing to the AOF file: No space left on device"
	}, 5*time.Second, 20*time.Millisecond)
	require.Equal(t, "1", other.Get(ctx, "before").Val(), "reads go on")
	select {
	case err := <-slow:
		t.Fatalf("a write was acknowledged while the disk failed: %v", err)
	case <-time.After(200 * time.Millisecond):
	}

	failing.Store(false)
	require.NoError(t, <-slow)
	require.Eventually(t, func() bool { return other.Set(ctx, "after", "1", 0).Err() == nil }, 5*time.Second, 20*time.Millisecond)
	srv.Close()

	_, addr = servertest.Start(t, persistConfig(dir))
	c2 := redis.NewClient(&redis.Options{Addr: addr})
	defer c2.Close()
	require.Equal(t, "1", c2.Get(ctx, "during").Val())
	require.Equal(t, "1", c2.Get(ctx, "after").Val())
}

// TestStreamsSurviveSnapshotAndRestart: streams with deletions, trims and
// consumer groups come back identical from a snapshot plus the log.
func TestStreamsSurviveSnapshotAndRestart(t *testing.T) {
	dir := t.TempDir()
	srv, addr := servertest.Start(t, persistConfig(dir))
	c := servertest.Dial(t, addr)
	for i := 0; i < 500; i++ {
		c.Do("XADD", "s", "*", "f", strconv.Itoa(i))
	}
	c.Do("XDEL", "s", c.Do("XADD", "s", "*", "gone", "1")[5:20])
	c.Do("XTRIM", "s", "MAXLEN", "~", "250")
	groups := c.Do("XGROUP", "CREATE", "s", "g", "0")
	srv.Lock()
	before := srv.Engine().Dump()
	srv.Unlock()
	require.Equal(t, "+OK\r\n", c.Do("DEBUG", "RELOAD"))
	srv.Lock()
	require.Equal(t, before, srv.Engine().Dump(), "DEBUG RELOAD round trip")
	srv.Unlock()
	require.Equal(t, "+OK\r\n", c.Do("SAVE"))
	for i := 0; i < 10; i++ {
		c.Do("XADD", "s", "*", "after", strconv.Itoa(i))
	}
	srv.Lock()
	before = srv.Engine().Dump()
	srv.Unlock()
	srv.Close()

	srv2, _ := servertest.Start(t, persistConfig(dir))
	srv2.Lock()
	defer srv2.Unlock()
	require.Equal(t, before, srv2.Engine().Dump(), "restart from snapshot + log (groups: %q)", groups)
}
