package iamsvc

import (
	"context"
	"errors"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/store"
)

// Instance profile entity kinds.
const (
	// KindInstanceProfile is an instance profile (top level, Name =
	// profile name, ID = AIPA..., Path = profile path).
	KindInstanceProfile = "instance-profile"
	// KindRoleInstanceProfile records that a role is in an instance profile
	// (Parent = role name, Name = profile name): the reverse index behind
	// ListInstanceProfilesForRole and DeleteRole's conflict check.
	KindRoleInstanceProfile = "role-instance-profile"
)

// maxRolesPerInstanceProfile is AWS's fixed InstanceSessionsPerInstanceProfile
// quota.
const maxRolesPerInstanceProfile = 1

func init() {
	roleChildKinds = append(roleChildKinds, struct {
		kind     string
		conflict string
	}{KindRoleInstanceProfile, "Cannot delete entity, must remove roles from instance profile first."})
}

// InstanceProfile is an IAM instance profile. Roles holds the role names
// as stored; Resolved holds the roles' current records (filled on read).
type InstanceProfile struct {
	InstanceProfileName string    `json:"name"`
	InstanceProfileID   string    `json:"id"`
	Path                string    `json:"path"`
	ARN                 string    `json:"arn"`
	CreateDate          time.Time `json:"created"`
	Tags                []Tag     `json:"tags,omitempty"`
	RoleNames           []string  `json:"roles,omitempty"`
	// Roles are the current records of RoleNames (not stored).
	Roles []Role `json:"-"`
}

func instanceProfileKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindInstanceProfile, Name: name}
}

func noSuchInstanceProfile(name string) error {
	return apierr.NoSuchEntity("Instance Profile %s cannot be found.", name)
}

// getInstanceProfile reads an instance profile record.
func getInstanceProfile(ctx context.Context, r store.Reader, account, name string) (*InstanceProfile, store.Entity, error) {
	e, err := r.Get(ctx, instanceProfileKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchInstanceProfile(name)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	ip, err := decode[InstanceProfile](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	return ip, e, nil
}

// resolveRoles fills ip.Roles with the current records of its roles.
func resolveRoles(ctx context.Context, r store.Reader, account string, ip *InstanceProfile) error {
	ip.Roles = make([]Role, 0, len(ip.RoleNames))
	for _, n := range ip.RoleNames {
		ro, _, err := getRole(ctx, r, account, n)
		if err != nil {
			if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
				continue
			}
			return err
		}
		ip.Roles = append(ip.Roles, *ro)
	}
	return nil
}

// CreateInstanceProfileInput is the domain input of CreateInstanceProfile.
type CreateInstanceProfileInput struct {
	InstanceProfileName string
	Path                string
	Tags                []Tag
}

// CreateInstanceProfile creates an empty instance profile.
func (s *Service) CreateInstanceProfile(ctx context.Context, in *CreateInstanceProfileInput) (*InstanceProfile, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	arn := arnFor(c0.Account, "instance-profile", in.Path, in.InstanceProfileName)
	c, err := s.authorize(ctx, "iam:CreateInstanceProfile", arn, requestTagKeys(in.Tags))
	if err != nil {
		return nil, err
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := credential.NewUniqueID(credential.PrefixInstanceProfile)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	ip := &InstanceProfile{InstanceProfileName: in.InstanceProfileName, InstanceProfileID: id, Path: normPath(in.Path), ARN: arn, Tags: tags, Roles: []Role{}}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindInstanceProfile})
		if err != nil {
			return err
		}
		if n >= s.limits.InstanceProfilesPerAccount {
			return apierr.LimitExceeded("Cannot exceed quota for InstanceProfilesPerAccount: %d", s.limits.InstanceProfilesPerAccount)
		}
		ip.CreateDate = s.now().UTC().Truncate(1e6)
		e := &store.Entity{Key: instanceProfileKey(c.Account, ip.InstanceProfileName), ID: ip.InstanceProfileID, Path: ip.Path, Data: encode(ip)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("Instance Profile %s already exists.", in.InstanceProfileName)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return ip, nil
}

// instanceProfileForRead authorizes action on an instance profile and
// returns it with its roles resolved. A missing profile is authorized
// against the ARN it would have.
func (s *Service) instanceProfileForRead(ctx context.Context, action, name string, keys map[string][]string) (*InstanceProfile, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	ip, _, err := getInstanceProfile(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "instance-profile", "/", name), keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, action, ip.ARN, mergeKeys(keys, resourceTagKeys(ip.Tags))); err != nil {
		return nil, err
	}
	if err := resolveRoles(ctx, s.store, c.Account, ip); err != nil {
		return nil, err
	}
	return ip, nil
}

// GetInstanceProfile returns an instance profile with its current roles.
func (s *Service) GetInstanceProfile(ctx context.Context, name string) (*InstanceProfile, error) {
	return s.instanceProfileForRead(ctx, "iam:GetInstanceProfile", name, nil)
}

// DeleteInstanceProfile deletes an instance profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, name string) error {
	if _, err := s.instanceProfileForRead(ctx, "iam:DeleteInstanceProfile", name, nil); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		ip, e, err := getInstanceProfile(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if len(ip.RoleNames) > 0 {
			return apierr.New("DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
		}
		return tx.Delete(ctx, e.Key, e.Version)
	}))
}

// ListInstanceProfiles lists the account's instance profiles.
func (s *Service) ListInstanceProfiles(ctx context.Context, pathPrefix, marker string, maxItems *int32) (Page[InstanceProfile], error) {
	c, err := caller(ctx)
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	if _, err := s.authorize(ctx, "iam:ListInstanceProfiles", arnFor(c.Account, "instance-profile", "/", "*"), nil); err != nil {
		return Page[InstanceProfile]{}, err
	}
	p, err := listPage[InstanceProfile](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindInstanceProfile, PathPrefix: pathPrefix,
		Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return p, err
	}
	for i := range p.Items {
		if err := resolveRoles(ctx, s.store, c.Account, &p.Items[i]); err != nil {
			return Page[InstanceProfile]{}, err
		}
	}
	return p, nil
}

// AddRoleToInstanceProfile puts a role into an instance profile (at most
// one). As in AWS, the caller also needs iam:PassRole on the role.
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, profileName, roleName string) error {
	ip, err := s.instanceProfileForRead(ctx, "iam:AddRoleToInstanceProfile", profileName, nil)
	if err != nil {
		return err
	}
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	ro, _, err := getRole(ctx, s.store, c.Account, roleName)
	if err != nil {
		return err
	}
	if _, err := s.authorize(ctx, "iam:PassRole", ro.ARN, map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}); err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		ip, e, err := getInstanceProfile(ctx, tx, c.Account, ip.InstanceProfileName)
		if err != nil {
			return err
		}
		ro, _, err := getRole(ctx, tx, c.Account, ro.RoleName)
		if err != nil {
			return err
		}
		if len(ip.RoleNames) >= maxRolesPerInstanceProfile {
			return apierr.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: %d", maxRolesPerInstanceProfile)
		}
		ip.RoleNames = append(ip.RoleNames, ro.RoleName)
		e.Data = encode(ip)
		if err := tx.Put(ctx, &e); err != nil {
			return err
		}
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: c.Account, Kind: KindRoleInstanceProfile, Parent: ro.RoleName, Name: ip.InstanceProfileName},
			Path: ip.Path, Data: encode(struct {
				Name string `json:"name"`
			}{ip.InstanceProfileName})})
	}))
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, profileName, roleName string) error {
	ip, err := s.instanceProfileForRead(ctx, "iam:RemoveRoleFromInstanceProfile", profileName, nil)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		ip, e, err := getInstanceProfile(ctx, tx, account, ip.InstanceProfileName)
		if err != nil {
			return err
		}
		kept := ip.RoleNames[:0:0]
		removed := ""
		for _, n := range ip.RoleNames {
			if equalFold(n, roleName) {
				removed = n
				continue
			}
			kept = append(kept, n)
		}
		if removed == "" {
			return noSuchRole(roleName)
		}
		ip.RoleNames = kept
		e.Data = encode(ip)
		if err := tx.Put(ctx, &e); err != nil {
			return err
		}
		err = tx.Delete(ctx, store.Key{Account: account, Kind: KindRoleInstanceProfile, Parent: removed, Name: ip.InstanceProfileName}, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}))
}

// InstanceProfilesForRole returns the instance profiles that hold the
// role roleName in account, with their roles resolved, in name order. It
// does no authorization (GetAccountAuthorizationDetails and
// ListInstanceProfilesForRole authorize first).
func InstanceProfilesForRole(ctx context.Context, r store.Reader, account, roleName string) ([]InstanceProfile, error) {
	var out []InstanceProfile
	marker := ""
	for {
		pg, err := r.List(ctx, store.ListOptions{Account: account, Kind: KindRoleInstanceProfile, Parent: roleName, Marker: marker, Limit: 500})
		if err != nil {
			return nil, apierr.Internal(err)
		}
		for _, e := range pg.Items {
			ip, _, err := getInstanceProfile(ctx, r, account, e.Name)
			if err != nil {
				if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
					continue
				}
				return nil, err
			}
			if err := resolveRoles(ctx, r, account, ip); err != nil {
				return nil, err
			}
			out = append(out, *ip)
		}
		if pg.NextMarker == "" {
			return out, nil
		}
		marker = pg.NextMarker
	}
}

// ListInstanceProfilesForRole lists the instance profiles that hold a role.
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, roleName, marker string, maxItems *int32) (Page[InstanceProfile], error) {
	ro, err := s.roleForRead(ctx, "iam:ListInstanceProfilesForRole", roleName, nil)
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	all, err := InstanceProfilesForRole(ctx, s.store, identityAccount(ctx), ro.RoleName)
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	return offsetPage(all, func(ip InstanceProfile) string { return lowerASCII(ip.InstanceProfileName) }, marker, maxItems)
}

// lowerASCII lowers A-Z (IAM names are ASCII).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// updateInstanceProfile authorizes action and applies change in a
// transaction.
func (s *Service) updateInstanceProfile(ctx context.Context, action, name string, keys map[string][]string, change func(ip *InstanceProfile) error) error {
	if _, err := s.instanceProfileForRead(ctx, action, name, keys); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		ip, e, err := getInstanceProfile(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if err := change(ip); err != nil {
			return err
		}
		e.Data = encode(ip)
		return tx.Put(ctx, &e)
	}))
}

// TagInstanceProfile adds or replaces tags on an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, name string, tags []Tag) error {
	return s.updateInstanceProfile(ctx, "iam:TagInstanceProfile", name, requestTagKeys(tags), func(ip *InstanceProfile) error {
		merged, err := s.mergeTags(ip.Tags, tags)
		if err != nil {
			return err
		}
		ip.Tags = merged
		return nil
	})
}

// UntagInstanceProfile removes tags from an instance profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, name string, keys []string) error {
	return s.updateInstanceProfile(ctx, "iam:UntagInstanceProfile", name, map[string][]string{"aws:TagKeys": keys}, func(ip *InstanceProfile) error {
		ip.Tags = removeTags(ip.Tags, keys)
		return nil
	})
}

// ListInstanceProfileTags lists an instance profile's tags.
func (s *Service) ListInstanceProfileTags(ctx context.Context, name string) ([]Tag, error) {
	ip, err := s.instanceProfileForRead(ctx, "iam:ListInstanceProfileTags", name, nil)
	if err != nil {
		return nil, err
	}
	return ip.Tags, nil
}
