package commands

import (
	"github.com/spool-dev/spool/streams"
)

// Read-only views of the engine's state for the Prometheus endpoint
// (server/metrics.go). They copy what INFO commandstats and errorstats read,
// so scraping adds no counting of its own to the command path.

// CommandStats is one command's counters: INFO commandstats' figures and the
// latency histogram kept beside them.
type CommandStats struct {
	Name     string // full name, "client|list" for a subcommand
	Calls    int64  // calls that ran, failed ones included
	Failed   int64  // calls that ran and replied with an error
	Rejected int64  // calls refused before running (arity, ACL, OOM...)
	Nanos    int64  // total run time of Calls
	// Latency[i] counts calls that took at most LatencyBound(i) and more
	// than LatencyBound(i-1) (not cumulative); Latency[LatencyBuckets]
	// counts the slower ones.
	Latency [LatencyBuckets + 1]int64
}

// CommandStats returns the counters of every command called, rejected or
// failed since the start or the last CONFIG RESETSTAT, in no particular
// order. Caller holds the keyspace lock.
func (e *Engine) CommandStats() []CommandStats {
	out := make([]CommandStats, 0, len(e.stats.commands))
	for name, st := range e.stats.commands {
		out = append(out, CommandStats{
			Name:     name,
			Calls:    st.calls,
			Failed:   st.failed,
			Rejected: st.rejected,
			Nanos:    st.nanos,
			Latency:  st.latency,
		})
	}
	return out
}

// ErrorStats returns INFO errorstats' counts: error replies by their first
// word ("ERR", "WRONGTYPE"). The map is a copy. Caller holds the keyspace
// lock.
func (e *Engine) ErrorStats() map[string]int64 {
	out := make(map[string]int64, len(e.stats.errors))
	for prefix, n := range e.stats.errors {
		out[prefix] = n
	}
	return out
}

// ScanStreams calls fn for each stream among up to count keys of db, walking
// from cursor as SCAN does, and returns the next cursor (0 when the walk is
// complete). A key moved by a delete between two calls may be visited twice,
// never skipped (see DB). Keys past their TTL are skipped without being
// deleted: a reader must not change the keyspace. fn must not keep s after
// it returns. Caller holds the keyspace lock.
func (db *DB) ScanStreams(cursor uint64, count int, nowMs int64, fn func(key string, s *streams.Stream)) uint64 {
	return db.scan(cursor, count, func(e *entry) {
		if e.expireAt != 0 && e.expireAt < nowMs {
			return
		}
		if s, ok := e.value.(*streams.Stream); ok {
			fn(e.key, s)
		}
	})
}

// NowMs is the engine clock in unix milliseconds.
func (e *Engine) NowMs() int64 { return e.nowMs() }
