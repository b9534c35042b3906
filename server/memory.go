package server

import (
	"runtime/metrics"
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
