package commands

import "time"

// ReplyMode is a connection's CLIENT REPLY setting.
type ReplyMode uint8

const (
	ReplyOn ReplyMode = iota
	ReplyOff
	// ReplySkip drops the reply of the next command only.
	ReplySkip
)

// Client is the per-connection state commands read and change. The server
// creates one per connection; every field is read and written with the
// keyspace lock held, which is what lets CLIENT LIST read other clients.
type Client struct {
	ID         int64
	Addr       string // remote address, host:port
	LocalAddr  string
	FD         int
	Name       string
	LibName    string
	LibVer     string
	DB         int
	Proto      int // 2 or 3
	Authed     bool
	User       string
	Created    time.Time
	LastActive time.Time
	LastCmd    string
	Reply      ReplyMode
	NoEvict    bool
	Closing    bool // set by CLIENT KILL or QUIT; the server closes after replying

	// Set by the server for CLIENT LIST; informational only.
	QueryBufLen   int
	QueryBufCap   int // bytes allocated for the query buffer
	OutputBufLen  int
	OutputBufCap  int // bytes allocated for pending replies
	BlockedOnKeys bool

	// A subscriber's queued messages, how many and their bytes with what is
	// being written (CLIENT LIST's oll and omem).
	OutputListLen int
	OutputMem     int

	// Subscription counts for CLIENT LIST (sub, psub, ssub) and its pubsub
	// type; the pub/sub commands keep them up to date.
	Subscriptions, PatternSubscriptions, ShardSubscriptions int

	// Transaction state (MULTI/EXEC/WATCH).
	Multi *MultiState
	watch watchState // the keys WATCHed (commands/watch.go)
}

// MultiState is a transaction being queued by MULTI.
type MultiState struct {
	Queued [][][]byte
	Failed bool // a command was rejected while queueing: EXEC aborts

	cmds      []*Command // the command of each queued line
	writes    bool       // a queued command writes: EXEC is a write
	executing bool       // EXEC is running the queued commands
}

// NewClient returns a client in its initial state: RESP2, db 0, and
// authenticated when no password is required.
func NewClient(id int64, addr, local string, now time.Time, authed bool) *Client {
	return &Client{
		ID: id, Addr: addr, LocalAddr: local, Proto: 2, Authed: authed,
		User: "default", Created: now, LastActive: now,
	}
}
