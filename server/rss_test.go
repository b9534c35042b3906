//go:build linux

package server_test

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// TestInfoUsedMemoryRSS: used_memory_rss is the process's resident set, as
// in Redis (the server runs in the test process here), not the memory the
// Go runtime has reserved from the OS.
func TestInfoUsedMemoryRSS(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	m := regexp.MustCompile(`used_memory_rss:(\d+)\r\n`).FindStringSubmatch(c.Do("INFO", "memory"))
	require.NotNil(t, m)
	rss, err := strconv.ParseUint(m[1], 10, 64)
	require.NoError(t, err)
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	vm := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(status)
	require.NotNil(t, vm)
	kb, _ := strconv.ParseUint(string(vm[1]), 10, 64)
	want := kb * 1024
	require.InDelta(t, float64(want), float64(rss), float64(want)/4, "used_memory_rss %d, VmRSS %d", rss, want)
}
