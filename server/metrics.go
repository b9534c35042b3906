package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/streams"
	"github.com/spool-dev/spool/wal"
)

// The Prometheus endpoint (config metrics-port): GET /metrics on the first
// bind address. Every figure is read at scrape time from the counters INFO
// already reads (commandstats, errorstats, the WAL's stats, the keyspace),
// so serving metrics adds nothing to the command path but the latency
// histogram counted beside commandstats.

// metricsScanChunk is how many keys one hold of the keyspace lock visits
// while the per-stream series are gathered: a large keyspace is walked in
// short pauses rather than one long one.
const metricsScanChunk = 1024

// startMetrics opens the metrics listener, once, when the server starts
// serving. It does nothing when metrics-port is 0 or the server is closed.
func (s *Server) startMetrics() error {
	s.mu.Lock()
	port := s.cfg.MetricsPort
	host := "127.0.0.1"
	if len(s.cfg.Bind) > 0 {
		host = s.cfg.Bind[0]
	}
	s.mu.Unlock()
	if port == 0 {
		return nil
	}
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.metrics != nil {
		return nil
	}
	select {
	case <-s.done:
		return nil
	default:
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("server: metrics: listen on %s: %w", addr, err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		newMetricsCollector(s),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      reg, // promhttp_metric_handler_* about the endpoint itself
	}))
	s.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.metricsAddr = ln.Addr()
	go func(hs *http.Server) {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics server", "err", err)
		}
	}(s.metrics)
	s.log.Info("serving metrics", "addr", "http://"+ln.Addr().String()+"/metrics")
	return nil
}

// MetricsAddr is the address the metrics endpoint listens on, or nil when
// it is off.
func (s *Server) MetricsAddr() net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	return s.metricsAddr
}

// stopMetricsLocked closes the metrics endpoint. Caller holds s.lnMu.
func (s *Server) stopMetricsLocked() {
	if s.metrics != nil {
		s.metrics.Close()
	}
}

// metricsCollector is a prometheus.Collector over the server's state.
type metricsCollector struct {
	s *Server

	commands        *prometheus.Desc
	commandDuration *prometheus.Desc
	errorReplies    *prometheus.Desc
	connected       *prometheus.Desc
	blocked         *prometheus.Desc

	walBytes     *prometheus.Desc
	walRecords   *prometheus.Desc
	walBatches   *prometheus.Desc
	walFsync     *prometheus.Desc
	walSize      *prometheus.Desc
	walFailed    *prometheus.Desc
	snapshots    *prometheus.Desc
	snapPause    *prometheus.Desc
	snapWrite    *prometheus.Desc
	snapSize     *prometheus.Desc
	streamLength *prometheus.Desc
	groupPending *prometheus.Desc
	groupLag     *prometheus.Desc
	redelivered  *prometheus.Desc
	deadLettered *prometheus.Desc
}

func newMetricsCollector(s *Server) *metricsCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("spool_"+name, help, labels, nil)
	}
	return &metricsCollector{
		s: s,
		commands: d("commands_total",
			"Commands by name and result: ok and failed (ran, replied with an error) are INFO commandstats' calls, rejected (refused before running) its rejected_calls. CONFIG RESETSTAT resets them.",
			"command", "result"),
		commandDuration: d("command_duration_seconds",
			"Time commands took to run under the keyspace lock, as INFO commandstats' usec.",
			"command"),
		errorReplies: d("error_replies_total",
			"Error replies by their first word, as INFO errorstats.", "error"),
		connected: d("connected_clients", "Client connections open."),
		blocked:   d("blocked_clients", "Clients waiting in a blocking command."),
		walBytes:  d("wal_written_bytes_total", "Bytes written to the write-ahead log since start."),
		walRecords: d("wal_written_records_total",
			"Records written to the write-ahead log since start."),
		walBatches: d("wal_commit_batches_total",
			"Group-commit rounds: writes of the queued records to the log as one batch."),
		walFsync: d("wal_fsync_duration_seconds",
			"Time fsyncs of the write-ahead log took; the count is the number of fsyncs."),
		walSize: d("wal_size_bytes", "Bytes in the write-ahead log's segment files."),
		walFailed: d("wal_write_failed",
			"1 while the write-ahead log is failing and writes are refused (-MISCONF), else 0."),
		snapshots: d("snapshots_total", "Snapshots written since start."),
		snapPause: d("snapshot_pause_seconds",
			"How long the last snapshot held the keyspace lock to copy the dataset."),
		snapWrite: d("snapshot_write_seconds",
			"How long the last snapshot took to encode and write to disk, outside the lock."),
		snapSize: d("snapshot_size_bytes", "Size of the last snapshot written."),
		streamLength: d("stream_length", "Entries in the stream (XLEN).",
			"db", "stream"),
		groupPending: d("stream_group_pending",
			"Entries delivered to the consumer group and not yet acknowledged (XPENDING).",
			"db", "stream", "group"),
		groupLag: d("stream_group_lag",
			"Entries not yet delivered to the consumer group (XINFO GROUPS lag); absent when the lag cannot be known.",
			"db", "stream", "group"),
		redelivered: d("stream_group_redelivered_total",
			"Deliveries to the consumer group that were not an entry's first (XQ.STATS redelivered); survives restarts.",
			"db", "stream", "group"),
		deadLettered: d("stream_group_dead_lettered_total",
			"Entries of the consumer group moved to its dead-letter stream (XQ.STATS dead-lettered); survives restarts.",
			"db", "stream", "group"),
	}
}

// Describe implements prometheus.Collector.
func (c *metricsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		c.commands, c.commandDuration, c.errorReplies, c.connected, c.blocked,
		c.walBytes, c.walRecords, c.walBatches, c.walFsync, c.walSize, c.walFailed,
		c.snapshots, c.snapPause, c.snapWrite, c.snapSize,
		c.streamLength, c.groupPending, c.groupLag, c.redelivered, c.deadLettered,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. The server-wide figures are
// copied in one short hold of the keyspace lock; the WAL's come from its own
// lock; the per-stream ones are gathered in chunks (gatherStreams).
func (c *metricsCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	s.mu.Lock()
	cmds := s.engine.CommandStats()
	errs := s.engine.ErrorStats()
	connected, blocked := len(s.conns), s.blocked.count
	snap := s.snap
	s.mu.Unlock()

	for _, st := range cmds {
		ch <- prometheus.MustNewConstMetric(c.commands, prometheus.CounterValue, float64(st.Calls-st.Failed), st.Name, "ok")
		ch <- prometheus.MustNewConstMetric(c.commands, prometheus.CounterValue, float64(st.Failed), st.Name, "failed")
		ch <- prometheus.MustNewConstMetric(c.commands, prometheus.CounterValue, float64(st.Rejected), st.Name, "rejected")
		if st.Calls > 0 {
			ch <- histogram(c.commandDuration, st.Latency[:], commands.LatencyBound, st.Nanos, st.Name)
		}
	}
	for prefix, n := range errs {
		ch <- prometheus.MustNewConstMetric(c.errorReplies, prometheus.CounterValue, float64(n), labelValue(prefix))
	}
	ch <- prometheus.MustNewConstMetric(c.connected, prometheus.GaugeValue, float64(connected))
	ch <- prometheus.MustNewConstMetric(c.blocked, prometheus.GaugeValue, float64(blocked))

	if s.wal != nil {
		ws := s.wal.Stats()
		ch <- prometheus.MustNewConstMetric(c.walBytes, prometheus.CounterValue, float64(ws.BytesWritten))
		ch <- prometheus.MustNewConstMetric(c.walRecords, prometheus.CounterValue, float64(ws.RecordsWritten))
		ch <- prometheus.MustNewConstMetric(c.walBatches, prometheus.CounterValue, float64(ws.Batches))
		ch <- histogram(c.walFsync, ws.FsyncLatency[:], wal.FsyncBound, int64(ws.FsyncTime))
		ch <- prometheus.MustNewConstMetric(c.walSize, prometheus.GaugeValue, float64(ws.Size))
		failed := 0.0
		if ws.Err != nil {
			failed = 1
		}
		ch <- prometheus.MustNewConstMetric(c.walFailed, prometheus.GaugeValue, failed)
	}
	ch <- prometheus.MustNewConstMetric(c.snapshots, prometheus.CounterValue, float64(snap.count))
	ch <- prometheus.MustNewConstMetric(c.snapPause, prometheus.GaugeValue, snap.lastDur.Seconds())
	ch <- prometheus.MustNewConstMetric(c.snapWrite, prometheus.GaugeValue, snap.lastWrite.Seconds())
	ch <- prometheus.MustNewConstMetric(c.snapSize, prometheus.GaugeValue, float64(snap.lastBytes))

	for _, st := range c.gatherStreams() {
		db := strconv.Itoa(st.db)
		ch <- prometheus.MustNewConstMetric(c.streamLength, prometheus.GaugeValue, float64(st.length), db, st.key)
		for _, g := range st.groups {
			ch <- prometheus.MustNewConstMetric(c.groupPending, prometheus.GaugeValue, float64(g.pending), db, st.key, g.name)
			ch <- prometheus.MustNewConstMetric(c.redelivered, prometheus.CounterValue, float64(g.stats.Redelivered), db, st.key, g.name)
			ch <- prometheus.MustNewConstMetric(c.deadLettered, prometheus.CounterValue, float64(g.stats.DeadLettered), db, st.key, g.name)
			if g.lagKnown {
				ch <- prometheus.MustNewConstMetric(c.groupLag, prometheus.GaugeValue, float64(g.lag), db, st.key, g.name)
			}
		}
	}
}

// streamSample is one stream's figures, copied under the keyspace lock.
type streamSample struct {
	db     int
	key    string // as a label value: valid UTF-8
	length uint64
	groups []groupSample
}

type groupSample struct {
	name     string // as a label value: valid UTF-8
	pending  int
	lag      int64
	lagKnown bool
	stats    streams.GroupStats
}

// gatherStreams samples every stream of every database. Each stream is
// read whole under the keyspace lock, as XINFO would read it; the lock is
// released every metricsScanChunk keys, so the series of different streams
// may be a few commands apart. A key moved by a delete meanwhile may be met
// twice (DB.ScanStreams): it is reported once.
func (c *metricsCollector) gatherStreams() []streamSample {
	s := c.s
	var out []streamSample
	s.mu.Lock()
	dbs := len(s.engine.Keys.DBs)
	s.mu.Unlock()
	for db := 0; db < dbs; db++ {
		seen := map[string]bool{}
		var cursor uint64
		for {
			s.mu.Lock()
			keys := s.engine.Keys
			if db >= len(keys.DBs) {
				s.mu.Unlock()
				break
			}
			cursor = keys.DBs[db].ScanStreams(cursor, metricsScanChunk, s.engine.NowMs(), func(key string, st *streams.Stream) {
				label := labelValue(key)
				if seen[label] {
					return
				}
				seen[label] = true
				out = append(out, sampleStream(db, label, st))
			})
			s.mu.Unlock()
			if cursor == 0 {
				break
			}
		}
	}
	return out
}

// sampleStream copies the figures of st. Caller holds s.mu.
func sampleStream(db int, key string, st *streams.Stream) streamSample {
	sample := streamSample{db: db, key: key, length: st.Len()}
	seen := map[string]bool{}
	for g := range st.Groups() {
		name := labelValue(g.Name())
		if seen[name] {
			continue
		}
		seen[name] = true
		lag, known := g.Lag()
		sample.groups = append(sample.groups, groupSample{
			name:     name,
			pending:  g.PendingCount(),
			lag:      lag,
			lagKnown: known,
			stats:    g.Stats(),
		})
	}
	return sample
}

// histogram builds a constant histogram from per-bucket counts (not
// cumulative; the last slot counts observations above every bound), the
// bound of each bucket, and the sum of the observations in nanoseconds.
func histogram[N int64 | uint64](desc *prometheus.Desc, counts []N, bound func(int) time.Duration, sumNanos int64, labels ...string) prometheus.Metric {
	buckets := make(map[float64]uint64, len(counts)-1)
	var total uint64
	for i, n := range counts {
		total += uint64(n)
		if i < len(counts)-1 {
			buckets[bound(i).Seconds()] = total
		}
	}
	return prometheus.MustNewConstHistogram(desc, total, float64(sumNanos)/1e9, buckets, labels...)
}

// labelValue makes a key, group or error name a valid label value:
// Prometheus requires UTF-8, Redis keys are any bytes.
func labelValue(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}
