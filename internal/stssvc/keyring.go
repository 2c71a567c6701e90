package stssvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/store"
)

// keyringKey names the installation-wide record that holds the session
// sealing keys.
var keyringKey = store.Key{Kind: "keyring", Name: "sts-session"}

// keyringRecord is the stored key ring: the current key and previous keys
// kept until every session they sealed has expired.
type keyringRecord struct {
	Current  credential.RingKey   `json:"current"`
	Previous []credential.RingKey `json:"previous,omitempty"`
	Rotated  time.Time            `json:"rotated"`
}

// Keys keeps the node's copy of the stored key ring. Every node seals with
// the stored current key and opens with any stored key; a token sealed
// with a key this node has not seen yet (another node rotated) triggers a
// reload, at most once per second.
type Keys struct {
	st   store.Store
	now  func() time.Time
	ring *credential.KeyRing

	mu         sync.Mutex
	lastReload time.Time
}

// LoadKeys loads the key ring from st, creating it on first use.
func LoadKeys(ctx context.Context, st store.Store, now func() time.Time) (*Keys, error) {
	if now == nil {
		now = time.Now
	}
	k := &Keys{st: st, now: now}
	rec, err := k.read(ctx)
	if errors.Is(err, store.ErrNotFound) {
		first, err := credential.NewRingKey(1)
		if err != nil {
			return nil, err
		}
		rec = &keyringRecord{Current: first, Rotated: now().UTC()}
		err = st.Update(ctx, func(tx store.Tx) error {
			return tx.Create(ctx, &store.Entity{Key: keyringKey, Data: mustJSON(rec)})
		})
		if errors.Is(err, store.ErrExists) {
			rec, err = k.read(ctx)
		}
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if k.ring, err = credential.NewKeyRing(rec.Current, rec.Previous...); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Keys) read(ctx context.Context) (*keyringRecord, error) {
	e, err := k.st.Get(ctx, keyringKey)
	if err != nil {
		return nil, err
	}
	var rec keyringRecord
	if err := json.Unmarshal(e.Data, &rec); err != nil {
		return nil, fmt.Errorf("stssvc: key ring record: %w", err)
	}
	return &rec, nil
}

// Seal seals a session with the current key.
func (k *Keys) Seal(s *credential.Session) (string, error) { return k.ring.Seal(s) }

// Open opens a session token, reloading the ring once when the token may
// have been sealed by a key another node just rotated in.
func (k *Keys) Open(ctx context.Context, token string) (*credential.Session, error) {
	s, err := k.ring.Open(token)
	if err == nil {
		return s, nil
	}
	k.mu.Lock()
	if k.now().Sub(k.lastReload) < time.Second {
		k.mu.Unlock()
		return nil, err
	}
	k.lastReload = k.now()
	k.mu.Unlock()
	if rerr := k.Reload(ctx); rerr != nil {
		return nil, err
	}
	return k.ring.Open(token)
}

// Reload refreshes the node's copy of the key ring from the store.
func (k *Keys) Reload(ctx context.Context) error {
	rec, err := k.read(ctx)
	if err != nil {
		return err
	}
	return k.ring.Set(rec.Current, rec.Previous...)
}

// Rotate makes a fresh key current, keeps the old one until keep (the
// longest session lifetime) has passed, and forgets keys past their time.
// It is a compare-and-swap on the stored ring, so concurrent rotations by
// several nodes never lose a key.
func (k *Keys) Rotate(ctx context.Context, keep time.Duration) error {
	now := k.now().UTC()
	var rec keyringRecord
	err := k.st.Update(ctx, func(tx store.Tx) error {
		e, err := tx.Get(ctx, keyringKey)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(e.Data, &rec); err != nil {
			return err
		}
		next, err := credential.NewRingKey(rec.Current.ID + 1)
		if err != nil {
			return err
		}
		old := rec.Current
		old.NotAfter = now.Add(keep)
		prev := []credential.RingKey{old}
		for _, p := range rec.Previous {
			if p.NotAfter.After(now) {
				prev = append(prev, p)
			}
		}
		rec = keyringRecord{Current: next, Previous: prev, Rotated: now}
		e.Data = mustJSON(&rec)
		return tx.Put(ctx, &e)
	})
	if err != nil {
		return err
	}
	return k.ring.Set(rec.Current, rec.Previous...)
}

// RunRotation rotates every interval and reloads every minute until ctx
// ends.
func (k *Keys) RunRotation(ctx context.Context, interval, keep time.Duration, onErr func(error)) {
	rot := time.NewTicker(interval)
	rel := time.NewTicker(time.Minute)
	defer rot.Stop()
	defer rel.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-rot.C:
			if err := k.Rotate(ctx, keep); err != nil && onErr != nil {
				onErr(err)
			}
		case <-rel.C:
			if err := k.Reload(ctx); err != nil && onErr != nil {
				onErr(err)
			}
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
