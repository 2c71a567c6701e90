package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/iamd/iamd/internal/store"
)

// errTxDone is returned by a Tx used after its Update returned.
var errTxDone = errors.New("store: transaction already finished")

// tx implements store.Tx on one database transaction.
type tx struct {
	reader
	done bool
}

func (t *tx) check() error {
	if t.done {
		return errTxDone
	}
	return nil
}

// Get implements store.Reader.
func (t *tx) Get(ctx context.Context, key store.Key) (store.Entity, error) {
	if err := t.check(); err != nil {
		return store.Entity{}, err
	}
	return t.reader.Get(ctx, key)
}

// GetByID implements store.Reader.
func (t *tx) GetByID(ctx context.Context, id string) (store.Entity, error) {
	if err := t.check(); err != nil {
		return store.Entity{}, err
	}
	return t.reader.GetByID(ctx, id)
}

// List implements store.Reader.
func (t *tx) List(ctx context.Context, opts store.ListOptions) (store.Page, error) {
	if err := t.check(); err != nil {
		return store.Page{}, err
	}
	return t.reader.List(ctx, opts)
}

// Count implements store.Reader.
func (t *tx) Count(ctx context.Context, opts store.ListOptions) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	return t.reader.Count(ctx, opts)
}

// mapWrite maps a failed write to store.ErrExists or wraps it.
func (t *tx) mapWrite(ctx context.Context, op string, key store.Key, err error) error {
	if t.d.uniqueViolation(err) {
		return fmt.Errorf("%w: %s (%w)", store.ErrExists, describe(key), err)
	}
	return wrap(ctx, op, err)
}

// Create implements store.Tx.
func (t *tx) Create(ctx context.Context, e *store.Entity) error {
	if err := t.check(); err != nil {
		return err
	}
	if e.Kind == "" {
		return errors.New("store: create: empty kind")
	}
	ts := now()
	data := e.Data
	if data == nil {
		data = []byte{}
	}
	// ON CONFLICT DO NOTHING covers the key and the id index without
	// aborting a PostgreSQL transaction on a duplicate.
	res, err := t.q.ExecContext(ctx, t.d.placeholders(
		"INSERT INTO entities (account, kind, parent_lower, name_lower, parent, name, id, path, data, version, created, updated)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING"),
		e.Account, e.Kind, strings.ToLower(e.Parent), strings.ToLower(e.Name), e.Parent, e.Name, e.ID, e.Path, data,
		ts.UnixMicro(), ts.UnixMicro())
	if err != nil {
		return t.mapWrite(ctx, "create", e.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, "create", err)
	}
	if n == 0 {
		if e.ID != "" {
			return fmt.Errorf("%w: %s or id %s", store.ErrExists, describe(e.Key), e.ID)
		}
		return fmt.Errorf("%w: %s", store.ErrExists, describe(e.Key))
	}
	e.Version = 1
	e.Created, e.Updated = ts, ts
	return nil
}

// Put implements store.Tx. Changing ID to one another entity holds returns
// store.ErrExists.
func (t *tx) Put(ctx context.Context, e *store.Entity) error {
	if err := t.check(); err != nil {
		return err
	}
	if e.ID != "" {
		// Checked first so a PostgreSQL transaction is not aborted
		// by a unique violation.
		var one int
		err := t.q.QueryRowContext(ctx, t.d.placeholders(
			"SELECT 1 FROM entities WHERE id = ? AND id <> '' AND NOT ("+keyWhere+")"),
			append([]any{e.ID}, keyArgs(e.Key)...)...).Scan(&one)
		switch {
		case err == nil:
			return fmt.Errorf("%w: id %s", store.ErrExists, e.ID)
		case !errors.Is(err, sql.ErrNoRows):
			return wrap(ctx, "put", err)
		}
	}
	ts := now()
	data := e.Data
	if data == nil {
		data = []byte{}
	}
	var created int64
	err := t.q.QueryRowContext(ctx, t.d.placeholders(
		"UPDATE entities SET id = ?, path = ?, data = ?, version = version + 1, updated = ?"+
			" WHERE "+keyWhere+" AND version = ? RETURNING created"),
		append(append([]any{e.ID, e.Path, data, ts.UnixMicro()}, keyArgs(e.Key)...), e.Version)...).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return t.missOrConflict(ctx, "put", e.Key, e.Version)
	}
	if err != nil {
		return t.mapWrite(ctx, "put", e.Key, err)
	}
	e.Version++
	e.Created = fromMicros(created)
	e.Updated = ts
	return nil
}

// Delete implements store.Tx.
func (t *tx) Delete(ctx context.Context, key store.Key, version int64) error {
	if err := t.check(); err != nil {
		return err
	}
	q := "DELETE FROM entities WHERE " + keyWhere
	args := keyArgs(key)
	if version != 0 {
		q += " AND version = ?"
		args = append(args, version)
	}
	res, err := t.q.ExecContext(ctx, t.d.placeholders(q), args...)
	if err != nil {
		return wrap(ctx, "delete", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(ctx, "delete", err)
	}
	if n == 0 {
		return t.missOrConflict(ctx, "delete", key, version)
	}
	return nil
}

// missOrConflict tells why a conditional write matched no row.
func (t *tx) missOrConflict(ctx context.Context, op string, key store.Key, version int64) error {
	var stored int64
	err := t.q.QueryRowContext(ctx, t.d.placeholders("SELECT version FROM entities WHERE "+keyWhere), keyArgs(key)...).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w: %s", store.ErrNotFound, describe(key))
	case err != nil:
		return wrap(ctx, op, err)
	default:
		return fmt.Errorf("%w: %s is at version %d, not %d", store.ErrConflict, describe(key), stored, version)
	}
}
