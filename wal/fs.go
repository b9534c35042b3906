package wal

import (
	"fmt"
	"io"
	"os"
)

// Op names a disk operation that the log performs, for fault injection and
// for tests that check the order of writes and fsyncs.
type Op int

const (
	// OpWrite writes bytes: a batch of records to the tail segment (Event
	// First..Last name the records), a chunk of a snapshot, or a .broken copy.
	OpWrite Op = iota
	// OpSync fsyncs a file. For the tail segment, Last is the highest
	// sequence number the fsync makes durable.
	OpSync
	// OpSyncDir fsyncs a directory, making creates, renames and removes in it
	// durable.
	OpSyncDir
	// OpCreate creates a file (snapshot temp file, .broken copy, empty segment).
	OpCreate
	// OpTruncate cuts a segment file at Event.Offset (repair and recovery).
	OpTruncate
	// OpTruncateFront drops the records up to and including Event.Last from
	// the front of the log.
	OpTruncateFront
	// OpRename renames Event.Path to Event.Target.
	OpRename
	// OpRemove removes a file.
	OpRemove
)

func (op Op) String() string {
	switch op {
	case OpWrite:
		return "write"
	case OpSync:
		return "fsync"
	case OpSyncDir:
		return "fsync-dir"
	case OpCreate:
		return "create"
	case OpTruncate:
		return "truncate"
	case OpTruncateFront:
		return "truncate-front"
	case OpRename:
		return "rename"
	case OpRemove:
		return "remove"
	}
	return fmt.Sprintf("op(%d)", int(op))
}

// Event describes one disk operation. See Options.Hook.
type Event struct {
	Op     Op
	Path   string // file or directory the operation works on
	Target string // OpRename: the new name
	Offset int64  // OpTruncate: the new size
	First  uint64 // OpWrite of records: first sequence number written
	Last   uint64 // OpWrite of records: last one; OpSync: highest seq made durable; OpTruncateFront: highest seq dropped
	Done   bool   // false before the operation, true after it
	Err    error  // after the operation: its outcome
}

// Hook observes disk operations and can fail them. It is called twice per
// operation: before it (Done false), where a non-nil return fails the
// operation as if the disk had returned that error and the operation is not
// performed; and after it (Done true, Err set), where the return value is
// ignored. Hooks run on the log's own goroutines, sometimes with its internal
// locks held: they must not call back into the Log.
type Hook func(Event) error

// fsys performs every disk operation of the package except the ones inside
// tidwall/wal (which the log wraps with the same hook), so that tests can
// inject faults and record the order of operations.
type fsys struct {
	hook Hook
}

// do runs fn between the before and after calls of the hook.
func (fs fsys) do(e Event, fn func() error) error {
	if fs.hook != nil {
		if err := fs.hook(e); err != nil {
			return err
		}
	}
	err := fn()
	if fs.hook != nil {
		e.Done, e.Err = true, err
		fs.hook(e)
	}
	return err
}

func (fs fsys) syncFile(f *os.File, last uint64) error {
	return fs.do(Event{Op: OpSync, Path: f.Name(), Last: last}, f.Sync)
}

// syncDir fsyncs a directory so that entries created, renamed or removed in
// it survive a crash.
func (fs fsys) syncDir(dir string) error {
	return fs.do(Event{Op: OpSyncDir, Path: dir}, func() error {
		d, err := os.Open(dir)
		if err != nil {
			return err
		}
		err = d.Sync()
		if cerr := d.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

func (fs fsys) create(path string) (*os.File, error) {
	var f *os.File
	err := fs.do(Event{Op: OpCreate, Path: path}, func() error {
		var err error
		f, err = os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		return err
	})
	return f, err
}

func (fs fsys) rename(from, to string) error {
	return fs.do(Event{Op: OpRename, Path: from, Target: to}, func() error {
		return os.Rename(from, to)
	})
}

func (fs fsys) remove(path string) error {
	return fs.do(Event{Op: OpRemove, Path: path}, func() error {
		return os.Remove(path)
	})
}

// truncate cuts the file at path to size bytes and fsyncs it.
func (fs fsys) truncate(path string, size int64) error {
	err := fs.do(Event{Op: OpTruncate, Path: path, Offset: size}, func() error {
		return os.Truncate(path, size)
	})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	err = fs.syncFile(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFileSync creates path with data and fsyncs it; the caller fsyncs the
// directory.
func (fs fsys) writeFileSync(path string, data []byte) error {
	f, err := fs.create(path)
	if err != nil {
		return err
	}
	err = fs.do(Event{Op: OpWrite, Path: path}, func() error {
		_, err := f.Write(data)
		return err
	})
	if err == nil {
		err = fs.syncFile(f, 0)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// hookWriter sends each Write through the hook as an OpWrite on path.
type hookWriter struct {
	fs   fsys
	path string
	w    io.Writer
}

func (h hookWriter) Write(p []byte) (int, error) {
	var n int
	err := h.fs.do(Event{Op: OpWrite, Path: h.path}, func() error {
		var err error
		n, err = h.w.Write(p)
		return err
	})
	return n, err
}

// freeName returns path with suffix, or with suffix and a counter when that
// name is taken, so that an earlier .broken copy is never overwritten.
func freeName(path, suffix string) string {
	name := path + suffix
	for i := 1; ; i++ {
		if _, err := os.Lstat(name); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s%s.%d", path, suffix, i)
	}
}
