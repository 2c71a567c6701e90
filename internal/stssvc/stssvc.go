package stssvc

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/federation/oidc"
	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
)

// Service implements STS.
type Service struct {
	iam  *iamsvc.Service
	log  *slog.Logger
	keys *Keys
	now  func() time.Time
	oidc *oidc.Verifier
	// opened caches opened session tokens (see openedCache).
	opened openedCache
	// roleUse records role use for RoleLastUsed (nil: not recorded).
	roleUse *iamsvc.RoleLastUsed

	samlEndpoints []string
	samlReplay    saml.ReplayCache
}

// Options configure a Service.
type Options struct {
	Logger *slog.Logger
	// Keys seal and open session tokens; without them no temporary
	// credentials can be issued or accepted.
	Keys *Keys
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// OIDC fetches and caches web identity issuers' keys (a default
	// fetcher when nil).
	OIDC *oidc.Fetcher
	// RoleLastUsed, if set, records when roles are assumed.
	RoleLastUsed *iamsvc.RoleLastUsed
	// SAMLEndpoints are this server's own SAML endpoint URLs, accepted as
	// Audience and Recipient besides AWS's https://signin.aws.amazon.com/saml.
	SAMLEndpoints []string
	// SAMLReplay remembers redeemed SAML assertions (a bounded in-memory
	// cache when nil; use NewStoreReplay when several nodes share a store).
	SAMLReplay saml.ReplayCache
}

// New returns an STS service that reads principals through iam.
func New(iam *iamsvc.Service, opts Options) *Service {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OIDC == nil {
		opts.OIDC = oidc.NewFetcher(oidc.FetcherOptions{Logger: opts.Logger})
	}
	if opts.SAMLReplay == nil {
		opts.SAMLReplay = saml.NewMemoryReplay(0)
	}
	return &Service{iam: iam, log: opts.Logger, keys: opts.Keys, now: opts.Now, oidc: &oidc.Verifier{Fetcher: opts.OIDC}, roleUse: opts.RoleLastUsed,
		samlEndpoints: opts.SAMLEndpoints, samlReplay: opts.SAMLReplay}
}

// CallerIdentity is the answer of GetCallerIdentity.
type CallerIdentity struct {
	Account, UserID, ARN string
}

// GetCallerIdentity returns who signed the request. Like AWS, it needs no
// permission: even an explicit deny does not stop it.
func (s *Service) GetCallerIdentity(ctx context.Context) (*CallerIdentity, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("stssvc: no caller"))
	}
	return &CallerIdentity{Account: c.Account, UserID: c.UserID, ARN: c.ARN}, nil
}

// GetAccessKeyInfo returns the account that owns an access key id. Like
// AWS it answers from the key id itself (which encodes the account), so it
// works for temporary keys and for keys of other accounts; unknown
// long-term keys of this installation still report the encoded account.
func (s *Service) GetAccessKeyInfo(ctx context.Context, keyID string) (string, error) {
	if identity.From(ctx) == nil {
		return "", apierr.Internal(errors.New("stssvc: no caller"))
	}
	if err := s.iam.Authorize(ctx, "sts:GetAccessKeyInfo", "*", nil); err != nil {
		return "", err
	}
	if acct, ok, err := s.iam.AccessKeyAccount(ctx, keyID); err != nil {
		return "", apierr.Internal(err)
	} else if ok {
		return acct, nil
	}
	acct, err := credential.AccountFromAccessKeyID(keyID)
	if err != nil {
		return "", apierr.InvalidInput("Invalid access key id %s", keyID)
	}
	return acct, nil
}

// Keys returns the key ring the service seals and opens sessions with.
func (s *Service) Keys() *Keys { return s.keys }
