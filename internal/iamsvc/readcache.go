package iamsvc

import (
	"sync"

	"github.com/iamd/iamd/internal/store"
)

// readCache keeps what the request hot path reads (access keys, roles by
// ARN, a principal's policies) while the store's generation is unchanged
// (store.Generations): every committed change, on this node at once and on
// other nodes once the store's change notification arrives, empties it.
// Values are shared between requests and must not be modified.
type readCache struct {
	gens store.Generations // nil: the store cannot tell; nothing is cached

	mu  sync.Mutex
	gen uint64
	m   map[string]any
}

// readCacheLimit bounds the entries kept for one generation.
const readCacheLimit = 100_000

func newReadCache(st store.Store) *readCache {
	g, _ := st.(store.Generations)
	return &readCache{gens: g, m: map[string]any{}}
}

// begin returns the generation to pass to put after reading; ok is false
// when nothing may be cached.
func (c *readCache) begin() (uint64, bool) {
	if c.gens == nil {
		return 0, false
	}
	return c.gens.Generation()
}

// get returns the value cached under key for the current generation.
func (c *readCache) get(key string) (any, bool) {
	gen, ok := c.begin()
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.gen = gen
		clear(c.m)
		return nil, false
	}
	v, hit := c.m[key]
	return v, hit
}

// put caches v under key if the generation is still gen (taken with begin
// before v was read).
func (c *readCache) put(gen uint64, key string, v any) {
	now, ok := c.begin()
	if !ok || now != gen {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		c.gen = gen
		clear(c.m)
	}
	if len(c.m) >= readCacheLimit {
		clear(c.m)
	}
	c.m[key] = v
}
