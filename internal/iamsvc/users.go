package iamsvc

import (
	"context"
	"errors"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
)

// userChildKinds are the kinds stored under a user (Parent = user name);
// renaming a user moves them, deleting a user is refused while any remain.
// Later capabilities add their kinds here.
var userChildKinds = []struct {
	kind     string
	conflict string
}{
	{KindAccessKey, "Cannot delete entity, must delete access keys first."},
	{KindUserMFA, "Cannot delete entity, must delete MFA device first."},
}

func userKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindUser, Name: name}
}

func noSuchUser(name string) error {
	return apierr.NoSuchEntity("The user with name %s cannot be found.", name)
}

// getUser reads a user record.
func getUser(ctx context.Context, r store.Reader, account, name string) (*User, store.Entity, error) {
	e, err := r.Get(ctx, userKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchUser(name)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	u, err := decode[User](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	return u, e, nil
}

// CreateUserInput is the domain input of CreateUser.
type CreateUserInput struct {
	UserName            string
	Path                string
	PermissionsBoundary string
	Tags                []Tag
	// Preserve keeps an imported user's id and creation date.
	Preserve Preserved
}

// CreateUser creates an IAM user in the caller's account.
func (s *Service) CreateUser(ctx context.Context, in *CreateUserInput) (*User, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	arn := arnFor(c0.Account, "user", in.Path, in.UserName)
	keys := requestTagKeys(in.Tags)
	if in.PermissionsBoundary != "" {
		if keys == nil {
			keys = map[string][]string{}
		}
		keys["iam:PermissionsBoundary"] = []string{in.PermissionsBoundary}
	}
	c, err := s.authorize(ctx, "iam:CreateUser", arn, keys)
	if err != nil {
		return nil, err
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := in.Preserve.idFor(credential.PrefixUser)
	if err != nil {
		return nil, err
	}
	u := &User{UserName: in.UserName, UserID: id, Path: normPath(in.Path), ARN: arn, PermissionsBoundary: in.PermissionsBoundary, Tags: tags}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if u.PermissionsBoundary != "" {
			if err := checkBoundary(ctx, tx, c.Account, u.PermissionsBoundary); err != nil {
				return err
			}
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindUser})
		if err != nil {
			return err
		}
		if n >= s.limits.UsersPerAccount {
			return apierr.LimitExceeded("Cannot exceed quota for UsersPerAccount: %d", s.limits.UsersPerAccount)
		}
		u.CreateDate = in.Preserve.date(s.now())
		e := &store.Entity{Key: userKey(c.Account, u.UserName), ID: u.UserID, Path: u.Path, Data: encode(u)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("User with name %s already exists.", in.UserName)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return u, nil
}

// GetUser returns the named user, or the caller itself when name is "".
// For an account's root user it returns the root identity (UserId = account
// id, Arn = ...:root), as AWS does.
func (s *Service) GetUser(ctx context.Context, name string) (*User, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if name == "" {
		switch c.Type {
		case identity.Root:
			if _, err := s.authorize(ctx, "iam:GetUser", c.ARN, nil); err != nil {
				return nil, err
			}
			acct, err := s.GetAccount(ctx, c.Account)
			if err != nil {
				return nil, err
			}
			return &User{UserID: c.Account, ARN: c.ARN, CreateDate: acct.CreateDate}, nil
		case identity.User:
			name = c.Name
		default:
			return nil, apierr.ValidationError("Must specify userName when calling with non-User credentials")
		}
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		// Authorize against the ARN the user would have, so a missing user
		// does not reveal more than a denied one.
		if _, aerr := s.authorize(ctx, "iam:GetUser", arnFor(c.Account, "user", "/", name), nil); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, "iam:GetUser", u.ARN, resourceTagKeys(u.Tags)); err != nil {
		return nil, err
	}
	return u, nil
}

// resourceTagKeys returns aws:ResourceTag/* and iam:ResourceTag/* values.
func resourceTagKeys(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string][]string, 2*len(tags))
	for _, t := range tags {
		m["aws:ResourceTag/"+t.Key] = []string{t.Value}
		m["iam:ResourceTag/"+t.Key] = []string{t.Value}
	}
	return m
}

// ListUsers lists the users of the caller's account.
func (s *Service) ListUsers(ctx context.Context, pathPrefix, marker string, maxItems *int32) (Page[User], error) {
	c, err := caller(ctx)
	if err != nil {
		return Page[User]{}, err
	}
	if _, err := s.authorize(ctx, "iam:ListUsers", arnFor(c.Account, "user", "/", "*"), nil); err != nil {
		return Page[User]{}, err
	}
	return listPage[User](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindUser, PathPrefix: pathPrefix, Marker: marker, Limit: pageLimit(maxItems)})
}

// UpdateUser renames a user and/or changes its path.
func (s *Service) UpdateUser(ctx context.Context, name, newName, newPath string) error {
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, "iam:UpdateUser", arnFor(c.Account, "user", "/", name), nil); aerr != nil {
			return aerr
		}
		return err
	}
	if _, err := s.authorize(ctx, "iam:UpdateUser", u.ARN, resourceTagKeys(u.Tags)); err != nil {
		return err
	}
	if newName != "" && newName != u.UserName {
		// AWS also needs permission on the new name.
		if _, err := s.authorize(ctx, "iam:UpdateUser", arnFor(c.Account, "user", firstNonEmpty(newPath, u.Path), newName), nil); err != nil {
			return err
		}
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		u, e, err := getUser(ctx, tx, c.Account, name)
		if err != nil {
			return err
		}
		if newPath != "" {
			u.Path = newPath
		}
		renamed := newName != "" && newName != u.UserName
		if renamed {
			u.UserName = newName
		}
		u.ARN = arnFor(c.Account, "user", u.Path, u.UserName)
		if !renamed || strings.EqualFold(newName, name) {
			if renamed {
				// A case-only rename keeps the key; delete and recreate.
				if err := tx.Delete(ctx, e.Key, e.Version); err != nil {
					return err
				}
				return tx.Create(ctx, &store.Entity{Key: userKey(c.Account, u.UserName), ID: u.UserID, Path: u.Path, Data: encode(u)})
			}
			e.Path, e.Data = u.Path, encode(u)
			return tx.Put(ctx, &e)
		}
		if _, err := tx.Get(ctx, userKey(c.Account, newName)); err == nil {
			return apierr.EntityAlreadyExists("User with name %s already exists.", newName)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.Delete(ctx, e.Key, e.Version); err != nil {
			return err
		}
		if err := tx.Create(ctx, &store.Entity{Key: userKey(c.Account, u.UserName), ID: u.UserID, Path: u.Path, Data: encode(u)}); err != nil {
			return err
		}
		if err := moveChildren(ctx, tx, c.Account, name, u.UserName); err != nil {
			return err
		}
		return renameMember(ctx, tx, c.Account, name, u.UserName)
	})
	return storeErr(err)
}

// moveChildren re-parents every child entity of user oldName to newName.
func moveChildren(ctx context.Context, tx store.Tx, account, oldName, newName string) error {
	for _, ck := range userChildKinds {
		p, err := tx.List(ctx, store.ListOptions{Account: account, Kind: ck.kind, Parent: oldName})
		if err != nil {
			return err
		}
		for _, child := range p.Items {
			if err := tx.Delete(ctx, child.Key, child.Version); err != nil {
				return err
			}
			data := child.Data
			if ck.kind == KindAccessKey {
				k, err := decode[AccessKey](child)
				if err != nil {
					return err
				}
				k.UserName = newName
				data = encode(k)
			}
			moved := store.Entity{Key: child.Key, ID: child.ID, Path: child.Path, Data: data}
			moved.Parent = newName
			if err := tx.Create(ctx, &moved); err != nil {
				return err
			}
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// DeleteUser deletes a user that has no access keys, inline or attached
// policies and group memberships, with AWS's DeleteConflict messages.
func (s *Service) DeleteUser(ctx context.Context, name string) error {
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, "iam:DeleteUser", arnFor(c.Account, "user", "/", name), nil); aerr != nil {
			return aerr
		}
		return err
	}
	if _, err := s.authorize(ctx, "iam:DeleteUser", u.ARN, resourceTagKeys(u.Tags)); err != nil {
		return err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getUser(ctx, tx, c.Account, name)
		if err != nil {
			return err
		}
		for _, ck := range userChildKinds {
			n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: ck.kind, Parent: name})
			if err != nil {
				return err
			}
			if n > 0 {
				return apierr.New("DeleteConflict", ck.conflict)
			}
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindGroupMember, AnyParent: true, Name: e.Name})
		if err != nil {
			return err
		}
		if n > 0 {
			return apierr.New("DeleteConflict", userInGroupConflict)
		}
		return tx.Delete(ctx, e.Key, e.Version)
	})
	return storeErr(err)
}

// TagUser adds or replaces tags on a user.
func (s *Service) TagUser(ctx context.Context, name string, tags []Tag) error {
	return s.updateUserTags(ctx, "iam:TagUser", name, requestTagKeys(tags), func(u *User) error {
		merged, err := s.mergeTags(u.Tags, tags)
		if err != nil {
			return err
		}
		u.Tags = merged
		return nil
	})
}

// UntagUser removes tags from a user.
func (s *Service) UntagUser(ctx context.Context, name string, keys []string) error {
	return s.updateUserTags(ctx, "iam:UntagUser", name, map[string][]string{"aws:TagKeys": keys}, func(u *User) error {
		u.Tags = removeTags(u.Tags, keys)
		return nil
	})
}

func (s *Service) updateUserTags(ctx context.Context, action, name string, keys map[string][]string, change func(*User) error) error {
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "user", "/", name), keys); aerr != nil {
			return aerr
		}
		return err
	}
	for k, v := range resourceTagKeys(u.Tags) {
		if keys == nil {
			keys = map[string][]string{}
		}
		keys[k] = v
	}
	if _, err := s.authorize(ctx, action, u.ARN, keys); err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		u, e, err := getUser(ctx, tx, c.Account, name)
		if err != nil {
			return err
		}
		if err := change(u); err != nil {
			return err
		}
		e.Data = encode(u)
		return tx.Put(ctx, &e)
	}))
}

// ListUserTags lists a user's tags (all of them: AWS pages them, but a user
// has at most 50).
func (s *Service) ListUserTags(ctx context.Context, name string) ([]Tag, error) {
	u, err := s.userForRead(ctx, "iam:ListUserTags", name)
	if err != nil {
		return nil, err
	}
	return u.Tags, nil
}

func (s *Service) userForRead(ctx context.Context, action, name string) (*User, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	u, _, err := getUser(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "user", "/", name), nil); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	keys := withCurrentBoundary(action, nil, u.PermissionsBoundary)
	if _, err := s.authorize(ctx, action, u.ARN, mergeKeys(keys, resourceTagKeys(u.Tags))); err != nil {
		return nil, err
	}
	return u, nil
}
