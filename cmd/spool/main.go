// Command spool runs the Spool server: a Redis-protocol queue server.
//
//	spool [/path/to/spool.conf] [--option value ...]
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/server"
)

// version is Spool's own version; INFO reports it as spool_version.
const version = "0.1.0"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 1 {
		switch args[0] {
		case "--version", "-v":
			fmt.Printf("Spool v=%s redis_version=%s\n", version, commands.Version)
			return 0
		case "--help", "-h":
			fmt.Println("Usage: spool [/path/to/spool.conf] [--option value ...]")
			fmt.Println("Options take redis.conf names: --port 6379 --dir ./data --appendfsync everysec ...")
			return 0
		}
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
	logger.Info("Spool starting", "version", version, "redis_version", commands.Version, "port", cfg.Port, "dir", cfg.Dir, "pid", os.Getpid())

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
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

// newLogger builds the slog logger from loglevel and logfile ("" = stderr).
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
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: server.SlogLevel(cfg.LogLevel)})), closeFn, nil
}
