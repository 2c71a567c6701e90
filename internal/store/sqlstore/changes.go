package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
)

// Change tracking (store.Generations). Every committed Update bumps the
// generation at once. Changes made by other processes reach it too:
//   - SQLite: another process (an `iamd` command run next to a server on the
//     same data directory) commits; a poller reads PRAGMA data_version on a
//     connection of its own every sqlitePollInterval and bumps the
//     generation when it moved.
//   - PostgreSQL: every Update sends NOTIFY on changesChannel inside its
//     transaction (delivered on commit); a listener connection bumps the
//     generation on each notification. While the listener is disconnected
//     the generation is not trusted (Generation's ok is false), so nothing
//     is cached.

const (
	changesChannel      = "iamd_changes"
	sqlitePollInterval  = 100 * time.Millisecond
	listenRetryInterval = time.Second
)

// watchSQLite starts the data_version poller.
func (s *Store) watchSQLite() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.tracking.Store(true)
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		var conn *sql.Conn
		var last int64 = -1
		t := time.NewTicker(sqlitePollInterval)
		defer t.Stop()
		defer func() {
			if conn != nil {
				conn.Close()
			}
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if conn == nil {
				c, err := s.read.Conn(ctx)
				if err != nil {
					continue
				}
				conn, last = c, -1
			}
			var v int64
			if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
				conn.Close()
				conn = nil
				s.gen.Add(1)
				continue
			}
			if last >= 0 && v != last {
				s.gen.Add(1)
			}
			last = v
		}
	}()
}

// watchPostgres starts the LISTEN connection.
func (s *Store) watchPostgres(cfg *pgx.ConnConfig) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		for ctx.Err() == nil {
			s.listen(ctx, cfg)
			s.tracking.Store(false)
			s.gen.Add(1)
			select {
			case <-ctx.Done():
			case <-time.After(listenRetryInterval):
			}
		}
	}()
}

// listen holds one LISTEN connection until it fails or ctx ends.
func (s *Store) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		s.logger.WarnContext(ctx, "store: change listener cannot connect; caching disabled", "err", err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		s.logger.WarnContext(ctx, "store: LISTEN failed; caching disabled", "err", err)
		return
	}
	// Anything committed before LISTEN took effect is covered by this bump.
	s.gen.Add(1)
	s.tracking.Store(true)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if ctx.Err() == nil {
				s.logger.WarnContext(ctx, "store: change listener lost; caching disabled until it reconnects", "err", err)
			}
			return
		}
		s.gen.Add(1)
	}
}
