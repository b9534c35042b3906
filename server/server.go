// Package server is Spool's process: listeners, the connection loop,
// dispatch under the keyspace lock, blocking, expiry and statistics.
package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
	hub     hub             // guarded by mu: pub/sub subscriptions (pubsub.go)
	log     *slog.Logger
	runID   string
	started time.Time

	// redelivery is the one timer that wakes XREADGROUP clients when a
	// queue redelivery falls due (redelivery.go). Guarded by mu.
	redelivery redeliveryTimer

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

	// Security and limits: the TLS configuration (nil when tls-port is 0),
	// the password last applied to the default user from requirepass, and
	// the used-memory sampler maxmemory reads.
	tlsConfig          *tls.Config
	tlsListeners       []net.Listener // guarded by lnMu
	appliedRequirePass string         // guarded by mu
	memory             *memorySampler // guarded by mu

	lnMu      sync.Mutex
	listeners []net.Listener
	// metrics is the Prometheus endpoint (metrics.go), nil when
	// metrics-port is 0; guarded by lnMu like metricsAddr.
	metrics     *http.Server
	metricsAddr net.Addr

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
		hub:     newHub(),
		log:     log,
		runID:   hex.EncodeToString(id[:]),
		started: time.Now(),
		done:    make(chan struct{}),

		loaded:     make(chan error, 1),
		loadedDone: make(chan struct{}),
	}
	s.engine = commands.NewEngine(cfg.Databases, s, nil)
	s.blocked.rearm = s.armRedeliveryLocked
	s.memory = newMemorySampler()
	s.engine.UsedMemory = s.memory.usedLocked
	s.applySettingsLocked()
	if cfg.ACLFile != "" {
		if err := s.engine.LoadACLFile(cfg.ACLFile); err != nil {
			return nil, fmt.Errorf("server: aborting start-up because of ACL errors: %w", err)
		}
	}
	tlsConfig, err := newTLSConfig(cfg.SecurityConfig)
	if err != nil {
		return nil, err
	}
	s.tlsConfig = tlsConfig
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
	st.MaxMemory = s.cfg.MaxMemory
	st.ACLFile = s.cfg.ACLFile
	st.ACLLogMaxLen = s.cfg.ACLLogMaxLen
	st.ACLPubsubDefault = s.cfg.ACLPubsubDefault
	st.NotifyKeyspaceEvents = s.cfg.NotifyKeyspaceEvents
	st.Encoding = s.cfg.Encoding
	// requirepass is the default user's password; like Redis, setting it
	// to the value it already has leaves the user as ACL SETUSER made it.
	if s.cfg.RequirePass != s.appliedRequirePass {
		s.engine.SetRequirePass(s.cfg.RequirePass)
		s.appliedRequirePass = s.cfg.RequirePass
	}
}

// ListenAndServe opens the configured listeners (port and tls-port on
// every bind address; port 0 turns plain TCP off) and serves until Close.
func (s *Server) ListenAndServe() error {
	if s.cfg.Port == 0 && s.cfg.TLSPort == 0 {
		return errors.New("server: port 0 and tls-port 0: nothing to serve")
	}
	type listener struct {
		ln  net.Listener
		tls bool
	}
	var lns []listener
	for _, p := range []listener{{nil, false}, {nil, true}} {
		port := s.cfg.Port
		if p.tls {
			port = s.cfg.TLSPort
		}
		if port == 0 {
			continue
		}
		for _, addr := range s.cfg.Bind {
			ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
			if err != nil {
				for _, l := range lns {
					l.ln.Close()
				}
				return fmt.Errorf("server: listen on %s:%d: %w", addr, port, err)
			}
			lns = append(lns, listener{ln, p.tls})
		}
	}
	errc := make(chan error, len(lns))
	for _, l := range lns {
		go func(l listener) {
			if l.tls {
				errc <- s.ServeTLS(l.ln)
			} else {
				errc <- s.Serve(l.ln)
			}
		}(l)
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
func (s *Server) Serve(ln net.Listener) error { return s.serve(ln, false) }

func (s *Server) serve(ln net.Listener, isTLS bool) error {
	if err := s.startMetrics(); err != nil {
		ln.Close()
		return err
	}
	s.lnMu.Lock()
	select {
	case <-s.done:
		s.lnMu.Unlock()
		ln.Close()
		return nil
	default:
	}
	if isTLS {
		s.tlsListeners = append(s.tlsListeners, ln)
	} else {
		s.listeners = append(s.listeners, ln)
	}
	if len(s.listeners)+len(s.tlsListeners) == 1 {
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
			if s.admit(nc) { // TLS handshake, protected mode (tls.go)
				s.serveConn(nc)
			}
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
		for _, ln := range append(s.listeners, s.tlsListeners...) {
			ln.Close()
		}
		s.stopMetricsLocked()
		s.lnMu.Unlock()
		s.mu.Lock()
		s.stopRedeliveryLocked()
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
