package iamsvc

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/policy"
	"github.com/iamd/iamd/internal/store"
)

// RevokePolicyName is the inline role policy AWS's console writes to
// revoke a role's active sessions.
const RevokePolicyName = "AWSRevokeOlderSessions"

// revokeDocument is the policy the console writes: deny everything to
// sessions issued before the revocation time.
func revokeDocument(at string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"` + at + `"}}}]}`
}

// RevokeRoleSessions revokes every session of a role issued before at, as
// the console's "Revoke active sessions" does: it puts the inline policy
// AWSRevokeOlderSessions that denies everything with
// DateLessThan aws:TokenIssueTime = at, and when the policy exists moves
// the time of its revocation statements forward (other statements are
// kept). It needs no caller: it is the operator's command (iamd
// revoke-sessions), working on the store. The time is rounded up to the
// next whole second, because session issue times have whole seconds: a
// session issued in the same second as the revocation is revoked too.
// Enforcement reads role policies on every request, so every node applies
// it on the next request. It returns the document written.
func (s *Service) RevokeRoleSessions(ctx context.Context, account, roleName string, at time.Time) (string, error) {
	at = at.UTC()
	if t := at.Truncate(time.Second); !t.Equal(at) {
		at = t.Add(time.Second)
	}
	stamp := at.Format(time.RFC3339)
	var doc string
	err := s.store.Update(ctx, func(tx store.Tx) error {
		ro, _, err := getRole(ctx, tx, account, roleName)
		if err != nil {
			return err
		}
		key := store.Key{Account: account, Kind: KindRolePolicy, Parent: ro.RoleName, Name: RevokePolicyName}
		doc = revokeDocument(stamp)
		if e, err := tx.Get(ctx, key); err == nil {
			if ip, err := decode[InlinePolicy](e); err == nil {
				if merged, ok := mergeRevocation(ip.Document, stamp); ok {
					doc = merged
				}
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		p, err := parsePolicy(doc, policy.Inline)
		if err != nil {
			return err
		}
		return putInline(ctx, tx, key, doc, p.Size, func(total int) error {
			if total > s.limits.RolePolicySize {
				return apierr.LimitExceeded("Maximum policy size of %d bytes exceeded for role %s", s.limits.RolePolicySize, ro.RoleName)
			}
			return nil
		})
	})
	return doc, err
}

// mergeRevocation sets the aws:TokenIssueTime of every DateLessThan
// condition in an existing revocation policy to stamp, keeping the rest of
// the document. ok is false when the document has no such condition (it
// is then replaced).
func mergeRevocation(doc, stamp string) (string, bool) {
	var m map[string]any
	if json.Unmarshal([]byte(doc), &m) != nil {
		return "", false
	}
	var stmts []any
	switch v := m["Statement"].(type) {
	case []any:
		stmts = v
	case map[string]any:
		stmts = []any{v}
	}
	found := false
	for _, st := range stmts {
		sm, _ := st.(map[string]any)
		cond, _ := sm["Condition"].(map[string]any)
		dl, _ := cond["DateLessThan"].(map[string]any)
		for k := range dl {
			if equalFold(k, "aws:TokenIssueTime") {
				dl[k] = stamp
				found = true
			}
		}
	}
	if !found {
		return "", false
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", false
	}
	return string(b), true
}
