package iamsvc

import (
	"context"
	"errors"
)

// ErrNoSessionPolicy is returned by SessionPolicyDocument for an ARN that
// names no managed policy of the account.
var ErrNoSessionPolicy = errors.New("iamsvc: managed session policy not found")

// SessionPolicyDocument returns the default version's document of the
// managed policy policyARN in account, without authorization: STS resolves
// PolicyArns (managed session policies) with it when it issues a session,
// and the enforcer when a session's request is decided (so a session
// follows the policy's current default version, and a deleted policy
// allows nothing).
func (s *Service) SessionPolicyDocument(ctx context.Context, account, policyARN string) (string, error) {
	p, _, err := lookupPolicy(ctx, s.store, account, policyARN, func(string) error { return ErrNoSessionPolicy })
	if errors.Is(err, ErrNoSessionPolicy) || errors.Is(err, errInvalidARN) {
		return "", ErrNoSessionPolicy
	}
	if err != nil {
		return "", err
	}
	return p.defaultDocument(), nil
}
