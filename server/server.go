// Package server is Spool's process: listeners, the connection loop,
// dispatch under the keyspace lock, blocking, expiry and statistics.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/wal"
)

// Server is one Spool instance.
type Server struct {
	// mu is the keyspace lock: it serialises every command, as Redis's single
	// thread does. It is held only for in-memory work.
	mu      sync.Mutex
	cfg     Config // guarded by mu
	engine  *commands.Engine
	conns   map[int64]*conn // guarded by mu
	blocked blockRegistry   // guarded by mu
	log     *slog.Logger
	runID   string
	started time.Time

	// effectSink, when set, receives every effect in apply order with mu
	// held; tests capture effects through it.
	effectSink func([]commands.Effect)

	// Durability (persist.go). wal is nil only for servers built without a
	// data directory (never in production).
	wal          *wal.Log
	lastSeq      uint64 // guarded by mu: the last WAL record appended
	encodeBuf    []byte // guarded by mu
	loaded       chan error
	loadedDone   chan struct{}
	loadErr      error // guarded by mu until loadedDone closes
	loadedSeq    atomic.Uint64
	lastSaveUnix atomic.Int64
	snap         snapshotState // guarded by mu

	nextID        atomic.Int64
	totalConns    atomic.Int64
	rejectedConns atomic.Int64
	netIn, netOut atomic.Int64

	lnMu      sync.Mutex
	listeners []net.Listener
	wg        sync.WaitGroup
	done      chan struct{}
	closeOnce sync.Once
}

// New builds a server from cfg; nothing listens until Serve or
// ListenAndServe.
func New(cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	var id [20]byte
	_, _ = rand.Read(id[:])
	s := &Server{
		cfg:     cfg,
		conns:   make(map[int64]*conn),
		blocked: newBlockRegistry(),
		log:     log,
		runID:   hex.EncodeToString(id[:]),
		started: time.Now(),
		done:    make(chan struct{}),

		loaded:     make(chan error, 1),
		loadedDone: make(chan struct{}),
	}
	s.engine = commands.NewEngine(cfg.Databases, s, nil)
	s.applySettingsLocked()
	if err := s.openLog(); err != nil {
		return nil, err
	}
	return s, nil
}

// SetEffectSink installs fn to receive every effect from now on, in apply
// order, called with the keyspace lock held.
func (s *Server) SetEffectSink(fn func([]commands.Effect)) {
	s.mu.Lock()
	s.effectSink = fn
	s.mu.Unlock()
}

// Engine exposes the command engine to tests in this module.
func (s *Server) Engine() *commands.Engine { return s.engine }

// Lock and Unlock take the keyspace lock, for tests that inspect state.
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

// applySettingsLocked copies the options commands read into the engine.
// Caller holds s.mu.
func (s *Server) applySettingsLocked() {
	st := &s.engine.Settings
	st.ProtoMaxBulkLen = s.cfg.ProtoMaxBulkLen
	st.StreamNodeMaxEntries = s.cfg.StreamNodeMaxEntries
	st.StreamNodeMaxBytes = s.cfg.StreamNodeMaxBytes
	st.SlowlogLogSlowerThan = s.cfg.SlowlogLogSlowerThan
	st.SlowlogMaxLen = s.cfg.SlowlogMaxLen
	st.EnableDebugCommand = s.cfg.EnableDebugCommand
}

// ListenAndServe opens the configured listeners and serves until Close.
func (s *Server) ListenAndServe() error {
	if s.cfg.Port == 0 {
		return errors.New("server: port 0 and no other listener: nothing to serve")
	}
	var lns []net.Listener
	for _, addr := range s.cfg.Bind {
		ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(s.cfg.Port)))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return fmt.Errorf("server: listen on %s:%d: %w", addr, s.cfg.Port, err)
		}
		lns = append(lns, ln)
	}
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- s.Serve(ln) }(ln)
	}
	select {
	case err := <-errc:
		return err
	case err := <-s.loaded:
		if err == nil {
			return <-errc
		}
		// A dataset that cannot be loaded must not be served (nor
		// overwritten): stop, as redis-server does on a bad AOF.
		s.Close()
		return err
	}
}

// Serve accepts connections on ln until Close.
func (s *Server) Serve(ln net.Listener) error {
	s.lnMu.Lock()
	select {
	case <-s.done:
		s.lnMu.Unlock()
		ln.Close()
		return nil
	default:
	}
	s.listeners = append(s.listeners, ln)
	if len(s.listeners) == 1 {
		s.wg.Add(1)
		go s.cron()
	}
	s.lnMu.Unlock()
	s.log.Info("listening", "addr", ln.Addr().String())
	for {
		nc, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return fmt.Errorf("server: accept: %w", err)
		}
		s.totalConns.Add(1)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
		}()
	}
}

// Addrs returns the addresses the server listens on.
func (s *Server) Addrs() []net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	out := make([]net.Addr, len(s.listeners))
	for i, ln := range s.listeners {
		out[i] = ln.Addr()
	}
	return out
}

// Close stops accepting, disconnects every client and waits for their
// goroutines to end.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.lnMu.Lock()
		for _, ln := range s.listeners {
			ln.Close()
		}
		s.lnMu.Unlock()
		s.mu.Lock()
		for _, c := range s.conns {
			c.nc.SetDeadline(time.Now())
		}
		s.mu.Unlock()
		s.wg.Wait()
		<-s.loadedDone
		if s.wal != nil {
			if err := s.wal.Close(); err != nil {
				s.log.Error("closing the log", "err", err)
			}
		}
		s.log.Info("server stopped")
	})
	return nil
}

// Shutdown closes the server, giving up when ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cron runs the periodic work Redis's serverCron does: active expiry and
// idle-client timeouts.
func (s *Server) cron() {
	defer s.wg.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.mu.Lock()
			if s.engine.Loading {
				s.mu.Unlock()
				continue
			}
			s.maybeSnapshotLocked()
			effects, signaled := s.engine.ActiveExpireCycle(time.Millisecond)
			s.publishLocked(effects)
			for _, k := range signaled {
				s.blocked.signal(k.DB, k.Key)
			}
			s.mu.Unlock()
		}
	}
}

// publishLocked logs effects to the WAL and hands them to the sink, in apply
// order. Caller holds s.mu.
func (s *Server) publishLocked(effects []commands.Effect) {
	if len(effects) == 0 {
		return
	}
	s.logEffectsLocked(effects)
	if s.effectSink != nil {
		s.effectSink(effects)
	}
}
