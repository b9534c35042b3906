package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server"
	"github.com/spool-dev/spool/server/servertest"
)

// metricsFreePort returns a loopback port nothing listens on right now.
func metricsFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// metricsAddr waits for srv's metrics endpoint, which opens when Serve
// starts (servertest.Start runs Serve in a goroutine).
func metricsAddr(t *testing.T, srv *server.Server) string {
	t.Helper()
	require.Eventually(t, func() bool { return srv.MetricsAddr() != nil }, 5*time.Second, time.Millisecond)
	return srv.MetricsAddr().String()
}

// scrape fetches /metrics and returns its samples by series, as written
// in the text exposition format: `name{label="value",...}` -> value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		require.Positive(t, i, "line %q", line)
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, "line %q", line)
		_, dup := out[line[:i]]
		require.False(t, dup, "series %s twice", line[:i])
		out[line[:i]] = v
	}
	return out
}

func TestMetricsEndpoint(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.MetricsPort = metricsFreePort(t)
	cfg.AppendFsync = "always" // every write is fsynced: the fsync histogram fills
	srv, addr := servertest.Start(t, &cfg)
	maddr := metricsAddr(t, srv)
	require.Equal(t, fmt.Sprintf("127.0.0.1:%d", cfg.MetricsPort), maddr)

	c := servertest.Dial(t, addr)
	for i := 1; i <= 3; i++ {
		require.Equal(t, fmt.Sprintf("$3\r\n%d-0\r\n", i), c.Do("XADD", "orders", strconv.Itoa(i), "f", "v"))
	}
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "orders", "billing", "0"))
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "orders", "audit", "$"))
	require.True(t, strings.HasPrefix(c.Do("XREADGROUP", "GROUP", "billing", "w1", "COUNT", "2", "STREAMS", "orders", ">"), "*1\r\n"))
	// failed: ran and replied with an error; rejected: refused by arity.
	require.True(t, strings.HasPrefix(c.Do("XADD", "orders", "1", "f", "v"), "-ERR The ID specified in XADD is equal or smaller"))
	require.Equal(t, "-ERR wrong number of arguments for 'xlen' command\r\n", c.Do("XLEN"))
	// a stream in another database, with a key that is not UTF-8
	require.Equal(t, "+OK\r\n", c.Do("SELECT", "3"))
	require.Equal(t, "$3\r\n1-0\r\n", c.Do("XADD", "bin\xffkey", "1", "f", "v"))
	require.Equal(t, "+OK\r\n", c.Do("SELECT", "0"))
	require.Equal(t, "+OK\r\n", c.Do("SAVE"))

	// one client blocked on a stream
	blocker := servertest.Dial(t, addr)
	blocker.WriteRaw(servertest.Encode("XREAD", "BLOCK", "0", "STREAMS", "idle", "$"))
	require.Eventually(t, func() bool {
		return scrape(t, maddr)["spool_blocked_clients"] == 1
	}, 5*time.Second, 10*time.Millisecond)

	m := scrape(t, maddr)
	for series, want := range map[string]float64{
		`spool_commands_total{command="xadd",result="ok"}`:                         4,
		`spool_commands_total{command="xadd",result="failed"}`:                     1,
		`spool_commands_total{command="xadd",result="rejected"}`:                   0,
		`spool_commands_total{command="xlen",result="rejected"}`:                   1,
		`spool_commands_total{command="xgroup|create",result="ok"}`:                2,
		`spool_command_duration_seconds_count{command="xadd"}`:                     5,
		`spool_command_duration_seconds_bucket{command="xadd",le="+Inf"}`:          5,
		`spool_command_duration_seconds_count{command="xgroup|create"}`:            2,
		`spool_error_replies_total{error="ERR"}`:                                   2,
		`spool_connected_clients`:                                                  2,
		`spool_blocked_clients`:                                                    1,
		`spool_stream_length{db="0",stream="orders"}`:                              3,
		`spool_stream_length{db="3",stream="bin` + "\uFFFD" + `key"}`:              1,
		`spool_stream_group_pending{db="0",group="billing",stream="orders"}`:       2,
		`spool_stream_group_lag{db="0",group="billing",stream="orders"}`:           1,
		`spool_stream_group_pending{db="0",group="audit",stream="orders"}`:         0,
		`spool_stream_group_lag{db="0",group="audit",stream="orders"}`:             0,
		`spool_snapshots_total`:                                                    1,
		`spool_wal_write_failed`:                                                   0,
		`spool_wal_written_records_total`:                                          7, // 4 XADD, 2 XGROUP, 1 XREADGROUP
		`spool_command_duration_seconds_bucket{command="xadd",le="2.147483648"}`:   5,
		`spool_command_duration_seconds_bucket{command="xgroup|create",le="+Inf"}`: 2,
		`spool_commands_total{command="save",result="ok"}`:                         1,
		`spool_commands_total{command="xreadgroup",result="ok"}`:                   1,
		`spool_stream_length{db="0",stream="idle"}`:                                -1, // absent
		`spool_commands_total{command="get",result="ok"}`:                          -1, // never called
		`spool_stream_group_pending{db="0",group="nosuch",stream="orders"}`:        -1,
		`spool_command_duration_seconds_bucket{command="xlen",le="+Inf"}`:          -1, // only rejected
		`spool_wal_fsync_duration_seconds_bucket{le="+Inf"}`:                       m["spool_wal_fsync_duration_seconds_count"],
	} {
		got, ok := m[series]
		if want < 0 {
			require.False(t, ok, "%s should be absent", series)
			continue
		}
		require.True(t, ok, "%s missing", series)
		require.Equal(t, want, got, series)
	}
	require.Positive(t, m["spool_wal_written_bytes_total"])
	require.Positive(t, m["spool_wal_commit_batches_total"])
	require.Positive(t, m["spool_wal_size_bytes"])
	require.Positive(t, m["spool_wal_fsync_duration_seconds_count"])
	require.Positive(t, m["spool_wal_fsync_duration_seconds_sum"])
	require.Positive(t, m["spool_snapshot_size_bytes"])
	require.Positive(t, m["spool_snapshot_write_seconds"])
	require.Positive(t, m[`spool_command_duration_seconds_sum{command="xadd"}`])
	require.Contains(t, m, "go_goroutines")
	require.Contains(t, m, "process_open_fds")

	// Buckets are cumulative and end at the count.
	prev := 0.0
	for i := 0; i < 22; i++ {
		le := strconv.FormatFloat(float64(int64(1)<<(i+10))/1e9, 'g', -1, 64)
		v, ok := m[`spool_command_duration_seconds_bucket{command="xadd",le="`+le+`"}`]
		require.True(t, ok, "bucket le=%s", le)
		require.GreaterOrEqual(t, v, prev)
		prev = v
	}
	require.Equal(t, 5.0, prev)

	// The blocked client wakes; CONFIG RESETSTAT clears the command counters.
	require.Equal(t, "$3\r\n1-0\r\n", c.Do("XADD", "idle", "1", "f", "v"))
	require.True(t, strings.HasPrefix(blocker.Read(), "*1\r\n"))
	require.Equal(t, "+OK\r\n", c.Do("CONFIG", "RESETSTAT"))
	m = scrape(t, maddr)
	require.Equal(t, 0.0, m["spool_blocked_clients"])
	require.Equal(t, 1.0, m[`spool_stream_length{db="0",stream="idle"}`])
	require.NotContains(t, m, `spool_commands_total{command="xadd",result="ok"}`)
	require.NotContains(t, m, `spool_error_replies_total{error="ERR"}`)
}

// TestMetricsManyKeys checks that streams are all found when the keyspace
// is walked in several holds of the lock, and that the walk skips other
// types.
func TestMetricsManyKeys(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.MetricsPort = metricsFreePort(t)
	srv, addr := servertest.Start(t, &cfg)
	c := servertest.Dial(t, addr)
	args := []string{"MSET"}
	for i := 0; i < 5000; i++ {
		args = append(args, fmt.Sprintf("k%d", i), "v")
	}
	require.Equal(t, "+OK\r\n", c.Do(args...))
	for i := 0; i < 50; i++ {
		require.True(t, strings.HasPrefix(c.Do("XADD", fmt.Sprintf("s%d", i), "*", "n", strconv.Itoa(i)), "$"))
	}
	m := scrape(t, metricsAddr(t, srv))
	streams := 0
	for series := range m {
		if strings.HasPrefix(series, "spool_stream_length{") {
			streams++
		}
	}
	require.Equal(t, 50, streams)
	require.Equal(t, 1.0, m[`spool_stream_length{db="0",stream="s49"}`])
}

func TestMetricsOff(t *testing.T) {
	srv, _ := servertest.Start(t, nil)
	require.Nil(t, srv.MetricsAddr())
}

func TestMetricsPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	cfg := server.DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.MetricsPort = ln.Addr().(*net.TCPAddr).Port
	srv, err := server.New(cfg, nil)
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.WaitLoaded())
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = srv.Serve(sl)
	require.ErrorContains(t, err, "server: metrics: listen on 127.0.0.1:")
}

func TestMetricsConfig(t *testing.T) {
	cfg, err := server.LoadConfig([]string{"--metrics-port", "9121", "--log-format", "JSON"})
	require.NoError(t, err)
	require.Equal(t, 9121, cfg.MetricsPort)
	require.Equal(t, "json", cfg.LogFormat)

	def := server.DefaultConfig()
	require.Equal(t, 0, def.MetricsPort)
	require.Equal(t, "text", def.LogFormat)

	_, err = server.LoadConfig([]string{"--metrics-port", "70000"})
	require.ErrorContains(t, err, "argument must be between 0 and 65535 inclusive")
	_, err = server.LoadConfig([]string{"--log-format", "xml"})
	require.ErrorContains(t, err, "argument(s) must be one of the following: text, json")

	// From a config file, like every option.
	port := metricsFreePort(t)
	path := filepath.Join(t.TempDir(), "spool.conf")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf("metrics-port %d\nlog-format json\n", port)), 0o644))
	cfg, err = server.LoadConfig([]string{path})
	require.NoError(t, err)
	require.Equal(t, port, cfg.MetricsPort)
	require.Equal(t, "json", cfg.LogFormat)

	srv, addr := servertest.Start(t, &cfg)
	require.Equal(t, fmt.Sprintf("127.0.0.1:%d", port), metricsAddr(t, srv))
	c := servertest.Dial(t, addr)
	p := strconv.Itoa(port)
	require.Equal(t, fmt.Sprintf("*4\r\n$12\r\nmetrics-port\r\n$%d\r\n%s\r\n$10\r\nlog-format\r\n$4\r\njson\r\n", len(p), p),
		c.Do("CONFIG", "GET", "metrics-port", "log-format"))
	require.True(t, strings.HasPrefix(c.Do("CONFIG", "SET", "metrics-port", "1"), "-ERR CONFIG SET failed (possibly related to argument 'metrics-port') - can't set immutable config"))
	require.True(t, strings.HasPrefix(c.Do("CONFIG", "SET", "log-format", "text"), "-ERR CONFIG SET failed (possibly related to argument 'log-format') - can't set immutable config"))
}

// TestMetricsGroupCounters checks the redelivered and dead-lettered totals
// (XQ.STATS), before and after a restart.
func TestMetricsGroupCounters(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.MetricsPort = metricsFreePort(t)
	srv, addr := servertest.Start(t, &cfg)
	c := servertest.Dial(t, addr)
	require.Equal(t, "$3\r\n1-0\r\n", c.Do("XADD", "q", "1", "f", "v"))
	require.Equal(t, "$3\r\n2-0\r\n", c.Do("XADD", "q", "2", "f", "v"))
	require.Equal(t, "+OK\r\n", c.Do("XGROUP", "CREATE", "q", "g", "0"))
	require.Equal(t, "+OK\r\n", c.Do("XQ.POLICY", "SET", "q", "g", "MAXDELIVER", "2"))
	require.True(t, strings.HasPrefix(c.Do("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "q", ">"), "*1\r\n"))
	require.True(t, strings.HasPrefix(c.Do("XCLAIM", "q", "g", "c", "0", "1"), "*1\r\n")) // second delivery
	require.Equal(t, "*0\r\n", c.Do("XCLAIM", "q", "g", "c", "0", "1"))                   // third: dead-lettered
	want := map[string]float64{
		`spool_stream_group_redelivered_total{db="0",group="g",stream="q"}`:   1,
		`spool_stream_group_dead_lettered_total{db="0",group="g",stream="q"}`: 1,
		`spool_stream_group_pending{db="0",group="g",stream="q"}`:             1,
		`spool_stream_length{db="0",stream="q:dlq"}`:                          1,
	}
	check := func(m map[string]float64) {
		t.Helper()
		for series, v := range want {
			require.Contains(t, m, series)
			require.Equal(t, v, m[series], series)
		}
	}
	check(scrape(t, metricsAddr(t, srv)))

	srv.Close()
	cfg.MetricsPort = metricsFreePort(t)
	srv, _ = servertest.Start(t, &cfg)
	check(scrape(t, metricsAddr(t, srv)))
}
