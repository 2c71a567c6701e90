// Package iamsvc is the IAM domain: accounts' users, access keys and (as
// later capabilities land) groups, roles, policies and instance profiles.
//
// It decides — names, quotas, conflicts, ids, ARNs — and persists its typed
// records as JSON through internal/store, enforcing invariants inside store
// transactions. It receives the authenticated caller through
// internal/identity and returns *apierr.Error values with AWS's codes and
// wording. It must not import net/http, encoding/xml or a database driver.
package iamsvc
