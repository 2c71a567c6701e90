// Package sqlstore implements store.Store on SQLite (the default, pure-Go
// modernc.org/sqlite driver) and on PostgreSQL (pgx through database/sql)
// with one set of SQL statements and a tiny dialect seam (placeholders,
// transaction options, error codes, migration lock).
//
// What it owns:
//
//   - Opening a database from a URL (Open), creating the SQLite file with
//     mode 0600 in a 0700 directory, and applying the embedded, numbered
//     migrations (migrations/<dialect>/NNNN_name.sql) in one transaction,
//     recorded in schema_migrations. PostgreSQL migrations run under
//     pg_advisory_xact_lock so several nodes may start at once.
//   - The entities table, keyed by (account, kind, parent_lower,
//     name_lower). Case folding is Go's strings.ToLower, computed here and
//     never by SQL, so both backends agree; the original Parent and Name are
//     stored beside the folded ones. Timestamps are UTC unix microseconds.
//   - Serializable transactions. SQLite runs in WAL mode with
//     synchronous=FULL and a single writer connection (BEGIN IMMEDIATE), so
//     Updates queue in-process and reads use a separate pool and never wait
//     for them. PostgreSQL uses SERIALIZABLE isolation; Update retries on
//     serialization failure (40001) and deadlock (40P01) up to 12 times with
//     jittered exponential backoff.
//   - Keyset pagination on (parent_lower, name_lower) with opaque markers
//     (base64url of the last key), stable under concurrent inserts.
//
// What it must not do: know any domain record (Data is opaque bytes), log
// Data, keys or connection strings with passwords, or be imported by domain
// packages (they depend on store only). Its behaviour is specified by
// store/storetest, which its tests run against both backends; the
// PostgreSQL run needs IAMD_TEST_POSTGRES_DSN.
package sqlstore
