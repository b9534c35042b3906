package server

import (
	"net"
	"os"
	"runtime"
	"time"

	"github.com/spool-dev/spool/commands"
)

// Version is Spool's own release, which INFO reports as spool_version.
const Version = "0.1.0"

// The commands.Host implementation. Every method runs with s.mu held.

// Clients lists the connected clients. Their buffer sizes are the ones each
// connection published when it last ran a command (conn.execLocked): the
// reader and writer of another connection belong to its goroutine.
func (s *Server) Clients() []*commands.Client {
	out := make([]*commands.Client, 0, len(s.conns))
	for _, c := range s.conns {
		if c.sub != nil {
			c.sub.mu.Lock()
			c.client.OutputListLen = len(c.sub.queue)
			c.client.OutputMem = c.sub.queued + c.sub.inflight
			c.sub.mu.Unlock()
		}
		out = append(out, c.client)
	}
	return out
}

// CloseClient makes the connection of cl close once its current replies are
// written. Another connection's socket is only given a past deadline, so
// that its own goroutine notices and closes it.
func (s *Server) CloseClient(cl *commands.Client) {
	cl.Closing = true
	if c, ok := s.conns[cl.ID]; ok {
		c.killed.Store(true) // not a pub/sub wake-up (pubsub.go)
		c.nc.SetReadDeadline(time.Now())
	}
}

// RequirePass is the default user's password.
func (s *Server) RequirePass() string { return s.cfg.RequirePass }

// Stats reports process figures for INFO.
func (s *Server) Stats() commands.HostStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	exe, _ := os.Executable()
	port := s.cfg.Port
	for _, a := range s.Addrs() {
		if ta, ok := a.(*net.TCPAddr); ok {
			port = ta.Port
		}
	}
	st := commands.HostStats{
		SpoolVersion:      Version,
		RunID:             s.runID,
		TCPPort:           port,
		ConfigFile:        s.cfg.ConfigFile,
		Executable:        exe,
		Started:           s.started,
		ConnectedClients:  len(s.conns),
		BlockedClients:    s.blocked.count,
		MaxClients:        s.cfg.MaxClients,
		TotalConnections:  s.totalConns.Load(),
		RejectedConns:     s.rejectedConns.Load(),
		NetInputBytes:     s.netIn.Load(),
		NetOutputBytes:    s.netOut.Load(),
		UsedMemory:        ms.HeapAlloc,
		UsedMemoryRSS:     residentBytes(ms.Sys - ms.HeapReleased),
		UsedMemoryPeak:    ms.HeapSys,
		AppendFsync:       s.cfg.AppendFsync,
		AOFEnabled:        s.wal != nil,
		Loading:           s.engine.Loading,
		LastSaveTime:      s.lastSaveUnix.Load(),
		SnapshotRunning:   s.snap.running,
		LastSnapshotPause: s.snap.lastDur.Microseconds(),
		ProtoMaxBulkLen:   s.cfg.ProtoMaxBulkLen,
		ClientQueryBufMax: s.cfg.ClientQueryBufferLimit,
	}
	if s.snap.lastErr != nil {
		st.LastSnapshotErr = s.snap.lastErr.Error()
	}
	if s.wal != nil {
		ws := s.wal.Stats()
		st.AOFCurrentSize = ws.Size
		if ws.Err != nil {
			st.AOFLastWriteErr = strerror(ws.Err)
		}
		st.LoadingDone, st.LoadingTotal = s.loadedSeq.Load(), ws.LastSeq
	}
	return st
}

// ResetStats clears the server's counters (CONFIG RESETSTAT).
func (s *Server) ResetStats() {
	s.totalConns.Store(0)
	s.rejectedConns.Store(0)
	s.netIn.Store(0)
	s.netOut.Store(0)
	s.engine.ResetStats()
}
