package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iamd/iamd/internal/store"
)

// Retry policy for Update when the backend reports a serialization failure,
// a deadlock or a busy database.
const (
	maxAttempts  = 12
	backoffBase  = 2 * time.Millisecond
	backoffLimit = 100 * time.Millisecond
)

// Store is a store.Store on SQLite or PostgreSQL. It is safe for concurrent
// use.
type Store struct {
	reader // reads outside transactions, on the read pool

	d      *dialect
	writer *sql.DB // Update's transactions (one connection for SQLite)
	read   *sql.DB // the read pool; the same *sql.DB as writer for PostgreSQL
	logger *slog.Logger

	// gen counts committed updates (and, on PostgreSQL, change
	// notifications from other nodes); tracking tells whether gen can be
	// trusted (always on SQLite, while the listener is connected on
	// PostgreSQL).
	gen      atomic.Uint64
	tracking atomic.Bool
	// stop ends the PostgreSQL listener; done is closed when it has.
	stop func()
	done sync.WaitGroup
}

var (
	_ store.Store       = (*Store)(nil)
	_ store.Generations = (*Store)(nil)
)

// Generation implements store.Generations.
func (s *Store) Generation() (uint64, bool) {
	ok := s.tracking.Load()
	return s.gen.Load(), ok
}

// newStore assembles a Store; read may equal writer.
func newStore(d *dialect, writer, read *sql.DB, logger *slog.Logger) *Store {
	return &Store{reader: reader{d: d, q: read}, d: d, writer: writer, read: read, logger: logger}
}

// Backend returns "sqlite" or "postgres".
func (s *Store) Backend() string { return s.d.name }

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return wrap(ctx, "ping", err)
	}
	if s.read != s.writer {
		if err := s.read.PingContext(ctx); err != nil {
			return wrap(ctx, "ping", err)
		}
	}
	return nil
}

// Close closes the connection pools. Call it once every Get, List and
// Update has returned.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
		s.done.Wait()
	}
	var err error
	if s.read != s.writer {
		err = s.read.Close()
	}
	return errors.Join(err, s.writer.Close())
}

// Update implements store.Store. fn must not call s.Update (on SQLite the
// single writer connection is already taken) and must not use tx after it
// returns.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.update(ctx, fn)
		if err == nil || !s.d.retryable(err) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("store: transaction failed %d times: %w", attempt, err)
		}
		s.logger.DebugContext(ctx, "store: retrying transaction", "backend", s.d.name, "attempt", attempt, "err", err)
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return fmt.Errorf("store: update: %w", err)
		}
	}
}

// backoff returns a full-jitter exponential delay for the given attempt.
func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 10)
	d = min(d, backoffLimit)
	return time.Duration(rand.Int64N(int64(d))) + time.Millisecond/2
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// update runs fn once in a transaction.
func (s *Store) update(ctx context.Context, fn func(tx store.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: update: %w", err)
	}
	sqlTx, err := s.writer.BeginTx(ctx, s.d.txOptions)
	if err != nil {
		return wrap(ctx, "begin", err)
	}
	t := &tx{reader: reader{d: s.d, q: sqlTx}}
	committed := false
	defer func() {
		t.done = true
		if !committed {
			// Also runs when fn panics; the panic continues.
			_ = sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if s.d.notify != "" {
		// Delivered to every listening node when the transaction commits.
		if _, err := sqlTx.ExecContext(ctx, s.d.notify); err != nil {
			return wrap(ctx, "notify", err)
		}
	}
	t.done = true
	if err := sqlTx.Commit(); err != nil {
		// The outcome of a failed commit is unknown: treat it as a change.
		s.gen.Add(1)
		return wrap(ctx, "commit", err)
	}
	committed = true
	s.gen.Add(1)
	return nil
}
