package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spool-dev/spool/bench/load"
)

// payload is an entry shape for the memory measurement.
type payload struct {
	name      string
	fields    int
	valueSize int
}

var memPayloads = []payload{
	{`"f v" (1 field, 1-byte value)`, 1, 1},
	{"3 fields f1..f3, 31-byte values (99 bytes)", 3, 31},
}

// memSample is one server's measurement for one payload.
type memSample struct {
	rssBefore, rssAfter   int64
	usedBefore, usedAfter int64
	// rssPurged and usedPurged are read right after MEMORY PURGE, which
	// follows the after readings: the steady state with garbage and free
	// pages (after) against what the data needs (purged). Zero when the
	// purge failed (purgeErr).
	rssPurged, usedPurged int64
	purgeErr              error
	startup               time.Duration // restart until PONG with the entries on disk
	pongWhileLoading      bool
	err                   error
}

func (m memSample) rssPerEntry(n int64) float64 { return float64(m.rssAfter-m.rssBefore) / float64(n) }
func (m memSample) usedPerEntry(n int64) float64 {
	return float64(m.usedAfter-m.usedBefore) / float64(n)
}
func (m memSample) rssPurgedPerEntry(n int64) float64 {
	return float64(m.rssPurged-m.rssBefore) / float64(n)
}
func (m memSample) usedPurgedPerEntry(n int64) float64 {
	return float64(m.usedPurged-m.usedBefore) / float64(n)
}

// runMemory fills a fresh server of each kind with memEntries entries of
// each payload (appendfsync everysec), reads RSS and used_memory before and
// after, and again after MEMORY PURGE (Redis: jemalloc purges its dirty
// pages; Spool: a full garbage collection that returns free pages to the
// OS), then restarts it on the same directory and times the start-up.
func runMemory(c config, r *report) error {
	results := make([][2]memSample, len(memPayloads))
	for i, p := range memPayloads {
		for which, kind := range []string{"spool", "redis"} {
			fmt.Fprintf(os.Stderr, "[memory] %d entries of %s on %s...", c.memEntries, p.name, kind)
			m := measureMemory(c, kind, p)
			if m.err != nil {
				fmt.Fprintf(os.Stderr, " error: %v\n", m.err)
			} else {
				fmt.Fprintf(os.Stderr, " %.1f B/entry RSS, start-up %v\n", m.rssPerEntry(c.memEntries), m.startup.Round(time.Millisecond))
			}
			results[i][which] = m
		}
	}
	r.memoryTable(c, results)
	return nil
}

func measureMemory(c config, kind string, p payload) (m memSample) {
	dir, err := os.MkdirTemp(c.workDir, "spool-compare-mem-"+kind+"-")
	if err != nil {
		return memSample{err: err}
	}
	defer os.RemoveAll(dir)
	var s *server
	if kind == "spool" {
		s = newSpool(c.spoolBin, "everysec", dir, "")
	} else {
		s = newRedis(c.redisBin, "everysec", dir)
	}
	if _, err := s.start(); err != nil {
		return memSample{err: err}
	}
	defer s.kill()
	read := func(rss, used *int64) error {
		v, err := rssBytes(s.pid())
		if err != nil {
			return err
		}
		u, err := info(s.addr(), "memory", "used_memory")
		if err != nil {
			return err
		}
		*rss = v
		*used, err = strconv.ParseInt(strings.TrimSpace(u), 10, 64)
		return err
	}
	if m.err = read(&m.rssBefore, &m.usedBefore); m.err != nil {
		return m
	}
	const key = "spoolbench:memory"
	res, err := load.Run("xadd", load.Options{
		Addr: s.addr(), Key: key, Keep: true, Duration: 10 * time.Minute, Requests: c.memEntries,
		Clients: 4, Pipeline: 64, Fields: p.fields, ValueSize: p.valueSize,
	})
	if err != nil {
		m.err = err
		return m
	}
	if res.Ops != c.memEntries {
		m.err = fmt.Errorf("added %d entries, want %d", res.Ops, c.memEntries)
		return m
	}
	// Let background work settle (Redis's AOF rewrite child, Go's GC and
	// scavenger) the same way for both before reading.
	time.Sleep(2 * time.Second)
	if m.err = read(&m.rssAfter, &m.usedAfter); m.err != nil {
		return m
	}
	if m.purgeErr = purge(s.addr()); m.purgeErr == nil {
		m.purgeErr = read(&m.rssPurged, &m.usedPurged)
	}
	if err := s.stop(); err != nil {
		m.err = err
		return m
	}
	m.startup, err = s.start()
	m.pongWhileLoading = s.pongWhileLoading
	if err != nil {
		m.err = fmt.Errorf("restart: %w", err)
		return m
	}
	v, err := command(s.addr(), "XLEN", key)
	if err != nil {
		m.err = fmt.Errorf("XLEN after restart: %w", err)
	} else if v.Int != c.memEntries {
		m.err = fmt.Errorf("XLEN after restart is %d, want %d", v.Int, c.memEntries)
	}
	return m
}

// purge sends MEMORY PURGE, which answers once the memory is released.
func purge(addr string) error {
	v, err := command(addr, "MEMORY", "PURGE")
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		return fmt.Errorf("MEMORY PURGE: %w", err)
	}
	return nil
}
