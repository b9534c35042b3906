package main

import (
	"os"
	"testing"
)

func TestParseBenchmarkCSV(t *testing.T) {
	out := `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"XADD k * f v","317460.31","2.219","0.280","2.079","4.055","5.311","5.703"
`
	rps, p50, p99, err := parseBenchmarkCSV(out)
	if err != nil || rps != 317460.31 || p50 != 2.079 || p99 != 5.311 {
		t.Fatalf("got %v %v %v %v", rps, p50, p99, err)
	}
	// An unknown command leaves only the header.
	if _, _, _, err := parseBenchmarkCSV(`"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"` + "\n"); err == nil {
		t.Fatal("no error for a header without results")
	}
}

func TestMedianAndFormatting(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
	if got := shorten("a |b\n  c", 5); got != "a /b ..." {
		t.Errorf("shorten: %q", got)
	}
}

func TestSelectSpecs(t *testing.T) {
	specs, err := selectSpecs("xadd-p1, consume")
	if err != nil || len(specs) != 2 || specs[1].scenario != "consume" {
		t.Fatalf("got %v %v", specs, err)
	}
	if specs, err := selectSpecs(""); err != nil || len(specs) != 0 {
		t.Fatalf("empty list: %v %v", specs, err)
	}
	if _, err := selectSpecs("nope"); err == nil {
		t.Fatal("accepted an unknown scenario")
	}
	for _, s := range allSpecs() {
		if s.describe() == "" || s.unit() == "" {
			t.Errorf("%s: no description", s.name)
		}
	}
}

func TestRSSOfThisProcess(t *testing.T) {
	rss, err := rssBytes(os.Getpid())
	if err != nil || rss <= 0 {
		t.Fatalf("rss %d err %v", rss, err)
	}
}
