package commands

import "strconv"

// TIME — https://redis.io/commands/time/
var timeCommand = &Command{
	Name: "time", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast,
	Categories: "fast", Group: "server", Since: "2.6.0",
	Summary: "Return the current server time", Complexity: "O(1)",
	Run: runTime,
}

// runTime replies with the engine clock as two bulk strings: unix seconds
// and the microseconds within that second.
func runTime(ctx *Context) {
	now := ctx.Clock()
	ctx.Out.Array(2)
	ctx.Out.BulkString(strconv.FormatInt(now.Unix(), 10))
	ctx.Out.BulkString(strconv.Itoa(now.Nanosecond() / 1000))
}
