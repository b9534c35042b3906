package server

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spool-dev/spool/commands"
)

// Snapshots: the dataset is encoded under the keyspace lock (an in-memory
// copy, the only pause), then written to disk by the WAL package outside
// the lock; the log records the snapshot covers are then dropped.

// snapshotState is guarded by s.mu.
type snapshotState struct {
	running   bool
	lastErr   error
	lastDur   time.Duration // how long the dataset was encoded under the lock
	lastBytes int64         // size of the last snapshot written
	lastWrite time.Duration // how long the last snapshot took to encode and write
	count     int64
}

// StartSnapshot implements commands.Host. Caller holds s.mu.
func (s *Server) StartSnapshot() (<-chan struct{}, error) {
	if s.snap.running {
		return nil, commands.ErrSnapshotInProgress
	}
	body, seq, err := s.captureLocked()
	if err != nil {
		return nil, err
	}
	s.snap.running = true
	done := make(chan struct{})
	go func() {
		err := s.writeSnapshot(seq, body)
		s.mu.Lock()
		s.snap.running = false
		s.snap.lastErr = err
		if err == nil {
			s.snap.count++
		}
		s.mu.Unlock()
		close(done)
	}()
	return done, nil
}

// captureLocked copies the dataset (cheaply: see commands.SnapshotCapture)
// and the WAL position it matches. The time it takes is the snapshot's pause.
func (s *Server) captureLocked() (*commands.SnapshotCapture, uint64, error) {
	start := time.Now()
	capture, err := s.engine.CaptureSnapshot()
	s.snap.lastDur = time.Since(start)
	if err != nil {
		return nil, 0, err
	}
	s.engine.MarkSaved()
	return capture, s.lastSeq, nil
}

// writeSnapshot encodes capture and stores it as the snapshot at seq. Not
// called with s.mu.
func (s *Server) writeSnapshot(seq uint64, capture *commands.SnapshotCapture) error {
	if s.wal == nil {
		return errors.New("server: no log to snapshot into")
	}
	start := time.Now()
	body := capture.AppendTo(nil)
	err := s.wal.WriteSnapshot(seq, func(w io.Writer) error {
		_, err := w.Write(body)
		return err
	})
	if err != nil {
		s.log.Error("snapshot failed", "err", err)
		return err
	}
	s.lastSaveUnix.Store(time.Now().Unix())
	s.mu.Lock()
	s.snap.lastBytes = int64(len(body))
	s.snap.lastWrite = time.Since(start)
	s.mu.Unlock()
	s.log.Info("snapshot written", "seq", seq, "bytes", len(body), "seconds", time.Since(start).Seconds())
	return nil
}

// LastSnapshotError implements commands.Host. Caller holds s.mu.
func (s *Server) LastSnapshotError() error { return s.snap.lastErr }

// LastSave implements commands.Host.
func (s *Server) LastSave() int64 {
	if t := s.lastSaveUnix.Load(); t != 0 {
		return t
	}
	return s.started.Unix()
}

// Reload implements commands.Host (DEBUG RELOAD). Caller holds s.mu.
// Commands get LOADING until the dataset read back from disk is in place,
// so nothing can change between the capture and the reload.
func (s *Server) Reload() (<-chan struct{}, error) {
	if s.snap.running {
		return nil, commands.ErrSnapshotInProgress
	}
	body, seq, err := s.captureLocked()
	if err != nil {
		return nil, err
	}
	s.snap.running = true
	s.engine.Loading = true
	done := make(chan struct{})
	go func() {
		err := s.writeSnapshot(seq, body)
		var disk []byte
		if err == nil {
			var snap *walSnapshot
			snap, err = s.loadSnapshotFile()
			if err == nil {
				if snap.Seq != seq {
					err = fmt.Errorf("server: reloaded snapshot has seq %d, wrote %d", snap.Seq, seq)
				}
				disk = snap.Body
			}
		}
		s.mu.Lock()
		if err == nil {
			err = s.engine.LoadSnapshot(disk)
		}
		s.engine.Loading = false
		s.snap.running = false
		s.snap.lastErr = err
		s.mu.Unlock()
		close(done)
	}()
	return done, nil
}

// RequestShutdown implements commands.Host: the server closes once the current
// command's connection has been answered. Caller holds s.mu.
func (s *Server) RequestShutdown(save bool) error {
	var done <-chan struct{}
	if save {
		d, err := s.StartSnapshot()
		if err != nil {
			return err
		}
		done = d
	}
	s.log.Info("SHUTDOWN requested", "save", save)
	go func() {
		if done != nil {
			<-done
		}
		s.Close()
	}()
	return nil
}

// maybeSnapshotLocked starts a background snapshot when the log has grown
// past snapshot-log-size and past the size of the last snapshot. The second
// bound keeps start-up (snapshot load + log replay) proportional to the
// dataset, like Redis's auto-aof-rewrite-percentage 100, without writing a
// large dataset over and over for a small log. Caller holds s.mu.
func (s *Server) maybeSnapshotLocked() {
	if s.wal == nil || s.snap.running || s.engine.Loading || s.cfg.SnapshotLogSize <= 0 {
		return
	}
	if size := s.wal.Size(); size < s.cfg.SnapshotLogSize || size < s.snap.lastBytes {
		return
	}
	if _, err := s.StartSnapshot(); err != nil {
		s.log.Error("automatic snapshot", "err", err)
	}
}
