// Command compare measures Spool against redis-server side by side on this
// machine and prints Markdown tables with medians and Spool/Redis ratios:
//
//   - each load scenario of bench/load, run alternately against both
//     servers for several rounds, at each appendfsync policy (redis-server
//     with appendonly yes, the same appendfsync, and RDB saves off);
//   - redis-benchmark's XADD at -P 1 and -P 16 with -c 50;
//   - memory per entry (VmRSS growth and INFO used_memory growth) for 1M
//     entries of "f v" and of a 3-field, 99-byte payload;
//   - start-up time with those 1M entries (restart on the same directory,
//     until PING answers PONG).
//
// `make bench-compare` builds Spool and runs this; see docs/PERFORMANCE.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/spool-dev/spool/bench/load"
)

type config struct {
	spoolBin, redisBin, benchBin string
	rounds                       int
	duration                     time.Duration
	fsyncs                       []string
	specs                        []spec
	memEntries                   int64
	redisBenchmark               bool
	pprofAddr                    string
	workDir                      string
}

func main() {
	var (
		c         config
		fsyncs    string
		scenarios string
		outPath   string
	)
	flag.StringVar(&c.spoolBin, "spool", "bin/spool", "the spool binary")
	flag.StringVar(&c.redisBin, "redis-server", "redis-server", "the redis-server binary")
	flag.StringVar(&c.benchBin, "redis-benchmark", "redis-benchmark", "the redis-benchmark binary")
	flag.IntVar(&c.rounds, "rounds", 3, "runs of each scenario against each server (median reported)")
	flag.DurationVar(&c.duration, "duration", 1500*time.Millisecond, "length of each scenario run")
	flag.StringVar(&fsyncs, "fsync", "everysec,always", "appendfsync policies to compare at")
	flag.StringVar(&scenarios, "scenarios", strings.Join(specNames(), ","), "scenarios to run (empty: none)")
	flag.Int64Var(&c.memEntries, "mem-entries", 1_000_000, "entries for the memory and start-up measurements (0 skips them)")
	flag.BoolVar(&c.redisBenchmark, "redis-benchmark-xadd", true, "run redis-benchmark XADD at -P 1 and -P 16")
	flag.StringVar(&c.pprofAddr, "spool-pprof-addr", "", "start Spool with --pprof-addr ADDR, to profile it during the run")
	flag.StringVar(&c.workDir, "workdir", "", "parent of the servers' temporary data directories (default $TMPDIR)")
	flag.StringVar(&outPath, "out", "", "also write the report to this file")
	flag.Parse()

	for _, f := range strings.Split(fsyncs, ",") {
		if f = strings.TrimSpace(f); f != "" {
			c.fsyncs = append(c.fsyncs, f)
		}
	}
	var err error
	if c.specs, err = selectSpecs(scenarios); err != nil {
		fatal(err)
	}
	for _, bin := range []*string{&c.spoolBin, &c.redisBin} {
		path, err := exec.LookPath(*bin)
		if err != nil {
			fatal(fmt.Errorf("%s not found: %w (make build; apt-get install redis-server)", *bin, err))
		}
		*bin = path
	}
	if c.redisBenchmark {
		if path, err := exec.LookPath(c.benchBin); err != nil {
			fmt.Fprintf(os.Stderr, "compare: %s not found; skipping the redis-benchmark rows\n", c.benchBin)
			c.redisBenchmark = false
		} else {
			c.benchBin = path
		}
	}

	out := io.Writer(os.Stdout)
	if outPath != "" {
		f, err := os.Create(outPath)
		if err != nil {
			fatal(err)
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	r := &report{w: out}
	began := time.Now()
	r.header(c)
	for _, fsync := range c.fsyncs {
		if err := runPolicy(c, fsync, r); err != nil {
			fatal(err)
		}
	}
	if c.memEntries > 0 {
		if err := runMemory(c, r); err != nil {
			fatal(err)
		}
	}
	r.footer(time.Since(began))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}

// spec is one row of the load table: a scenario with fixed options.
type spec struct {
	name     string
	scenario string
	opts     load.Options
}

func allSpecs() []spec {
	return []spec{
		{"xadd-p1", "xadd", load.Options{Clients: 50, Pipeline: 1, Fields: 1, ValueSize: 10}},
		{"xadd-p16", "xadd", load.Options{Clients: 50, Pipeline: 16, Fields: 1, ValueSize: 10}},
		{"xadd-3f-p16", "xadd", load.Options{Clients: 50, Pipeline: 16, Fields: 3, ValueSize: 31}},
		// Latency at the same load for both: a rate either server sustains
		// at appendfsync always on a 2-core machine.
		{"xadd@10k", "xadd", load.Options{Clients: 50, Pipeline: 1, Fields: 1, ValueSize: 10, Rate: 10000}},
		{"consume", "consume", load.Options{Clients: 2, Pipeline: 16, Consumers: 4, Count: 50, Fields: 1, ValueSize: 10}},
		{"consume@5k", "consume", load.Options{Clients: 10, Pipeline: 1, Consumers: 4, Count: 50, Fields: 1, ValueSize: 10, Rate: 5000}},
		{"fanout", "fanout", load.Options{Clients: 1, Pipeline: 8, Subscribers: 8, ValueSize: 64}},
		{"mixed", "mixed", load.Options{Clients: 20, Pipeline: 4, Count: 10, Fields: 1, ValueSize: 10}},
	}
}

func specNames() []string {
	var names []string
	for _, s := range allSpecs() {
		names = append(names, s.name)
	}
	return names
}

func selectSpecs(list string) ([]spec, error) {
	var out []spec
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for _, s := range allSpecs() {
			if s.name == name {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown scenario %q (have %s)", name, strings.Join(specNames(), ", "))
		}
	}
	return out, nil
}

// describe renders a spec's load shape for the table.
func (s spec) describe() string {
	o := load.Defaults(s.scenario, s.opts)
	rate := ""
	if o.Rate > 0 {
		rate = fmt.Sprintf(" rate=%.0f/s", o.Rate)
	}
	switch s.scenario {
	case "xadd":
		return fmt.Sprintf("c=%d P=%d %dx%dB%s", o.Clients, o.Pipeline, o.Fields, o.ValueSize, rate)
	case "consume":
		return fmt.Sprintf("%d producers P=%d, %d consumers COUNT %d%s", o.Clients, o.Pipeline, o.Consumers, o.Count, rate)
	case "fanout":
		return fmt.Sprintf("%d publisher P=%d, %d subscribers, %dB%s", o.Clients, o.Pipeline, o.Subscribers, o.ValueSize, rate)
	case "mixed":
		return fmt.Sprintf("c=%d P=%d %s", o.Clients, o.Pipeline, o.Mix)
	}
	return ""
}

// unit names what a spec's throughput counts.
func (s spec) unit() string {
	switch s.scenario {
	case "consume":
		return "acked/s"
	case "fanout":
		return "delivered/s"
	case "mixed":
		return "replies/s"
	}
	return "XADD/s"
}

// sample is one run's figures, or its error.
type sample struct {
	throughput     float64
	p50, p99, p999 float64 // nanoseconds
	err            error
	elapsed        time.Duration
	extra          []load.Metric
	ops            int64
}

// runPolicy starts both servers at one fsync policy and runs the scenario
// rounds and redis-benchmark against them.
func runPolicy(c config, fsync string, r *report) error {
	spoolDir, err := os.MkdirTemp(c.workDir, "spool-compare-spool-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(spoolDir)
	redisDir, err := os.MkdirTemp(c.workDir, "spool-compare-redis-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(redisDir)
	sp := newSpool(c.spoolBin, fsync, spoolDir, c.pprofAddr)
	rd := newRedis(c.redisBin, fsync, redisDir)
	if _, err := sp.start(); err != nil {
		return err
	}
	defer sp.stop()
	if _, err := rd.start(); err != nil {
		return err
	}
	defer rd.stop()
	servers := []*server{sp, rd}

	// results[spec][0 spool, 1 redis]
	results := make([][2][]sample, len(c.specs))
	for round := 0; round < c.rounds; round++ {
		for i, s := range c.specs {
			order := []int{0, 1}
			if (round+i)%2 == 1 {
				order = []int{1, 0}
			}
			for _, which := range order {
				o := s.opts
				o.Addr = servers[which].addr()
				o.Duration = c.duration
				fmt.Fprintf(os.Stderr, "[%s round %d/%d] %s on %s...", fsync, round+1, c.rounds, s.name, servers[which].kind)
				res, err := load.Run(s.scenario, o)
				smp := sample{err: err}
				if res != nil {
					smp.throughput = res.Throughput()
					smp.p50 = float64(res.Latency.Percentile(50))
					smp.p99 = float64(res.Latency.Percentile(99))
					smp.p999 = float64(res.Latency.Percentile(99.9))
					smp.elapsed, smp.extra, smp.ops = res.Elapsed, res.Extra, res.Ops
				}
				if err != nil {
					fmt.Fprintf(os.Stderr, " error: %v\n", err)
				} else {
					fmt.Fprintf(os.Stderr, " %.0f %s, p99 %s\n", smp.throughput, s.unit(), load.FormatNs(int64(smp.p99)))
				}
				results[i][which] = append(results[i][which], smp)
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	r.loadTable(c, fsync, results)

	if c.redisBenchmark {
		rows, err := runRedisBenchmark(c, fsync, servers, results)
		if err != nil {
			return err
		}
		r.benchmarkTable(fsync, rows)
	}
	for _, s := range servers {
		if err := s.stop(); err != nil {
			return err
		}
	}
	return nil
}
