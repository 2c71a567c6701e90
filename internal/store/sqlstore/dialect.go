package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
)

// dialect is the whole seam between SQLite and PostgreSQL. Everything else
// (queries, scanning, pagination, retries) is shared.
type dialect struct {
	// name is "sqlite" or "postgres".
	name string
	// migrations is the folder under migrations/ holding this dialect's
	// numbered .sql files.
	migrations string
	// migrationLock, when set, runs first in the migration transaction so
	// several nodes starting at once apply migrations one after another.
	migrationLock string
	// txOptions are passed to BeginTx by Update.
	txOptions *sql.TxOptions
	// placeholders converts the shared "?" placeholders to the dialect's.
	placeholders func(query string) string
	// retryable reports a serialization failure, deadlock or busy database:
	// the transaction rolled back and can run again.
	retryable func(err error) bool
	// uniqueViolation reports a unique constraint violation.
	uniqueViolation func(err error) bool
	// notify, when set, runs at the end of every Update transaction to
	// tell other nodes about the change (see changes.go).
	notify string
}

// questionMarks leaves "?" placeholders as they are (SQLite).
func questionMarks(query string) string { return query }

// dollarNumbers rewrites "?" placeholders to $1, $2, ... (PostgreSQL). The
// shared queries contain no "?" inside literals.
func dollarNumbers(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}
