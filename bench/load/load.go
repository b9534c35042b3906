// Package load runs the benchmark scenarios against any server that speaks
// RESP (Spool and redis-server alike) and measures them: xadd, consume,
// fanout and mixed. Each scenario opens its own connections with the
// bench/resp client, is bounded by a duration and optionally by a count,
// and returns a Result with throughput and a latency histogram.
//
// A command the server does not serve makes the scenario fail at set-up
// with the server's error reply: nothing waits for a reply that will never
// come, and every socket carries a deadline past the end of the run.
package load

import (
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/bench/hist"
	"github.com/spool-dev/spool/bench/resp"
)

// Scenarios lists the scenario names Run accepts.
var Scenarios = []string{"xadd", "consume", "fanout", "mixed"}

// Options configures a run. Zero fields take the scenario's default (see
// Defaults).
type Options struct {
	Addr     string        // host:port of the server
	Password string        // AUTH before anything else, when set
	Duration time.Duration // how long the load runs
	Requests int64         // stop after this many primary operations (0 = only Duration)
	Key      string        // stream key (and channel) prefix; default "spoolbench:<scenario>"
	Keep     bool          // leave the keys in place afterwards (default: DEL them)

	// Load shape: connections sending the primary command and how many
	// commands each sends per round trip. For consume these are the
	// producers, for fanout the publishers.
	Clients  int
	Pipeline int
	// Rate is the total primary operations per second the senders aim at
	// (0 = as fast as they can). With a rate, latency is measured from each
	// batch's scheduled send time, so a stalled server cannot hide its
	// stall by slowing the sender down (no coordinated omission).
	Rate float64

	// Entry shape for XADD: Fields field/value pairs of ValueSize bytes
	// each, spread over Streams keys; MaxLen > 0 adds MAXLEN ~ MaxLen.
	Fields    int
	ValueSize int
	Streams   int
	MaxLen    int64

	// consume: a consumer group of Consumers consumers reading COUNT Count
	// with BLOCK Block.
	Consumers int
	Count     int
	Block     time.Duration

	// Policy, for consume: Spool's queue policy for the group, the options
	// of XQ.POLICY SET key group (e.g. "ACKWAIT 30000 MAXDELIVER 5"), set
	// right after the group is created. Empty: no policy (plain Redis
	// semantics).
	Policy string

	// fanout: subscribers of the one channel.
	Subscribers int

	// mixed: weights of the operations, "xadd=50,xrange=15,...".
	Mix string
}

// Defaults returns o with every zero field set to scenario's default.
func Defaults(scenario string, o Options) Options {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	if o.Duration == 0 {
		o.Duration = 5 * time.Second
	}
	if o.Key == "" {
		o.Key = "spoolbench:" + scenario
	}
	def(&o.Fields, 1)
	def(&o.ValueSize, 10)
	def(&o.Streams, 1)
	switch scenario {
	case "xadd":
		def(&o.Clients, 50)
		def(&o.Pipeline, 1)
	case "consume":
		def(&o.Clients, 2)
		def(&o.Pipeline, 16)
		def(&o.Consumers, 4)
		def(&o.Count, 50)
	case "fanout":
		def(&o.Clients, 1)
		def(&o.Pipeline, 8)
		def(&o.Subscribers, 8)
	case "mixed":
		def(&o.Clients, 20)
		def(&o.Pipeline, 4)
		def(&o.Count, 10)
		if o.Mix == "" {
			o.Mix = DefaultMix
		}
	}
	if o.Block == 0 {
		o.Block = 100 * time.Millisecond
	}
	return o
}

// Result is what a run measured. Ops is the scenario's primary operation:
// XADD replies (xadd), entries acknowledged (consume), messages delivered
// to subscribers (fanout), replies of any command (mixed).
type Result struct {
	Scenario string
	Addr     string
	Ops      int64
	Elapsed  time.Duration    // from the first send to the last completion
	Latency  *hist.Histogram  // of the primary operation, in nanoseconds
	Extra    []Metric         // scenario-specific figures
	PerOp    map[string]int64 // mixed: replies per operation
}

// Metric is one scenario-specific figure.
type Metric struct {
	Name  string
	Value float64
	Unit  string
}

// Throughput is primary operations per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

// String is a one-paragraph report.
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s against %s: %d ops in %.2fs = %.0f ops/s\n", r.Scenario, r.Addr, r.Ops, r.Elapsed.Seconds(), r.Throughput())
	fmt.Fprintf(&b, "  latency: p50 %s  p99 %s  p99.9 %s  max %s  mean %s\n",
		FormatNs(r.Latency.Percentile(50)), FormatNs(r.Latency.Percentile(99)), FormatNs(r.Latency.Percentile(99.9)),
		FormatNs(r.Latency.Max()), FormatNs(int64(r.Latency.Mean())))
	for _, m := range r.Extra {
		if m.Unit == "ns" {
			fmt.Fprintf(&b, "  %s: %s\n", m.Name, FormatNs(int64(m.Value)))
		} else {
			fmt.Fprintf(&b, "  %s: %.0f %s\n", m.Name, m.Value, m.Unit)
		}
	}
	if len(r.PerOp) > 0 {
		b.WriteString("  replies per operation:")
		for _, op := range mixOps {
			if n, ok := r.PerOp[op]; ok {
				fmt.Fprintf(&b, " %s=%d", op, n)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FormatNs renders nanoseconds as µs or ms with three significant digits.
func FormatNs(ns int64) string {
	switch {
	case ns < 1000:
		return fmt.Sprintf("%dns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1fµs", float64(ns)/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.2fms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.2fs", float64(ns)/1e9)
}

// Run runs scenario with o (defaults applied).
func Run(scenario string, o Options) (*Result, error) {
	o = Defaults(scenario, o)
	if o.Addr == "" {
		return nil, errors.New("load: no address")
	}
	if o.Policy != "" && scenario != "consume" {
		return nil, fmt.Errorf("load: a queue policy applies to the consume scenario, not %s", scenario)
	}
	var (
		res *Result
		err error
	)
	switch scenario {
	case "xadd":
		res, err = runXAdd(o)
	case "consume":
		res, err = runConsume(o)
	case "fanout":
		res, err = runFanout(o)
	case "mixed":
		res, err = runMixed(o)
	default:
		return nil, fmt.Errorf("load: unknown scenario %q (have %s)", scenario, strings.Join(Scenarios, ", "))
	}
	if res != nil {
		res.Scenario, res.Addr = scenario, o.Addr
	}
	return res, err
}

// setupTimeout bounds connecting and each scenario's set-up commands (a
// variable so that tests can shorten it).
var setupTimeout = 5 * time.Second

// extend moves the deadline of every connection to t, once set-up is done.
func extend(t time.Time, groups ...[]*resp.Conn) {
	for _, g := range groups {
		for _, c := range g {
			c.SetDeadline(t)
		}
	}
}

// grace is how long past the end of the load a socket may still wait: the
// last pipeline's replies, a BLOCK in progress, subscribers draining.
const grace = 10 * time.Second

// dial connects and authenticates, with every I/O bounded by deadline.
func dial(o Options, deadline time.Time) (*resp.Conn, error) {
	c, err := resp.Dial(o.Addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(deadline)
	if o.Password != "" {
		if _, err := c.Do("AUTH", o.Password); err != nil {
			c.Close()
			return nil, fmt.Errorf("AUTH: %w", err)
		}
	}
	return c, nil
}

// dialAll opens n connections, closing them all on failure.
func dialAll(o Options, n int, deadline time.Time) ([]*resp.Conn, error) {
	conns := make([]*resp.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := dial(o, deadline)
		if err != nil {
			closeAll(conns)
			return nil, fmt.Errorf("connect to %s: %w", o.Addr, err)
		}
		conns = append(conns, c)
	}
	return conns, nil
}

func closeAll(conns []*resp.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// do sends one set-up command and names it in the error.
func do(c *resp.Conn, args ...string) (resp.Value, error) {
	v, err := c.Do(args...)
	if err != nil {
		return v, fmt.Errorf("%s: %w", strings.ToUpper(args[0]), err)
	}
	return v, nil
}

// budget hands out the Requests count bound among workers.
type budget struct {
	limit int64 // 0 = unbounded
	used  atomic.Int64
}

// take grants up to n operations; 0 means the budget is spent.
func (b *budget) take(n int) int {
	if b.limit == 0 {
		return n
	}
	after := b.used.Add(int64(n))
	if after <= b.limit {
		return n
	}
	if over := after - b.limit; over < int64(n) {
		return n - int(over)
	}
	return 0
}

// pacer spaces a worker's batches to hold a rate. Unpaced, it returns now.
type pacer struct {
	interval time.Duration
	next     time.Time
}

func newPacer(rate float64, workers, batch int, start time.Time, rng *rand.Rand) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	interval := time.Duration(float64(time.Second) * float64(batch) * float64(workers) / rate)
	// Stagger the workers across one interval so they don't send in step.
	return &pacer{interval: interval, next: start.Add(time.Duration(rng.Int63n(int64(interval) + 1)))}
}

// wait sleeps until the next batch is due and returns the time it was due:
// latency counts from there.
func (p *pacer) wait() time.Time {
	if p.interval == 0 {
		return time.Now()
	}
	due := p.next
	p.next = p.next.Add(p.interval)
	if d := time.Until(due); d > 0 {
		time.Sleep(d)
	}
	return due
}

// epoch is the process's time origin for timestamps carried in payloads:
// producer and consumer run in this process, so monotonic nanoseconds
// since epoch compare exactly.
var epoch = time.Now()

func nowNs() int64 { return int64(time.Since(epoch)) }

// appendStamp appends a decimal timestamp to dst.
func appendStamp(dst []byte, ns int64) []byte { return strconv.AppendInt(dst, ns, 10) }

// parseStamp reads the decimal timestamp at the start of b (up to the first
// non-digit).
func parseStamp(b []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n, i > 0
}

// filler returns n bytes of printable data.
func filler(n int) []byte {
	b := make([]byte, n)
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	for i := range b {
		b[i] = letters[(i*7+3)%len(letters)]
	}
	return b
}

// fieldNames returns the field names of an n-field entry: "f" for one
// field, else "f1".."fn".
func fieldNames(n int) [][]byte {
	if n == 1 {
		return [][]byte{[]byte("f")}
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte("f" + strconv.Itoa(i+1))
	}
	return out
}

// entry is the XADD argument shape shared by the scenarios that add.
type entry struct {
	names  [][]byte
	value  []byte
	maxLen []byte // nil = no trimming
}

func newEntry(o Options) entry {
	e := entry{names: fieldNames(o.Fields), value: filler(o.ValueSize)}
	if o.MaxLen > 0 {
		e.maxLen = []byte(strconv.FormatInt(o.MaxLen, 10))
	}
	return e
}

// write appends XADD key [MAXLEN ~ n] * [ts <stamp>] fields... to w. A
// stamp >= 0 adds the "ts" field first.
func (e *entry) write(w *resp.Writer, key []byte, stamp int64) {
	n := 3 + 2*len(e.names)
	if e.maxLen != nil {
		n += 3
	}
	if stamp >= 0 {
		n += 2
	}
	w.Array(n)
	w.BulkString("XADD")
	w.Bulk(key)
	if e.maxLen != nil {
		w.BulkString("MAXLEN")
		w.BulkString("~")
		w.Bulk(e.maxLen)
	}
	w.BulkString("*")
	if stamp >= 0 {
		w.BulkString("ts")
		w.BulkInt(stamp)
	}
	for _, name := range e.names {
		w.Bulk(name)
		w.Bulk(e.value)
	}
}

// streamKeys returns the Streams stream keys.
func streamKeys(o Options) [][]byte {
	if o.Streams <= 1 {
		return [][]byte{[]byte(o.Key)}
	}
	keys := make([][]byte, o.Streams)
	for i := range keys {
		keys[i] = []byte(o.Key + ":" + strconv.Itoa(i))
	}
	return keys
}

// cleanup deletes keys unless o.Keep.
func cleanup(o Options, keys ...string) error {
	if o.Keep || len(keys) == 0 {
		return nil
	}
	c, err := dial(o, time.Now().Add(setupTimeout))
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = do(c, append([]string{"DEL"}, keys...)...)
	return err
}

func keyStrings(keys [][]byte) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}

// group runs workers and collects the first error.
type group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
	last time.Time // latest completion any worker reported
}

func (g *group) goFn(fn func() (time.Time, error)) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		last, err := fn()
		g.mu.Lock()
		defer g.mu.Unlock()
		if err != nil && g.err == nil {
			g.err = err
		}
		if last.After(g.last) {
			g.last = last
		}
	}()
}

func (g *group) wait() (time.Time, error) {
	g.wg.Wait()
	return g.last, g.err
}

// elapsed is the time from start to the last completion (0 when nothing
// completed).
func elapsed(start, last time.Time) time.Duration {
	if last.IsZero() {
		return 0
	}
	return last.Sub(start)
}

// replyError turns an error reply in the hot path into an error naming the
// command.
func replyError(cmd string, v resp.Value) error {
	return fmt.Errorf("%s: %w", cmd, v.Err())
}

// expectKind fails unless v has kind k (error replies included in the
// message).
func expectKind(cmd string, v resp.Value, k resp.Kind) error {
	if v.IsError() {
		return replyError(cmd, v)
	}
	if v.Kind != k {
		return fmt.Errorf("%s: unexpected reply %s", cmd, v.String())
	}
	return nil
}
