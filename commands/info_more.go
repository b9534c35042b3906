package commands

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The INFO fields beyond the first cut (issue 10): what redis-cli --stat
// and Prometheus's redis_exporter read from a Redis 7.0 master, computed
// from what a Go process knows. Fields about machinery Spool does not have
// (forks, Lua, replicas, active defrag, client tracking, I/O threads)
// report Redis's idle values, so that dashboards show a flat line rather
// than a missing series.

// buildID stands in for redis_build_id, which Redis derives from its
// build: a hash of Spool's version and the Go toolchain, printed as Redis
// prints its own (%llx).
var buildID = func() string {
	h := fnv.New64a()
	h.Write([]byte(Version + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH))
	return strconv.FormatUint(h.Sum64(), 16)
}()

// multiplexingAPI is the poller under Go's network runtime, named as
// Redis names its own (ae_epoll, ae_kqueue, ...).
func multiplexingAPI() string {
	switch runtime.GOOS {
	case "linux", "android":
		return "epoll"
	case "darwin", "ios", "freebsd", "netbsd", "openbsd", "dragonfly":
		return "kqueue"
	case "solaris", "illumos":
		return "evport"
	case "windows":
		return "iocp"
	}
	return "poll"
}

// lruClock is Redis's LRU_CLOCK(): seconds, in 24 bits.
func lruClock(now time.Time) int64 {
	return now.Unix() & (1<<24 - 1)
}

// totalSystemMemory is the machine's RAM (Linux's MemTotal), 0 when it
// cannot be read, as Redis's zmalloc_get_memory_size.
var totalSystemMemory = sync.OnceValue(func() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
})

// netSampler gives instantaneous_input_kbps and instantaneous_output_kbps.
// Redis samples the byte counters ten times a second; Spool samples them
// when INFO runs, so the rate is over the last 1.6 seconds when INFO is
// polled that often (redis-cli --stat polls every second) and since the
// previous INFO otherwise.
type netSampler struct {
	in, out opsSampler
}

// kbps returns the input and output rates in KB/s and records a sample.
func (n *netSampler) kbps(now time.Time, in, out int64) (float64, float64) {
	inRate, outRate := n.in.perSecond(now, in), n.out.perSecond(now, out)
	n.in.sample(now, in)
	n.out.sample(now, out)
	return float64(inRate) / 1024, float64(outRate) / 1024
}

// infoMemoryDetail computes the Redis 7.0 memory fields that the Go
// runtime can answer: allocator figures from runtime.MemStats (allocated =
// live heap, active = heap spans in use, resident = heap memory not returned
// to the OS), client buffers from the client list.
type infoMemoryDetail struct {
	allocated, active, resident uint64
	clientsNormal               uint64
}

func (ctx *Context) memoryDetail() infoMemoryDetail {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	d := infoMemoryDetail{allocated: ms.HeapAlloc, active: ms.HeapInuse, resident: ms.HeapSys - ms.HeapReleased}
	for _, c := range ctx.Host.Clients() {
		d.clientsNormal += uint64(c.QueryBufCap + c.OutputBufCap + c.OutputMem)
	}
	return d
}

// ratio is a/b as INFO prints ratios ("%.2f"), 0 when b is 0.
func ratio(a, b uint64) string {
	if b == 0 {
		return "0.00"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

// diff is a-b as INFO prints the signed byte counts next to the ratios.
func diff(a, b uint64) int64 { return int64(a) - int64(b) }

// infoLatencystats is INFO latencystats: each command's p50, p99 and
// p99.9 run time in microseconds, as Redis 7.0 prints them with its
// default latency-tracking-info-percentiles. Redis reads them from an
// HdrHistogram; Spool from the power-of-two histogram beside commandstats
// (commands/stats.go), so each value is the upper bound of the bucket the
// percentile falls in.
func infoLatencystats(ctx *Context, _ *HostStats, b *strings.Builder) {
	line := func(name string) {
		st := ctx.stats.commands[name]
		if st == nil || st.calls == 0 {
			return
		}
		fmt.Fprintf(b, "latency_percentiles_usec_%s:p50=%.3f,p99=%.3f,p99.9=%.3f\r\n", infoSafeName(name),
			latencyPercentile(st, 50), latencyPercentile(st, 99), latencyPercentile(st, 99.9))
	}
	for _, c := range ctx.Table().All() {
		line(c.Name)
		for _, sub := range c.Subcommands {
			line(sub.Name)
		}
	}
}

// latencyPercentile is the upper bound, in microseconds, of the histogram
// bucket holding the p-th percentile call.
func latencyPercentile(st *commandStat, p float64) float64 {
	var total int64
	for _, n := range st.latency {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := int64(float64(total)*p/100 + 0.5)
	rank = min(max(rank, 1), total)
	var seen int64
	for i, n := range st.latency {
		seen += n
		if seen >= rank {
			return float64(LatencyBound(min(i, LatencyBuckets))) / float64(time.Microsecond)
		}
	}
	return float64(LatencyBound(LatencyBuckets)) / float64(time.Microsecond)
}
