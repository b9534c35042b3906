package server_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/spool-dev/spool/server/servertest"
)

// infoValues splits INFO text into section -> ordered field names and
// field -> value.
func infoValues(text string) (map[string][]string, map[string]string) {
	order, values := map[string][]string{}, map[string]string{}
	section := ""
	for _, line := range strings.Split(text, "\r\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			section = strings.ToLower(line[2:])
			order[section] = []string{}
		case line == "":
		default:
			name, value, _ := strings.Cut(line, ":")
			order[section] = append(order[section], name)
			values[name] = value
		}
	}
	return order, values
}

// TestInfoFieldOrderMatchesRedis requires the fixed sections of INFO
// everything to list exactly redis-server 7.0's fields (with appendonly
// yes, as Spool always logs), in Redis's order, Spool's own spool_* fields
// aside.
func TestInfoFieldOrderMatchesRedis(t *testing.T) {
	redisAddr := servertest.StartRedis(t, "--appendonly", "yes")
	_, spoolAddr := servertest.Start(t, nil)
	get := func(addr string) map[string][]string {
		c := servertest.Dial(t, addr)
		c.Do("XADD", "s", "1-1", "f", "v")
		reply := c.Do("INFO", "everything")
		order, _ := infoValues(reply[strings.Index(reply, "\r\n")+2:])
		return order
	}
	want, got := get(redisAddr), get(spoolAddr)
	for _, section := range []string{"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "cluster"} {
		fields := []string{}
		for _, f := range got[section] {
			if !strings.HasPrefix(f, "spool_") {
				fields = append(fields, f)
			}
		}
		require.Equal(t, want[section], fields, "INFO section %s", section)
	}
	require.Contains(t, got, "latencystats")
}

// exporterFields are the INFO fields oliver006/redis_exporter turns into
// metrics (its metricMapGauges and metricMapCounters) that redis-server 7.0
// reports for a standalone master without modules: each must be there and
// parse as the exporter parses it (a number, or ok/err).
var exporterFields = []string{
	// Server
	"uptime_in_seconds", "process_id", "io_threads_active",
	// Clients
	"connected_clients", "blocked_clients", "maxclients", "tracking_clients", "clients_in_timeout_table",
	"client_recent_max_output_buffer", "client_recent_max_input_buffer",
	// Memory
	"allocator_active", "allocator_allocated", "allocator_resident", "allocator_frag_ratio",
	"allocator_frag_bytes", "allocator_rss_ratio", "allocator_rss_bytes", "used_memory", "used_memory_rss",
	"used_memory_peak", "used_memory_lua", "used_memory_vm_eval", "used_memory_scripts_eval",
	"used_memory_overhead", "used_memory_startup", "used_memory_dataset", "number_of_cached_scripts",
	"number_of_functions", "number_of_libraries", "used_memory_vm_functions", "used_memory_scripts",
	"used_memory_functions", "used_memory_vm_total", "maxmemory", "mem_fragmentation_ratio",
	"mem_fragmentation_bytes", "mem_clients_slaves", "mem_clients_normal", "mem_not_counted_for_evict",
	"mem_total_replication_buffers", "lazyfree_pending_objects", "active_defrag_running",
	"total_system_memory",
	// Persistence
	"loading", "async_loading", "rdb_changes_since_last_save", "rdb_bgsave_in_progress",
	"rdb_last_save_time", "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec",
	"rdb_current_bgsave_time_sec", "rdb_saves", "rdb_last_cow_size", "rdb_last_load_keys_expired",
	"rdb_last_load_keys_loaded", "aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled",
	"aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_cow_size", "aof_current_size",
	"aof_base_size", "aof_pending_rewrite", "aof_buffer_length", "aof_pending_bio_fsync",
	"aof_delayed_fsync", "aof_last_bgrewrite_status", "aof_last_write_status", "module_fork_in_progress",
	"module_fork_last_cow_size",
	// Stats
	"total_connections_received", "total_commands_processed", "rejected_connections",
	"total_net_input_bytes", "total_net_output_bytes", "total_net_repl_input_bytes",
	"total_net_repl_output_bytes", "expired_keys", "expired_stale_perc", "expired_time_cap_reached_count",
	"expire_cycle_cpu_milliseconds", "evicted_keys", "evicted_clients", "total_eviction_exceeded_time",
	"current_eviction_exceeded_time", "keyspace_hits", "keyspace_misses", "pubsub_channels",
	"pubsub_patterns", "pubsubshard_channels", "latest_fork_usec", "migrate_cached_sockets",
	"active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits", "active_defrag_key_misses",
	"tracking_total_keys", "tracking_total_items", "tracking_total_prefixes", "unexpected_error_replies",
	"total_error_replies", "dump_payload_sanitizations", "total_reads_processed", "total_writes_processed",
	"io_threaded_reads_processed", "io_threaded_writes_processed", "reply_buffer_shrinks",
	"reply_buffer_expands", "slave_expires_tracked_keys",
	// Replication
	"connected_slaves", "repl_backlog_size", "repl_backlog_active", "repl_backlog_first_byte_offset",
	"repl_backlog_histlen", "master_repl_offset", "second_repl_offset",
	// CPU
	"used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children",
	"used_cpu_sys_main_thread", "used_cpu_user_main_thread",
}

func TestInfoHasExporterFields(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer c.Close()
	require.NoError(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "jobs", ID: "1-1", Values: []string{"f", "v"}}).Err())
	require.NoError(t, c.XGroupCreate(ctx, "jobs", "g", "0").Err())
	require.Error(t, c.Do(ctx, "NOSUCH").Err()) // for errorstats
	text, err := c.Info(ctx, "ALL").Result()
	require.NoError(t, err)
	_, values := infoValues(text)
	for _, f := range exporterFields {
		v, ok := values[f]
		require.True(t, ok, "INFO ALL lacks %s", f)
		if v == "ok" || v == "err" {
			continue
		}
		_, err := strconv.ParseFloat(v, 64)
		require.NoError(t, err, "%s:%s does not parse as the exporter parses it", f, v)
	}
	// instance_info's labels.
	for _, f := range []string{"role", "redis_version", "redis_build_id", "redis_mode", "os", "maxmemory_policy", "tcp_port", "run_id", "process_id", "master_replid"} {
		require.NotEmpty(t, values[f], "instance_info label %s", f)
	}
	require.Equal(t, "keys=1,expires=0,avg_ttl=0", values["db0"])
	require.Regexp(t, `^count=\d+$`, values["errorstat_ERR"])
	require.Regexp(t, `^calls=1,usec=\d+,usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=0$`, values["cmdstat_xadd"])
	require.Regexp(t, `^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$`, values["latency_percentiles_usec_xadd"])
	require.Regexp(t, `^p50=`, values["latency_percentiles_usec_xgroup|create"])
	total, _ := strconv.ParseUint(values["total_system_memory"], 10, 64)
	require.NotZero(t, total, "total_system_memory on Linux")
	require.NotZero(t, values["mem_clients_normal"], "a connected client has buffers")
}

// TestInfoStatColumns checks the fields redis-cli --stat reads: every
// column has a real value, and the counters move between two polls.
func TestInfoStatColumns(t *testing.T) {
	_, addr := servertest.Start(t, nil)
	c := servertest.Dial(t, addr)
	c.Do("XADD", "a", "*", "f", "v")
	c.Do("SELECT", "3")
	c.Do("XADD", "b", "*", "f", "v")
	poll := func() map[string]string {
		reply := c.Do("INFO")
		_, values := infoValues(reply[strings.Index(reply, "\r\n")+2:])
		return values
	}
	first := poll()
	servertest.Dial(t, addr).Do("PING")
	time.Sleep(1100 * time.Millisecond)
	second := poll()
	require.Regexp(t, `^keys=1,`, second["db0"])
	require.Regexp(t, `^keys=1,`, second["db3"])
	for _, f := range []string{"used_memory", "connected_clients", "blocked_clients", "total_commands_processed",
		"total_connections_received", "rdb_bgsave_in_progress", "aof_rewrite_in_progress", "loading"} {
		_, err := strconv.ParseInt(second[f], 10, 64)
		require.NoError(t, err, "%s:%q", f, second[f])
	}
	n1, _ := strconv.Atoi(first["total_commands_processed"])
	n2, _ := strconv.Atoi(second["total_commands_processed"])
	require.Greater(t, n2, n1)
	conns, _ := strconv.Atoi(second["total_connections_received"])
	require.GreaterOrEqual(t, conns, 2)
	// The byte rates are measured since the previous INFO.
	in, err := strconv.ParseFloat(second["instantaneous_input_kbps"], 64)
	require.NoError(t, err)
	require.Greater(t, in, 0.0)
	require.Regexp(t, regexp.MustCompile(`^\d+\.\d{2}$`), second["instantaneous_output_kbps"])
}
