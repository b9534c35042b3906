package commands

import "time"

// KeyRef names a key in a database.
type KeyRef struct {
	DB  int
	Key string
}

// ActiveExpireCycle is Redis's active expiry: sample keys with a TTL in each
// database, delete the expired ones, and keep going in a database while more
// than a quarter of a sample was expired, within budget. It returns the DEL
// effects and the keys it removed. The caller holds the keyspace lock.
func (e *Engine) ActiveExpireCycle(budget time.Duration) ([]Effect, []KeyRef) {
	const sample = 20
	start := time.Now()
	now := e.nowMs()
	var effects []Effect
	var removed []KeyRef
	for _, db := range e.Keys.DBs {
		for {
			if db.Expires() == 0 {
				break
			}
			expired := 0
			n := min(sample, db.Expires())
			for i := 0; i < n; i++ {
				en := db.randomVolatile(e.rng)
				if en == nil || en.expireAt >= now {
					continue
				}
				db.remove(en.key)
				e.touchWatched(db.ID, en.key)
				e.notify(nil, nil, NotifyExpired, "expired", db.ID, []byte(en.key))
				e.stats.expiredKeys++
				e.stats.dirty++
				expired++
				effects = append(effects, Effect{DB: db.ID, Args: [][]byte{[]byte("DEL"), []byte(en.key)}})
				removed = append(removed, KeyRef{db.ID, en.key})
			}
			if expired*4 <= n || time.Since(start) > budget {
				break
			}
		}
		if time.Since(start) > budget {
			break
		}
	}
	return effects, removed
}
