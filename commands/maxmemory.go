package commands

// maxmemory with maxmemory-policy noeviction: Spool never evicts, so once
// the memory in use passes maxmemory, commands that may grow the dataset
// (flagged denyoom) are refused with -OOM while reads and deletions go on.
// This is the producer backpressure a queue needs. The server supplies the
// figure (Engine.UsedMemory), sampled rather than measured per command.

// checkOOM is processCommand's maxmemory step: whether cmd must be refused
// now. Inside MULTI every command but EXEC, DISCARD, QUIT and RESET is
// refused, since queueing takes memory too; EXEC is refused when it would
// run a denyoom command.
func (e *Engine) checkOOM(ctx *Context, cmd *Command) bool {
	if e.Settings.MaxMemory <= 0 || e.UsedMemory == nil {
		return false
	}
	reject := cmd.has(FlagDenyOOM)
	if m := ctx.Client.Multi; m != nil {
		switch cmd.Name {
		case "exec":
			for _, q := range m.cmds {
				reject = reject || q.has(FlagDenyOOM)
			}
		case "discard", "quit", "reset":
		default:
			reject = true
		}
	}
	return reject && e.UsedMemory() > uint64(e.Settings.MaxMemory)
}
