package stssvc_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/store/sqlstore"
	"github.com/iamd/iamd/internal/stssvc"
)

// replayStores returns the stores to test StoreReplay on: SQLite, and
// PostgreSQL when IAMD_TEST_POSTGRES_DSN is set.
func replayStores(t *testing.T) map[string]store.Store {
	ctx := context.Background()
	out := map[string]store.Store{}
	st, err := sqlstore.Open(ctx, "sqlite://"+t.TempDir()+"/iamd.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	out["sqlite"] = st
	if dsn := os.Getenv("IAMD_TEST_POSTGRES_DSN"); dsn != "" {
		pg, err := sqlstore.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	}
	return out
}

// TestStoreReplay checks that two nodes sharing a store (two StoreReplay
// values, as on two iamd processes) accept an assertion exactly once, also
// when both try at the same time.
func TestStoreReplay(t *testing.T) {
	for name, st := range replayStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			issuer := fmt.Sprintf("https://idp-%d.example.com", now.UnixNano())
			a, b := stssvc.NewStoreReplay(st), stssvc.NewStoreReplay(st)
			if err := a.Use(ctx, issuer, "_1", now.Add(5*time.Minute), now); err != nil {
				t.Fatal(err)
			}
			if err := b.Use(ctx, issuer, "_1", now.Add(5*time.Minute), now); !errors.Is(err, saml.ErrReplay) {
				t.Fatalf("other node accepted a used assertion: %v", err)
			}
			// After its expiry the record may be reused (the assertion
			// itself is expired by then).
			later := now.Add(6 * time.Minute)
			if err := b.Use(ctx, issuer, "_1", later.Add(5*time.Minute), later); err != nil {
				t.Fatalf("after expiry: %v", err)
			}
			// Concurrent redemption of one assertion on two nodes: one wins.
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok := 0
			for _, r := range []*stssvc.StoreReplay{a, b, a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if r.Use(ctx, issuer, "_race", now.Add(5*time.Minute), now) == nil {
						mu.Lock()
						ok++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if ok != 1 {
				t.Fatalf("%d redemptions of one assertion succeeded", ok)
			}
			// Sweeping removes expired records.
			a.Sweep(ctx, now.Add(time.Hour))
		})
	}
}
