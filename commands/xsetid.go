package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
// — https://redis.io/commands/xsetid/
var xsetidCommand = &Command{
	Name: "xsetid", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary: "An internal command for replicating stream values", Complexity: "O(1)",
	Syntax: "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
	Run:    runXSetID,
}

// xsetidArgs is a parsed XSETID: entriesAdded is -1 and maxDeleted 0-0 when
// not given (as in Redis, MAXDELETEDID 0-0 means not given).
type xsetidArgs struct {
	lastID       streams.ID
	entriesAdded int64
	maxDeleted   streams.ID
}

// parseXSetID follows xsetidCommand: options may repeat (the last wins) and
// a MAXDELETEDID above the ID is refused while parsing, before the key is
// looked up.
func parseXSetID(args [][]byte) (xsetidArgs, error) {
	p := xsetidArgs{entriesAdded: -1}
	var err error
	if p.lastID, err = streams.ParseID(args[2], 0); err != nil {
		return p, err
	}
	for i := 3; i < len(args); i += 2 {
		moreArgs := i+1 < len(args)
		switch {
		case is(args[i], "entriesadded") && moreArgs:
			if p.entriesAdded, err = argInt(args[i+1]); err != nil {
				return p, err
			}
			if p.entriesAdded < 0 {
				return p, redisError(msgStreamEntriesNegative)
			}
		case is(args[i], "maxdeletedid") && moreArgs:
			if p.maxDeleted, err = streams.ParseID(args[i+1], 0); err != nil {
				return p, err
			}
			if p.lastID.Less(p.maxDeleted) {
				return p, streams.ErrSetIDBelowMaxDeleted
			}
		default:
			return p, ErrSyntax
		}
	}
	return p, nil
}

// runXSetID applies XSETID; the command as typed is its effect.
func runXSetID(ctx *Context) {
	p, err := parseXSetID(ctx.Args)
	if err != nil {
		ctx.Fail(err)
		return
	}
	_, s, err := ctx.writeStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Error(msgNoSuchKey)
		return
	}
	if err := s.SetID(p.lastID, p.entriesAdded, p.maxDeleted); err != nil {
		ctx.Fail(err)
		return
	}
	ctx.Changed()
	// Blocked readers re-check the stream; WATCH does not see XSETID, as
	// Redis's xsetidCommand signals no modified key.
	ctx.wake(ctx.Client.DB, string(ctx.Args[1]))
	OK(ctx.Out)
	ctx.Notify(NotifyStream, "xsetid", ctx.Client.DB, ctx.Args[1])
}
