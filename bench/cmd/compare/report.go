package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/spool-dev/spool/bench/load"
)

// report writes the Markdown report.
type report struct {
	w io.Writer
}

func (r *report) printf(format string, args ...any) { fmt.Fprintf(r.w, format, args...) }

func (r *report) header(c config) {
	r.printf("# Spool vs redis-server\n\n")
	r.printf("- date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	r.printf("- machine: %d CPUs (%s), %s RAM, Linux %s, %s\n", runtime.NumCPU(), cpuModel(), memTotal(), readTrim("/proc/sys/kernel/osrelease"), runtime.Version())
	dataParent := c.workDir
	if dataParent == "" {
		dataParent = os.TempDir()
	}
	r.printf("- data directories under %s (%s): fsync costs depend on it\n", dataParent, mountOf(dataParent))
	r.printf("- load average at start: %s\n", loadAvg())
	r.printf("- servers: %s; %s\n", versionOf(c.spoolBin, "--version"), versionOf(c.redisBin, "--version"))
	r.printf("- command: `%s`\n", strings.Join(os.Args, " "))
	r.printf("- each scenario: %v per run, %d rounds against each server, alternating which goes first; medians shown\n\n", c.duration, c.rounds)
}

func (r *report) footer(took time.Duration) {
	r.printf("\nLoad average at end: %s. Whole run: %v.\n", loadAvg(), took.Round(time.Second))
}

// loadTable prints one policy's scenario table.
func (r *report) loadTable(c config, fsync string, results [][2][]sample) {
	if len(c.specs) == 0 {
		return
	}
	r.printf("## Load scenarios, appendfsync %s\n\n", fsync)
	r.printf("| scenario | load | Spool | Redis | Spool/Redis | Spool p50 / p99 / p99.9 | Redis p50 / p99 / p99.9 | p99 Spool/Redis |\n")
	r.printf("|---|---|--:|--:|--:|--:|--:|--:|\n")
	for i, s := range c.specs {
		var cells [2]string
		var lat [2]string
		var tp, p99 [2]float64
		ok := [2]bool{}
		for which := 0; which < 2; which++ {
			good, firstErr := split(results[i][which])
			if len(good) == 0 {
				cells[which] = "n/a (error: " + shorten(errText(firstErr), 90) + ")"
				lat[which] = "n/a"
				continue
			}
			ok[which] = true
			tp[which] = median(pick(good, func(s sample) float64 { return s.throughput }))
			p50 := median(pick(good, func(s sample) float64 { return s.p50 }))
			p99[which] = median(pick(good, func(s sample) float64 { return s.p99 }))
			p999 := median(pick(good, func(s sample) float64 { return s.p999 }))
			cells[which] = fmt.Sprintf("%s %s", thousands(tp[which]), s.unit())
			if failed := len(results[i][which]) - len(good); failed > 0 {
				cells[which] += fmt.Sprintf(" (%d of %d runs failed: %s)", failed, len(results[i][which]), shorten(errText(firstErr), 60))
			}
			lat[which] = fmt.Sprintf("%s / %s / %s", ms(p50), ms(p99[which]), ms(p999))
		}
		ratio, latRatio := "n/a", "n/a"
		if ok[0] && ok[1] {
			ratio = fmt.Sprintf("**%.2f**", tp[0]/tp[1])
			latRatio = fmt.Sprintf("%.2f", p99[0]/p99[1])
		}
		r.printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", s.name, s.describe(), cells[0], cells[1], ratio, lat[0], lat[1], latRatio)
	}
	r.printf("\nLatency: xadd and mixed from a pipeline's send to each reply; consume from an entry's XADD send to the reply of the XACK that acknowledged it; fanout from PUBLISH send to receipt by a subscriber. Rated rows (`rate=`) measure from the scheduled send time.\n\n")
}

// benchmarkTable prints redis-benchmark's rows.
func (r *report) benchmarkTable(fsync string, rows []benchRow) {
	r.printf("### redis-benchmark XADD, appendfsync %s\n\n", fsync)
	r.printf("| command | Spool rps | Redis rps | Spool/Redis | Spool p50 / p99 | Redis p50 / p99 |\n")
	r.printf("|---|--:|--:|--:|--:|--:|\n")
	for _, row := range rows {
		var cells, lat [2]string
		var rps [2]float64
		for which := 0; which < 2; which++ {
			if len(row.rps[which]) == 0 {
				msg := "no result"
				if len(row.errs[which]) > 0 {
					msg = row.errs[which][0].Error()
				}
				cells[which], lat[which] = "n/a (error: "+shorten(msg, 90)+")", "n/a"
				continue
			}
			rps[which] = median(row.rps[which])
			cells[which] = thousands(rps[which])
			lat[which] = fmt.Sprintf("%.3fms / %.3fms", median(row.p50[which]), median(row.p99[which]))
		}
		ratio := "n/a"
		if rps[0] > 0 && rps[1] > 0 {
			ratio = fmt.Sprintf("**%.2f**", rps[0]/rps[1])
		}
		r.printf("| `redis-benchmark -c 50 -P %d -n %d/%d XADD k * f v` | %s | %s | %s | %s | %s |\n",
			row.pipeline, row.requests[0], row.requests[1], cells[0], cells[1], ratio, lat[0], lat[1])
	}
	r.printf("\n(-n is Spool's/Redis's: sized so that each run lasts about one scenario duration.)\n\n")
}

// memoryTable prints memory per entry, in the steady state 2 s after the
// fill and after MEMORY PURGE, and start-up times.
func (r *report) memoryTable(c config, results [][2]memSample) {
	n := c.memEntries
	r.printf("## Memory and start-up, %d entries in one stream (appendfsync everysec)\n\n", n)
	r.printf("| payload | Spool RSS/entry | Redis RSS/entry | Spool/Redis | Spool RSS/entry purged | Redis RSS/entry purged | Spool/Redis purged |" +
		" Spool used_memory/entry | Redis used_memory/entry | Spool/Redis | Spool used_memory/entry purged | Redis used_memory/entry purged | Spool/Redis purged |" +
		" Spool start-up | Redis start-up |\n")
	r.printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	// column is one figure for both servers and their ratio; bold marks
	// the ratio the README quotes.
	type column struct {
		cells [2]string
		ratio string
	}
	newColumn := func(v [2]float64, ok [2]bool, bold bool) column {
		col := column{cells: [2]string{"n/a", "n/a"}, ratio: "n/a"}
		for which := range 2 {
			if ok[which] {
				col.cells[which] = fmt.Sprintf("%.1f B", v[which])
			}
		}
		if ok[0] && ok[1] && v[0] > 0 && v[1] > 0 {
			col.ratio = fmt.Sprintf("%.2f", v[0]/v[1])
			if bold {
				col.ratio = "**" + col.ratio + "**"
			}
		}
		return col
	}
	var purgeErrs []string
	for i, p := range memPayloads {
		var rssV, usedV, rssP, usedP [2]float64
		var filled, purged [2]bool
		var start [2]string
		for which, kind := range []string{"Spool", "Redis"} {
			m := results[i][which]
			start[which] = "n/a"
			// The fill may have worked even if the restart failed.
			filled[which] = m.err == nil || m.rssAfter != 0
			purged[which] = filled[which] && m.purgeErr == nil && m.rssPurged != 0
			if filled[which] {
				rssV[which], usedV[which] = m.rssPerEntry(n), m.usedPerEntry(n)
			}
			if purged[which] {
				rssP[which], usedP[which] = m.rssPurgedPerEntry(n), m.usedPurgedPerEntry(n)
			} else if filled[which] && m.purgeErr != nil {
				purgeErrs = append(purgeErrs, kind+": "+shorten(m.purgeErr.Error(), 80))
			}
			if m.err == nil {
				start[which] = m.startup.Round(time.Millisecond).String()
			}
		}
		rss, rssPurged := newColumn(rssV, filled, true), newColumn(rssP, purged, false)
		used, usedPurged := newColumn(usedV, filled, false), newColumn(usedP, purged, false)
		// An error after a good fill (the restart) goes in the start-up
		// cell, and only one that stopped the fill hides the figures.
		for which := range 2 {
			if m := results[i][which]; m.err != nil {
				msg := "n/a (error: " + shorten(m.err.Error(), 80) + ")"
				if filled[which] {
					start[which] = msg
				} else {
					rss.cells[which] = msg
				}
			}
		}
		r.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p.name,
			rss.cells[0], rss.cells[1], rss.ratio, rssPurged.cells[0], rssPurged.cells[1], rssPurged.ratio,
			used.cells[0], used.cells[1], used.ratio, usedPurged.cells[0], usedPurged.cells[1], usedPurged.ratio,
			start[0], start[1])
	}
	for which, kind := range []string{"Spool", "Redis"} {
		for i := range memPayloads {
			if results[i][which].pongWhileLoading {
				r.printf("\nNote: %s answered PING with PONG while still loading (DBSIZE answered LOADING); start-up is timed until both answer.\n", kind)
				break
			}
		}
	}
	for _, e := range purgeErrs {
		r.printf("\nMEMORY PURGE failed on %s\n", e)
	}
	r.printf("\nRSS is VmRSS from /proc/PID/status, before and 2s after the fill; used_memory is INFO's (Spool reports the Go heap in use, garbage not yet collected included). " +
		"The purged columns are read right after MEMORY PURGE, sent after those readings: Redis has jemalloc return its dirty pages; Spool runs a full garbage collection and returns its free pages to the OS. " +
		"Start-up: SIGTERM, restart on the same directory, time from exec until PING answers PONG and DBSIZE no longer answers LOADING.\n")
}

// split separates successful samples from failed ones.
func split(samples []sample) (good []sample, firstErr error) {
	for _, s := range samples {
		if s.err != nil {
			if firstErr == nil {
				firstErr = s.err
			}
			continue
		}
		good = append(good, s)
	}
	return good, firstErr
}

func pick(samples []sample, f func(sample) float64) []float64 {
	out := make([]float64, len(samples))
	for i, s := range samples {
		out[i] = f(s)
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func errText(err error) string {
	if err == nil {
		return "no result"
	}
	return err.Error()
}

// shorten keeps a table cell on one line and short.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func ms(ns float64) string { return load.FormatNs(int64(ns)) }

// thousands renders an integer with thousands separators.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}

// mountOf names the device and filesystem type path lives on, from
// /proc/mounts (the longest mount point that prefixes it).
func mountOf(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "unknown filesystem"
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	best, desc := "", "unknown filesystem"
	for _, line := range strings.Split(readTrim("/proc/mounts"), "\n") {
		f := strings.Fields(line) // device mountpoint type options ...
		if len(f) < 3 {
			continue
		}
		mp := f[1]
		if (abs == mp || strings.HasPrefix(abs, strings.TrimSuffix(mp, "/")+"/")) && len(mp) > len(best) {
			best, desc = mp, fmt.Sprintf("%s on %s, mounted at %s", f[2], f[0], mp)
		}
	}
	return desc
}

func loadAvg() string {
	f := strings.Fields(readTrim("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

func versionOf(bin string, flag string) string {
	out, err := exec.Command(bin, flag).Output()
	if err != nil {
		return bin + " (version unknown)"
	}
	return firstLine(string(out))
}
