# Spool: see README.md.
GO      ?= go
BIN     := bin/spool
PKGS    := ./...

.PHONY: run build test race bench bench-compare lint fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/spool

run: build
	mkdir -p data
	./$(BIN) --port 6379 --bind 127.0.0.1 --dir ./data

# The whole suite with the race detector: unit, integration, conformance
# against redis-server (skipped loudly when it is missing, failed under CI=true).
test:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

race: test

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Spool against redis-server (from PATH) side by side: load scenarios at
# appendfsync everysec and always, redis-benchmark XADD, memory per entry and
# start-up with 1M entries. Flags go in BENCH_FLAGS, e.g.
#   make bench-compare BENCH_FLAGS="-rounds 5 -duration 3s -out perf.md"
# See docs/PERFORMANCE.md.
BENCH_FLAGS ?=
bench-compare: build
	$(GO) build -o bin/spool-compare ./bench/cmd/compare
	$(GO) build -o bin/spoolbench ./bench/cmd/spoolbench
	./bin/spool-compare -spool ./$(BIN) $(BENCH_FLAGS)

lint:
	$(GO) vet $(PKGS)
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Short fuzzing runs of every fuzz target (seeds live in testdata/fuzz).
fuzz:
	$(GO) test ./server -run '^$$' -fuzz FuzzReader -fuzztime 20s

clean:
	rm -rf bin
