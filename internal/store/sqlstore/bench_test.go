package sqlstore

import (
	"context"
	"testing"

	"github.com/iamd/iamd/internal/store/storetest"
)

// benchBackend runs the shared benchmarks plus a bare "SELECT 1" round trip
// on the read pool, the baseline the store's figures are read against.
func benchBackend(b *testing.B, s *Store) {
	b.Run("Baseline/Select1", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			var one int
			if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
				b.Fatal(err)
			}
		}
	})
	storetest.RunBenchmarks(b, s)
}

func BenchmarkSQLite(b *testing.B) { benchBackend(b, newSQLite(b)) }

func BenchmarkPostgres(b *testing.B) { benchBackend(b, openPostgres(b, postgresDSN(b))) }
