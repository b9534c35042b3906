// Package wal is Spool's durable record log. It stores opaque records (the
// server writes encoded batches of effects) and snapshots, and knows nothing
// about streams or commands.
//
// # Layout of a data directory
//
//	LOCK                         flock(2) held by the process that has it open
//	snapshot-<seq %020d>.snap    snapshots, newest Options.KeepSnapshots kept
//	log/<first seq %020d>        tidwall/wal segment files
//	log/*.broken, *.snap.broken  bytes cut by a repair, kept for inspection
//
// # Records
//
// Each record is one tidwall/wal entry (uvarint length + payload) whose
// payload is: version byte, type byte, CRC32-C (Castagnoli) of the version,
// type and body, then the body. tidwall/wal (pinned at v1.2.1, whose segment
// format the repair reads; format_test.go guards the assumptions) stores and
// indexes the entries; the record's position in the log is its sequence
// number, starting at 1.
//
// # Group commit and policies
//
// Append assigns sequence numbers in call order and queues records without
// touching the disk. Commit is leader-based: the first Wait that finds its
// record not yet durable, while no round is running, leads a round itself:
// it yields once so that goroutines about to append can do so, takes
// everything queued and writes it with one WriteBatch; under Always it
// fsyncs that batch before any of its waiters returns. The others wait for
// the round and find their records durable, or lead the next one. A waiter
// thus pays no hand-off to another goroutine and back. A committer goroutine
// writes, about a millisecond after they were queued, the records nobody
// waits for. Under EverySec a background goroutine fsyncs once per
// SyncInterval, under No the OS decides.
// tidwall/wal is opened with NoSync and the log fsyncs the tail segment
// through a descriptor of its own, so that a background fsync does not hold
// tidwall's lock and stall writes. A new segment file also gets its
// directory fsynced.
//
// # Faults
//
// A failed write or fsync fails the log: Err returns a sticky *FailedError
// (errors.Is ErrFailed and the underlying errno), waiters get it, and the
// server refuses writes. The log keeps every record that is not yet durable
// (not fsynced; under No, not written), because after a failed fsync the OS
// may have dropped written pages. Every RetryInterval (or on Retry) it
// recovers: it reopens the segment files, cuts them back to the last durable
// record (so no half-written record can replay), rewrites what it kept,
// fsyncs, and clears the error. Nothing acknowledged is lost.
//
// # Repair
//
// See Open (automatic: a damaged tail), Check (report) and Repair
// (deliberate truncation at the first bad record).
package wal
