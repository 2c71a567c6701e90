package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresConns bounds the PostgreSQL connection pool of one iamd node.
const postgresConns = 10

// migrationLockKey is the pg_advisory_xact_lock key that serialises schema
// migrations across iamd nodes ("iamd" in ASCII, then 1).
const migrationLockKey = 0x69616d6400000001

var postgresDialect = &dialect{
	name:            "postgres",
	migrations:      "postgres",
	migrationLock:   fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
	txOptions:       &sql.TxOptions{Isolation: sql.LevelSerializable},
	placeholders:    dollarNumbers,
	retryable:       postgresRetryable,
	uniqueViolation: postgresUniqueViolation,
	notify:          "NOTIFY " + changesChannel,
}

func postgresCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// postgresRetryable reports serialization_failure and deadlock_detected.
func postgresRetryable(err error) bool {
	switch postgresCode(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// postgresUniqueViolation reports unique_violation.
func postgresUniqueViolation(err error) bool { return postgresCode(err) == "23505" }

// OpenPostgres connects to PostgreSQL with a pgx connection string
// (postgres://user@host:5432/db?sslmode=... or key=value form) and applies
// pending migrations. Extra run-time parameters such as search_path are
// passed to the server. logger may be nil.
func OpenPostgres(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	logger = orDiscard(logger)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgconn redacts the password in its parse errors.
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrap(ctx, "postgres: connect to "+cfg.Host+"/"+cfg.Database, err)
	}
	if err := migrate(ctx, db, postgresDialect, logger); err != nil {
		db.Close()
		return nil, err
	}
	logger.InfoContext(ctx, "store: opened", "backend", "postgres", "host", cfg.Host, "database", cfg.Database)
	st := newStore(postgresDialect, db, db, logger)
	st.watchPostgres(cfg)
	return st, nil
}
