package iamsvc

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/store"
)

// RoleLastUsed records when roles were last used (assumed) without
// writing on the request path, like LastUsed for access keys: Record notes
// the use in memory; Run folds the notes into the role records (GetRole's
// RoleLastUsed) every interval and once more when ctx ends.
type RoleLastUsed struct {
	svc     *Service
	mu      sync.Mutex
	pending map[store.Key]lastUse
}

// NewRoleLastUsed returns a recorder for svc.
func NewRoleLastUsed(svc *Service) *RoleLastUsed {
	return &RoleLastUsed{svc: svc, pending: map[store.Key]lastUse{}}
}

// Record notes that role roleName of account was used at in region. A nil
// recorder records nothing.
func (l *RoleLastUsed) Record(account, roleName, region string, at time.Time) {
	if l == nil {
		return
	}
	k := roleKey(account, roleName)
	l.mu.Lock()
	if u, ok := l.pending[k]; !ok || at.After(u.at) {
		l.pending[k] = lastUse{at: at, region: region}
	}
	l.mu.Unlock()
}

// Run flushes recorded uses every interval until ctx is done, then flushes
// once more.
func (l *RoleLastUsed) Run(ctx context.Context, interval time.Duration) {
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

// Flush writes the recorded uses to the role records.
func (l *RoleLastUsed) Flush(ctx context.Context) {
	l.mu.Lock()
	batch := l.pending
	l.pending = map[store.Key]lastUse{}
	l.mu.Unlock()
	for k, u := range batch {
		err := l.svc.store.Update(ctx, func(tx store.Tx) error {
			e, err := tx.Get(ctx, k)
			if err != nil {
				return err
			}
			ro, err := decode[Role](e)
			if err != nil {
				return err
			}
			at := u.at.UTC().Truncate(time.Second)
			if !at.After(ro.LastUsedDate) {
				return nil
			}
			ro.LastUsedDate, ro.LastUsedRegion = at, u.region
			e.Data = encode(ro)
			return tx.Put(ctx, &e)
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			l.svc.log.Warn("recording role last use failed", "account", k.Account, "role", k.Name, "err", err)
		}
	}
}
