package commands

// SREM key member [member ...] — https://redis.io/commands/srem/
var sremCommand = &Command{
	Name: "srem", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1,
	Categories: "write set fast", Group: "set", Since: "1.0.0",
	Summary:    "Remove one or more members from a set",
	Complexity: "O(N) where N is the number of members to be removed.",
	Syntax:     "key member [member ...]", Run: runSRem,
}

// runSRem removes the members and deletes the key once the set is empty.
func runSRem(ctx *Context) {
	key := ctx.Args[1]
	s, err := ctx.writeSet(key)
	if err != nil {
		ctx.Fail(err)
		return
	}
	if s == nil {
		ctx.Out.Int(0)
		return
	}
	removed := 0
	for _, m := range ctx.Args[2:] {
		if s.remove(string(m)) {
			removed++
			if s.len() == 0 {
				break
			}
		}
	}
	if removed > 0 {
		ctx.setChanged(key, s, "srem", removed)
	}
	ctx.Out.Int(int64(removed))
}

// setChanged finishes a command that removed n members of the set at key:
// the key goes when the set is empty, watchers and blocked clients hear of
// it, and the notifications follow Redis's order (the command's event,
// then "del").
func (ctx *Context) setChanged(key []byte, s *setObject, event string, n int) {
	db := ctx.DB()
	ctx.Signal(db.ID, string(key))
	ctx.Notify(NotifySet, event, db.ID, key)
	if s.len() == 0 {
		db.remove(string(key))
		ctx.Notify(NotifyGeneric, "del", db.ID, key)
	}
	ctx.changedBy(n)
}
