// Command spool runs the Spool server: a Redis-protocol queue server.
//
//	spool [/path/to/spool.conf] [--option value ...]
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 1 {
		switch args[0] {
		case "--version", "-v":
			fmt.Printf("Spool v=%s redis_version=%s\n", server.Version, commands.Version)
			return 0
		case "--help", "-h":
			fmt.Println("Usage: spool [/path/to/spool.conf] [--option value ...]")
			fmt.Println("Options take redis.conf names: --port 6379 --dir ./data --appendfsync everysec ...")
			fmt.Println("       spool --check-wal DIR    report on the write-ahead log in DIR")
			fmt.Println("       spool --repair-wal DIR   cut a damaged log at its first bad record")
			return 0
		}
	}
	if len(args) == 2 && (args[0] == "--check-wal" || args[0] == "--repair-wal") {
		return walTool(args[0], args[1])
	}
	cfg, err := server.LoadConfig(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	logger, closeLog, err := newLogger(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer closeLog()
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		logger.Error("cannot create data dir", "dir", cfg.Dir, "err", err)
		return 1
	}
	srv, err := server.New(cfg, logger)
	if err != nil {
		logger.Error("cannot start", "err", err)
		return 1
	}
	logger.Info("Spool starting", "version", server.Version, "redis_version", commands.Version, "port", cfg.Port, "dir", cfg.Dir, "pid", os.Getpid())
	if cfg.PprofAddr != "" {
		stop, err := servePprof(cfg.PprofAddr, logger)
		if err != nil {
			logger.Error("cannot serve pprof", "addr", cfg.PprofAddr, "err", err)
			return 1
		}
		defer stop()
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		// After SHUTDOWN the listeners stop before Close has finished (the
		// log flushed and closed): wait for it, as Close is idempotent.
		srv.Close()
		if err != nil {
			logger.Error("server failed", "err", err)
			return 1
		}
		return 0
	case sig := <-sigs:
		logger.Info("shutting down", "signal", sig.String())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			logger.Error("shutdown", "err", err)
			return 1
		}
		return 0
	}
}

// walTool runs --check-wal DIR (report, exit 1 if damaged) or --repair-wal
// DIR (cut the log at its first bad record).
func walTool(op, dir string) int {
	if op == "--check-wal" {
		report, ok, err := server.CheckWAL(dir)
		fmt.Println(report)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		if !ok {
			return 1
		}
		return 0
	}
	report, err := server.RepairWAL(dir)
	fmt.Println(report)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// servePprof serves net/http/pprof's handlers on addr (config pprof-addr,
// loopback only) until stop is called. Its own mux, so nothing else that
// registers on http.DefaultServeMux is exposed.
func servePprof(addr string, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
			logger.Error("pprof server", "err", err)
		}
	}()
	logger.Info("serving pprof", "addr", ln.Addr().String())
	return func() { hs.Close() }, nil
}

// newLogger builds the slog logger from loglevel, logfile ("" = stderr) and
// log-format: text (key=value lines) or json (one object a line, for log
// shippers).
func newLogger(cfg server.Config) (*slog.Logger, func(), error) {
	var w io.Writer = os.Stderr
	closeFn := func() {}
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("can't open the log file %s: %w", cfg.LogFile, err)
		}
		w, closeFn = f, func() { f.Close() }
	}
	if cfg.LogLevel == "nothing" {
		w = io.Discard
	}
	opts := &slog.HandlerOptions{Level: server.SlogLevel(cfg.LogLevel)}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), closeFn, nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), closeFn, nil
}
