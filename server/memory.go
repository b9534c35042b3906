package server

import (
	"bytes"
	"os"
	"runtime/metrics"
	"strconv"
	"time"
)

// memorySampler is the used-memory figure maxmemory is compared with: the
// bytes of live and not yet swept heap objects (what MemStats.HeapAlloc
// reports), read from runtime/metrics, which does not stop the world, and
// at most once per memorySampleEvery so that busy servers do not pay for it
// on every command.
type memorySampler struct {
	sample []metrics.Sample
	at     time.Time
	used   uint64
}

const memorySampleEvery = 100 * time.Millisecond

func newMemorySampler() *memorySampler {
	return &memorySampler{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

// usedLocked returns the last sample, taking a new one when it is older
// than memorySampleEvery. Caller holds s.mu.
func (m *memorySampler) usedLocked() uint64 {
	if now := time.Now(); now.Sub(m.at) >= memorySampleEvery {
		metrics.Read(m.sample)
		if m.sample[0].Value.Kind() == metrics.KindUint64 {
			m.used = m.sample[0].Value.Uint64()
		}
		m.at = now
	}
	return m.used
}

// residentBytes is INFO's used_memory_rss: the process's resident set, as
// Redis reads it from /proc/self/stat, here from /proc/self/statm's second
// field (pages). Where that is not available it returns fallback, the
// memory the Go runtime holds from the OS minus what it has released
// (which MEMORY PURGE returns).
func residentBytes(fallback uint64) uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return fallback
	}
	fields := bytes.Fields(b)
	if len(fields) < 2 {
		return fallback
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return fallback
	}
	return pages * uint64(os.Getpagesize())
}
