package commands

import (
	"strconv"
)

// Keyspace notifications (Redis's notify.c): when notify-keyspace-events
// enables an event's class, a command that changes a key publishes
// "__keyspace@<db>__:<key>" with the event name as the message and
// "__keyevent@<db>__:<event>" with the key as the message. They are pub/sub
// messages, not effects: nothing about them is logged or replayed.

// NotifyClass is a set of notify-keyspace-events flags.
type NotifyClass int

// The flags, with Redis's values and letters.
const (
	NotifyKeyspace NotifyClass = 1 << iota // K
	NotifyKeyevent                         // E
	NotifyGeneric                          // g
	NotifyString                           // $
	NotifyList                             // l
	NotifySet                              // s
	NotifyHash                             // h
	NotifyZset                             // z
	NotifyExpired                          // x
	NotifyEvicted                          // e
	NotifyStream                           // t
	NotifyKeyMiss                          // m (not part of A)
	NotifyLoaded                           // module-only in Redis; no letter
	NotifyModule                           // d
	NotifyNew                              // n (not part of A)

	// NotifyAll is the A alias: every class but key misses and new keys.
	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// ParseNotifyFlags is keyspaceEventsStringToFlags: ok is false when a
// character is not one of Redis's class letters.
func ParseNotifyFlags(s string) (NotifyClass, bool) {
	var flags NotifyClass
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			flags |= NotifyAll
		case 'g':
			flags |= NotifyGeneric
		case '$':
			flags |= NotifyString
		case 'l':
			flags |= NotifyList
		case 's':
			flags |= NotifySet
		case 'h':
			flags |= NotifyHash
		case 'z':
			flags |= NotifyZset
		case 'x':
			flags |= NotifyExpired
		case 'e':
			flags |= NotifyEvicted
		case 'K':
			flags |= NotifyKeyspace
		case 'E':
			flags |= NotifyKeyevent
		case 't':
			flags |= NotifyStream
		case 'm':
			flags |= NotifyKeyMiss
		case 'd':
			flags |= NotifyModule
		case 'n':
			flags |= NotifyNew
		default:
			return 0, false
		}
	}
	return flags, true
}

// FormatNotifyFlags is keyspaceEventsFlagsToString, CONFIG GET's canonical
// form: "A" when every class of A is on (which hides n), the class letters
// otherwise, then K, E and m.
func FormatNotifyFlags(flags NotifyClass) string {
	var b []byte
	if flags&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, f := range []struct {
			flag   NotifyClass
			letter byte
		}{
			{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'},
			{NotifyHash, 'h'}, {NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'},
			{NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'},
		} {
			if flags&f.flag != 0 {
				b = append(b, f.letter)
			}
		}
	}
	if flags&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

// Notify publishes a keyspace notification of class for key in db, as
// Redis's notifyKeyspaceEvent does, when notify-keyspace-events enables
// class. Handlers call it after the change, with Redis's event name for the
// command ("set", "del", "expire", "xadd", "xgroup-create", ...). It costs a
// flag test when notifications are off. Replay publishes nothing.
func (ctx *Context) Notify(class NotifyClass, event string, db int, key []byte) {
	if ctx.Settings.NotifyKeyspaceEvents&class == 0 || ctx.Replaying {
		return
	}
	ctx.Engine.notify(ctx.Client, ctx.Out, class, event, db, key)
}

// notify builds and publishes both notification channels. from and self,
// when set, are the client running the command and its reply stream: a
// notification that client receives goes out in line with its replies.
func (e *Engine) notify(from *Client, self Reply, class NotifyClass, event string, db int, key []byte) {
	flags := e.Settings.NotifyKeyspaceEvents
	if flags&class == 0 {
		return
	}
	ps, ok := e.Host.(PubSub)
	if !ok {
		return
	}
	dbID := strconv.Itoa(db)
	if flags&NotifyKeyspace != 0 {
		ch := make([]byte, 0, len("__keyspace@__:")+len(dbID)+len(key))
		ch = append(ch, "__keyspace@"...)
		ch = append(ch, dbID...)
		ch = append(ch, "__:"...)
		ch = append(ch, key...)
		ps.Publish(from, self, ch, []byte(event), false)
	}
	if flags&NotifyKeyevent != 0 {
		ch := make([]byte, 0, len("__keyevent@__:")+len(dbID)+len(event))
		ch = append(ch, "__keyevent@"...)
		ch = append(ch, dbID...)
		ch = append(ch, "__:"...)
		ch = append(ch, event...)
		ps.Publish(from, self, ch, key, false)
	}
}
