// Package store defines iamd's storage contract: entity records, the Store
// and Tx interfaces every backend implements, and the sentinel errors callers
// compare with errors.Is.
//
// The contract is deliberately generic. A domain service (iamsvc, stssvc,
// orgsvc) keeps its typed records as JSON in Entity.Data; the store knows only
// keys, case-insensitive uniqueness, globally unique ids, paths for prefix
// listing, versions for compare-and-swap, and serializable transactions in
// which a service enforces its own invariants (quotas, delete conflicts).
//
// This package must not import a database driver; backends live in
// store/sqlstore and are checked by the one conformance suite in
// store/storetest.
package store
