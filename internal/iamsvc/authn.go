package iamsvc

import (
	"context"
	"errors"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
)

// ErrUnknownKey is returned by LookupAccessKey for a key id that does not
// exist; ErrInactiveKey for a key that exists but is Inactive.
var (
	ErrUnknownKey  = errors.New("iamsvc: unknown access key")
	ErrInactiveKey = errors.New("iamsvc: inactive access key")
)

// LookupAccessKey resolves a long-term access key id to its secret and the
// caller it authenticates. The server verifies the signature with the
// secret before it trusts the caller.
func (s *Service) LookupAccessKey(ctx context.Context, keyID string) (secret string, c *identity.Caller, err error) {
	type hit struct {
		secret string
		caller identity.Caller
	}
	key := "key\x00" + keyID
	if v, ok := s.cache.get(key); ok {
		h := v.(*hit)
		cp := h.caller
		return h.secret, &cp, nil
	}
	gen, _ := s.cache.begin()
	secret, c, err = s.lookupAccessKey(ctx, keyID)
	if err == nil {
		s.cache.put(gen, key, &hit{secret: secret, caller: *c})
	}
	return secret, c, err
}

// lookupAccessKey reads LookupAccessKey's answer from the store.
func (s *Service) lookupAccessKey(ctx context.Context, keyID string) (secret string, c *identity.Caller, err error) {
	e, err := s.store.GetByID(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && e.Kind != KindAccessKey) {
		return "", nil, ErrUnknownKey
	}
	if err != nil {
		return "", nil, err
	}
	k, err := decode[AccessKey](e)
	if err != nil {
		return "", nil, err
	}
	if k.Status != StatusActive {
		return "", nil, ErrInactiveKey
	}
	if k.UserName == "" {
		return k.Secret, &identity.Caller{
			Type: identity.Root, Account: e.Account, ARN: identity.RootARN(e.Account), UserID: e.Account,
			PrincipalARN: identity.RootARN(e.Account), AccessKeyID: keyID,
		}, nil
	}
	u, _, err := getUser(ctx, s.store, e.Account, k.UserName)
	if err != nil {
		if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
			return "", nil, ErrUnknownKey
		}
		return "", nil, err
	}
	tags := make([]identity.Tag, len(u.Tags))
	for i, t := range u.Tags {
		tags[i] = identity.Tag{Key: t.Key, Value: t.Value}
	}
	return k.Secret, &identity.Caller{
		Type: identity.User, Account: e.Account, ARN: u.ARN, UserID: u.UserID, Name: u.UserName, Path: u.Path,
		PrincipalARN: u.ARN, AccessKeyID: keyID, Tags: tags,
	}, nil
}

// AccessKeyAccount returns the account that owns a long-term key, for
// sts:GetAccessKeyInfo; ok is false for unknown keys.
func (s *Service) AccessKeyAccount(ctx context.Context, keyID string) (string, bool, error) {
	e, err := s.store.GetByID(ctx, strings.ToUpper(keyID))
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return e.Account, e.Kind == KindAccessKey, nil
}
