package iamsvc

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"
)

// KindOIDCProvider is an IAM OpenID Connect provider (top level, Name =
// the URL without "https://", as in its ARN).
const KindOIDCProvider = "oidc-provider"

// OIDC provider quotas (AWS's).
const (
	maxOIDCProviders        = 100
	maxOIDCClientIDs        = 100
	maxOIDCThumbprints      = 5
	oidcProviderARNResource = "oidc-provider/"
)

// OIDCProvider is an IAM OpenID Connect identity provider.
type OIDCProvider struct {
	// Name is the URL without its scheme: host[:port][/path].
	Name           string    `json:"name"`
	ClientIDs      []string  `json:"clientIds,omitempty"`
	Thumbprints    []string  `json:"thumbprints,omitempty"`
	CreateDate     time.Time `json:"created"`
	Tags           []Tag     `json:"tags,omitempty"`
	ARN            string    `json:"arn"`
	OwnerAccountID string    `json:"account"`
}

// URL is the provider's issuer URL (https://...).
func (p *OIDCProvider) URL() string { return "https://" + p.Name }

func oidcProviderKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindOIDCProvider, Name: name}
}

func noSuchOIDCProvider(arn string) error {
	return apierr.NoSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
}

// oidcProviderName validates a provider URL and returns its name (the URL
// without "https://"). Like AWS it refuses other schemes, query strings,
// fragments and user information. Unlike AWS it accepts a port, so that
// self-hosted issuers on non-standard ports can be registered.
func oidcProviderName(raw string) (string, error) {
	if !strings.HasPrefix(raw, "https://") {
		if strings.Contains(raw, "://") {
			return "", apierr.InvalidInput("Invalid Open ID Connect Provider URL. The URL must begin with https://.")
		}
		return "", apierr.InvalidInput("Invalid Open ID Connect Provider URL.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.ForceQuery ||
		u.Fragment != "" || strings.ContainsAny(raw, " \t\r\n#?") {
		return "", apierr.InvalidInput("Invalid Open ID Connect Provider URL.")
	}
	if p := u.Port(); p != "" && (len(p) > 5 || p == "0") {
		return "", apierr.InvalidInput("Invalid Open ID Connect Provider URL.")
	}
	return strings.TrimPrefix(raw, "https://"), nil
}

// parseOIDCProviderARN splits arn:aws:iam::ACCT:oidc-provider/NAME.
func parseOIDCProviderARN(arn string) (account, name string, err error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "iam" || parts[3] != "" ||
		!strings.HasPrefix(parts[5], oidcProviderARNResource) || len(parts[5]) == len(oidcProviderARNResource) {
		return "", "", apierr.InvalidInput("Invalid OpenIDConnectProviderArn: %s", arn)
	}
	return parts[4], strings.TrimPrefix(parts[5], oidcProviderARNResource), nil
}

// normThumbprints lower-cases thumbprints, checks them (40 hex digits) and
// their count.
func normThumbprints(in []string) ([]string, error) {
	if len(in) > maxOIDCThumbprints {
		return nil, apierr.InvalidInput("Thumbprint list must contain fewer than 5 entries.")
	}
	out := make([]string, 0, len(in))
	for _, t := range in {
		t = strings.ToLower(t)
		if len(t) != 40 || strings.Trim(t, "0123456789abcdef") != "" {
			return nil, apierr.InvalidInput("Thumbprint must be exactly 40 characters.")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// CreateOIDCProviderInput is the domain input of CreateOpenIDConnectProvider.
type CreateOIDCProviderInput struct {
	URL         string
	ClientIDs   []string
	Thumbprints []string
	Tags        []Tag
}

// CreateOpenIDConnectProvider registers an OIDC identity provider in the
// caller's account. ThumbprintList is optional (as in AWS today): without
// one the issuer must present a certificate the system CA pool trusts.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, in *CreateOIDCProviderInput) (*OIDCProvider, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	name, err := oidcProviderName(in.URL)
	if err != nil {
		return nil, err
	}
	arn := "arn:aws:iam::" + c0.Account + ":" + oidcProviderARNResource + name
	c, err := s.authorize(ctx, "iam:CreateOpenIDConnectProvider", arn, requestTagKeys(in.Tags))
	if err != nil {
		return nil, err
	}
	tps, err := normThumbprints(in.Thumbprints)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range in.ClientIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxOIDCClientIDs {
		return nil, apierr.LimitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxOIDCClientIDs)
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	p := &OIDCProvider{Name: name, ClientIDs: ids, Thumbprints: tps, Tags: tags, ARN: arn, OwnerAccountID: c.Account}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindOIDCProvider})
		if err != nil {
			return err
		}
		if n >= maxOIDCProviders {
			return apierr.LimitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: %d", maxOIDCProviders)
		}
		p.CreateDate = s.now().UTC().Truncate(time.Millisecond)
		err = tx.Create(ctx, &store.Entity{Key: oidcProviderKey(c.Account, name), Path: "/", Data: encode(p)})
		if errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("Provider with url %s already exists.", in.URL)
		}
		return err
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return p, nil
}

// getOIDCProvider reads a provider record by ARN in account; a provider
// of another account is not found.
func getOIDCProvider(ctx context.Context, r store.Reader, account, arn string) (*OIDCProvider, store.Entity, error) {
	acct, name, err := parseOIDCProviderARN(arn)
	if err != nil {
		return nil, store.Entity{}, err
	}
	if acct != account {
		return nil, store.Entity{}, noSuchOIDCProvider(arn)
	}
	e, err := r.Get(ctx, oidcProviderKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchOIDCProvider(arn)
	} else if err != nil {
		return nil, e, apierr.Internal(err)
	}
	p, err := decode[OIDCProvider](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	return p, e, nil
}

// oidcProviderForRead authorizes action on a provider and returns it.
func (s *Service) oidcProviderForRead(ctx context.Context, action, arn string, keys map[string][]string) (*OIDCProvider, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := parseOIDCProviderARN(arn); err != nil {
		return nil, err
	}
	p, _, err := getOIDCProvider(ctx, s.store, c.Account, arn)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arn, keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, action, p.ARN, mergeKeys(keys, resourceTagKeys(p.Tags))); err != nil {
		return nil, err
	}
	return p, nil
}

// updateOIDCProvider authorizes action and applies change in a transaction.
func (s *Service) updateOIDCProvider(ctx context.Context, action, arn string, keys map[string][]string, change func(p *OIDCProvider) error) error {
	if _, err := s.oidcProviderForRead(ctx, action, arn, keys); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		p, e, err := getOIDCProvider(ctx, tx, account, arn)
		if err != nil {
			return err
		}
		if err := change(p); err != nil {
			return err
		}
		e.Data = encode(p)
		return tx.Put(ctx, &e)
	}))
}

// GetOpenIDConnectProvider returns a provider.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, arn string) (*OIDCProvider, error) {
	return s.oidcProviderForRead(ctx, "iam:GetOpenIDConnectProvider", arn, nil)
}

// ListOpenIDConnectProviders lists the ARNs of the account's providers.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context) ([]string, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.authorize(ctx, "iam:ListOpenIDConnectProviders", "*", nil); err != nil {
		return nil, err
	}
	var out []string
	marker := ""
	for {
		p, err := listPage[OIDCProvider](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindOIDCProvider, Marker: marker, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items {
			out = append(out, it.ARN)
		}
		if !p.IsTruncated {
			return out, nil
		}
		marker = p.Marker
	}
}

// DeleteOpenIDConnectProvider deletes a provider.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, arn string) error {
	if _, err := s.oidcProviderForRead(ctx, "iam:DeleteOpenIDConnectProvider", arn, nil); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getOIDCProvider(ctx, tx, account, arn)
		if err != nil {
			return err
		}
		return tx.Delete(ctx, e.Key, e.Version)
	}))
}

// AddClientIDToOpenIDConnectProvider adds a client id (audience); adding
// one already present succeeds without change.
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	return s.updateOIDCProvider(ctx, "iam:AddClientIDToOpenIDConnectProvider", arn, nil, func(p *OIDCProvider) error {
		if slices.Contains(p.ClientIDs, clientID) {
			return nil
		}
		if len(p.ClientIDs) >= maxOIDCClientIDs {
			return apierr.LimitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", maxOIDCClientIDs)
		}
		p.ClientIDs = append(p.ClientIDs, clientID)
		return nil
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client id; removing one
// that is absent succeeds.
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	return s.updateOIDCProvider(ctx, "iam:RemoveClientIDFromOpenIDConnectProvider", arn, nil, func(p *OIDCProvider) error {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(s string) bool { return s == clientID })
		return nil
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces the thumbprint list.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, arn string, thumbprints []string) error {
	tps, err := normThumbprints(thumbprints)
	if err != nil {
		return err
	}
	return s.updateOIDCProvider(ctx, "iam:UpdateOpenIDConnectProviderThumbprint", arn, nil, func(p *OIDCProvider) error {
		p.Thumbprints = tps
		return nil
	})
}

// TagOpenIDConnectProvider adds or replaces tags.
func (s *Service) TagOpenIDConnectProvider(ctx context.Context, arn string, tags []Tag) error {
	return s.updateOIDCProvider(ctx, "iam:TagOpenIDConnectProvider", arn, requestTagKeys(tags), func(p *OIDCProvider) error {
		merged, err := s.mergeTags(p.Tags, tags)
		if err != nil {
			return err
		}
		p.Tags = merged
		return nil
	})
}

// UntagOpenIDConnectProvider removes tags.
func (s *Service) UntagOpenIDConnectProvider(ctx context.Context, arn string, keys []string) error {
	return s.updateOIDCProvider(ctx, "iam:UntagOpenIDConnectProvider", arn, map[string][]string{"aws:TagKeys": keys}, func(p *OIDCProvider) error {
		p.Tags = removeTags(p.Tags, keys)
		return nil
	})
}

// ListOpenIDConnectProviderTags lists a provider's tags (at most 50, in
// one page).
func (s *Service) ListOpenIDConnectProviderTags(ctx context.Context, arn string) ([]Tag, error) {
	p, err := s.oidcProviderForRead(ctx, "iam:ListOpenIDConnectProviderTags", arn, nil)
	if err != nil {
		return nil, err
	}
	return p.Tags, nil
}

// OIDCProviderByIssuer returns the provider of account registered for an
// issuer (the token's iss: https://host/path, or host/path), without
// authorization: STS uses it to verify web identity tokens.
//
// The answer is cached until the store changes (see readCache) and shared:
// callers must not modify it.
func (s *Service) OIDCProviderByIssuer(ctx context.Context, account, issuer string) (*OIDCProvider, bool, error) {
	type hit struct {
		p  *OIDCProvider
		ok bool
	}
	key := "oidc\x00" + account + "\x00" + issuer
	if v, cached := s.cache.get(key); cached {
		h := v.(*hit)
		return h.p, h.ok, nil
	}
	gen, _ := s.cache.begin()
	p, ok, err := s.oidcProviderByIssuer(ctx, account, issuer)
	if err == nil {
		s.cache.put(gen, key, &hit{p: p, ok: ok})
	}
	return p, ok, err
}

// oidcProviderByIssuer reads OIDCProviderByIssuer's answer from the store.
func (s *Service) oidcProviderByIssuer(ctx context.Context, account, issuer string) (*OIDCProvider, bool, error) {
	name := strings.TrimPrefix(issuer, "https://")
	if name == "" || strings.Contains(name, "://") {
		return nil, false, nil
	}
	e, err := s.store.Get(ctx, oidcProviderKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	p, err := decode[OIDCProvider](e)
	if err != nil {
		return nil, false, err
	}
	// Names compare case-insensitively in the store; an issuer must match
	// exactly.
	if p.Name != name {
		return nil, false, nil
	}
	return p, true, nil
}
