package iamsvc

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/store"
)

// KindSAMLProvider is an IAM SAML provider (top level, Name = the
// provider's name, the last part of its ARN).
const KindSAMLProvider = "saml-provider"

// SAML provider quotas and defaults.
const (
	maxSAMLProviders        = 100
	samlProviderARNResource = "saml-provider/"
	// samlDefaultValidity is how long a provider is valid when its
	// metadata has no validUntil.
	samlDefaultValidity = 100 * 365 * 24 * time.Hour
)

// SAMLProvider is an IAM SAML 2.0 identity provider.
type SAMLProvider struct {
	Name           string    `json:"name"`
	UUID           string    `json:"uuid"`
	Metadata       string    `json:"metadata"`
	EntityID       string    `json:"entityId"`
	CreateDate     time.Time `json:"created"`
	ValidUntil     time.Time `json:"validUntil"`
	EncryptionMode string    `json:"encryptionMode,omitempty"`
	Tags           []Tag     `json:"tags,omitempty"`
	ARN            string    `json:"arn"`
	OwnerAccountID string    `json:"account"`
}

// Certificates parses the provider's signing certificates from its stored
// metadata.
func (p *SAMLProvider) Certificates() ([]*x509.Certificate, error) {
	md, err := saml.ParseMetadata([]byte(p.Metadata))
	if err != nil {
		return nil, err
	}
	return md.Certificates, nil
}

func samlProviderKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindSAMLProvider, Name: name}
}

func noSuchSAMLProvider(arn string) error {
	return apierr.NoSuchEntity("Manifest not found for arn %s", arn)
}

// parseSAMLProviderARN splits arn:aws:iam::ACCT:saml-provider/NAME.
func parseSAMLProviderARN(arn string) (account, name string, err error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "iam" || parts[3] != "" ||
		!strings.HasPrefix(parts[5], samlProviderARNResource) || len(parts[5]) == len(samlProviderARNResource) ||
		strings.Contains(parts[5][len(samlProviderARNResource):], "/") {
		return "", "", apierr.InvalidInput("Invalid SAML provider ARN: %s", arn)
	}
	return parts[4], strings.TrimPrefix(parts[5], samlProviderARNResource), nil
}

// parseSAMLMetadata validates a metadata document.
func parseSAMLMetadata(doc string) (*saml.Metadata, error) {
	md, err := saml.ParseMetadata([]byte(doc))
	if err != nil {
		return nil, apierr.InvalidInput("Could not parse metadata")
	}
	return md, nil
}

// checkEncryptionMode refuses what this server cannot honour: encrypted
// assertions need a private key per provider, which is not implemented.
func checkEncryptionMode(mode, addKey, removeKey string) error {
	switch mode {
	case "", "Allowed":
	case "Required":
		return apierr.InvalidInput("AssertionEncryptionMode Required is not supported by this server: encrypted SAML assertions are not implemented.")
	default:
		return apierr.ValidationError("1 validation error detected: Value '" + mode + "' at 'assertionEncryptionMode' failed to satisfy constraint: Member must satisfy enum value set: [Required, Allowed]")
	}
	if addKey != "" || removeKey != "" {
		return apierr.InvalidInput("Private keys for SAML providers are not supported by this server: encrypted SAML assertions are not implemented.")
	}
	return nil
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// CreateSAMLProviderInput is the domain input of CreateSAMLProvider.
type CreateSAMLProviderInput struct {
	Name                    string
	Metadata                string
	Tags                    []Tag
	AssertionEncryptionMode string
	AddPrivateKey           string
}

// CreateSAMLProvider registers a SAML identity provider from its metadata
// document, which must name the IdP's entity id and at least one signing
// certificate.
func (s *Service) CreateSAMLProvider(ctx context.Context, in *CreateSAMLProviderInput) (*SAMLProvider, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	arn := "arn:aws:iam::" + c0.Account + ":" + samlProviderARNResource + in.Name
	c, err := s.authorize(ctx, "iam:CreateSAMLProvider", arn, requestTagKeys(in.Tags))
	if err != nil {
		return nil, err
	}
	if err := checkEncryptionMode(in.AssertionEncryptionMode, in.AddPrivateKey, ""); err != nil {
		return nil, err
	}
	md, err := parseSAMLMetadata(in.Metadata)
	if err != nil {
		return nil, err
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	p := &SAMLProvider{Name: in.Name, UUID: newUUID(), Metadata: in.Metadata, EntityID: md.EntityID, Tags: tags, ARN: arn,
		OwnerAccountID: c.Account, EncryptionMode: in.AssertionEncryptionMode}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindSAMLProvider})
		if err != nil {
			return err
		}
		if n >= maxSAMLProviders {
			return apierr.LimitExceeded("Cannot exceed quota for SAMLProvidersPerAccount: %d", maxSAMLProviders)
		}
		p.CreateDate = s.now().UTC().Truncate(time.Millisecond)
		p.ValidUntil = md.ValidUntil
		if p.ValidUntil.IsZero() {
			p.ValidUntil = p.CreateDate.Add(samlDefaultValidity)
		}
		err = tx.Create(ctx, &store.Entity{Key: samlProviderKey(c.Account, in.Name), Path: "/", Data: encode(p)})
		if errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("SAMLProvider %s already exists.", in.Name)
		}
		return err
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return p, nil
}

// getSAMLProvider reads a provider record by ARN in account; a provider of
// another account is not found.
func getSAMLProvider(ctx context.Context, r store.Reader, account, arn string) (*SAMLProvider, store.Entity, error) {
	acct, name, err := parseSAMLProviderARN(arn)
	if err != nil {
		return nil, store.Entity{}, err
	}
	if acct != account {
		return nil, store.Entity{}, noSuchSAMLProvider(arn)
	}
	e, err := r.Get(ctx, samlProviderKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchSAMLProvider(arn)
	} else if err != nil {
		return nil, e, apierr.Internal(err)
	}
	p, err := decode[SAMLProvider](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	if p.Name != name {
		// Names compare case-insensitively in the store; ARNs exactly.
		return nil, e, noSuchSAMLProvider(arn)
	}
	return p, e, nil
}

// samlProviderForRead authorizes action on a provider and returns it.
func (s *Service) samlProviderForRead(ctx context.Context, action, arn string, keys map[string][]string) (*SAMLProvider, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := parseSAMLProviderARN(arn); err != nil {
		return nil, err
	}
	p, _, err := getSAMLProvider(ctx, s.store, c.Account, arn)
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

// updateSAMLProvider authorizes action and applies change in a transaction.
func (s *Service) updateSAMLProvider(ctx context.Context, action, arn string, keys map[string][]string, change func(p *SAMLProvider) error) error {
	if _, err := s.samlProviderForRead(ctx, action, arn, keys); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		p, e, err := getSAMLProvider(ctx, tx, account, arn)
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

// GetSAMLProvider returns a provider.
func (s *Service) GetSAMLProvider(ctx context.Context, arn string) (*SAMLProvider, error) {
	return s.samlProviderForRead(ctx, "iam:GetSAMLProvider", arn, nil)
}

// UpdateSAMLProviderInput is the domain input of UpdateSAMLProvider.
type UpdateSAMLProviderInput struct {
	ARN                     string
	Metadata                string
	AssertionEncryptionMode string
	AddPrivateKey           string
	RemovePrivateKey        string
}

// UpdateSAMLProvider replaces a provider's metadata document (and so its
// entity id and signing certificates).
func (s *Service) UpdateSAMLProvider(ctx context.Context, in *UpdateSAMLProviderInput) (*SAMLProvider, error) {
	if err := checkEncryptionMode(in.AssertionEncryptionMode, in.AddPrivateKey, in.RemovePrivateKey); err != nil {
		return nil, err
	}
	var md *saml.Metadata
	if in.Metadata != "" {
		var err error
		if md, err = parseSAMLMetadata(in.Metadata); err != nil {
			return nil, err
		}
	}
	var out *SAMLProvider
	err := s.updateSAMLProvider(ctx, "iam:UpdateSAMLProvider", in.ARN, nil, func(p *SAMLProvider) error {
		if md != nil {
			p.Metadata, p.EntityID = in.Metadata, md.EntityID
			p.ValidUntil = md.ValidUntil
			if p.ValidUntil.IsZero() {
				p.ValidUntil = p.CreateDate.Add(samlDefaultValidity)
			}
		}
		if in.AssertionEncryptionMode != "" {
			p.EncryptionMode = in.AssertionEncryptionMode
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListSAMLProviders lists the account's providers.
func (s *Service) ListSAMLProviders(ctx context.Context) ([]SAMLProvider, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.authorize(ctx, "iam:ListSAMLProviders", "*", nil); err != nil {
		return nil, err
	}
	var out []SAMLProvider
	marker := ""
	for {
		p, err := listPage[SAMLProvider](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindSAMLProvider, Marker: marker, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.IsTruncated {
			return out, nil
		}
		marker = p.Marker
	}
}

// DeleteSAMLProvider deletes a provider.
func (s *Service) DeleteSAMLProvider(ctx context.Context, arn string) error {
	if _, err := s.samlProviderForRead(ctx, "iam:DeleteSAMLProvider", arn, nil); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getSAMLProvider(ctx, tx, account, arn)
		if err != nil {
			return err
		}
		return tx.Delete(ctx, e.Key, e.Version)
	}))
}

// TagSAMLProvider adds or replaces tags.
func (s *Service) TagSAMLProvider(ctx context.Context, arn string, tags []Tag) error {
	return s.updateSAMLProvider(ctx, "iam:TagSAMLProvider", arn, requestTagKeys(tags), func(p *SAMLProvider) error {
		merged, err := s.mergeTags(p.Tags, tags)
		if err != nil {
			return err
		}
		p.Tags = merged
		return nil
	})
}

// UntagSAMLProvider removes tags.
func (s *Service) UntagSAMLProvider(ctx context.Context, arn string, keys []string) error {
	return s.updateSAMLProvider(ctx, "iam:UntagSAMLProvider", arn, map[string][]string{"aws:TagKeys": keys}, func(p *SAMLProvider) error {
		p.Tags = removeTags(p.Tags, keys)
		return nil
	})
}

// ListSAMLProviderTags lists a provider's tags.
func (s *Service) ListSAMLProviderTags(ctx context.Context, arn string) ([]Tag, error) {
	p, err := s.samlProviderForRead(ctx, "iam:ListSAMLProviderTags", arn, nil)
	if err != nil {
		return nil, err
	}
	return p.Tags, nil
}

// SAMLProviderByARN returns a provider by ARN without authorization: STS
// uses it to verify SAML responses.
func (s *Service) SAMLProviderByARN(ctx context.Context, arn string) (*SAMLProvider, bool, error) {
	acct, _, err := parseSAMLProviderARN(arn)
	if err != nil {
		return nil, false, nil
	}
	p, _, err := getSAMLProvider(ctx, s.store, acct, arn)
	if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return p, true, nil
}
