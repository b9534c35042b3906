package commands

import (
	"math/rand/v2"
	"time"
)

// Effect is the resolved, deterministic change one command made: a command
// line that, replayed against the state the original saw, makes the same
// change (XADD with the ID it chose, SET with an absolute PXAT, a DEL for a
// key that expired). Effects are what the WAL stores and replays.
type Effect struct {
	DB   int
	Args [][]byte
}

// Settings are the tunables commands read; the server updates them on
// CONFIG SET with the keyspace lock held.
type Settings struct {
	ProtoMaxBulkLen      int64
	StreamNodeMaxEntries int
	StreamNodeMaxBytes   int
	MaxMemoryPolicy      string
	// SlowlogLogSlowerThan is the duration in microseconds from which a
	// command enters the slow log (-1 = never, 0 = always).
	SlowlogLogSlowerThan int64
	// SlowlogMaxLen is how many entries the slow log keeps.
	SlowlogMaxLen int64
	// EnableDebugCommand is "no", "yes" or "local": who may run DEBUG.
	EnableDebugCommand string
	// MaxMemory is maxmemory in bytes (0 = no limit): past it, denyoom
	// commands get -OOM (commands/maxmemory.go).
	MaxMemory int64
	// ACLFile is the aclfile ACL LOAD and ACL SAVE use ("" = none);
	// ACLLogMaxLen is acllog-max-len; ACLPubsubDefault is
	// acl-pubsub-default ("resetchannels" or "allchannels").
	ACLFile          string
	ACLLogMaxLen     int64
	ACLPubsubDefault string
	// NotifyKeyspaceEvents is notify-keyspace-events: the classes of
	// keyspace notifications published (commands/notify.go).
	NotifyKeyspaceEvents NotifyClass
	// Encoding is the thresholds of the compact encodings OBJECT ENCODING
	// reports (listpack, intset).
	Encoding EncodingLimits
}

// EncodingLimits are Redis 7.0's thresholds past which a value leaves its
// compact encoding: hash-max-listpack-entries and -value,
// set-max-intset-entries, zset-max-listpack-entries and -value. Like
// Redis, a value reads them at each insertion, so lowering one converts a
// value on its next write, never back.
type EncodingLimits struct {
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	SetMaxIntsetEntries    int
	ZsetMaxListpackEntries int
	ZsetMaxListpackValue   int
}

// DefaultEncodingLimits are Redis 7.0's defaults.
func DefaultEncodingLimits() EncodingLimits {
	return EncodingLimits{
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZsetMaxListpackEntries: 128,
		ZsetMaxListpackValue:   64,
	}
}

// DefaultSettings are Redis's defaults.
func DefaultSettings() Settings {
	return Settings{
		ProtoMaxBulkLen:      512 << 20,
		StreamNodeMaxEntries: 100,
		StreamNodeMaxBytes:   4096,
		MaxMemoryPolicy:      "noeviction",
		SlowlogLogSlowerThan: 10000,
		SlowlogMaxLen:        128,
		EnableDebugCommand:   "no",
		ACLLogMaxLen:         128,
		ACLPubsubDefault:     "resetchannels",
		Encoding:             DefaultEncodingLimits(),
	}
}

// Engine is one server's command-execution state: the keyspace, the clock,
// the settings and the statistics. Its methods require the caller to hold the
// server's keyspace lock.
type Engine struct {
	Keys     *Keyspace
	Settings Settings
	Host     Host
	// Clock returns the current time; tests inject their own.
	Clock func() time.Time

	table *Table
	rng   *rand.Rand
	stats engineStats
	// introspection is the state of SLOWLOG and INFO (commands/info.go).
	introspection introspection
	// watched maps each WATCHed key to its watchers (commands/watch.go).
	watched map[watchKey][]*watchedKey
	// Loading is true while the server replays its log: commands get LOADING.
	Loading bool
	// WriteRefused, when set, returns why writes are refused (the WAL cannot
	// write: the disk reason) or "" when they are accepted.
	WriteRefused func() string
	// UsedMemory, when set, returns the memory in use that maxmemory is
	// compared with.
	UsedMemory func() uint64
	// aclUsers is the ACL users and log (commands/acl_check.go), made on
	// first use.
	aclUsers *aclState
}

// NewEngine returns an engine over an empty keyspace of n databases.
func NewEngine(n int, host Host, clock func() time.Time) *Engine {
	if clock == nil {
		clock = time.Now
	}
	return &Engine{
		Keys:     NewKeyspace(n),
		Settings: DefaultSettings(),
		Host:     host,
		Clock:    clock,
		rng:      rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5f00f)),
		stats:    newEngineStats(),
		table:    newCommandTable(),
	}
}

// nowMs is the engine clock in unix milliseconds.
func (e *Engine) nowMs() int64 { return e.Clock().UnixMilli() }
