package oidc

import (
	"context"
	"errors"
	"time"
)

// Errors of claim checks.
var (
	// ErrExpired: exp is in the past (beyond the skew).
	ErrExpired = errors.New("oidc: token expired")
	// ErrNotYetValid: nbf or iat lies in the future (beyond the skew).
	ErrNotYetValid = errors.New("oidc: token not yet valid")
)

// DefaultSkew is the clock skew tolerated on exp, nbf and iat.
const DefaultSkew = time.Minute

// CheckTime checks exp, nbf and iat against now with skew.
func (c *Claims) CheckTime(now time.Time, skew time.Duration) error {
	if !now.Before(c.Expiry.Add(skew)) {
		return ErrExpired
	}
	if !c.NotBefore.IsZero() && now.Add(skew).Before(c.NotBefore) {
		return ErrNotYetValid
	}
	if !c.IssuedAt.IsZero() && now.Add(skew).Before(c.IssuedAt) {
		return ErrNotYetValid
	}
	return nil
}

// Verifier verifies tokens against registered providers' key sets.
type Verifier struct {
	Fetcher *Fetcher
}

// Verify verifies t's signature with p's key set (fetched or cached),
// retrying once with a refetched set when the key id is unknown.
func (v *Verifier) Verify(ctx context.Context, t *JWS, p Provider) error {
	ks, err := v.Fetcher.KeySet(ctx, p, t.Header.Kid)
	if err != nil {
		return err
	}
	return t.Verify(ks)
}
