package commands

import (
	"github.com/spool-dev/spool/streams"
)

// XDEL key id [id ...] — https://redis.io/commands/xdel/
var xdelCommand = &Command{
	Name: "xdel", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write stream fast", Group: "stream", Since: "5.0.0",
	Summary:    "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
	Complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
	Syntax:     "key id [id ...]", Run: runXDel,
}

// parseXDelIDs parses every ID before anything is deleted, so that a bad ID
// leaves the stream untouched.
func parseXDelIDs(args [][]byte) ([]streams.ID, error) {
	ids := make([]streams.ID, len(args))
	for i, a := range args {
		id, err := streams.ParseID(a, 0)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// runXDel follows xdelCommand: a missing key is 0 before the IDs are even
// parsed. The command as typed is its own effect: deleting the same IDs
// from the same stream is deterministic.
func runXDel(ctx *Context) {
	_, s, err := ctx.writeStream(ctx.Args[1])
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Int(0)
		return
	}
	ids, err := parseXDelIDs(ctx.Args[2:])
	if err != nil {
		ctx.Fail(err)
		return
	}
	deleted := 0
	for _, id := range ids {
		if s.Delete(id) {
			deleted++
		}
	}
	if deleted > 0 {
		ctx.Changed()
		ctx.Signal(ctx.Client.DB, string(ctx.Args[1]))
		ctx.Notify(NotifyStream, "xdel", ctx.Client.DB, ctx.Args[1])
	}
	ctx.Out.Int(int64(deleted))
}
