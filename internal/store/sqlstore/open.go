package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Open opens the store named by rawURL:
//
//   - postgres://... or postgresql://...: PostgreSQL (see OpenPostgres);
//   - sqlite:///abs/path/iamd.db or sqlite:relative/path.db: SQLite;
//   - any other string without "://": an SQLite database file path.
//
// logger may be nil.
func Open(ctx context.Context, rawURL string, logger *slog.Logger) (*Store, error) {
	kind, target, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if kind == "postgres" {
		return OpenPostgres(ctx, target, logger)
	}
	return OpenSQLite(ctx, target, logger)
}

// parseURL tells the backend ("sqlite" or "postgres") and what to open: a
// file path or the PostgreSQL connection string. Errors are one line and
// never repeat the URL (it may hold a password).
func parseURL(rawURL string) (kind, target string, err error) {
	if rawURL == "" {
		return "", "", errors.New("store: empty database URL")
	}
	scheme, rest, hasScheme := strings.Cut(rawURL, ":")
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return "", "", errors.New("store: postgres URL must start with postgres://")
		}
		return "postgres", rawURL, nil
	case "sqlite":
		u, err := url.Parse(rawURL)
		if err != nil {
			return "", "", errors.New("store: malformed sqlite URL")
		}
		if u.Host != "" || u.User != nil {
			return "", "", errors.New("store: sqlite URL must be sqlite:///absolute/path or sqlite:relative/path")
		}
		if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			return "", "", errors.New("store: sqlite URL takes no query or fragment")
		}
		p := u.Path
		if u.Opaque != "" {
			if p, err = url.PathUnescape(u.Opaque); err != nil {
				return "", "", errors.New("store: malformed sqlite URL")
			}
		}
		if p == "" {
			return "", "", errors.New("store: sqlite URL has no file path")
		}
		return "sqlite", p, nil
	}
	if hasScheme && strings.HasPrefix(rest, "//") {
		return "", "", fmt.Errorf("store: unsupported database URL scheme %q (want postgres://, postgresql://, sqlite:// or a file path)", safeScheme(scheme))
	}
	return "sqlite", rawURL, nil
}

// safeScheme shortens and sanitises a scheme for an error message.
func safeScheme(s string) string {
	if len(s) > 20 {
		s = s[:20] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
