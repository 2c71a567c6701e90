package iamsvc

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/store"
)

// LastUsed records when access keys were last used without writing on the
// request path: Record only notes the use in memory; Run folds the notes
// into the store every interval (and once more when ctx ends).
type LastUsed struct {
	svc     *Service
	mu      sync.Mutex
	pending map[string]lastUse
}

type lastUse struct {
	at              time.Time
	service, region string
}

// NewLastUsed returns a recorder for svc.
func NewLastUsed(svc *Service) *LastUsed {
	return &LastUsed{svc: svc, pending: map[string]lastUse{}}
}

// Record notes that keyID was used now for service in region.
func (l *LastUsed) Record(keyID, service, region string, at time.Time) {
	l.mu.Lock()
	l.pending[keyID] = lastUse{at: at, service: service, region: region}
	l.mu.Unlock()
}

// Run flushes recorded uses every interval until ctx is done, then flushes
// once more.
func (l *LastUsed) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.Flush(context.WithoutCancel(ctx))
			return
		case <-t.C:
			l.Flush(ctx)
		}
	}
}

// Flush writes the recorded uses to the store.
func (l *LastUsed) Flush(ctx context.Context) {
	l.mu.Lock()
	batch := l.pending
	l.pending = map[string]lastUse{}
	l.mu.Unlock()
	for id, u := range batch {
		err := l.svc.store.Update(ctx, func(tx store.Tx) error {
			e, err := tx.GetByID(ctx, id)
			if err != nil {
				return err
			}
			k, err := decode[AccessKey](e)
			if err != nil {
				return err
			}
			if !u.at.After(k.LastUsedDate) {
				return nil
			}
			k.LastUsedDate, k.LastUsedService, k.LastUsedRegion = u.at.UTC().Truncate(time.Second), u.service, u.region
			e.Data = encode(k)
			return tx.Put(ctx, &e)
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			l.svc.log.Warn("recording access key last use failed", "access_key_id", id, "err", err)
		}
	}
}
