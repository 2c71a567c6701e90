package iamsvc

import (
	"context"
	"errors"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
)

func accessKeyKey(account, user, id string) store.Key {
	return store.Key{Account: account, Kind: KindAccessKey, Parent: user, Name: id}
}

func noSuchKey(id string) error {
	return apierr.NoSuchEntity("The Access Key with id %s cannot be found.", id)
}

// keyOwner resolves the user an access-key call is about: the named user,
// or the caller itself (an IAM user, or root with UserName "") when the
// name is omitted. It returns the user name ("" for root) and the resource
// ARN the action is authorized on.
func (s *Service) keyOwner(ctx context.Context, c *identity.Caller, name string) (string, string, []Tag, error) {
	if name == "" {
		switch c.Type {
		case identity.Root:
			return "", c.ARN, nil, nil
		case identity.User:
			name = c.Name
		default:
			return "", "", nil, apierr.ValidationError("Must specify userName when calling with non-User credentials")
		}
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		return "", arnFor(c.Account, "user", "/", name), nil, err
	}
	return u.UserName, u.ARN, u.Tags, nil
}

// authorizeKeyCall authorizes action on the access keys of user name.
func (s *Service) authorizeKeyCall(ctx context.Context, action, name string) (*identity.Caller, string, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, "", err
	}
	user, arn, tags, lookupErr := s.keyOwner(ctx, c, name)
	if arn == "" {
		return nil, "", lookupErr
	}
	if _, err := s.authorize(ctx, action, arn, resourceTagKeys(tags)); err != nil {
		return nil, "", err
	}
	if lookupErr != nil {
		return nil, "", lookupErr
	}
	return c, user, nil
}

// CreateAccessKey creates a long-term access key for a user (or for the
// root user when called by root without a user name).
func (s *Service) CreateAccessKey(ctx context.Context, userName string) (*AccessKey, error) {
	c, user, err := s.authorizeKeyCall(ctx, "iam:CreateAccessKey", userName)
	if err != nil {
		return nil, err
	}
	return s.createAccessKey(ctx, c.Account, user, "", "")
}

// createAccessKey stores a new key, generating id and secret unless given.
func (s *Service) createAccessKey(ctx context.Context, account, user, id, secret string) (*AccessKey, error) {
	var err error
	if id == "" {
		if id, err = credential.NewAccessKeyID(credential.PrefixLongTermKey, account); err != nil {
			return nil, apierr.Internal(err)
		}
	}
	if secret == "" {
		if secret, err = credential.NewSecretAccessKey(); err != nil {
			return nil, apierr.Internal(err)
		}
	}
	k := &AccessKey{AccessKeyID: id, UserName: user, Secret: secret, Status: StatusActive}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if user != "" {
			if _, _, err := getUser(ctx, tx, account, user); err != nil {
				return err
			}
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: account, Kind: KindAccessKey, Parent: user})
		if err != nil {
			return err
		}
		if n >= s.limits.AccessKeysPerUser {
			return apierr.LimitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", s.limits.AccessKeysPerUser)
		}
		k.CreateDate = s.now().UTC().Truncate(1e6)
		return tx.Create(ctx, &store.Entity{Key: accessKeyKey(account, user, id), ID: id, Path: "/", Data: encode(k)})
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return k, nil
}

// ListAccessKeys lists a user's access keys (secrets are never returned).
func (s *Service) ListAccessKeys(ctx context.Context, userName, marker string, maxItems *int32) (Page[AccessKey], error) {
	c, user, err := s.authorizeKeyCall(ctx, "iam:ListAccessKeys", userName)
	if err != nil {
		return Page[AccessKey]{}, err
	}
	p, err := listPage[AccessKey](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindAccessKey, Parent: user, Marker: marker, Limit: pageLimit(maxItems)})
	for i := range p.Items {
		p.Items[i].Secret = ""
		if p.Items[i].UserName == "" && user == "" {
			p.Items[i].UserName = ""
		}
	}
	return p, err
}

// UpdateAccessKey sets a key's status (Active or Inactive).
func (s *Service) UpdateAccessKey(ctx context.Context, userName, keyID, status string) error {
	c, user, err := s.authorizeKeyCall(ctx, "iam:UpdateAccessKey", userName)
	if err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		e, err := tx.Get(ctx, accessKeyKey(c.Account, user, keyID))
		if errors.Is(err, store.ErrNotFound) {
			return noSuchKey(keyID)
		} else if err != nil {
			return err
		}
		k, err := decode[AccessKey](e)
		if err != nil {
			return err
		}
		k.Status = status
		e.Data = encode(k)
		return tx.Put(ctx, &e)
	}))
}

// DeleteAccessKey deletes a key; requests signed with it fail at once.
func (s *Service) DeleteAccessKey(ctx context.Context, userName, keyID string) error {
	c, user, err := s.authorizeKeyCall(ctx, "iam:DeleteAccessKey", userName)
	if err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		err := tx.Delete(ctx, accessKeyKey(c.Account, user, keyID), 0)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchKey(keyID)
		}
		return err
	}))
}

// AccessKeyLastUsed is the answer of GetAccessKeyLastUsed.
type AccessKeyLastUsed struct {
	UserName string
	AccessKey
}

// GetAccessKeyLastUsed reports when and where a key of the caller's account
// was last used. Like AWS, a key the caller cannot see is AccessDenied.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, keyID string) (*AccessKeyLastUsed, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	e, err := s.store.GetByID(ctx, keyID)
	var k *AccessKey
	if err == nil && e.Kind == KindAccessKey && e.Account == c.Account {
		k, err = decode[AccessKey](e)
		if err != nil {
			return nil, apierr.Internal(err)
		}
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, apierr.Internal(err)
	}
	resource := c.ARN
	if k != nil && k.UserName != "" {
		resource = arnFor(c.Account, "user", "/", k.UserName)
		if u, _, err := getUser(ctx, s.store, c.Account, k.UserName); err == nil {
			resource = u.ARN
		}
	}
	if k == nil {
		// AWS answers AccessDenied for a key that does not exist.
		return nil, apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key " + keyID)
	}
	if _, err := s.authorize(ctx, "iam:GetAccessKeyLastUsed", resource, nil); err != nil {
		return nil, err
	}
	k.Secret = ""
	return &AccessKeyLastUsed{UserName: k.UserName, AccessKey: *k}, nil
}
