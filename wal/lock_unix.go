//go:build unix

package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned (wrapped) when another Log, in this process or
// another, has the directory open.
var ErrLocked = errors.New("wal: data directory is in use")

const lockFileName = "LOCK"

// dirLock is an exclusive flock on dir/LOCK, held while a Log (or Check or
// Repair) uses the directory. The kernel drops it when the process dies, so
// a crash never leaves a stale lock behind.
type dirLock struct {
	f *os.File
}

// lockDir takes the lock of dir, creating dir first when create is set.
func lockDir(dir string, create bool) (*dirLock, error) {
	if create {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("wal: %w", err)
		}
	} else if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("wal: %s is not a directory", dir)
	}
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("wal: lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := ""
			if b, rerr := os.ReadFile(path); rerr == nil && len(strings.TrimSpace(string(b))) > 0 {
				holder = " (pid " + strings.TrimSpace(string(b)) + ")"
			}
			return nil, fmt.Errorf("%w: %s is locked by another process%s", ErrLocked, dir, holder)
		}
		return nil, fmt.Errorf("wal: lock %s: %w", path, err)
	}
	// The pid is only a hint for the error message above.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
