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

// Redis 8.x stream errors (t_stream.c of 8.6): idempotent producers (XADD
// IDMP/IDMPAUTO, XCFGSET) and the reference policies (XDELEX, XACKDEL).
const (
	msgIdmpTwice         = "ERR syntax error, IDMP/IDMPAUTO specified multiple times"
	msgIdmpAutoEmptyPid  = "ERR syntax error, IDMPAUTO requires a non-empty producer ID"
	msgIdmpEmptyPid      = "ERR syntax error, IDMP requires a non-empty producer ID"
	msgIdmpEmptyIid      = "ERR syntax error, IDMP requires a non-empty idempotent ID"
	msgIdmpExplicitID    = "ERR syntax error, IDMP/IDMPAUTO can be used only with auto-generated IDs"
	msgXCfgDurationTwice = "ERR IDMP-DURATION specified multiple times"
	msgXCfgDurationRange = "ERR IDMP-DURATION must be between 1 and 86400 seconds"
	msgXCfgMaxSizeTwice  = "ERR IDMP-MAXSIZE specified multiple times"
	msgXCfgMaxSizeRange  = "ERR IDMP-MAXSIZE must be between 1 and 10000 entries"
	msgXCfgNoParameter   = "ERR At least one parameter must be specified"
	msgAckDelNumIDs      = "ERR Number of IDs must be a positive integer"
	msgAckDelNumIDsMatch = "ERR The `numids` parameter must match the number of arguments"
	msgAckDelNoIDs       = "ERR IDS option is required"
)
