package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// benchRow is redis-benchmark XADD at one pipeline depth against both
// servers (index 0 spool, 1 redis), one sample per round.
type benchRow struct {
	pipeline int
	requests [2]int
	rps      [2][]float64
	p50, p99 [2][]float64 // milliseconds, as redis-benchmark reports them
	errs     [2][]error
}

const benchKey = "spoolbench:redis-benchmark"

// runRedisBenchmark runs `redis-benchmark -c 50 -P p XADD key * f v` at
// P=1 and P=16, alternating servers each round. The request count is sized
// from the xadd scenario's measured throughput on the same server so that
// each run lasts about one scenario duration.
func runRedisBenchmark(c config, fsync string, servers []*server, results [][2][]sample) ([]benchRow, error) {
	var rows []benchRow
	for _, p := range []int{1, 16} {
		row := benchRow{pipeline: p}
		for which := range servers {
			row.requests[which] = benchRequests(c, results, p, which)
		}
		for round := 0; round < c.rounds; round++ {
			order := []int{0, 1}
			if round%2 == 1 {
				order = []int{1, 0}
			}
			for _, which := range order {
				s := servers[which]
				fmt.Fprintf(os.Stderr, "[%s round %d/%d] redis-benchmark XADD -P %d -n %d on %s...", fsync, round+1, c.rounds, p, row.requests[which], s.kind)
				rps, p50, p99, err := redisBenchmark(c.benchBin, s, p, row.requests[which])
				if err != nil {
					fmt.Fprintf(os.Stderr, " error: %v\n", err)
					row.errs[which] = append(row.errs[which], err)
				} else {
					fmt.Fprintf(os.Stderr, " %.0f rps, p99 %.3fms\n", rps, p99)
					row.rps[which] = append(row.rps[which], rps)
					row.p50[which] = append(row.p50[which], p50)
					row.p99[which] = append(row.p99[which], p99)
				}
				if _, err := command(s.addr(), "DEL", benchKey); err != nil {
					return nil, fmt.Errorf("DEL after redis-benchmark on %s: %w", s.kind, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// benchRequests sizes -n from the median throughput of the matching xadd
// spec (xadd-p1 or xadd-p16), within [5000, 1000000].
func benchRequests(c config, results [][2][]sample, pipeline, which int) int {
	want := fmt.Sprintf("xadd-p%d", pipeline)
	n := 50000 * pipeline / 4
	for i, s := range c.specs {
		if s.name != want {
			continue
		}
		var tps []float64
		for _, smp := range results[i][which] {
			if smp.err == nil {
				tps = append(tps, smp.throughput)
			}
		}
		if len(tps) > 0 {
			n = int(median(tps) * c.duration.Seconds())
		}
	}
	return min(max(n, 5000), 1_000_000)
}

// redisBenchmark runs one redis-benchmark and parses its CSV result.
func redisBenchmark(bin string, s *server, pipeline, requests int) (rps, p50, p99 float64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-c", "50",
		"-n", strconv.Itoa(requests), "-P", strconv.Itoa(pipeline), "--csv", "XADD", benchKey, "*", "f", "v")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, 0, 0, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()+" "+stdout.String()))
	}
	// redis-benchmark prints server errors on stdout/stderr and may still
	// exit 0: a run with an error line is a failed run.
	if strings.Contains(stdout.String(), "ERR") || strings.Contains(stderr.String(), "ERR") {
		return 0, 0, 0, fmt.Errorf("%s", firstLine(stderr.String()+stdout.String()))
	}
	rps, p50, p99, err = parseBenchmarkCSV(stdout.String())
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%w: %s", err, firstLine(stderr.String()+stdout.String()))
	}
	return rps, p50, p99, nil
}

// parseBenchmarkCSV reads rps, p50 and p99 (ms) from redis-benchmark --csv
// output: a header line, then
// "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms".
func parseBenchmarkCSV(out string) (rps, p50, p99 float64, err error) {
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("parse redis-benchmark output: %w", err)
	}
	for _, rec := range records {
		if len(rec) < 7 || rec[0] == "test" {
			continue
		}
		vals := make([]float64, 3)
		for i, col := range []int{1, 4, 6} {
			v, err := strconv.ParseFloat(rec[col], 64)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("redis-benchmark CSV %q: %w", rec, err)
			}
			vals[i] = v
		}
		return vals[0], vals[1], vals[2], nil
	}
	return 0, 0, 0, fmt.Errorf("redis-benchmark printed no result")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
