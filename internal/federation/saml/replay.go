package saml

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// ReplayCache remembers the assertions already redeemed, so that each is
// accepted once within its validity window.
type ReplayCache interface {
	// Use records the assertion (issuer, id) as used until expiry. It
	// returns ErrReplay when the assertion was already recorded and has not
	// expired yet.
	Use(ctx context.Context, issuer, id string, expiry, now time.Time) error
}

// ReplayKey is the fixed-size key under which an assertion is recorded:
// the hex SHA-256 of issuer, a NUL byte and the assertion id.
func ReplayKey(issuer, id string) string {
	h := sha256.New()
	h.Write([]byte(issuer))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return hex.EncodeToString(h.Sum(nil))
}

// MemoryReplay is a ReplayCache in memory, for a single node. It holds at
// most Max entries: expired ones are dropped first; when every entry is
// still valid, the one expiring soonest is dropped (and counted in
// Evicted), so memory stays bounded under a flood of valid assertions.
type MemoryReplay struct {
	mu      sync.Mutex
	max     int
	byKey   map[string]*replayEntry
	h       replayHeap
	evicted int
}

type replayEntry struct {
	key    string
	expiry time.Time
	index  int
}

// NewMemoryReplay returns a MemoryReplay holding at most max entries
// (100,000 when max <= 0).
func NewMemoryReplay(max int) *MemoryReplay {
	if max <= 0 {
		max = 100_000
	}
	return &MemoryReplay{max: max, byKey: map[string]*replayEntry{}}
}

// Use implements ReplayCache.
func (m *MemoryReplay) Use(_ context.Context, issuer, id string, expiry, now time.Time) error {
	key := ReplayKey(issuer, id)
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.h) > 0 && !m.h[0].expiry.After(now) {
		e := heap.Pop(&m.h).(*replayEntry)
		delete(m.byKey, e.key)
	}
	if e, ok := m.byKey[key]; ok {
		if e.expiry.After(now) {
			return ErrReplay
		}
	}
	for len(m.h) >= m.max {
		e := heap.Pop(&m.h).(*replayEntry)
		delete(m.byKey, e.key)
		m.evicted++
	}
	e := &replayEntry{key: key, expiry: expiry}
	heap.Push(&m.h, e)
	m.byKey[key] = e
	return nil
}

// Len returns how many assertions are remembered.
func (m *MemoryReplay) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byKey)
}

// Evicted returns how many still-valid entries were dropped for room.
func (m *MemoryReplay) Evicted() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.evicted
}

type replayHeap []*replayEntry

func (h replayHeap) Len() int           { return len(h) }
func (h replayHeap) Less(i, j int) bool { return h[i].expiry.Before(h[j].expiry) }
func (h replayHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *replayHeap) Push(x any) {
	e := x.(*replayEntry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *replayHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
