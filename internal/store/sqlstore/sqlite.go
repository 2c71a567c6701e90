package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
)

// SQLite result codes we act on (extended codes are enabled; the primary
// code is the low byte).
const (
	sqliteBusy             = 5
	sqliteLocked           = 6
	sqliteConstraintPK     = 1555
	sqliteConstraintUnique = 2067
)

// sqliteReaders is the size of the SQLite read pool (one connection is
// held by the change poller, see changes.go).
const sqliteReaders = 5

// sqliteWriterParams configures the single writer connection: WAL so
// readers never wait for it, synchronous=FULL so a commit is on disk before
// Update returns (WAL with NORMAL can lose the last commits on power loss),
// BEGIN IMMEDIATE so a transaction takes the write lock before its first
// read and cannot fail to upgrade later.
const sqliteWriterParams = "_busy_timeout=10000&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1&_txlock=immediate"

// sqliteReaderParams configures the read pool; query_only guards against
// writes outside Update.
const sqliteReaderParams = "_busy_timeout=10000&_foreign_keys=1&_query_only=1"

var sqliteDialect = &dialect{
	name:            "sqlite",
	migrations:      "sqlite",
	placeholders:    questionMarks,
	retryable:       sqliteRetryable,
	uniqueViolation: sqliteUniqueViolation,
}

func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}

func sqliteRetryable(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code&0xff == sqliteBusy || code&0xff == sqliteLocked)
}

func sqliteUniqueViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code == sqliteConstraintUnique || code == sqliteConstraintPK)
}

// OpenSQLite opens (creating if needed) the SQLite database at path and
// applies pending migrations. A missing directory is created with mode
// 0700 and a new database file with mode 0600. logger may be nil.
func OpenSQLite(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	logger = orDiscard(logger)
	switch {
	case path == "":
		return nil, errors.New("store: sqlite: empty database path")
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		return nil, fmt.Errorf("store: sqlite: %q is not a database file path", path)
	case strings.ContainsAny(path, "?\x00"):
		return nil, errors.New("store: sqlite: database path must not contain '?' or NUL")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	fi, err := f.Stat()
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("store: sqlite: %s is not a regular file", abs)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		logger.WarnContext(ctx, "store: database file is accessible to other users", "path", abs, "mode", fi.Mode().Perm().String())
	}

	writer, err := sql.Open("sqlite", abs+"?"+sqliteWriterParams)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	// Switching a new file to WAL needs an exclusive lock, and SQLite
	// reports SQLITE_BUSY at once (without waiting busy_timeout) when
	// another process opens the same new file at the same moment.
	for attempt := 1; ; attempt++ {
		err = checkSQLiteWriter(ctx, writer)
		if err == nil {
			err = migrate(ctx, writer, sqliteDialect, logger)
		}
		if err == nil || !sqliteRetryable(err) || attempt == maxAttempts {
			break
		}
		if serr := sleep(ctx, backoff(attempt)); serr != nil {
			err = fmt.Errorf("store: sqlite: open: %w", serr)
			break
		}
	}
	if err != nil {
		writer.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", abs+"?"+sqliteReaderParams)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("store: sqlite: %w", err)
	}
	read.SetMaxOpenConns(sqliteReaders)
	read.SetMaxIdleConns(sqliteReaders)
	read.SetConnMaxLifetime(0)
	if err := read.PingContext(ctx); err != nil {
		read.Close()
		writer.Close()
		return nil, wrap(ctx, "sqlite: open", err)
	}
	logger.InfoContext(ctx, "store: opened", "backend", "sqlite", "path", abs)
	st := newStore(sqliteDialect, writer, read, logger)
	st.watchSQLite()
	return st, nil
}

// checkSQLiteWriter confirms the durability settings took effect (WAL is
// refused by some file systems).
func checkSQLiteWriter(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return wrap(ctx, "sqlite: open", err)
	}
	var sync int
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return wrap(ctx, "sqlite: open", err)
	}
	if !strings.EqualFold(mode, "wal") || sync != 2 {
		return fmt.Errorf("store: sqlite: journal_mode=%s synchronous=%d, want wal and 2 (FULL); is the file system local?", mode, sync)
	}
	return nil
}

// orDiscard returns logger, or a logger that drops everything when nil.
func orDiscard(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return logger
}
