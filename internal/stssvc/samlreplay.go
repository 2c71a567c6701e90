package stssvc

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/store"
)

// kindSAMLAssertion records a redeemed SAML assertion (installation-wide,
// Name = saml.ReplayKey(issuer, id)) until it expires.
const kindSAMLAssertion = "saml-assertion"

// StoreReplay is a saml.ReplayCache shared by every node through the
// store: redeeming an assertion creates a record, and a record that exists
// and has not expired means the assertion was used (on any node). A
// bounded in-memory cache in front answers repeats seen by this node
// without a store read. Expired records are swept in small batches.
type StoreReplay struct {
	st    store.Store
	mem   *saml.MemoryReplay
	mu    sync.Mutex
	uses  int
	sweep string // marker of the next sweep batch
}

// NewStoreReplay returns a StoreReplay on st.
func NewStoreReplay(st store.Store) *StoreReplay {
	return &StoreReplay{st: st, mem: saml.NewMemoryReplay(0)}
}

type replayRecord struct {
	Expiry time.Time `json:"expiry"`
}

// sweepEvery is how many redemptions pass between two sweeps of expired
// records; sweepBatch how many records one sweep looks at.
const (
	sweepEvery = 64
	sweepBatch = 256
)

// Use implements saml.ReplayCache.
func (r *StoreReplay) Use(ctx context.Context, issuer, id string, expiry, now time.Time) error {
	if err := r.mem.Use(ctx, issuer, id, expiry, now); err != nil {
		return err
	}
	key := store.Key{Kind: kindSAMLAssertion, Name: saml.ReplayKey(issuer, id)}
	data, _ := json.Marshal(replayRecord{Expiry: expiry.UTC()})
	err := r.st.Update(ctx, func(tx store.Tx) error {
		e, err := tx.Get(ctx, key)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Create(ctx, &store.Entity{Key: key, Path: "/", Data: data})
		} else if err != nil {
			return err
		}
		var rec replayRecord
		if json.Unmarshal(e.Data, &rec) == nil && rec.Expiry.After(now) {
			return saml.ErrReplay
		}
		e.Data = data
		return tx.Put(ctx, &e)
	})
	if errors.Is(err, store.ErrExists) {
		return saml.ErrReplay
	}
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.uses++
	doSweep := r.uses%sweepEvery == 0
	r.mu.Unlock()
	if doSweep {
		r.Sweep(ctx, now)
	}
	return nil
}

// Sweep deletes one batch of expired records, continuing where the last
// sweep stopped.
func (r *StoreReplay) Sweep(ctx context.Context, now time.Time) {
	r.mu.Lock()
	marker := r.sweep
	r.mu.Unlock()
	p, err := r.st.List(ctx, store.ListOptions{Kind: kindSAMLAssertion, Marker: marker, Limit: sweepBatch})
	if err != nil {
		marker = ""
	} else {
		marker = p.NextMarker
		for _, e := range p.Items {
			var rec replayRecord
			if json.Unmarshal(e.Data, &rec) == nil && !rec.Expiry.After(now) {
				_ = r.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, e.Key, e.Version) })
			}
		}
	}
	r.mu.Lock()
	r.sweep = marker
	r.mu.Unlock()
}
