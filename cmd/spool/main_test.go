package main

import (
	"bufio"
	"encoding/json"
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

// readLog returns the lines written to path.
func readLog(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

func TestNewLoggerFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		check  func(t *testing.T, lines []string)
	}{
		{"text", func(t *testing.T, lines []string) {
			require.Len(t, lines, 1)
			require.Contains(t, lines[0], `level=WARN msg="disk slow" path=/data/x ms=12`)
		}},
		{"json", func(t *testing.T, lines []string) {
			require.Len(t, lines, 1)
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec), lines[0])
			require.Equal(t, "WARN", rec["level"])
			require.Equal(t, "disk slow", rec["msg"])
			require.Equal(t, "/data/x", rec["path"])
			require.Equal(t, 12.0, rec["ms"])
			_, err := time.Parse(time.RFC3339Nano, rec["time"].(string))
			require.NoError(t, err)
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.LogFile = filepath.Join(t.TempDir(), "spool.log")
			cfg.LogLevel = "warning"
			cfg.LogFormat = tc.format
			logger, closeLog, err := newLogger(cfg)
			require.NoError(t, err)
			logger.Info("below the level")
			logger.Warn("disk slow", "path", "/data/x", "ms", 12)
			closeLog()
			tc.check(t, readLog(t, cfg.LogFile))
		})
	}
}

func testFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestRunJSONLogsAndMetrics runs the binary's main path with --log-format
// json and --metrics-port, scrapes the endpoint, shuts down over the
// protocol, and checks that every log line is a JSON object.
func TestRunJSONLogsAndMetrics(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "spool.log")
	port, metricsPort := testFreePort(t), testFreePort(t)
	exit := make(chan int, 1)
	go func() {
		exit <- run([]string{"--port", strconv.Itoa(port), "--dir", filepath.Join(dir, "data"),
			"--logfile", logPath, "--log-format", "json", "--metrics-port", strconv.Itoa(metricsPort)})
	}()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	require.Eventually(t, func() bool {
		nc, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		nc.Close()
		return true
	}, 10*time.Second, 10*time.Millisecond)
	c := servertest.Dial(t, addr)
	require.Equal(t, "$3\r\n1-0\r\n", c.Do("XADD", "jobs", "1", "f", "v"))

	var body string
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(metricsPort) + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return resp.StatusCode == http.StatusOK
	}, 10*time.Second, 10*time.Millisecond)
	require.Contains(t, body, `spool_stream_length{db="0",stream="jobs"} 1`+"\n")
	require.Contains(t, body, `spool_commands_total{command="xadd",result="ok"} 1`+"\n")

	c.WriteRaw(servertest.Encode("SHUTDOWN", "NOSAVE"))
	select {
	case code := <-exit:
		require.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after SHUTDOWN")
	}

	f, err := os.Open(logPath)
	require.NoError(t, err)
	defer f.Close()
	msgs := map[string]map[string]any{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "log line %q", sc.Text())
		msgs[rec["msg"].(string)] = rec
	}
	require.Contains(t, msgs, "Spool starting")
	require.Equal(t, float64(port), msgs["Spool starting"]["port"])
	require.Contains(t, msgs, "serving metrics")
	require.Equal(t, "http://127.0.0.1:"+strconv.Itoa(metricsPort)+"/metrics", msgs["serving metrics"]["addr"])
	require.Contains(t, msgs, "server stopped")
}
