package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/iamd/iamd/internal/store"
)

// benchUsers is how many users RunBenchmarks loads before measuring.
const benchUsers = 1000

// RunBenchmarks measures the hot paths of a backend: Get by key and by id,
// Create (one committed transaction each) and List of a 100-item page. s
// must be open; the benchmarks add data in a fresh account.
func RunBenchmarks(b *testing.B, s store.Store) {
	ctx := context.Background()
	acct := account(b)
	keys := make([]store.Key, benchUsers)
	ids := make([]string, benchUsers)
	err := s.Update(ctx, func(tx store.Tx) error {
		for i := range benchUsers {
			e := store.Entity{
				Key:  store.Key{Account: acct, Kind: "user", Name: fmt.Sprintf("User%04d", i)},
				ID:   uniq("AIDA"),
				Path: "/bench/",
				Data: []byte(`{"UserName":"User","Path":"/bench/","Tags":[{"Key":"team","Value":"storage"}]}`),
			}
			if err := tx.Create(ctx, &e); err != nil {
				return err
			}
			keys[i], ids[i] = e.Key, e.ID
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	b.Run("GetByKey", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.Get(ctx, keys[i%benchUsers]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("GetByID", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.GetByID(ctx, ids[i%benchUsers]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("Create", func(b *testing.B) {
		b.ReportAllocs()
		prefix := uniq("bench-")
		i := 0
		for b.Loop() {
			e := store.Entity{Key: store.Key{Account: acct, Kind: "role", Name: fmt.Sprintf("%s-%d", prefix, i)}, ID: uniq("AROA"), Path: "/", Data: []byte(`{"RoleName":"r"}`)}
			if err := s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, &e) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("ListPage100", func(b *testing.B) {
		b.ReportAllocs()
		opts := store.ListOptions{Account: acct, Kind: "user", Limit: 100}
		for b.Loop() {
			p, err := s.List(ctx, opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Items) != 100 {
				b.Fatalf("page of %d", len(p.Items))
			}
			opts.Marker = p.NextMarker
			if p.NextMarker == "" || len(p.Items) < 100 {
				opts.Marker = ""
			}
		}
	})
}
