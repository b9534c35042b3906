package commands

import (
	"math/bits"
	"strings"
	"time"
)

// commandStat is INFO commandstats' line for one command, plus the latency
// histogram the metrics endpoint exports (server/metrics.go).
type commandStat struct {
	calls, usec, rejected, failed int64
	nanos                         int64 // total run time, for the histogram's sum
	latency                       [LatencyBuckets + 1]int64
}

// LatencyBuckets is the number of finite buckets of a command's latency
// histogram: bucket i counts calls that took at most LatencyBound(i), from
// 1.024µs doubling up to about 2.1s; the extra last slot counts slower calls.
// Powers of two keep the bucket a bit-length away, cheap enough to count on
// every call.
const LatencyBuckets = 22

// LatencyBound is the upper bound (inclusive) of latency bucket i.
func LatencyBound(i int) time.Duration { return time.Duration(1) << (i + 10) }

// latencyBucket is the histogram slot of a call that took d.
func latencyBucket(d time.Duration) int {
	if d <= 1<<10 {
		return 0
	}
	return min(bits.Len64(uint64(d-1))-10, LatencyBuckets)
}

// observe accounts one call that ran for elapsed.
func (st *commandStat) observe(elapsed time.Duration) {
	st.calls++
	st.usec += elapsed.Microseconds()
	st.nanos += int64(elapsed)
	st.latency[latencyBucket(elapsed)]++
}

type engineStats struct {
	commands        map[string]*commandStat // by full name ("client|list")
	errors          map[string]int64        // by error prefix ("ERR", "WRONGTYPE")
	totalCommands   int64
	totalErrors     int64
	expiredKeys     int64
	keyspaceHits    int64
	keyspaceMisses  int64
	dirty           int64 // changes since the last save
	rejectedCalls   int64
	unexpectedError int64
}

func newEngineStats() engineStats {
	return engineStats{commands: map[string]*commandStat{}, errors: map[string]int64{}}
}

func (s *engineStats) command(name string) *commandStat {
	st := s.commands[name]
	if st == nil {
		st = &commandStat{}
		s.commands[name] = st
	}
	return st
}

// countError records one error reply by its prefix, as errorstats does.
func (s *engineStats) countError(msg string) {
	prefix := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		prefix = msg[:i]
	}
	s.errors[prefix]++
	s.totalErrors++
}

// ResetStats clears what CONFIG RESETSTAT clears.
func (e *Engine) ResetStats() {
	dirty := e.stats.dirty
	e.stats = newEngineStats()
	e.stats.dirty = dirty
}

// Dirty is the number of changes since the last snapshot.
func (e *Engine) Dirty() int64 { return e.stats.dirty }

// MarkSaved resets the change counter after a snapshot.
func (e *Engine) MarkSaved() { e.stats.dirty = 0 }
