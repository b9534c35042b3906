package server

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/spool-dev/spool/commands"
	"github.com/spool-dev/spool/wal"
)

// The server's side of durability: effects go to the WAL in apply order,
// replies wait for the WAL (DESIGN.md's reply rule), start-up replays the
// log, and a failing disk refuses writes with -MISCONF.

// openLog opens the WAL in the data directory and starts loading the dataset
// from it in the background; commands get LOADING until it is done.
func (s *Server) openLog() error {
	policy, err := wal.ParsePolicy(s.cfg.AppendFsync)
	if err != nil {
		return err
	}
	log, report, err := wal.Open(s.cfg.Dir, wal.Options{Fsync: policy, Logger: s.log, Hook: s.cfg.WALHook, RetryInterval: 200 * time.Millisecond})
	if report != nil && len(report.Actions) > 0 {
		for _, a := range report.Actions {
			s.log.Warn("wal repair", "action", a)
		}
	}
	if err != nil {
		return fmt.Errorf("server: open the log in %s: %w", s.cfg.Dir, err)
	}
	s.wal = log
	// Records written before this start count: a snapshot taken now covers
	// them, and replies wait for them like for any other.
	s.lastSeq = log.LastSeq()
	s.engine.Loading = true
	s.engine.WriteRefused = s.writeRefusedLocked
	go s.load()
	return nil
}

// load replays the newest snapshot and the log after it. Records are applied
// in chunks so that clients connecting meanwhile get LOADING rather than
// waiting on the lock.
func (s *Server) load() {
	start := time.Now()
	err := s.loadData()
	s.mu.Lock()
	s.engine.Loading = false
	s.loadErr = err
	s.mu.Unlock()
	if err != nil {
		s.log.Error("loading failed", "err", err)
	} else {
		s.log.Info("dataset loaded", "seconds", time.Since(start).Seconds(), "seq", s.wal.LastSeq())
	}
	s.loaded <- err
	close(s.loadedDone)
}

func (s *Server) loadData() error {
	snap, err := s.wal.LoadSnapshot()
	if err != nil {
		return err
	}
	var after uint64
	if snap != nil {
		s.mu.Lock()
		err := s.engine.LoadSnapshot(snap.Body)
		s.mu.Unlock()
		if err != nil {
			return fmt.Errorf("server: snapshot %s: %w", snap.Path, err)
		}
		after = snap.Seq
		s.lastSaveUnix.Store(time.Now().Unix())
	}
	client := commands.NewClient(0, "replay", "replay", time.Now(), true)
	const chunk = 256
	pending := 0
	s.mu.Lock()
	defer s.mu.Unlock()
	err = s.wal.Replay(after, func(seq uint64, body []byte) error {
		effs, err := commands.DecodeEffects(body)
		if err != nil {
			return fmt.Errorf("server: log record %d: %w", seq, err)
		}
		for _, eff := range effs {
			if err := s.engine.Replay(client, eff); err != nil {
				return fmt.Errorf("server: log record %d (%q): %w", seq, eff.Args[0], err)
			}
		}
		s.loadedSeq.Store(seq)
		if pending++; pending == chunk {
			pending = 0
			s.mu.Unlock()
			s.mu.Lock()
		}
		return nil
	})
	return err
}

// WaitLoaded blocks until the dataset is loaded and returns the loading
// error, if any.
func (s *Server) WaitLoaded() error {
	<-s.loadedDone
	return s.loadErr
}

// logEffectsLocked appends one command's effects to the WAL as one record, so
// that they are replayed all or none. Caller holds s.mu.
func (s *Server) logEffectsLocked(effects []commands.Effect) {
	if s.wal == nil || len(effects) == 0 {
		return
	}
	s.encodeBuf = commands.EncodeEffects(s.encodeBuf[:0], effects)
	seq, err := s.wal.Append(s.encodeBuf)
	if err != nil {
		// Only a closed log refuses: the server is shutting down and the
		// client will not get a reply.
		s.log.Error("wal append", "err", err)
		return
	}
	s.lastSeq = seq
}

// waitDurable blocks until the connection's replies may leave: until every
// record that existed when its commands ran (need) is as durable as the
// fsync policy promises. While the disk is failing, only the connection's
// own changes (own) are waited for: reads and refused writes go on, but no
// write is acknowledged before the log holds it. It gives up (false) only
// when the server closes; the client then gets no reply rather than an
// acknowledgement the disk does not back.
func (s *Server) waitDurable(own, need uint64) bool {
	if s.wal == nil || need == 0 {
		return true
	}
	for {
		// Wait(need) returns at once, without a lock, when need is durable
		// already, and at once with the sticky error while the log fails.
		err := s.wal.Wait(need)
		if err != nil && !errors.Is(err, wal.ErrClosed) && s.wal.Err() != nil {
			err = s.wal.Wait(own)
		}
		if err == nil {
			return true
		}
		if errors.Is(err, wal.ErrClosed) {
			return false
		}
		select {
		case <-s.done:
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// writeRefusedLocked is the reason writes are refused (the WAL failed), or "".
func (s *Server) writeRefusedLocked() string {
	err := s.wal.Err()
	if err == nil {
		return ""
	}
	return strerror(err)
}

// strerror renders an OS error as C's strerror does ("No space left on
// device"), which is what Redis puts in its MISCONF error.
func strerror(err error) string {
	var errno syscall.Errno
	msg := err.Error()
	if errors.As(err, &errno) {
		msg = errno.Error()
	}
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// CheckWAL reports on the log and snapshots in dir without changing them
// (spool --check-wal). ok is false when something is damaged.
func CheckWAL(dir string) (report string, ok bool, err error) {
	r, err := wal.Check(dir)
	if r == nil {
		return "", false, err
	}
	return r.String(), r.OK() && err == nil, err
}

// RepairWAL cuts the log at its first bad record, keeping the cut bytes in
// .broken files (spool --repair-wal): records after the damage are lost.
func RepairWAL(dir string) (report string, err error) {
	r, err := wal.Repair(dir)
	if r == nil {
		return "", err
	}
	return r.String(), err
}

type walSnapshot = wal.Snapshot

// loadSnapshotFile reads the newest snapshot back from disk.
func (s *Server) loadSnapshotFile() (*wal.Snapshot, error) {
	snap, err := s.wal.LoadSnapshot()
	if err != nil {
		return nil, err
	}
	if snap == nil {
		return nil, errors.New("server: no snapshot on disk")
	}
	return snap, nil
}
