package commands

import (
	"strconv"
)

// Key access for handlers. Every lookup goes through expireIfNeeded, so a key
// past its TTL is never seen: it is deleted on the spot and a DEL effect is
// logged before the command's own, as Redis propagates lazy expiry.

// stringValue is a string key's value. raw marks a value Redis would report
// as "raw" whatever its content (after APPEND or SETRANGE).
type stringValue struct {
	b   []byte
	raw bool
	// plain marks a value Redis stores as a string object even when it
	// looks like an integer (an INCRBYFLOAT result): never "int".
	plain bool
}

// expireIfNeeded deletes e's key when its TTL has passed and reports whether
// it did. Replay never expires: the log holds the DEL that did.
func (ctx *Context) expireIfNeeded(db *DB, e *entry) bool {
	if e.expireAt == 0 || ctx.Replaying || e.expireAt >= ctx.nowMs() {
		return false
	}
	db.remove(e.key)
	ctx.Notify(NotifyExpired, "expired", db.ID, []byte(e.key))
	ctx.stats.expiredKeys++
	// Logged as its own effect, ahead of the command's, without counting as
	// the command propagating for itself.
	ctx.stats.dirty++
	if !ctx.Replaying {
		ctx.effects = append(ctx.effects, Effect{DB: db.ID, Args: [][]byte{[]byte("DEL"), []byte(e.key)}})
	}
	ctx.Signal(db.ID, e.key)
	return true
}

// lookup returns the live entry of key in db, or nil.
func (ctx *Context) lookup(db *DB, key string) *entry {
	e := db.peek(key)
	if e == nil || ctx.expireIfNeeded(db, e) {
		return nil
	}
	return e
}

// lookupRead is lookup for a read: it counts hits and misses and refreshes
// the key's access time.
func (ctx *Context) lookupRead(key []byte) *entry {
	e := ctx.lookup(ctx.DB(), string(key))
	if e == nil {
		ctx.stats.keyspaceMisses++
		ctx.Notify(NotifyKeyMiss, "keymiss", ctx.Client.DB, key)
		return nil
	}
	ctx.stats.keyspaceHits++
	e.lastUse = ctx.nowMs()
	return e
}

// lookupWrite is lookup for a command about to change the key.
func (ctx *Context) lookupWrite(key []byte) *entry {
	e := ctx.lookup(ctx.DB(), string(key))
	if e != nil {
		e.lastUse = ctx.nowMs()
	}
	return e
}

// getString returns the string at key; ok is false when the key is missing.
// A key of another type is ErrWrongType.
func (ctx *Context) getString(key []byte) (sv *stringValue, ok bool, err error) {
	e := ctx.lookupRead(key)
	if e == nil {
		return nil, false, nil
	}
	sv, isString := e.value.(*stringValue)
	if !isString {
		return nil, false, ErrWrongType
	}
	return sv, true, nil
}

// setValue stores v at key, replacing whatever was there. keepTTL keeps an
// existing TTL; otherwise the key becomes persistent.
func (ctx *Context) setValue(key []byte, v any, keepTTL bool) *entry {
	db := ctx.DB()
	e := ctx.lookup(db, string(key))
	if e == nil {
		e = db.add(string(key), v, ctx.nowMs())
		ctx.Notify(NotifyNew, "new", db.ID, key)
	} else {
		e.value = v
		e.lastUse = ctx.nowMs()
		if !keepTTL {
			db.setExpire(e, 0)
		}
	}
	ctx.Signal(db.ID, e.key)
	return e
}

// deleteKey removes key from the client's db and reports whether it existed.
func (ctx *Context) deleteKey(db *DB, key string) bool {
	if ctx.lookup(db, key) == nil {
		return false
	}
	db.remove(key)
	ctx.Signal(db.ID, key)
	return true
}

// newString copies b into a string value.
func newString(b []byte) *stringValue {
	return &stringValue{b: append([]byte(nil), b...)}
}

// encoding is OBJECT ENCODING's answer for a string, following Redis's
// tryObjectEncoding: integers that fit a long are "int", short strings
// "embstr", the rest "raw".
func (sv *stringValue) encoding() string {
	if sv.raw {
		return "raw"
	}
	if len(sv.b) <= 20 && !sv.plain {
		if _, ok := parseStrictInt(sv.b); ok {
			return "int"
		}
	}
	if len(sv.b) <= 44 {
		return "embstr"
	}
	return "raw"
}

// parseStrictInt parses a signed 64-bit decimal the way Redis's string2ll
// does: no spaces, no '+', no leading zeros, no "-0".
func parseStrictInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	i := 0
	if b[0] == '-' {
		i = 1
		if len(b) == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}
