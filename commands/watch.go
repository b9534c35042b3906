package commands

// WATCH key [key ...] — https://redis.io/commands/watch/
var watchCommand = &Command{
	Name: "watch", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
	FirstKey: 1, LastKey: -1, Step: 1,
	Categories: "fast transaction", Group: "transactions", Since: "2.2.0",
	Summary:    "Watch the given keys to determine execution of the MULTI/EXEC block",
	Complexity: "O(1) for every key.",
	Syntax:     "key [key ...]", Run: runWatch,
}

// UNWATCH — https://redis.io/commands/unwatch/
var unwatchCommand = &Command{
	Name: "unwatch", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy,
	Categories: "fast transaction", Group: "transactions", Since: "2.2.0",
	Summary: "Forget about all watched keys", Complexity: "O(1)", Run: runUnwatch,
}

// The WATCH registry follows Redis 7.0's multi.c. The engine maps every
// watched (db, key) to the clients watching it, and each client lists what it
// watches, so that a change costs one map lookup (none at all while nobody
// watches anything) and UNWATCH costs the client's own keys.
//
// Every change to a key reaches Context.Signal, which touches the key's
// watchers: their next EXEC replies with a null array. Flushes signal each
// removed key after the removal, SWAPDB has its own rule (touchWatchedOnSwap),
// and the active expiry touches what it deletes.

// watchKey names a watched key.
type watchKey struct {
	db  int
	key string
}

// watchedKey is one client watching one key.
type watchedKey struct {
	client *Client
	watchKey
	// expired is set when the key already existed but had expired when
	// WATCH was called (or came in expired by SWAPDB): that key's lazy or
	// active deletion changes nothing logically, so it does not dirty the
	// transaction, as in Redis 7.0.
	expired bool
}

// watchState is a client's side of the registry.
type watchState struct {
	keys []*watchedKey
	// dirty means a watched key was touched: EXEC must fail.
	dirty bool
}

// runWatch adds the keys to the client's watch list. Inside MULTI it is an
// error that does not abort the transaction, as in Redis.
func runWatch(ctx *Context) {
	if ctx.Client.Multi != nil {
		ctx.Error(msgWatchInMulti)
		return
	}
	for _, k := range ctx.Args[1:] {
		ctx.addWatch(ctx.Client, ctx.Client.DB, string(k))
	}
	OK(ctx.Out)
}

// runUnwatch forgets every watched key and clears the dirty mark.
func runUnwatch(ctx *Context) {
	ctx.unwatchAll(ctx.Client)
	ctx.Client.watch.dirty = false
	OK(ctx.Out)
}

// addWatch registers c as a watcher of key in db, once.
func (e *Engine) addWatch(c *Client, db int, key string) {
	k := watchKey{db, key}
	for _, wk := range e.watched[k] {
		if wk.client == c {
			return
		}
	}
	if e.watched == nil {
		e.watched = make(map[watchKey][]*watchedKey)
	}
	wk := &watchedKey{client: c, watchKey: k, expired: e.keyIsExpired(db, key)}
	e.watched[k] = append(e.watched[k], wk)
	c.watch.keys = append(c.watch.keys, wk)
}

// keyIsExpired reports whether key exists in db with its TTL passed (it is
// still there only because nothing has looked at it yet).
func (e *Engine) keyIsExpired(db int, key string) bool {
	en := e.Keys.DBs[db].peek(key)
	return en != nil && en.expired(e.nowMs())
}

// expired is Redis's keyIsExpired: the key is gone once now > its deadline.
func (en *entry) expired(nowMs int64) bool { return en.expireAt != 0 && en.expireAt < nowMs }

// unwatchAll removes every key c watches from the registry. Clearing the
// dirty mark is up to the caller.
func (e *Engine) unwatchAll(c *Client) {
	for _, wk := range c.watch.keys {
		list := e.watched[wk.watchKey]
		for i, x := range list {
			if x == wk {
				last := len(list) - 1
				list[i] = list[last]
				list[last] = nil
				list = list[:last]
				break
			}
		}
		if len(list) == 0 {
			delete(e.watched, wk.watchKey)
		} else {
			e.watched[wk.watchKey] = list
		}
	}
	clear(c.watch.keys)
	c.watch.keys = c.watch.keys[:0]
}

// touchWatched marks the watchers of key in db dirty; it runs after the
// change (Redis's touchWatchedKey). A watcher that saw the key already
// expired is not dirtied by the key's deletion: only its flag goes.
func (e *Engine) touchWatched(db int, key string) {
	for _, wk := range e.watched[watchKey{db, key}] {
		if wk.expired {
			if e.Keys.DBs[db].peek(key) == nil {
				wk.expired = false
				continue
			}
		}
		wk.client.watch.dirty = true
	}
}

// touchWatchedOnSwap applies SWAPDB to the watchers of emptied, whose
// contents are about to be replaced by those of replacedWith (Redis's
// touchAllWatchedKeysInDb): a watched key present in either database is
// touched, except that an expired key staying expired, or a missing key
// replaced by an expired one, is no logical change. It runs before the swap.
func (e *Engine) touchWatchedOnSwap(emptied, replacedWith int) {
	now := e.nowMs()
	from, to := e.Keys.DBs[emptied], e.Keys.DBs[replacedWith]
	for k, list := range e.watched {
		if k.db != emptied {
			continue
		}
		existed := from.peek(k.key) != nil
		incoming := to.peek(k.key)
		if !existed && incoming == nil {
			continue
		}
		for _, wk := range list {
			switch {
			case wk.expired && incoming == nil:
				wk.expired = false
				continue
			case wk.expired && incoming.expired(now):
				continue
			case !wk.expired && !existed && incoming.expired(now):
				wk.expired = true
				continue
			}
			wk.client.watch.dirty = true
		}
	}
}

// watchedKeyExpired reports whether a key c watches has expired since WATCH
// (Redis's isWatchedKeyExpired): EXEC then fails even though the key was
// not deleted yet.
func (e *Engine) watchedKeyExpired(c *Client) bool {
	now := e.nowMs()
	for _, wk := range c.watch.keys {
		if wk.expired {
			continue
		}
		if en := e.Keys.DBs[wk.db].peek(wk.key); en != nil && en.expired(now) {
			return true
		}
	}
	return false
}

// FreeClient releases what the engine holds for a client that is gone: its
// transaction and its watched keys. The server calls it, with the keyspace
// lock held, when the connection closes.
func (e *Engine) FreeClient(c *Client) {
	e.discardTransaction(c)
}
