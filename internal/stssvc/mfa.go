package stssvc

import (
	"context"
	"errors"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
)

// AWS's answers to a failed MFA check in GetSessionToken and AssumeRole
// (code AccessDenied, HTTP 403). The texts, spaces included, are AWS's.
const (
	msgMFAInvalidCode  = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
	msgMFAUnassociated = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
)

// mfaResult is the MFA state a new session gets.
type mfaResult struct {
	present  bool
	authTime time.Time
}

// checkMFA verifies SerialNumber/TokenCode against the MFA device enabled
// for the calling IAM user. With neither given, the new session inherits
// the caller's MFA state (a session created with MFA passes it on).
func (s *Service) checkMFA(ctx context.Context, c *identity.Caller, serial, code string) (mfaResult, error) {
	if serial == "" && code == "" {
		if c.MFAAuthenticated {
			return mfaResult{present: true, authTime: c.MFAAuthTime}, nil
		}
		return mfaResult{}, nil
	}
	switch {
	case code == "":
		return mfaResult{}, apierr.AccessDenied(msgMFAInvalidCode)
	case serial == "", c.Type != identity.User:
		// Only IAM users have virtual MFA devices here.
		return mfaResult{}, apierr.AccessDenied(msgMFAUnassociated)
	}
	err := s.iam.VerifyMFA(ctx, c.Account, c.Name, serial, code)
	switch {
	case err == nil:
		return mfaResult{present: true, authTime: s.now().UTC().Truncate(time.Second)}, nil
	case errors.Is(err, iamsvc.ErrMFANotAssociated):
		return mfaResult{}, apierr.AccessDenied(msgMFAUnassociated)
	case errors.Is(err, iamsvc.ErrMFAInvalidCode):
		return mfaResult{}, apierr.AccessDenied(msgMFAInvalidCode)
	}
	return mfaResult{}, apierr.Internal(err)
}

// withMFA returns a copy of c that carries the MFA state m, for deciding
// the call that presented the code (trust policies requiring
// aws:MultiFactorAuthPresent).
func withMFA(c *identity.Caller, m mfaResult) *identity.Caller {
	if !m.present || c.MFAAuthenticated {
		return c
	}
	cc := *c
	cc.MFAAuthenticated, cc.MFAAuthTime = true, m.authTime
	return &cc
}
