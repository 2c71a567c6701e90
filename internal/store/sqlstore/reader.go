package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/store"
)

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// columns is the select list scanned by scanEntity.
const columns = "account, kind, parent, name, id, path, data, version, created, updated"

// keyWhere selects one entity by its key.
const keyWhere = "account = ? AND kind = ? AND parent_lower = ? AND name_lower = ?"

// keyArgs returns the arguments for keyWhere.
func keyArgs(k store.Key) []any {
	return []any{k.Account, k.Kind, strings.ToLower(k.Parent), strings.ToLower(k.Name)}
}

// reader implements store.Reader on a pool or inside a transaction.
type reader struct {
	d *dialect
	q queryer
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanEntity(s scanner) (store.Entity, error) {
	var (
		e                store.Entity
		created, updated int64
	)
	if err := s.Scan(&e.Account, &e.Kind, &e.Parent, &e.Name, &e.ID, &e.Path, &e.Data, &e.Version, &created, &updated); err != nil {
		return store.Entity{}, err
	}
	e.Created = fromMicros(created)
	e.Updated = fromMicros(updated)
	return e, nil
}

// now returns the current time as the store records it: UTC, truncated to
// the microsecond.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// describe names a key in error messages.
func describe(k store.Key) string {
	var b strings.Builder
	if k.Account != "" {
		b.WriteString(k.Account)
		b.WriteByte(' ')
	}
	b.WriteString(k.Kind)
	b.WriteByte(' ')
	if k.Parent != "" {
		b.WriteString(k.Parent)
		b.WriteByte('/')
	}
	b.WriteString(k.Name)
	return b.String()
}

// wrap annotates a database error with the operation and, when ctx is done,
// with ctx.Err() so callers can test for context.Canceled or
// context.DeadlineExceeded whatever the driver reported.
func wrap(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("store: %s: %w (%w)", op, cerr, err)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// Get implements store.Reader.
func (r reader) Get(ctx context.Context, key store.Key) (store.Entity, error) {
	row := r.q.QueryRowContext(ctx, r.d.placeholders("SELECT "+columns+" FROM entities WHERE "+keyWhere), keyArgs(key)...)
	e, err := scanEntity(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Entity{}, fmt.Errorf("%w: %s", store.ErrNotFound, describe(key))
	}
	if err != nil {
		return store.Entity{}, wrap(ctx, "get", err)
	}
	return e, nil
}

// GetByID implements store.Reader.
func (r reader) GetByID(ctx context.Context, id string) (store.Entity, error) {
	if id == "" {
		return store.Entity{}, fmt.Errorf("%w: empty id", store.ErrNotFound)
	}
	row := r.q.QueryRowContext(ctx, r.d.placeholders("SELECT "+columns+" FROM entities WHERE id = ? AND id <> ''"), id)
	e, err := scanEntity(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Entity{}, fmt.Errorf("%w: id %s", store.ErrNotFound, id)
	}
	if err != nil {
		return store.Entity{}, wrap(ctx, "get by id", err)
	}
	return e, nil
}

// filter appends the WHERE conditions for opts (without Marker and Limit).
func filter(b *strings.Builder, args []any, opts store.ListOptions) []any {
	b.WriteString(" FROM entities WHERE account = ? AND kind = ?")
	args = append(args, opts.Account, opts.Kind)
	if !opts.AnyParent {
		b.WriteString(" AND parent_lower = ?")
		args = append(args, strings.ToLower(opts.Parent))
	}
	if opts.Name != "" {
		b.WriteString(" AND name_lower = ?")
		args = append(args, strings.ToLower(opts.Name))
	}
	if opts.PathPrefix != "" {
		// substr counts characters in both dialects; comparing the
		// leading characters treats % and _ literally and is
		// case-sensitive (SQLite's LIKE is not).
		b.WriteString(" AND substr(path, 1, ?) = ?")
		args = append(args, utf8.RuneCountInString(opts.PathPrefix), opts.PathPrefix)
	}
	return args
}

// List implements store.Reader with keyset pagination on
// (parent_lower, name_lower).
func (r reader) List(ctx context.Context, opts store.ListOptions) (store.Page, error) {
	if opts.Limit < 0 {
		return store.Page{}, fmt.Errorf("store: list: negative limit %d", opts.Limit)
	}
	var b strings.Builder
	b.WriteString("SELECT " + columns + ", parent_lower, name_lower")
	args := filter(&b, make([]any, 0, 10), opts)
	if opts.Marker != "" {
		mp, mn, err := decodeMarker(opts.Marker)
		if err != nil {
			return store.Page{}, err
		}
		// Continue after (mp, mn). The condition is simplified where
		// the filter fixes the parent or the name, so that it is an
		// index range in both dialects rather than a filter.
		switch {
		case !opts.AnyParent:
			switch p := strings.ToLower(opts.Parent); {
			case p < mp:
				return store.Page{}, nil // the whole listing precedes the marker
			case p == mp:
				b.WriteString(" AND name_lower > ?")
				args = append(args, mn)
			}
		case opts.Name != "":
			if strings.ToLower(opts.Name) > mn {
				b.WriteString(" AND parent_lower >= ?")
			} else {
				b.WriteString(" AND parent_lower > ?")
			}
			args = append(args, mp)
		default:
			b.WriteString(" AND (parent_lower, name_lower) > (?, ?)")
			args = append(args, mp, mn)
		}
	}
	b.WriteString(" ORDER BY parent_lower, name_lower")
	if opts.Limit > 0 {
		b.WriteString(" LIMIT ?")
		args = append(args, opts.Limit+1)
	}
	rows, err := r.q.QueryContext(ctx, r.d.placeholders(b.String()), args...)
	if err != nil {
		return store.Page{}, wrap(ctx, "list", err)
	}
	defer rows.Close()
	var (
		page                   store.Page
		lastParent, lastName   string
		parentLower, nameLower string
		created, updated       int64
	)
	for rows.Next() {
		if opts.Limit > 0 && len(page.Items) == opts.Limit {
			page.NextMarker = encodeMarker(lastParent, lastName)
			break
		}
		var e store.Entity
		if err := rows.Scan(&e.Account, &e.Kind, &e.Parent, &e.Name, &e.ID, &e.Path, &e.Data, &e.Version, &created, &updated, &parentLower, &nameLower); err != nil {
			return store.Page{}, wrap(ctx, "list", err)
		}
		e.Created, e.Updated = fromMicros(created), fromMicros(updated)
		page.Items = append(page.Items, e)
		lastParent, lastName = parentLower, nameLower
	}
	if err := rows.Err(); err != nil {
		return store.Page{}, wrap(ctx, "list", err)
	}
	return page, nil
}

// Count implements store.Reader.
func (r reader) Count(ctx context.Context, opts store.ListOptions) (int, error) {
	var b strings.Builder
	b.WriteString("SELECT COUNT(*)")
	args := filter(&b, make([]any, 0, 6), opts)
	var n int
	if err := r.q.QueryRowContext(ctx, r.d.placeholders(b.String()), args...).Scan(&n); err != nil {
		return 0, wrap(ctx, "count", err)
	}
	return n, nil
}
