package iamsvc

import (
	"context"
	"errors"
	"fmt"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/store"
)

// installationKey names the singleton that records the management account.
var installationKey = store.Key{Kind: "installation", Name: "installation"}

type installation struct {
	ManagementAccount string `json:"managementAccount"`
}

func accountKey(id string) store.Key {
	return store.Key{Account: id, Kind: KindAccount, Name: id}
}

// RootCredentials are the long-term keys of the management account's root
// user.
type RootCredentials struct {
	AccountID       string `json:"AccountId"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
}

// BootstrapInput says what the first start should create. Empty fields are
// generated.
type BootstrapInput struct {
	AccountID       string
	AccessKeyID     string
	SecretAccessKey string
}

// BootstrapResult tells the caller what bootstrap found or made.
type BootstrapResult struct {
	AccountID string
	// Created is true on the first start, when the account was made.
	Created bool
	// Root holds the root credentials when they were generated or replaced
	// in this call (the caller persists them), otherwise nil.
	Root *RootCredentials
}

// Bootstrap makes sure the management account and its root credentials
// exist. On the first start it creates the account (in.AccountID or a
// random id) and a root access key (in.AccessKeyID/SecretAccessKey or
// generated). On later starts it keeps the stored account; given root keys
// that are not stored yet are added as a root key.
func (s *Service) Bootstrap(ctx context.Context, in BootstrapInput) (*BootstrapResult, error) {
	if in.AccountID != "" && !credential.ValidAccountID(in.AccountID) {
		return nil, fmt.Errorf("account id %q is not 12 digits", in.AccountID)
	}
	if (in.AccessKeyID == "") != (in.SecretAccessKey == "") {
		return nil, errors.New("root access key id and secret access key must be set together")
	}
	if in.AccessKeyID != "" && (!credential.ValidAccessKeyID(in.AccessKeyID) || in.AccessKeyID[:4] != credential.PrefixLongTermKey) {
		return nil, fmt.Errorf("root access key id must be 20 characters starting with AKIA (A-Z, 2-7)")
	}
	if in.SecretAccessKey != "" && !credential.ValidSecretAccessKey(in.SecretAccessKey) {
		return nil, errors.New("root secret access key must be 40 characters of A-Z, a-z, 0-9, + and /")
	}
	res := &BootstrapResult{}
	e, err := s.store.Get(ctx, installationKey)
	switch {
	case err == nil:
		inst, err := decode[installation](e)
		if err != nil {
			return nil, err
		}
		res.AccountID = inst.ManagementAccount
		if in.AccountID != "" && in.AccountID != inst.ManagementAccount {
			s.log.Warn("IAMD_ACCOUNT_ID differs from the stored management account; keeping the stored one",
				"stored", inst.ManagementAccount, "requested", in.AccountID)
		}
	case errors.Is(err, store.ErrNotFound):
		id := in.AccountID
		if id == "" {
			if id, err = credential.NewAccountID(); err != nil {
				return nil, err
			}
		}
		now := s.now().UTC().Truncate(1e6)
		err = s.store.Update(ctx, func(tx store.Tx) error {
			if err := tx.Create(ctx, &store.Entity{Key: installationKey, Data: encode(installation{ManagementAccount: id})}); err != nil {
				return err
			}
			return tx.Create(ctx, &store.Entity{Key: accountKey(id), Data: encode(Account{ID: id, Management: true, CreateDate: now})})
		})
		if errors.Is(err, store.ErrExists) {
			// Another node bootstrapped concurrently: use its account.
			return s.Bootstrap(ctx, in)
		}
		if err != nil {
			return nil, err
		}
		res.AccountID, res.Created = id, true
	default:
		return nil, err
	}

	// Root keys.
	if in.AccessKeyID != "" {
		existing, err := s.store.GetByID(ctx, in.AccessKeyID)
		if err == nil {
			k, err := decode[AccessKey](existing)
			if err != nil {
				return nil, err
			}
			if existing.Account != res.AccountID || existing.Kind != KindAccessKey || k.UserName != "" {
				return nil, fmt.Errorf("access key %s already belongs to another principal", in.AccessKeyID)
			}
			if k.Secret != in.SecretAccessKey {
				k.Secret = in.SecretAccessKey
				existing.Data = encode(k)
				if err := s.store.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, &existing) }); err != nil {
					return nil, err
				}
				s.log.Info("root secret access key replaced from configuration", "access_key_id", in.AccessKeyID)
			}
			return res, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if _, err := s.createAccessKey(ctx, res.AccountID, "", in.AccessKeyID, in.SecretAccessKey); err != nil {
			return nil, fmt.Errorf("store root access key: %w", err)
		}
		res.Root = &RootCredentials{AccountID: res.AccountID, AccessKeyID: in.AccessKeyID, SecretAccessKey: in.SecretAccessKey}
		return res, nil
	}
	if !res.Created {
		return res, nil
	}
	k, err := s.createAccessKey(ctx, res.AccountID, "", "", "")
	if err != nil {
		return nil, fmt.Errorf("create root access key: %w", err)
	}
	res.Root = &RootCredentials{AccountID: res.AccountID, AccessKeyID: k.AccessKeyID, SecretAccessKey: k.Secret}
	return res, nil
}

// ManagementAccount returns the management account id.
func (s *Service) ManagementAccount(ctx context.Context) (string, error) {
	e, err := s.store.Get(ctx, installationKey)
	if err != nil {
		return "", err
	}
	inst, err := decode[installation](e)
	if err != nil {
		return "", err
	}
	return inst.ManagementAccount, nil
}

// GetAccount returns an account record.
func (s *Service) GetAccount(ctx context.Context, id string) (*Account, error) {
	e, err := s.store.Get(ctx, accountKey(id))
	if err != nil {
		return nil, apierr.Internal(err)
	}
	return decode[Account](e)
}
