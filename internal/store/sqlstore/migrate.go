package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int64
	name    string // file name, e.g. "0001_init.sql"
	sql     string
}

// loadMigrations reads a dialect's migrations/<dir>/NNNN_name.sql files in
// version order. Versions must be unique, positive and contiguous from 1.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return int(a.version - b.version) })
	for i, m := range ms {
		if m.version != int64(i+1) {
			return nil, fmt.Errorf("store: migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the dialect's missing migrations in one transaction on
// db, recording each in schema_migrations. On PostgreSQL an advisory
// transaction lock makes concurrent starts apply them one after another; on
// SQLite the writer's BEGIN IMMEDIATE does.
func migrate(ctx context.Context, db *sql.DB, d *dialect, logger *slog.Logger) error {
	ms, err := loadMigrations(migrationFS, path.Join("migrations", d.migrations))
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(ctx, "migrate", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if d.migrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.migrationLock); err != nil {
			return wrap(ctx, "migrate: lock", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT NOT NULL PRIMARY KEY,
	name    TEXT   NOT NULL,
	applied BIGINT NOT NULL
)`); err != nil {
		return wrap(ctx, "migrate", err)
	}
	applied := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return wrap(ctx, "migrate", err)
	}
	var newest int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return wrap(ctx, "migrate", err)
		}
		applied[v] = true
		newest = max(newest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap(ctx, "migrate", err)
	}
	if known := int64(len(ms)); newest > known {
		return fmt.Errorf("store: database schema version %d is newer than this iamd knows (%d); upgrade iamd", newest, known)
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return wrap(ctx, "migrate: "+m.name, err)
		}
		if _, err := tx.ExecContext(ctx, d.placeholders("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)"),
			m.version, m.name, time.Now().UnixMicro()); err != nil {
			return wrap(ctx, "migrate: "+m.name, err)
		}
		logger.InfoContext(ctx, "store: applied migration", "backend", d.name, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return wrap(ctx, "migrate: commit", err)
	}
	return nil
}
