package commands

import (
	"errors"

	"github.com/spool-dev/spool/streams"
)

// streamErrors maps each sentinel error of the streams package to the reply
// redis-server 7.0.15 gives for it. It is the only place where a streams
// error becomes Redis text.
var streamErrors = []struct {
	err error
	msg string
}{
	{streams.ErrInvalidID, msgStreamInvalidID},
	{streams.ErrIDZero, msgStreamIDZero},
	{streams.ErrIDTooSmall, msgStreamIDTooSmall},
	{streams.ErrStreamExhausted, msgStreamExhausted},
	// "ms-*" when ms is the last ID's time and its sequence is full: 7.0.15's
	// streamAppendItem fails without setting errno to EDOM, so xaddCommand
	// falls through to the "too large" text (7.4 replies with the
	// ErrIDTooSmall text instead). Spool answers as the oracle does.
	{streams.ErrSeqExhausted, msgStreamElementsTooLarge},
	{streams.ErrElementsTooLarge, msgStreamElementsTooLarge},
	{streams.ErrInvalidRangeStart, msgStreamRangeStart},
	{streams.ErrInvalidRangeEnd, msgStreamRangeEnd},
	{streams.ErrSetIDTooSmall, msgStreamSetIDTooSmall},
	{streams.ErrSetIDBelowMaxDeleted, msgStreamSetIDMaxDeleted},
	{streams.ErrSetIDEntriesAdded, msgStreamSetIDEntries},
	// Consumer groups.
	{streams.ErrBusyGroup, msgBusyGroup},
}

// streamErrorText returns the Redis reply for an error of the streams
// package, and false for any other error.
func streamErrorText(err error) (string, bool) {
	for _, m := range streamErrors {
		if errors.Is(err, m.err) {
			return m.msg, true
		}
	}
	return "", false
}
