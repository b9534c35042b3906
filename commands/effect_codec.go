package commands

import (
	"encoding/binary"
	"errors"
)

// The binary form of a batch of effects, as the WAL stores it: a count, then
// per effect its database and its arguments, every number a uvarint.
// It is versioned by the WAL record's own version byte.

var errBadEffects = errors.New("commands: malformed effect record")

// EncodeEffects appends the encoding of effs to dst.
func EncodeEffects(dst []byte, effs []Effect) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(effs)))
	for _, e := range effs {
		dst = binary.AppendUvarint(dst, uint64(e.DB))
		dst = binary.AppendUvarint(dst, uint64(len(e.Args)))
		for _, a := range e.Args {
			dst = binary.AppendUvarint(dst, uint64(len(a)))
			dst = append(dst, a...)
		}
	}
	return dst
}

// DecodeEffects parses a record written by EncodeEffects. The arguments
// alias b.
func DecodeEffects(b []byte) ([]Effect, error) {
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	count, ok := next()
	if !ok || count > uint64(len(b)) {
		return nil, errBadEffects
	}
	effs := make([]Effect, 0, count)
	for i := uint64(0); i < count; i++ {
		db, ok1 := next()
		nargs, ok2 := next()
		if !ok1 || !ok2 || nargs == 0 || nargs > uint64(len(b)) || db > 1<<31 {
			return nil, errBadEffects
		}
		args := make([][]byte, nargs)
		for j := range args {
			l, ok := next()
			if !ok || l > uint64(len(b)) {
				return nil, errBadEffects
			}
			args[j] = b[:l:l]
			b = b[l:]
		}
		effs = append(effs, Effect{DB: int(db), Args: args})
	}
	if len(b) != 0 {
		return nil, errBadEffects
	}
	return effs, nil
}
