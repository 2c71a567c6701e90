// Package storetest is the one conformance suite for store.Store backends.
//
// A backend's tests call RunTests with a constructor; the suite then checks
// the whole contract of package store: CRUD, case-insensitive keys with the
// original case kept, globally unique ids, listings by parent, across
// parents and by path prefix, keyset pagination (every page size, stable
// under concurrent inserts, invalid markers), counts, compare-and-swap,
// transaction rollback, serializability under concurrency (one winner among
// racing creates, no lost increments, quotas held), UTC microsecond
// timestamps and context cancellation. RunBenchmarks measures the hot
// paths with the same data shapes.
//
// Every subtest works in fresh, randomly named accounts (and random ids),
// so the suite can run again and again against one persistent database.
//
// What it must not do: import a backend or a database driver, depend on a
// backend's internals, or assert timings.
package storetest
