package server_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// introspectionClients are go-redis clients with default options (HELLO 3
// and CLIENT SETINFO on connect) and pinned to RESP2.
func introspectionClients(t *testing.T, addr string) map[string]*redis.Client {
	t.Helper()
	out := map[string]*redis.Client{
		"resp3": redis.NewClient(&redis.Options{Addr: addr}),
		"resp2": redis.NewClient(&redis.Options{Addr: addr, Protocol: 2}),
	}
	for _, c := range out {
		c := c
		t.Cleanup(func() { c.Close() })
	}
	return out
}

func TestGoRedisIntrospection(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range introspectionClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()

			list, err := c.ClientList(ctx).Result()
			require.NoError(t, err)
			require.Contains(t, list, " cmd=client|list ")
			// go-redis sent CLIENT SETINFO on connect, and it worked.
			require.Contains(t, list, " lib-name=go-redis(")

			info, err := c.ClientInfo(ctx).Result()
			require.NoError(t, err)
			require.Equal(t, "default", info.User)
			require.Equal(t, "client|info", info.LastCmd)
			require.True(t, strings.HasPrefix(info.LibName, "go-redis("), "lib-name %q", info.LibName)
			require.NotEmpty(t, info.LibVer)
			if name == "resp3" {
				require.Equal(t, 3, info.Resp)
			} else {
				require.Equal(t, 2, info.Resp)
			}

			cfg, err := c.ConfigGet(ctx, "maxclients").Result()
			require.NoError(t, err)
			require.Equal(t, map[string]string{"maxclients": "10000"}, cfg)
			cfg, err = c.ConfigGet(ctx, "slowlog-*").Result()
			require.NoError(t, err)
			require.Equal(t, map[string]string{"slowlog-log-slower-than": "10000", "slowlog-max-len": "128"}, cfg)
			require.NoError(t, c.ConfigSet(ctx, "slowlog-max-len", "64").Err())
			require.Equal(t, "64", c.ConfigGet(ctx, "slowlog-max-len").Val()["slowlog-max-len"])
			require.NoError(t, c.ConfigSet(ctx, "slowlog-max-len", "128").Err())
			require.EqualError(t, c.ConfigSet(ctx, "nosuch", "1").Err(),
				"ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'")

			text, err := c.Info(ctx).Result()
			require.NoError(t, err)
			require.Contains(t, text, "# Server\r\nredis_version:"+commands.Version+"\r\n")
			require.Contains(t, text, "\r\narch_bits:64\r\n")
			require.Contains(t, text, "\r\n# Cluster\r\ncluster_enabled:0\r\n")
			text, err = c.Info(ctx, "server", "clients").Result()
			require.NoError(t, err)
			require.Contains(t, text, "# Clients\r\n")
			require.NotContains(t, text, "# Memory")

			n, err := c.Do(ctx, "COMMAND", "COUNT").Int()
			require.NoError(t, err)
			require.Greater(t, n, 5)
			keys, err := c.CommandGetKeys(ctx, "MSET", "a", "1", "b", "2").Result()
			require.NoError(t, err)
			require.Equal(t, []string{"a", "b"}, keys)
		})
	}
}

// TestGoRedisCommandInfo reads the command table the way cluster clients
// do (COMMAND, parsed by go-redis).
func TestGoRedisCommandInfo(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	for name, c := range introspectionClients(t, addr) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			cmds, err := c.Command(ctx).Result()
			require.NoError(t, err)
			get := cmds["get"]
			require.NotNil(t, get)
			require.Equal(t, int8(2), get.Arity)
			require.True(t, get.ReadOnly)
			require.Equal(t, []string{"@read", "@string", "@fast"}, get.ACLFlags)
			client := cmds["client"]
			require.NotNil(t, client)
		})
	}
}

// parseInfo splits INFO text into section -> field names.
func parseInfo(text string) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(text, "\r\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			section = strings.ToLower(line[2:])
			out[section] = []string{}
		case line == "":
		default:
			name, _, _ := strings.Cut(line, ":")
			out[section] = append(out[section], name)
		}
	}
	return out
}

// TestInfoFieldsAgainstRedis requires every section and field name of
// Spool's INFO to be one redis-server's INFO has, in the same section
// (Spool's own spool_* fields aside), and the fields clients rely on. The
// oracle runs with appendonly yes, as Spool always logs.
func TestInfoFieldsAgainstRedis(t *testing.T) {
	redisAddr := servertest.StartRedis(t, "--appendonly", "yes")
	_, spoolAddr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	get := func(addr string, args ...string) map[string][]string {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
		defer c.Close()
		require.NoError(t, c.Set(ctx, "k", "v", 0).Err())
		c.Do(ctx, "NOSUCH") // an error, for errorstats
		text, err := c.Info(ctx, args...).Result()
		require.NoError(t, err)
		return parseInfo(text)
	}
	for _, args := range [][]string{nil, {"everything"}} {
		want, got := get(redisAddr, args...), get(spoolAddr, args...)
		for section, fields := range got {
			if section == "queues" && len(args) > 0 {
				continue // Spool's own section (XQ. counters), like a module's: only in INFO everything
			}
			redisFields, ok := want[section]
			require.True(t, ok, "INFO %v: section %q is not Redis's", args, section)
			if section == "commandstats" || section == "errorstats" || section == "latencystats" || section == "keyspace" {
				continue
			}
			known := map[string]bool{}
			for _, f := range redisFields {
				known[f] = true
			}
			for _, f := range fields {
				if strings.HasPrefix(f, "spool_") {
					continue
				}
				require.True(t, known[f], "INFO %v: field %q is not in Redis's %s section", args, f, section)
			}
		}
		for section := range want {
			if section != "latencystats" {
				require.Contains(t, got, section, "INFO %v lacks section %q", args, section)
			}
		}
	}
	spool := get(spoolAddr, "everything")
	for section, fields := range map[string][]string{
		"server":       {"redis_version", "spool_version", "redis_mode", "os", "arch_bits", "process_id", "run_id", "tcp_port", "uptime_in_seconds", "uptime_in_days", "executable", "config_file"},
		"clients":      {"connected_clients", "blocked_clients", "maxclients"},
		"memory":       {"used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak", "maxmemory", "maxmemory_policy"},
		"persistence":  {"loading", "aof_enabled", "rdb_changes_since_last_save", "rdb_last_save_time"},
		"stats":        {"total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec", "total_net_input_bytes", "rejected_connections", "expired_keys", "keyspace_hits", "keyspace_misses", "total_error_replies"},
		"replication":  {"role", "connected_slaves", "master_replid"},
		"cpu":          {"used_cpu_sys", "used_cpu_user"},
		"commandstats": {"cmdstat_set", "cmdstat_info"},
		"errorstats":   {"errorstat_ERR"},
		"cluster":      {"cluster_enabled"},
		"keyspace":     {"db0"},
	} {
		for _, f := range fields {
			require.Contains(t, spool[section], f, "INFO section %s", section)
		}
	}
}

func TestInfoRESP3IsVerbatim(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("HELLO", "3")
	require.Equal(t, "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", c.Do("INFO", "cluster"))
}

func TestClientKillClosesConnection(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	killer := servertest.Dial(t, addr)
	victim := servertest.Dial(t, addr)
	id := strings.TrimSuffix(strings.TrimPrefix(victim.Do("CLIENT", "ID"), ":"), "\r\n")
	require.Equal(t, ":1\r\n", killer.Do("CLIENT", "KILL", "ID", id))
	_, err := victim.ReadErr(2 * time.Second)
	require.ErrorIs(t, err, io.EOF, "the killed client's connection is closed")

	// Killing yourself replies first, then closes.
	self := servertest.Dial(t, addr)
	selfID := strings.TrimSuffix(strings.TrimPrefix(self.Do("CLIENT", "ID"), ":"), "\r\n")
	require.Equal(t, ":1\r\n", self.Do("CLIENT", "KILL", "SKIPME", "no", "ID", selfID))
	_, err = self.ReadErr(2 * time.Second)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, ":0\r\n", killer.Do("CLIENT", "KILL", "LADDR", addr), "SKIPME yes spares the caller")
}

// TestDebugSleepHoldsTheServer: DEBUG SLEEP stalls every client, as in
// Redis, and lands in the slow log.
func TestDebugSleepHoldsTheServer(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.EnableDebugCommand = "local"
	_, addr := servertest.Start(t, &cfg)
	sleeper := servertest.Dial(t, addr)
	other := servertest.Dial(t, addr)
	require.Equal(t, "+PONG\r\n", other.Do("PING"))

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sleeper.WriteRaw(servertest.Encode("DEBUG", "SLEEP", "0.3"))
	}()
	wg.Wait()
	time.Sleep(50 * time.Millisecond) // let DEBUG SLEEP take the lock
	start := time.Now()
	require.Equal(t, "+PONG\r\n", other.Do("PING"))
	require.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond, "PING ran while DEBUG SLEEP held the server")
	require.Equal(t, "+OK\r\n", sleeper.Read())

	log := other.Do("SLOWLOG", "GET", "1")
	require.Contains(t, log, "*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.3\r\n")
}

func TestSlowlogConfigFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spool.conf")
	require.NoError(t, os.WriteFile(path, []byte("slowlog-log-slower-than 0\nslowlog-max-len 2\nenable-debug-command yes\n"), 0o644))
	cfg, err := server.LoadConfig([]string{path})
	require.NoError(t, err)
	_, addr := servertest.Start(t, &cfg)
	c := servertest.Dial(t, addr)
	c.Do("ECHO", "a")
	c.Do("ECHO", "b")
	c.Do("ECHO", "c")
	require.Equal(t, ":2\r\n", c.Do("SLOWLOG", "LEN"))
	require.Equal(t, "+OK\r\n", c.Do("DEBUG", "SLEEP", "0"))
	require.Equal(t, "*2\r\n$20\r\nenable-debug-command\r\n$3\r\nyes\r\n", c.Do("CONFIG", "GET", "enable-debug-command"))

	_, err = server.LoadConfig([]string{"--slowlog-max-len", "-1"})
	require.ErrorContains(t, err, "argument must be between 0 and 9223372036854775807 inclusive")
	_, err = server.LoadConfig([]string{"--enable-debug-command", "sometimes"})
	require.ErrorContains(t, err, "argument(s) must be one of the following: no, yes, local")
}
