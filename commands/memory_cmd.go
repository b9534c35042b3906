package commands

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"unsafe"

	"github.com/spool-dev/spool/streams"
)

// MEMORY <subcommand> — https://redis.io/commands/memory/
//
// Redis reports what its allocator (jemalloc) says; Spool reports what the
// Go runtime says, with the same names and reply shapes: used memory is the
// Go heap in use (INFO's used_memory), MEMORY USAGE charges each structure
// Spool keeps for a key with Go's allocation sizes, MEMORY PURGE collects
// garbage and returns free pages to the OS, and DOCTOR and MALLOC-STATS
// describe the Go runtime's state.
var memoryCommand = &Command{
	Name: "memory", Arity: -2,
	Categories: "slow", Group: "server", Since: "4.0.0",
	Summary: "A container for memory diagnostics commands", Complexity: "Depends on subcommand.",
	// In the order of Redis 7.0's COMMAND INFO memory.
	Subcommands: []*Command{
		// MEMORY PURGE — https://redis.io/commands/memory-purge/
		{
			Name: "purge", Arity: 2, Categories: "slow", Group: "server", Since: "4.0.0",
			Summary:    "Ask the allocator to release memory",
			Complexity: "Depends on how much memory is allocated, could be slow",
			Run:        runMemoryPurge,
		},
		// MEMORY DOCTOR — https://redis.io/commands/memory-doctor/
		{
			Name: "doctor", Arity: 2, Categories: "slow", Group: "server", Since: "4.0.0",
			Summary: "Outputs memory problems report", Complexity: "O(1)",
			Run: runMemoryDoctor,
		},
		// MEMORY USAGE key [SAMPLES count] — https://redis.io/commands/memory-usage/
		{
			Name: "usage", Arity: -3, Flags: FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1,
			Categories: "read slow", Group: "server", Since: "4.0.0",
			Summary: "Estimate the memory usage of a key", Complexity: "O(N) where N is the number of samples.",
			Syntax: "key [SAMPLES count]", Run: runMemoryUsage,
		},
		// MEMORY MALLOC-STATS — https://redis.io/commands/memory-malloc-stats/
		{
			Name: "malloc-stats", Arity: 2, Categories: "slow", Group: "server", Since: "4.0.0",
			Summary:    "Show allocator internal stats",
			Complexity: "Depends on how much memory is allocated, could be slow",
			Run:        runMemoryMallocStats,
		},
		// MEMORY STATS — https://redis.io/commands/memory-stats/
		{
			Name: "stats", Arity: 2, Categories: "slow", Group: "server", Since: "4.0.0",
			Summary: "Show memory usage details", Complexity: "O(1)",
			Run: runMemoryStats,
		},
		helpSubcommand("slow", "4.0.0"),
	},
	Help: []string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	},
}

// ---------------------------------------------------------------------------
// MEMORY USAGE

// memoryUsageDefaultSamples is Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES.
const memoryUsageDefaultSamples = 5

// parseMemoryUsage reads MEMORY USAGE's options (args[3:]) as Redis does:
// any number of SAMPLES count, the last one winning; a negative count or any
// other word is a syntax error, and 0 means every element.
func parseMemoryUsage(args [][]byte) (samples int, err error) {
	samples = memoryUsageDefaultSamples
	for j := 3; j < len(args); j++ {
		if !is(args[j], "samples") || j+1 >= len(args) {
			return 0, ErrSyntax
		}
		n, err := argInt(args[j+1])
		if err != nil {
			return 0, err
		}
		switch {
		case n < 0:
			return 0, ErrSyntax
		case n == 0 || n > math.MaxInt32:
			samples = math.MaxInt
		default:
			samples = int(n)
		}
		j++
	}
	return samples, nil
}

// runMemoryUsage answers the estimated bytes of the key and its value. As in
// Redis the key is looked up without expiring it, touching it or counting a
// hit or a miss: a key past its TTL that was not reclaimed yet still has a
// size.
func runMemoryUsage(ctx *Context) {
	samples, err := parseMemoryUsage(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	e := ctx.DB().peek(string(ctx.Args[2]))
	if e == nil {
		ctx.Out.Null()
		return
	}
	ctx.Out.Int(int64(keyMemoryUsage(e) + valueMemoryUsage(e.value, samples)))
}

// keyMemoryUsage is what a key costs the keyspace besides its value: the
// entry, the key's bytes, its slot in the DB's index map and entries slice,
// and its slot in the TTL slice when it has one. Redis counts the key's sds
// and its dictEntry the same way.
func keyMemoryUsage(e *entry) int {
	var z goSizer
	size := z.Alloc(int(unsafe.Sizeof(*e))) + z.Alloc(len(e.key))
	size += mapSlotShare(int(unsafe.Sizeof(dbIndexSlot{}))) + ptrSize
	if e.volIdx >= 0 {
		size += ptrSize
	}
	return size
}

// dbIndexSlot is the layout of one slot of DB.index.
type dbIndexSlot struct {
	key string
	idx int32
}

const ptrSize = int(unsafe.Sizeof(uintptr(0)))

// valueMemoryUsage estimates the bytes of a value. Collections with more
// elements than samples are estimated from the average of their first
// samples elements, as Redis's objectComputeSize does.
func valueMemoryUsage(v any, samples int) int {
	var z goSizer
	switch v := v.(type) {
	case *stringValue:
		return z.Alloc(int(unsafe.Sizeof(*v))) + z.Alloc(cap(v.b))
	case *streams.Stream:
		return v.MemoryUsage(samples, z)
	case *listValue:
		size := z.Alloc(int(unsafe.Sizeof(*v))) + z.Alloc(cap(v.items)*int(unsafe.Sizeof([]byte(nil))))
		return size + sampled(v.n, samples, func(i int) int { return z.Alloc(cap(v.items[v.pos(i)])) })
	case *hashValue:
		size := z.Alloc(int(unsafe.Sizeof(*v))) + z.Alloc(cap(v.fields)*int(unsafe.Sizeof(hashField{})))
		names := 1
		if v.index != nil {
			size += z.Map(len(v.index), int(unsafe.Sizeof(dbIndexSlot{})))
			// HSET gives the index its own copy of each new name; only
			// the (at most hash-max-listpack-entries) names present at
			// the conversion share their bytes with fields.
			names = 2
		}
		return size + sampled(len(v.fields), samples, func(i int) int {
			return names*z.Alloc(len(v.fields[i].name)) + z.Alloc(cap(v.fields[i].value))
		})
	case *setObject:
		size := z.Alloc(int(unsafe.Sizeof(*v))) + z.Alloc(cap(v.members)*int(unsafe.Sizeof("")))
		size += z.Map(len(v.index), int(unsafe.Sizeof(dbIndexSlot{})))
		return size + sampled(len(v.members), samples, func(i int) int { return z.Alloc(len(v.members[i])) })
	case *zsetObject:
		size := z.Alloc(int(unsafe.Sizeof(*v))) + z.Alloc(int(unsafe.Sizeof(*v.zsl)))
		size += z.Alloc(int(unsafe.Sizeof(*v.zsl.header))) + z.Alloc(cap(v.zsl.header.level)*int(unsafe.Sizeof(zslLevel{})))
		size += z.Alloc(cap(v.nodes) * ptrSize)
		size += z.Map(len(v.dict), int(unsafe.Sizeof(zsetDictSlot{})))
		return size + sampled(len(v.nodes), samples, func(i int) int {
			n := v.nodes[i]
			return z.Alloc(int(unsafe.Sizeof(*n))) + z.Alloc(cap(n.level)*int(unsafe.Sizeof(zslLevel{}))) + z.Alloc(len(n.member))
		})
	}
	return 0
}

// zsetDictSlot is the layout of one slot of zsetObject.dict.
type zsetDictSlot struct {
	member string
	node   *zslNode
}

// sampled is the bytes of n elements: the sum of size over them all when n
// <= samples, else the average of the first samples times n.
func sampled(n, samples int, size func(i int) int) int {
	if n <= samples {
		total := 0
		for i := 0; i < n; i++ {
			total += size(i)
		}
		return total
	}
	total := 0
	for i := 0; i < samples; i++ {
		total += size(i)
	}
	return int(float64(total) / float64(samples) * float64(n))
}

// goSizer charges allocations as the Go runtime makes them (it satisfies
// streams.Sizer). Alloc rounds a request up to Go's size class (spans of
// 8 KiB pages above 32 KiB), as Redis's zmalloc_size reports jemalloc's
// usable size. Map models Go's swiss-table maps: groups of 8 slots with a
// control word, at most 7/8 full, tables of up to 1024 slots. Both are
// estimates: small pointer-free objects may share a 16-byte tiny block, and a
// map keeps the capacity of its largest size after deletions, which its
// length does not show.
type goSizer struct{}

// goSizeClasses are the Go runtime's small object size classes
// (internal/runtime/gc.SizeClassToSize).
var goSizeClasses = [...]int{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408,
	1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192,
	9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
	28672, 32768}

func (goSizer) Alloc(n int) int {
	if n <= 0 {
		return 0
	}
	if n > goSizeClasses[len(goSizeClasses)-1] {
		const page = 8192
		return (n + page - 1) / page * page
	}
	lo, hi := 0, len(goSizeClasses)-1
	for lo < hi {
		m := (lo + hi) / 2
		if goSizeClasses[m] < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return goSizeClasses[lo]
}

const (
	mapGroupSlots       = 8
	mapMaxTableCapacity = 1024
	mapHeader           = 48 // the map's own header
	mapTableHeader      = 32 // per table
)

func (z goSizer) Map(n, slot int) int {
	if n <= 0 {
		return z.Alloc(mapHeader)
	}
	group := mapGroupSlots + mapGroupSlots*slot // control word + slots
	if n <= mapGroupSlots {
		return z.Alloc(mapHeader) + z.Alloc(group)
	}
	capacity := mapGroupSlots
	for capacity*7/8 < n {
		capacity *= 2
	}
	tables := max(capacity/mapMaxTableCapacity, 1)
	perTable := capacity / tables
	return z.Alloc(mapHeader) + z.Alloc(tables*ptrSize) +
		tables*(z.Alloc(mapTableHeader)+z.Alloc(perTable/mapGroupSlots*group))
}

// mapSlotShare is one entry's average share of a map with slot-byte slots:
// its slot and control byte at the largest load, 7/8.
func mapSlotShare(slot int) int { return (slot + 1) * 8 / 7 }

// ---------------------------------------------------------------------------
// MEMORY STATS

// memoryOverhead is Spool's getMemoryOverheadData: the figures MEMORY STATS
// reports and MEMORY DOCTOR judges.
type memoryOverhead struct {
	peak, total, startup uint64
	clientsNormal        uint64
	clients              int
	dbs                  []dbMemoryOverhead // databases that hold keys
	overheadTotal        uint64
	keys                 int64
	bytesPerKey          int64
	dataset              uint64
	datasetPerc          float32
	peakPerc             float32

	allocated, active, resident, rss uint64
	allocatorFrag, allocatorRSS      float32
	rssExtra, totalFrag              float32
	allocatorFragBytes               int64
	allocatorRSSBytes                int64
	rssExtraBytes                    int64
	totalFragBytes                   int64
}

// dbMemoryOverhead is one database's keyspace structures: the index map,
// the entries slice and the entry structs ("main"), and the TTL slice
// ("expires").
type dbMemoryOverhead struct {
	id            int
	main, expires uint64
}

// memoryOverheadData gathers the figures from the same sources as INFO
// memory: used memory is the Go heap in use, the peak is INFO's
// used_memory_peak, and the allocator figures are INFO's allocator_* ones
// (from runtime.MemStats, which the caller read into ms). The process's
// resident memory is what the runtime holds from the OS and has not
// released (Sys - HeapReleased): unlike INFO's used_memory_rss (Sys), it
// drops after MEMORY PURGE, which is what the ratios built on it are for.
// Spool does not measure its memory at start-up (INFO's used_memory_startup
// is 0), so startup.allocated is 0 too.
func (ctx *Context) memoryOverheadData(ms *runtime.MemStats) memoryOverhead {
	st := ctx.Host.Stats()
	in := &ctx.introspection
	in.memPeak = max(in.memPeak, st.UsedMemory, st.UsedMemoryPeak)
	d := ctx.memoryDetail()
	m := memoryOverhead{
		peak: in.memPeak, total: st.UsedMemory, clientsNormal: d.clientsNormal,
		clients:   st.ConnectedClients,
		allocated: d.allocated, active: d.active, resident: d.resident, rss: ms.Sys - ms.HeapReleased,
	}
	m.overheadTotal = m.startup + m.clientsNormal
	var z goSizer
	entrySize := uint64(z.Alloc(int(unsafe.Sizeof(entry{}))))
	for _, db := range ctx.Keys.DBs {
		n := db.Len()
		if n == 0 {
			continue
		}
		m.keys += int64(n)
		o := dbMemoryOverhead{id: db.ID}
		o.main = uint64(z.Map(len(db.index), int(unsafe.Sizeof(dbIndexSlot{})))) +
			uint64(z.Alloc(cap(db.entries)*ptrSize)) + uint64(n)*entrySize
		o.expires = uint64(z.Alloc(cap(db.volatile) * ptrSize))
		m.overheadTotal += o.main + o.expires
		m.dbs = append(m.dbs, o)
	}
	netUsage := uint64(1)
	if m.total > m.startup {
		netUsage = m.total - m.startup
	}
	if m.keys > 0 {
		m.bytesPerKey = int64(netUsage) / m.keys
	}
	if m.total > m.overheadTotal {
		m.dataset = m.total - m.overheadTotal
	}
	m.datasetPerc = float32(m.dataset) * 100 / float32(netUsage)
	if m.peak > 0 {
		m.peakPerc = float32(m.total) * 100 / float32(m.peak)
	}
	m.allocatorFrag, m.allocatorFragBytes = fragRatio(m.active, m.allocated)
	m.allocatorRSS, m.allocatorRSSBytes = fragRatio(m.resident, m.active)
	m.rssExtra, m.rssExtraBytes = fragRatio(m.rss, m.resident)
	m.totalFrag, m.totalFragBytes = fragRatio(m.rss, m.total)
	return m
}

// fragRatio is a/b as a float (Redis keeps these ratios in floats) and
// a-b, both 0 when b is 0.
func fragRatio(a, b uint64) (float32, int64) {
	if b == 0 {
		return 0, 0
	}
	return float32(a) / float32(b), int64(a) - int64(b)
}

// runMemoryStats answers Redis 7.0's map, field for field and in its order;
// machinery Spool does not have (replication, cluster links, Lua, function
// libraries, an AOF buffer) reports what an idle Redis reports for it.
func runMemoryStats(ctx *Context) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := ctx.memoryOverheadData(&ms)
	out := ctx.Out
	out.Map(27 + len(m.dbs))
	num := func(name string, v int64) {
		out.BulkString(name)
		out.Int(v)
	}
	ratio := func(name string, v float32) {
		out.BulkString(name)
		out.Double(float64(v))
	}
	num("peak.allocated", int64(m.peak))
	num("total.allocated", int64(m.total))
	num("startup.allocated", int64(m.startup))
	num("replication.backlog", 0)
	num("clients.slaves", 0)
	num("clients.normal", int64(m.clientsNormal))
	num("cluster.links", 0)
	num("aof.buffer", 0)
	num("lua.caches", 0)
	num("functions.caches", 0)
	for _, db := range m.dbs {
		out.BulkString(fmt.Sprintf("db.%d", db.id))
		out.Map(3)
		num("overhead.hashtable.main", int64(db.main))
		num("overhead.hashtable.expires", int64(db.expires))
		num("overhead.hashtable.slot-to-keys", 0)
	}
	num("overhead.total", int64(m.overheadTotal))
	num("keys.count", m.keys)
	num("keys.bytes-per-key", m.bytesPerKey)
	num("dataset.bytes", int64(m.dataset))
	ratio("dataset.percentage", m.datasetPerc)
	ratio("peak.percentage", m.peakPerc)
	num("allocator.allocated", int64(m.allocated))
	num("allocator.active", int64(m.active))
	num("allocator.resident", int64(m.resident))
	ratio("allocator-fragmentation.ratio", m.allocatorFrag)
	num("allocator-fragmentation.bytes", m.allocatorFragBytes)
	ratio("allocator-rss.ratio", m.allocatorRSS)
	num("allocator-rss.bytes", m.allocatorRSSBytes)
	ratio("rss-overhead.ratio", m.rssExtra)
	num("rss-overhead.bytes", m.rssExtraBytes)
	ratio("fragmentation", m.totalFrag)
	num("fragmentation.bytes", m.totalFragBytes)
}

// ---------------------------------------------------------------------------
// MEMORY PURGE

// runMemoryPurge is jemalloc's purge in Go terms: debug.FreeOSMemory runs a
// full garbage collection (it calls runtime.GC itself, so calling that first
// would only collect twice) and then returns every free page to the OS. A
// full collection takes as long as marking the live heap, which grows with
// the dataset, so it runs on its own goroutine outside the keyspace lock:
// the client waits as a blocked client does, other clients go on, and the
// reply comes when the pages are back with the OS.
func runMemoryPurge(ctx *Context) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		debug.FreeOSMemory()
	}()
	// The server calls Retry once done is closed; an in-process caller
	// that calls it at once waits here for the purge.
	ctx.Block(&BlockRequest{Done: done, Retry: func(ctx *Context) bool {
		<-done
		OK(ctx.Out)
		return true
	}})
}

// ---------------------------------------------------------------------------
// MEMORY DOCTOR

// memoryDoctorEmpty is the heap below which, as in Redis, the doctor has
// nothing to judge.
const memoryDoctorEmpty = 5 << 20

func runMemoryDoctor(ctx *Context) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := ctx.memoryOverheadData(&ms)
	ctx.Out.Verbatim(memoryDoctorReport(m, &ms))
}

// memoryDoctorReport applies Redis's getMemoryDoctorReport checks to the Go
// runtime's figures, and adds one of Go's own: the CPU share taken by the
// garbage collector.
func memoryDoctorReport(m memoryOverhead, ms *runtime.MemStats) string {
	if m.total < memoryDoctorEmpty {
		return fmt.Sprintf("Hi Sam, this instance is empty or is using very little memory (%s of Go heap in use), "+
			"my issues detector can't be used in these conditions. Please, fill it with some streams and ask me again "+
			"once there is something to look at.\n", bytesToHuman(m.total))
	}
	const tenMB = 10 << 20
	var issues []string
	if float32(m.peak)/float32(m.total) > 1.5 {
		advice := "The free pages have already gone back to the OS."
		if m.allocatorRSSBytes > tenMB {
			advice = fmt.Sprintf("%s of them are still held; to give them back now, run MEMORY PURGE.",
				bytesToHuman(uint64(m.allocatorRSSBytes)))
		}
		issues = append(issues, fmt.Sprintf("Peak memory: In the past this instance used more than 150%% of the memory "+
			"it uses now (peak %s, now %s). The Go runtime keeps freed heap spans for reuse and returns them to the OS "+
			"only gradually, so the process can stay larger than its data for a while after a peak. This is harmless, "+
			"and the memory will be reused as data comes in again. %s",
			bytesToHuman(m.peak), bytesToHuman(m.total), advice))
	}
	if m.totalFrag > 1.4 && m.totalFragBytes > tenMB {
		issues = append(issues, fmt.Sprintf("High total RSS: This instance holds %s from the OS for %s of Go heap "+
			"in use (ratio %.2f). The garbage collector lets the heap grow to about %s (GOGC=%s) before it collects, "+
			"and freed pages go back to the OS only gradually. A lower GOGC, or a GOMEMLIMIT near the memory you can "+
			"give Spool, trades CPU for a smaller process; MEMORY PURGE returns the free pages at once.",
			bytesToHuman(m.rss), bytesToHuman(m.total), m.totalFrag, bytesToHuman(ms.NextGC), goEnv("GOGC", "100")))
	}
	if m.allocatorFrag > 1.1 && m.allocatorFragBytes > tenMB {
		issues = append(issues, fmt.Sprintf("High heap fragmentation: The heap spans in use hold %s for %s of objects "+
			"(ratio %.2f): freed objects leave holes in spans that still hold live ones, typically after many deletions "+
			"or trims. The holes are reused by new objects of the same size class.",
			bytesToHuman(m.active), bytesToHuman(m.allocated), m.allocatorFrag))
	}
	if m.allocatorRSS > 1.1 && m.allocatorRSSBytes > tenMB {
		issues = append(issues, fmt.Sprintf("High idle heap: %s of heap spans are free but not yet returned to the OS "+
			"(ratio %.2f). The Go scavenger returns them in the background; MEMORY PURGE returns them now.",
			bytesToHuman(uint64(m.allocatorRSSBytes)), m.allocatorRSS))
	}
	if m.rssExtra > 1.1 && m.rssExtraBytes > tenMB {
		issues = append(issues, fmt.Sprintf("High non-heap memory: The process holds %s beyond its heap (ratio %.2f): "+
			"goroutine stacks (one goroutine per connection), garbage collector metadata and other runtime "+
			"structures.",
			bytesToHuman(uint64(m.rssExtraBytes)), m.rssExtra))
	}
	if m.clients > 0 && m.clientsNormal/uint64(m.clients) > 200<<10 {
		issues = append(issues, fmt.Sprintf("Big client buffers: The %d clients use %s on average for their query and "+
			"output buffers. This may be normal with large pipelines or big replies, but may also mean that some clients "+
			"read their replies too slowly; CLIENT LIST shows the buffers of each client, and client-output-buffer-limit "+
			"can cap them.", m.clients, bytesToHuman(m.clientsNormal/uint64(m.clients))))
	}
	if ms.GCCPUFraction > 0.1 {
		issues = append(issues, fmt.Sprintf("Busy garbage collector: Garbage collection has taken %.1f%% of the CPU "+
			"available to Spool since start-up (%d cycles). A higher GOGC, or a GOMEMLIMIT with GOGC=off, makes "+
			"collections rarer at the cost of a larger heap.", ms.GCCPUFraction*100, ms.NumGC))
	}
	if len(issues) == 0 {
		return fmt.Sprintf("Hi Sam, I can't find any memory issue in your instance: %s of Go heap in use, %s held "+
			"from the OS, %d garbage collections so far. I can only account for what occurs on this base.\n",
			bytesToHuman(m.total), bytesToHuman(m.rss), ms.NumGC)
	}
	var b strings.Builder
	b.WriteString("Sam, I detected a few issues in this Spool instance memory implants:\n\n")
	for _, s := range issues {
		b.WriteString(" * " + s + "\n\n")
	}
	b.WriteString("I'm here to keep you safe, Sam. I want to help you.\n")
	return b.String()
}

// goEnv is an environment variable of the Go runtime, or its default.
func goEnv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// ---------------------------------------------------------------------------
// MEMORY MALLOC-STATS

// runMemoryMallocStats is Redis's allocator report (jemalloc's
// malloc_stats_print) for Go's allocator: the runtime's memory classes,
// heap and garbage collector figures from runtime/metrics, which reads them
// without stopping the world.
func runMemoryMallocStats(ctx *Context) {
	ctx.Out.Verbatim(mallocStatsReport())
}

func mallocStatsReport() string {
	var b strings.Builder
	b.WriteString("___ Begin Go runtime memory statistics ___\n")
	fmt.Fprintf(&b, "Version: %q\n", runtime.Version())
	fmt.Fprintf(&b, "GOOS/GOARCH: %s/%s, GOMAXPROCS: %d\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "GOGC: %s, GOMEMLIMIT: %s\n", goEnv("GOGC", "100 (default)"), goEnv("GOMEMLIMIT", "off (default)"))
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if d.Kind == metrics.KindFloat64Histogram {
			continue
		}
		if strings.HasPrefix(d.Name, "/memory/") || strings.HasPrefix(d.Name, "/gc/") {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	section := ""
	for _, s := range samples {
		if sec := s.Name[:strings.IndexByte(s.Name[1:], '/')+1]; sec != section {
			section = sec
			fmt.Fprintf(&b, "%s:\n", strings.TrimPrefix(sec, "/"))
		}
		switch s.Value.Kind() {
		case metrics.KindUint64:
			fmt.Fprintf(&b, "  %s: %d\n", s.Name, s.Value.Uint64())
		case metrics.KindFloat64:
			fmt.Fprintf(&b, "  %s: %g\n", s.Name, s.Value.Float64())
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.WriteString("runtime.MemStats:\n")
	for _, f := range []struct {
		name  string
		value uint64
	}{
		{"Sys", ms.Sys}, {"HeapAlloc", ms.HeapAlloc}, {"HeapInuse", ms.HeapInuse}, {"HeapIdle", ms.HeapIdle},
		{"HeapReleased", ms.HeapReleased}, {"HeapSys", ms.HeapSys}, {"HeapObjects", ms.HeapObjects},
		{"StackInuse", ms.StackInuse}, {"MSpanInuse", ms.MSpanInuse}, {"MCacheInuse", ms.MCacheInuse},
		{"GCSys", ms.GCSys}, {"OtherSys", ms.OtherSys}, {"NextGC", ms.NextGC}, {"Mallocs", ms.Mallocs},
		{"Frees", ms.Frees}, {"NumGC", uint64(ms.NumGC)}, {"NumForcedGC", uint64(ms.NumForcedGC)},
		{"PauseTotalNs", ms.PauseTotalNs},
	} {
		fmt.Fprintf(&b, "  %s: %d\n", f.name, f.value)
	}
	fmt.Fprintf(&b, "  GCCPUFraction: %.6f\n", ms.GCCPUFraction)
	b.WriteString("--- End Go runtime memory statistics ---\n")
	return b.String()
}
