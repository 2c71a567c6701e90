package stssvc

import (
	"sync"
	"time"

	"github.com/iamd/iamd/internal/identity"
)

// openedCache keeps the sessions this node has opened, by token, so a
// session's later requests skip the AES-GCM open and decode. A token is
// self-contained and immutable, so an entry is valid until the session
// expires; nothing else can change it (revocation works through policies,
// which are evaluated on every request).
type openedCache struct {
	mu sync.RWMutex
	m  map[string]*openedSession
}

// openedSession is what Authenticate needs from an opened token.
type openedSession struct {
	accessKeyID string
	secret      string
	expires     time.Time
	caller      identity.Caller
}

// openedCacheLimit bounds the entries; when full, expired entries are
// dropped, and if none are, everything is.
const openedCacheLimit = 100_000

func (c *openedCache) get(token string) *openedSession {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[token]
}

func (c *openedCache) put(token string, o *openedSession, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]*openedSession)
	}
	if len(c.m) >= openedCacheLimit {
		for k, v := range c.m {
			if !now.Before(v.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= openedCacheLimit {
			clear(c.m)
		}
	}
	c.m[token] = o
}
