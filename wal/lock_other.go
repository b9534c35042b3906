//go:build !unix

package wal

import (
	"errors"
	"fmt"
)

// ErrLocked is returned (wrapped) when another Log has the directory open.
var ErrLocked = errors.New("wal: data directory is in use")

type dirLock struct{}

// lockDir fails: the data directory lock uses flock(2), which this platform
// does not have, and opening a directory without it could let two servers
// write one log.
func lockDir(dir string, create bool) (*dirLock, error) {
	return nil, fmt.Errorf("wal: locking %s: not supported on this platform", dir)
}

func (l *dirLock) release() error { return nil }
