package commands

import "time"

// Host is what commands need from the process that runs them: the other
// connections, the configuration and process statistics. The server
// implements it; every method is called with the keyspace lock held.
type Host interface {
	// Clients lists every connected client.
	Clients() []*Client
	// CloseClient asks the connection of c to close after its pending replies.
	CloseClient(c *Client)
	// ConfigGet returns name/value pairs of the options matching any pattern.
	ConfigGet(patterns []string) [][2]string
	// ConfigSet applies the pairs atomically: all or none.
	ConfigSet(pairs [][2]string) error
	// ConfigRewrite writes the running configuration back to its file.
	ConfigRewrite() error
	// RequirePass is the default user's password ("" when none is set).
	RequirePass() string
	// Stats returns the process figures INFO reports.
	Stats() HostStats
	// ResetStats clears the counters CONFIG RESETSTAT clears.
	ResetStats()

	// StartSnapshot captures the dataset now and writes it to a snapshot
	// file in the background; done is closed when the file is durable (or
	// the write failed: see LastSnapshotError). It fails when a snapshot is
	// already being written.
	StartSnapshot() (done <-chan struct{}, err error)
	// LastSnapshotError is the error of the last snapshot, or nil.
	LastSnapshotError() error
	// Reload writes a snapshot, then replaces the dataset with what loading
	// that file from disk gives (DEBUG RELOAD). Commands get LOADING
	// meanwhile; done is closed when the dataset is back.
	Reload() (done <-chan struct{}, err error)
	// LastSave is the unix time of the last successful snapshot, or of the
	// start-up when there was none.
	LastSave() int64
	// Shutdown closes the server after this command: with save, a snapshot is
	// written first.
	RequestShutdown(save bool) error
}

// HostStats are the server figures INFO reports besides the keyspace's own.
type HostStats struct {
	// SpoolVersion is Spool's own release (INFO's spool_version).
	SpoolVersion     string
	RunID            string
	TCPPort          int
	ConfigFile       string
	Executable       string
	Started          time.Time
	ConnectedClients int
	BlockedClients   int
	MaxClients       int
	TotalConnections int64
	RejectedConns    int64
	NetInputBytes    int64
	NetOutputBytes   int64
	UsedMemory       uint64
	UsedMemoryRSS    uint64
	UsedMemoryPeak   uint64
	AppendFsync      string
	AOFEnabled       bool
	Loading          bool
	LastSaveTime     int64
	// WAL figures for INFO persistence.
	AOFLastWriteErr   string // "" when the last write succeeded
	AOFCurrentSize    int64
	SnapshotRunning   bool
	LastSnapshotErr   string
	LastSnapshotPause int64  // µs the dataset was encoded under the lock
	LoadingDone       uint64 // log records replayed so far while loading
	LoadingTotal      uint64 // records to replay
	ChangesSinceSave  int64
	ProtoMaxBulkLen   int64
	ClientQueryBufMax int64
}
