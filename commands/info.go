package commands

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// INFO [section [section ...]] — https://redis.io/commands/info/
var infoCommand = &Command{
	Name: "info", Arity: -1, Flags: FlagLoading | FlagStale,
	Categories: "slow dangerous", Group: "server", Since: "1.0.0",
	Summary: "Get information and statistics about the server", Complexity: "O(1)",
	Syntax: "[section [section ...]]", Run: runInfo,
}

// introspection is the engine state behind INFO and SLOWLOG that is not a
// plain counter: the slow log, the ops/sec samples and the memory peak.
type introspection struct {
	slowlog slowLog
	ops     opsSampler
	memPeak uint64
	replID  string
	// monitors are the clients in MONITOR mode, oldest first
	// (commands/monitor.go).
	monitors []*Client
	// net samples the byte counters for the kbps fields
	// (commands/info_more.go).
	net netSampler
}

// opsSampler keeps up to 16 samples of the command counter, at least 100ms
// apart, as Redis's serverCron does for instantaneous_ops_per_sec. The
// dispatcher feeds it; an idle server simply has old samples, and the rate
// over them decays as Redis's does.
type opsSampler struct {
	at    [opsSamples]time.Time
	count [opsSamples]int64
	n     int
	next  int
}

const (
	opsSamples      = 16
	opsSamplePeriod = 100 * time.Millisecond
)

func (s *opsSampler) sample(now time.Time, total int64) {
	if s.n > 0 {
		last := (s.next + opsSamples - 1) % opsSamples
		if now.Sub(s.at[last]) < opsSamplePeriod {
			return
		}
	}
	s.at[s.next], s.count[s.next] = now, total
	s.next = (s.next + 1) % opsSamples
	if s.n < opsSamples {
		s.n++
	}
}

// perSecond is the command rate since the oldest sample of the last 1.6
// seconds (or since the newest sample when all are older).
func (s *opsSampler) perSecond(now time.Time, total int64) int64 {
	if s.n == 0 {
		return 0
	}
	base := (s.next + opsSamples - 1) % opsSamples
	for i := 0; i < s.n; i++ {
		idx := (s.next - s.n + i + 2*opsSamples) % opsSamples
		if now.Sub(s.at[idx]) <= opsSamples*opsSamplePeriod {
			base = idx
			break
		}
	}
	dt := now.Sub(s.at[base]).Seconds()
	delta := total - s.count[base]
	if dt <= 0 || delta <= 0 {
		return 0
	}
	return int64(float64(delta) / dt)
}

// infoSections are INFO's sections in Redis's order; default marks the ones
// INFO without arguments prints.
var infoSections = []struct {
	name    string
	title   string
	isDef   bool
	section func(ctx *Context, st *HostStats, b *strings.Builder)
}{
	{"server", "Server", true, infoServer},
	{"clients", "Clients", true, infoClients},
	{"memory", "Memory", true, infoMemory},
	{"persistence", "Persistence", true, infoPersistence},
	{"stats", "Stats", true, infoStats},
	{"replication", "Replication", true, infoReplication},
	{"cpu", "CPU", true, infoCPU},
	{"modules", "Modules", true, func(*Context, *HostStats, *strings.Builder) {}},
	{"commandstats", "Commandstats", false, infoCommandstats},
	{"errorstats", "Errorstats", true, infoErrorstats},
	{"latencystats", "Latencystats", false, infoLatencystats},
	{"cluster", "Cluster", true, func(_ *Context, _ *HostStats, b *strings.Builder) { b.WriteString("cluster_enabled:0\r\n") }},
	{"keyspace", "Keyspace", true, infoKeyspace},
}

// parseInfoSections returns the sections asked for: the default ones with
// no argument or "default", every one with "all" or "everything", and any
// named one. Unknown names are ignored, as in Redis.
func parseInfoSections(args [][]byte) map[string]bool {
	want := map[string]bool{}
	addDefault := len(args) == 0
	for _, a := range args {
		name := strings.ToLower(string(a))
		switch name {
		case "default":
			addDefault = true
		case "all", "everything":
			for _, s := range infoSections {
				want[s.name] = true
			}
			if name == "everything" {
				want[infoQueuesSection] = true
			}
		default:
			want[name] = true
		}
	}
	if addDefault {
		for _, s := range infoSections {
			if s.isDef {
				want[s.name] = true
			}
		}
	}
	return want
}

func runInfo(ctx *Context) {
	ctx.Out.Verbatim(ctx.infoText(parseInfoSections(ctx.Args[1:])))
}

// infoText renders the wanted sections, separated by blank lines.
func (ctx *Context) infoText(want map[string]bool) string {
	st := ctx.Host.Stats()
	var b strings.Builder
	for _, s := range infoSections {
		if !want[s.name] {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("# " + s.title + "\r\n")
		s.section(ctx, &st, &b)
	}
	if want[infoQueuesSection] {
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("# Queues\r\n")
		infoQueues(ctx, &b)
	}
	return b.String()
}

func infoLine(b *strings.Builder, name string, value any) {
	fmt.Fprintf(b, "%s:%v\r\n", name, value)
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func infoServer(ctx *Context, st *HostStats, b *strings.Builder) {
	now := ctx.Clock()
	uptime := int64(0)
	if !st.Started.IsZero() {
		uptime = int64(now.Sub(st.Started) / time.Second)
	}
	infoLine(b, "redis_version", Version)
	infoLine(b, "spool_version", st.SpoolVersion)
	infoLine(b, "redis_git_sha1", "00000000")
	infoLine(b, "redis_git_dirty", 0)
	infoLine(b, "redis_build_id", buildID)
	infoLine(b, "redis_mode", "standalone")
	infoLine(b, "os", osDescription)
	infoLine(b, "arch_bits", strconv.IntSize)
	infoLine(b, "monotonic_clock", "POSIX clock_gettime")
	infoLine(b, "multiplexing_api", multiplexingAPI())
	infoLine(b, "atomicvar_api", "sync-atomic")
	infoLine(b, "gcc_version", "0.0.0")
	infoLine(b, "process_id", os.Getpid())
	infoLine(b, "process_supervised", "no")
	infoLine(b, "run_id", st.RunID)
	infoLine(b, "tcp_port", st.TCPPort)
	infoLine(b, "server_time_usec", now.UnixMicro())
	infoLine(b, "uptime_in_seconds", uptime)
	infoLine(b, "uptime_in_days", uptime/(3600*24))
	infoLine(b, "hz", 10)
	infoLine(b, "configured_hz", 10)
	infoLine(b, "lru_clock", lruClock(now))
	infoLine(b, "executable", st.Executable)
	infoLine(b, "config_file", st.ConfigFile)
	infoLine(b, "io_threads_active", 0)
}

func infoClients(ctx *Context, st *HostStats, b *strings.Builder) {
	maxIn, maxOut := 0, 0
	for _, c := range ctx.Host.Clients() {
		maxIn = max(maxIn, c.QueryBufLen)
		maxOut = max(maxOut, c.OutputBufLen)
	}
	infoLine(b, "connected_clients", st.ConnectedClients)
	infoLine(b, "cluster_connections", 0)
	infoLine(b, "maxclients", st.MaxClients)
	infoLine(b, "client_recent_max_input_buffer", maxIn)
	infoLine(b, "client_recent_max_output_buffer", maxOut)
	infoLine(b, "blocked_clients", st.BlockedClients)
	infoLine(b, "tracking_clients", 0)
	infoLine(b, "clients_in_timeout_table", 0)
}

func infoMemory(ctx *Context, st *HostStats, b *strings.Builder) {
	in := &ctx.introspection
	in.memPeak = max(in.memPeak, st.UsedMemory, st.UsedMemoryPeak)
	peakPerc := 0.0
	if in.memPeak > 0 {
		peakPerc = float64(st.UsedMemory) * 100 / float64(in.memPeak)
	}
	frag := 0.0
	if st.UsedMemory > 0 {
		frag = float64(st.UsedMemoryRSS) / float64(st.UsedMemory)
	}
	infoLine(b, "used_memory", st.UsedMemory)
	infoLine(b, "used_memory_human", bytesToHuman(st.UsedMemory))
	infoLine(b, "used_memory_rss", st.UsedMemoryRSS)
	infoLine(b, "used_memory_rss_human", bytesToHuman(st.UsedMemoryRSS))
	infoLine(b, "used_memory_peak", in.memPeak)
	infoLine(b, "used_memory_peak_human", bytesToHuman(in.memPeak))
	infoLine(b, "used_memory_peak_perc", fmt.Sprintf("%.2f%%", peakPerc))
	// Spool's overhead is its client buffers; the rest of the heap is the
	// dataset (used_memory_startup is not tracked: 0).
	d := ctx.memoryDetail()
	overhead := min(d.clientsNormal, st.UsedMemory)
	dataset := st.UsedMemory - overhead
	infoLine(b, "used_memory_overhead", overhead)
	infoLine(b, "used_memory_startup", 0)
	infoLine(b, "used_memory_dataset", dataset)
	infoLine(b, "used_memory_dataset_perc", fmt.Sprintf("%.2f%%", float64(dataset)*100/float64(max(st.UsedMemory, 1))))
	infoLine(b, "allocator_allocated", d.allocated)
	infoLine(b, "allocator_active", d.active)
	infoLine(b, "allocator_resident", d.resident)
	infoLine(b, "total_system_memory", totalSystemMemory())
	infoLine(b, "total_system_memory_human", bytesToHuman(totalSystemMemory()))
	// No Lua and no function libraries: the script engines use nothing.
	for _, name := range []string{"used_memory_lua", "used_memory_vm_eval"} {
		infoLine(b, name, 0)
	}
	infoLine(b, "used_memory_lua_human", "0B")
	for _, name := range []string{"used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
		"number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total"} {
		infoLine(b, name, 0)
	}
	infoLine(b, "used_memory_vm_total_human", "0B")
	infoLine(b, "used_memory_functions", 0)
	infoLine(b, "used_memory_scripts", 0)
	infoLine(b, "used_memory_scripts_human", "0B")
	infoLine(b, "maxmemory", ctx.Settings.MaxMemory)
	infoLine(b, "maxmemory_human", bytesToHuman(uint64(ctx.Settings.MaxMemory)))
	infoLine(b, "maxmemory_policy", ctx.Settings.MaxMemoryPolicy)
	infoLine(b, "allocator_frag_ratio", ratio(d.active, d.allocated))
	infoLine(b, "allocator_frag_bytes", diff(d.active, d.allocated))
	infoLine(b, "allocator_rss_ratio", ratio(d.resident, d.active))
	infoLine(b, "allocator_rss_bytes", diff(d.resident, d.active))
	infoLine(b, "rss_overhead_ratio", ratio(st.UsedMemoryRSS, d.resident))
	infoLine(b, "rss_overhead_bytes", diff(st.UsedMemoryRSS, d.resident))
	infoLine(b, "mem_fragmentation_ratio", fmt.Sprintf("%.2f", frag))
	infoLine(b, "mem_fragmentation_bytes", diff(st.UsedMemoryRSS, st.UsedMemory))
	infoLine(b, "mem_not_counted_for_evict", 0)
	infoLine(b, "mem_replication_backlog", 0)
	infoLine(b, "mem_total_replication_buffers", 0)
	infoLine(b, "mem_clients_slaves", 0)
	infoLine(b, "mem_clients_normal", d.clientsNormal)
	infoLine(b, "mem_cluster_links", 0)
	infoLine(b, "mem_aof_buffer", 0)
	infoLine(b, "mem_allocator", "go-"+runtime.Version())
	infoLine(b, "active_defrag_running", 0)
	infoLine(b, "lazyfree_pending_objects", 0)
	infoLine(b, "lazyfreed_objects", 0)
}

// bytesToHuman is Redis's bytesToHuman: B, then K, M, G, T, P with two
// decimals.
func bytesToHuman(n uint64) string {
	d := float64(n)
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%dB", n)
	case n < 1<<20:
		return fmt.Sprintf("%.2fK", d/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.2fM", d/(1<<20))
	case n < 1<<40:
		return fmt.Sprintf("%.2fG", d/(1<<30))
	case n < 1<<50:
		return fmt.Sprintf("%.2fT", d/(1<<40))
	case n < 1<<60:
		return fmt.Sprintf("%.2fP", d/(1<<50))
	}
	return fmt.Sprintf("%dB", n)
}

func infoPersistence(ctx *Context, st *HostStats, b *strings.Builder) {
	lastSave := st.LastSaveTime
	if lastSave == 0 && !st.Started.IsZero() {
		lastSave = st.Started.Unix()
	}
	loading := st.Loading || ctx.Loading
	infoLine(b, "loading", boolInt(loading))
	infoLine(b, "async_loading", 0)
	// Snapshots are written without fork: no copy-on-write to report.
	for _, name := range []string{"current_cow_peak", "current_cow_size", "current_cow_size_age"} {
		infoLine(b, name, 0)
	}
	infoLine(b, "current_fork_perc", "0.00")
	infoLine(b, "current_save_keys_processed", 0)
	infoLine(b, "current_save_keys_total", 0)
	if loading {
		// Spool loads log records, not bytes of an RDB file.
		infoLine(b, "spool_loading_loaded_records", st.LoadingDone)
		infoLine(b, "spool_loading_total_records", st.LoadingTotal)
		perc := 100.0
		if st.LoadingTotal > 0 {
			perc = float64(st.LoadingDone) * 100 / float64(st.LoadingTotal)
		}
		infoLine(b, "loading_loaded_perc", strconv.FormatFloat(perc, 'f', 2, 64))
	}
	infoLine(b, "rdb_changes_since_last_save", max(st.ChangesSinceSave, ctx.Dirty()))
	infoLine(b, "rdb_bgsave_in_progress", boolInt(st.SnapshotRunning))
	infoLine(b, "rdb_last_save_time", lastSave)
	infoLine(b, "rdb_last_bgsave_status", okOrErr(st.LastSnapshotErr))
	infoLine(b, "rdb_last_bgsave_time_sec", -1)
	infoLine(b, "rdb_current_bgsave_time_sec", -1)
	infoLine(b, "rdb_saves", 0)
	infoLine(b, "rdb_last_cow_size", 0)
	infoLine(b, "rdb_last_load_keys_expired", 0)
	infoLine(b, "rdb_last_load_keys_loaded", 0)
	infoLine(b, "aof_enabled", boolInt(st.AOFEnabled))
	infoLine(b, "aof_rewrite_in_progress", boolInt(st.SnapshotRunning))
	infoLine(b, "aof_rewrite_scheduled", 0)
	infoLine(b, "aof_last_rewrite_time_sec", -1)
	infoLine(b, "aof_current_rewrite_time_sec", -1)
	// A snapshot is Spool's log rewrite.
	infoLine(b, "aof_last_bgrewrite_status", okOrErr(st.LastSnapshotErr))
	infoLine(b, "aof_rewrites", 0)
	infoLine(b, "aof_rewrites_consecutive_failures", 0)
	infoLine(b, "aof_last_write_status", okOrErr(st.AOFLastWriteErr))
	infoLine(b, "aof_last_cow_size", 0)
	infoLine(b, "module_fork_in_progress", 0)
	infoLine(b, "module_fork_last_cow_size", 0)
	infoLine(b, "aof_current_size", st.AOFCurrentSize)
	if st.AOFEnabled {
		infoLine(b, "aof_base_size", 0)
		infoLine(b, "aof_pending_rewrite", 0)
		infoLine(b, "aof_buffer_length", 0)
		infoLine(b, "aof_pending_bio_fsync", 0)
		infoLine(b, "aof_delayed_fsync", 0)
	}
	infoLine(b, "spool_snapshot_pause_usec", st.LastSnapshotPause)
}

func okOrErr(errText string) string {
	if errText == "" {
		return "ok"
	}
	return "err"
}

func infoStats(ctx *Context, st *HostStats, b *strings.Builder) {
	s := &ctx.stats
	infoLine(b, "total_connections_received", st.TotalConnections)
	infoLine(b, "total_commands_processed", s.totalCommands)
	// The samples are taken on the dispatcher's wall clock (it times
	// commands), so the rate is read against the same clock.
	infoLine(b, "instantaneous_ops_per_sec", ctx.introspection.ops.perSecond(time.Now(), s.totalCommands))
	infoLine(b, "total_net_input_bytes", st.NetInputBytes)
	infoLine(b, "total_net_output_bytes", st.NetOutputBytes)
	infoLine(b, "total_net_repl_input_bytes", 0)
	infoLine(b, "total_net_repl_output_bytes", 0)
	inKbps, outKbps := ctx.introspection.net.kbps(time.Now(), st.NetInputBytes, st.NetOutputBytes)
	infoLine(b, "instantaneous_input_kbps", fmt.Sprintf("%.2f", inKbps))
	infoLine(b, "instantaneous_output_kbps", fmt.Sprintf("%.2f", outKbps))
	infoLine(b, "instantaneous_input_repl_kbps", "0.00")
	infoLine(b, "instantaneous_output_repl_kbps", "0.00")
	infoLine(b, "rejected_connections", st.RejectedConns)
	infoLine(b, "sync_full", 0)
	infoLine(b, "sync_partial_ok", 0)
	infoLine(b, "sync_partial_err", 0)
	infoLine(b, "expired_keys", s.expiredKeys)
	infoLine(b, "expired_stale_perc", "0.00")
	infoLine(b, "expired_time_cap_reached_count", 0)
	infoLine(b, "expire_cycle_cpu_milliseconds", 0)
	infoLine(b, "evicted_keys", 0)
	infoLine(b, "evicted_clients", 0)
	infoLine(b, "total_eviction_exceeded_time", 0)
	infoLine(b, "current_eviction_exceeded_time", 0)
	infoLine(b, "keyspace_hits", s.keyspaceHits)
	infoLine(b, "keyspace_misses", s.keyspaceMisses)
	channels, patterns, shards := ctx.pubsubCounts()
	infoLine(b, "pubsub_channels", channels)
	infoLine(b, "pubsub_patterns", patterns)
	infoLine(b, "pubsubshard_channels", shards)
	for _, name := range []string{"latest_fork_usec", "total_forks", "migrate_cached_sockets",
		"slave_expires_tracked_keys", "active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
		"active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time",
		"tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"} {
		infoLine(b, name, 0)
	}
	infoLine(b, "unexpected_error_replies", s.unexpectedError)
	infoLine(b, "total_error_replies", s.totalErrors)
	infoLine(b, "dump_payload_sanitizations", 0)
	// Spool does not count socket reads and writes; every command is read
	// and answered, so the command count stands in for both.
	infoLine(b, "total_reads_processed", s.totalCommands)
	infoLine(b, "total_writes_processed", s.totalCommands)
	infoLine(b, "io_threaded_reads_processed", 0)
	infoLine(b, "io_threaded_writes_processed", 0)
	infoLine(b, "reply_buffer_shrinks", 0)
	infoLine(b, "reply_buffer_expands", 0)
}

func infoReplication(ctx *Context, _ *HostStats, b *strings.Builder) {
	in := &ctx.introspection
	if in.replID == "" {
		in.replID = randomHex(ctx.Engine, 40)
	}
	infoLine(b, "role", "master")
	infoLine(b, "connected_slaves", 0)
	infoLine(b, "master_failover_state", "no-failover")
	infoLine(b, "master_replid", in.replID)
	infoLine(b, "master_replid2", strings.Repeat("0", 40))
	infoLine(b, "master_repl_offset", 0)
	infoLine(b, "second_repl_offset", -1)
	infoLine(b, "repl_backlog_active", 0)
	infoLine(b, "repl_backlog_size", 1<<20)
	infoLine(b, "repl_backlog_first_byte_offset", 0)
	infoLine(b, "repl_backlog_histlen", 0)
}

func randomHex(e *Engine, n int) string {
	const digits = "0123456789abcdef"
	out := make([]byte, n)
	for i := range out {
		out[i] = digits[e.rng.IntN(16)]
	}
	return string(out)
}

func infoCPU(_ *Context, _ *HostStats, b *strings.Builder) {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	infoLine(b, "used_cpu_sys", timevalSeconds(self.Stime))
	infoLine(b, "used_cpu_user", timevalSeconds(self.Utime))
	infoLine(b, "used_cpu_sys_children", timevalSeconds(children.Stime))
	infoLine(b, "used_cpu_user_children", timevalSeconds(children.Utime))
	// Every goroutine shares the process's threads: the "main thread" is
	// the whole process.
	infoLine(b, "used_cpu_sys_main_thread", timevalSeconds(self.Stime))
	infoLine(b, "used_cpu_user_main_thread", timevalSeconds(self.Utime))
}

// timevalSeconds formats a rusage time as Redis does ("%ld.%06ld").
func timevalSeconds(tv syscall.Timeval) string {
	return fmt.Sprintf("%d.%06d", int64(tv.Sec), int64(tv.Usec))
}

// infoSafeName is getSafeInfoString: INFO's own separators cannot appear
// in a command or error name.
func infoSafeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '#', ':', '\n', '\r':
			return '_'
		}
		return r
	}, s)
}

func infoCommandstats(ctx *Context, _ *HostStats, b *strings.Builder) {
	line := func(name string) {
		st := ctx.stats.commands[name]
		if st == nil || (st.calls == 0 && st.failed == 0 && st.rejected == 0) {
			return
		}
		perCall := 0.0
		if st.calls > 0 {
			perCall = float64(st.usec) / float64(st.calls)
		}
		fmt.Fprintf(b, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n",
			infoSafeName(name), st.calls, st.usec, perCall, st.rejected, st.failed)
	}
	for _, c := range ctx.Table().All() {
		line(c.Name)
		for _, sub := range c.Subcommands {
			line(sub.Name)
		}
	}
}

func infoErrorstats(ctx *Context, _ *HostStats, b *strings.Builder) {
	names := make([]string, 0, len(ctx.stats.errors))
	for name := range ctx.stats.errors {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(b, "errorstat_%s:count=%d\r\n", infoSafeName(name), ctx.stats.errors[name])
	}
}

func infoKeyspace(ctx *Context, _ *HostStats, b *strings.Builder) {
	now := ctx.nowMs()
	for _, db := range ctx.Keys.DBs {
		if db.Len() == 0 {
			continue
		}
		fmt.Fprintf(b, "db%d:keys=%d,expires=%d,avg_ttl=%d\r\n", db.ID, db.Len(), db.Expires(), avgTTL(db, now))
	}
}

// avgTTL estimates the mean remaining time to live, in milliseconds, of the
// keys with a TTL, from up to 64 of them spread over the db's volatile set
// (Redis estimates it from its expiry cycle's samples).
func avgTTL(db *DB, nowMs int64) int64 {
	n := len(db.volatile)
	if n == 0 {
		return 0
	}
	const samples = 64
	step := max(1, n/samples)
	var sum, count int64
	for i := 0; i < n && count < samples; i += step {
		if ttl := db.volatile[i].expireAt - nowMs; ttl > 0 {
			sum += ttl
			count++
		}
	}
	if count == 0 {
		return 0
	}
	return sum / count
}

// osDescription is INFO's "os": kernel name, release and machine, as uname
// reports them.
var osDescription = func() string {
	name := runtime.GOOS
	switch name {
	case "linux":
		name = "Linux"
	case "darwin":
		name = "Darwin"
	case "freebsd":
		name = "FreeBSD"
	default:
		if name != "" {
			name = strings.ToUpper(name[:1]) + name[1:]
		}
	}
	machine := runtime.GOARCH
	switch machine {
	case "amd64":
		machine = "x86_64"
	case "386":
		machine = "i686"
	case "arm64":
		if runtime.GOOS == "linux" {
			machine = "aarch64"
		}
	}
	release := ""
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		release = strings.TrimSpace(string(data))
	}
	if release == "" {
		return name + " " + machine
	}
	return name + " " + release + " " + machine
}()
