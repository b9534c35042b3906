package commands

import (
	"math"

	"github.com/spool-dev/spool/streams"
)

// Helpers shared by the XQ. commands (Spool's queue semantics; see
// XQ.POLICY and DESIGN.md).

// xqGroup looks up key's group for an XQ. command: WRONGTYPE for a key of
// another type, the -NOGROUP of XPENDING for a missing key or group. On an
// error it has replied and returns nil.
func xqGroup(ctx *Context, key, group []byte, write bool) (*streams.Stream, *streams.Group) {
	var s *streams.Stream
	var err error
	if write {
		_, s, err = ctx.writeStream(key)
	} else {
		s, err = ctx.readStream(key)
	}
	if err != nil {
		ctx.Fail(err)
		return nil, nil
	}
	var g *streams.Group
	if s != nil {
		g = s.Group(string(group))
	}
	if g == nil {
		ctx.Error(msgNoGroup(key, group))
		return nil, nil
	}
	return s, g
}

// parseXQIDs parses "IDS numids id [id ...]" at args[i:], which must end
// the command, and returns the IDs as typed.
func parseXQIDs(args [][]byte, i int) ([][]byte, error) {
	if i >= len(args) || !is(args[i], "ids") {
		return nil, errXNackNoIDs
	}
	if i+1 >= len(args) {
		return nil, ErrSyntax
	}
	n, err := argInt(args[i+1])
	if err != nil || n <= 0 || n > math.MaxInt32 {
		return nil, errXNackNumIDs
	}
	if int64(len(args)-i-2) != n {
		return nil, errXNackIDsMismatch
	}
	return args[i+2:], nil
}
