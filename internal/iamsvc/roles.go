package iamsvc

import (
	"context"
	"errors"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/policy"
	"github.com/iamd/iamd/internal/store"
)

// Role entity kinds.
const (
	// KindRole is an IAM role (top level, Name = role name).
	KindRole = "role"
	// KindRolePolicy is an inline policy of a role (Parent = role name).
	KindRolePolicy = "role-policy"
)

// defaultMaxSessionDuration is a role's MaxSessionDuration when none is
// given (seconds).
const defaultMaxSessionDuration = 3600

// Role is an IAM role.
type Role struct {
	RoleName                 string    `json:"name"`
	RoleID                   string    `json:"id"`
	Path                     string    `json:"path"`
	ARN                      string    `json:"arn"`
	CreateDate               time.Time `json:"created"`
	AssumeRolePolicyDocument string    `json:"trust"`
	Description              string    `json:"desc,omitempty"`
	MaxSessionDuration       int32     `json:"maxSession"`
	PermissionsBoundary      string    `json:"boundary,omitempty"`
	Tags                     []Tag     `json:"tags,omitempty"`
	// LastUsedDate and LastUsedRegion record the role's last use (set by
	// STS when the role is assumed; zero when never used).
	LastUsedDate   time.Time `json:"lastUsed,omitzero"`
	LastUsedRegion string    `json:"lastRegion,omitempty"`
	// TrustIDs binds each user or role ARN the trust policy names (in an
	// account hosted here) to the principal's unique id at save time (see
	// trustbinding.go).
	TrustIDs map[string]string `json:"trustIds,omitempty"`
	// LinkedService is the service principal of a service-linked role
	// (empty for other roles).
	LinkedService string `json:"linked,omitempty"`
}

// roleChildKinds are the kinds stored under a role (Parent = role name);
// deleting a role is refused while any remain, with AWS's message. Later
// capabilities (instance profiles) add their kinds here.
var roleChildKinds = []struct {
	kind     string
	conflict string
}{
	{KindRolePolicy, "Cannot delete entity, must delete policies first."},
}

func roleKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindRole, Name: name}
}

func noSuchRole(name string) error {
	return apierr.NoSuchEntity("The role with name %s cannot be found.", name)
}

// getRole reads a role record.
func getRole(ctx context.Context, r store.Reader, account, name string) (*Role, store.Entity, error) {
	e, err := r.Get(ctx, roleKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchRole(name)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	ro, err := decode[Role](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	return ro, e, nil
}

// parseTrust validates a trust policy: syntax and the
// AssumeRolePolicySize quota (2,048 characters by default, white space not
// counted).
func (s *Service) parseTrust(doc string) error {
	p, err := parsePolicy(doc, policy.Trust)
	if err != nil {
		return err
	}
	if p.Size > s.limits.AssumeRolePolicySize {
		return apierr.LimitExceeded("Cannot exceed quota for ACLSizePerRole: %d", s.limits.AssumeRolePolicySize)
	}
	return nil
}

// checkMaxSession validates MaxSessionDuration (3600–43200 seconds).
func checkMaxSession(v int32) error {
	if v < 3600 || v > 43200 {
		return apierr.ValidationError("The requested MaxSessionDuration exceeds the valid range. Valid range is 3600 to 43200 seconds.")
	}
	return nil
}

// CreateRoleInput is the domain input of CreateRole.
type CreateRoleInput struct {
	RoleName                 string
	Path                     string
	AssumeRolePolicyDocument string
	Description              string
	// MaxSessionDuration is in seconds; 0 means the default (3600).
	MaxSessionDuration  int32
	PermissionsBoundary string
	Tags                []Tag
	// Preserve keeps an imported role's id and creation date.
	Preserve Preserved
}

// CreateRole creates an IAM role in the caller's account.
func (s *Service) CreateRole(ctx context.Context, in *CreateRoleInput) (*Role, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	arn := arnFor(c0.Account, "role", in.Path, in.RoleName)
	keys := requestTagKeys(in.Tags)
	if in.PermissionsBoundary != "" {
		if keys == nil {
			keys = map[string][]string{}
		}
		keys["iam:PermissionsBoundary"] = []string{in.PermissionsBoundary}
	}
	c, err := s.authorize(ctx, "iam:CreateRole", arn, keys)
	if err != nil {
		return nil, err
	}
	if err := s.parseTrust(in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	maxSession := in.MaxSessionDuration
	if maxSession == 0 {
		maxSession = defaultMaxSessionDuration
	} else if err := checkMaxSession(maxSession); err != nil {
		return nil, err
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := in.Preserve.idFor(credential.PrefixRole)
	if err != nil {
		return nil, err
	}
	ro := &Role{RoleName: in.RoleName, RoleID: id, Path: normPath(in.Path), ARN: arn, AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
		Description: in.Description, MaxSessionDuration: maxSession, PermissionsBoundary: in.PermissionsBoundary, Tags: tags}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if ro.PermissionsBoundary != "" {
			if err := checkBoundary(ctx, tx, c.Account, ro.PermissionsBoundary); err != nil {
				return err
			}
		}
		ids, err := s.bindTrust(ctx, tx, c.Account, ro.AssumeRolePolicyDocument, in.Preserve.ID != "")
		if err != nil {
			return err
		}
		ro.TrustIDs = ids
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindRole})
		if err != nil {
			return err
		}
		if n >= s.limits.RolesPerAccount {
			return apierr.LimitExceeded("Cannot exceed quota for RolesPerAccount: %d", s.limits.RolesPerAccount)
		}
		ro.CreateDate = in.Preserve.date(s.now())
		e := &store.Entity{Key: roleKey(c.Account, ro.RoleName), ID: ro.RoleID, Path: ro.Path, Data: encode(ro)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("Role with name %s already exists.", in.RoleName)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return ro, nil
}

// roleForRead authorizes action on a role and returns it. A missing role
// is authorized against the ARN it would have, so it reveals no more than
// a denied one.
func (s *Service) roleForRead(ctx context.Context, action, name string, keys map[string][]string) (*Role, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	ro, _, err := getRole(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "role", "/", name), keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	keys = withCurrentBoundary(action, keys, ro.PermissionsBoundary)
	if _, err := s.authorize(ctx, action, ro.ARN, mergeKeys(keys, resourceTagKeys(ro.Tags))); err != nil {
		return nil, err
	}
	if err := checkProtected(action, ro); err != nil {
		return nil, err
	}
	return ro, nil
}

// boundaryKeyActions are the actions on an existing user or role for
// which AWS sets iam:PermissionsBoundary to the entity's current boundary
// (Put*PermissionsBoundary set it to the requested one instead).
var boundaryKeyActions = map[string]bool{
	"iam:AttachRolePolicy": true, "iam:DetachRolePolicy": true, "iam:PutRolePolicy": true, "iam:DeleteRolePolicy": true,
	"iam:DeleteRolePermissionsBoundary": true,
	"iam:AttachUserPolicy":              true, "iam:DetachUserPolicy": true, "iam:DeleteUserPermissionsBoundary": true,
	"iam:PutUserPolicy": true, "iam:DeleteUserPolicy": true,
}

// withCurrentBoundary adds iam:PermissionsBoundary = boundary to keys for
// the actions that carry it, unless the request already set it.
func withCurrentBoundary(action string, keys map[string][]string, boundary string) map[string][]string {
	if boundary == "" || !boundaryKeyActions[action] {
		return keys
	}
	if _, set := keys["iam:PermissionsBoundary"]; set {
		return keys
	}
	return mergeKeys(keys, map[string][]string{"iam:PermissionsBoundary": {boundary}})
}

// mergeKeys returns the union of two condition-key maps.
func mergeKeys(a, b map[string][]string) map[string][]string {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make(map[string][]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, name string) (*Role, error) {
	ro, err := s.roleForRead(ctx, "iam:GetRole", name, nil)
	if err != nil {
		return nil, err
	}
	return withEffectiveTrust(ctx, s.store, ro)
}

// ListRoles lists the roles of the caller's account.
func (s *Service) ListRoles(ctx context.Context, pathPrefix, marker string, maxItems *int32) (Page[Role], error) {
	c, err := caller(ctx)
	if err != nil {
		return Page[Role]{}, err
	}
	if _, err := s.authorize(ctx, "iam:ListRoles", arnFor(c.Account, "role", "/", "*"), nil); err != nil {
		return Page[Role]{}, err
	}
	p, err := listPage[Role](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindRole, PathPrefix: pathPrefix, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return p, err
	}
	for i := range p.Items {
		ro, err := withEffectiveTrust(ctx, s.store, &p.Items[i])
		if err != nil {
			return Page[Role]{}, err
		}
		p.Items[i] = *ro
	}
	return p, nil
}

// updateRole authorizes action on a role and applies change to it in a
// transaction; it returns the updated role.
func (s *Service) updateRole(ctx context.Context, action, name string, keys map[string][]string, change func(tx store.Tx, ro *Role) error) (*Role, error) {
	if _, err := s.roleForRead(ctx, action, name, keys); err != nil {
		return nil, err
	}
	account := identityAccount(ctx)
	var out *Role
	err := s.store.Update(ctx, func(tx store.Tx) error {
		ro, e, err := getRole(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if err := change(tx, ro); err != nil {
			return err
		}
		e.Data = encode(ro)
		out = ro
		return tx.Put(ctx, &e)
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// UpdateRole changes a role's description and/or maximum session duration
// (nil leaves a field unchanged).
func (s *Service) UpdateRole(ctx context.Context, name string, description *string, maxSession *int32) error {
	if maxSession != nil {
		if err := checkMaxSession(*maxSession); err != nil {
			return err
		}
	}
	_, err := s.updateRole(ctx, "iam:UpdateRole", name, nil, func(_ store.Tx, ro *Role) error {
		if description != nil {
			ro.Description = *description
		}
		if maxSession != nil {
			ro.MaxSessionDuration = *maxSession
		}
		return nil
	})
	return err
}

// UpdateRoleDescription sets a role's description and returns the role.
func (s *Service) UpdateRoleDescription(ctx context.Context, name, description string) (*Role, error) {
	return s.updateRole(ctx, "iam:UpdateRoleDescription", name, nil, func(_ store.Tx, ro *Role) error {
		ro.Description = description
		return nil
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, name, doc string) error {
	if _, err := s.roleForRead(ctx, "iam:UpdateAssumeRolePolicy", name, nil); err != nil {
		return err
	}
	if err := s.parseTrust(doc); err != nil {
		return err
	}
	_, err := s.updateRole(ctx, "iam:UpdateAssumeRolePolicy", name, nil, func(tx store.Tx, ro *Role) error {
		ids, err := s.bindTrust(ctx, tx, identityAccount(ctx), doc, false)
		if err != nil {
			return err
		}
		ro.AssumeRolePolicyDocument, ro.TrustIDs = doc, ids
		return nil
	})
	return err
}

// DeleteRole deletes a role that has no inline or attached policies (or
// other children), with AWS's DeleteConflict messages.
func (s *Service) DeleteRole(ctx context.Context, name string) error {
	if _, err := s.roleForRead(ctx, "iam:DeleteRole", name, nil); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getRole(ctx, tx, account, name)
		if err != nil {
			return err
		}
		for _, ck := range roleChildKinds {
			n, err := tx.Count(ctx, store.ListOptions{Account: account, Kind: ck.kind, Parent: e.Name})
			if err != nil {
				return err
			}
			if n > 0 {
				return apierr.New("DeleteConflict", ck.conflict)
			}
		}
		return tx.Delete(ctx, e.Key, e.Version)
	}))
}

// TagRole adds or replaces tags on a role.
func (s *Service) TagRole(ctx context.Context, name string, tags []Tag) error {
	_, err := s.updateRole(ctx, "iam:TagRole", name, requestTagKeys(tags), func(_ store.Tx, ro *Role) error {
		merged, err := s.mergeTags(ro.Tags, tags)
		if err != nil {
			return err
		}
		ro.Tags = merged
		return nil
	})
	return err
}

// UntagRole removes tags from a role.
func (s *Service) UntagRole(ctx context.Context, name string, keys []string) error {
	_, err := s.updateRole(ctx, "iam:UntagRole", name, map[string][]string{"aws:TagKeys": keys}, func(_ store.Tx, ro *Role) error {
		ro.Tags = removeTags(ro.Tags, keys)
		return nil
	})
	return err
}

// ListRoleTags lists a role's tags (at most 50, returned in one page).
func (s *Service) ListRoleTags(ctx context.Context, name string) ([]Tag, error) {
	ro, err := s.roleForRead(ctx, "iam:ListRoleTags", name, nil)
	if err != nil {
		return nil, err
	}
	return ro.Tags, nil
}

// PutRolePermissionsBoundary sets a role's permissions boundary to an
// existing managed policy.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, name, boundaryARN string) error {
	keys := map[string][]string{"iam:PermissionsBoundary": {boundaryARN}}
	_, err := s.updateRole(ctx, "iam:PutRolePermissionsBoundary", name, keys, func(tx store.Tx, ro *Role) error {
		if err := checkBoundary(ctx, tx, identityAccount(ctx), boundaryARN); err != nil {
			return err
		}
		ro.PermissionsBoundary = boundaryARN
		return nil
	})
	return err
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, name string) error {
	_, err := s.updateRole(ctx, "iam:DeleteRolePermissionsBoundary", name, nil, func(_ store.Tx, ro *Role) error {
		ro.PermissionsBoundary = ""
		return nil
	})
	return err
}

// PutRolePolicy adds or replaces an inline policy of a role, within AWS's
// 10,240-character aggregate quota per role.
func (s *Service) PutRolePolicy(ctx context.Context, roleName, policyName, doc string) error {
	ro, err := s.roleForRead(ctx, "iam:PutRolePolicy", roleName, nil)
	if err != nil {
		return err
	}
	p, err := parsePolicy(doc, policy.Inline)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if _, _, err := getRole(ctx, tx, account, ro.RoleName); err != nil {
			return err
		}
		return putInline(ctx, tx, store.Key{Account: account, Kind: KindRolePolicy, Parent: ro.RoleName, Name: policyName}, doc, p.Size, func(total int) error {
			if total > s.limits.RolePolicySize {
				return apierr.LimitExceeded("Maximum policy size of %d bytes exceeded for role %s", s.limits.RolePolicySize, ro.RoleName)
			}
			return nil
		})
	}))
}

// putInline stores an inline policy under key.Parent after checking the
// aggregate size of the parent's inline policies with check.
func putInline(ctx context.Context, tx store.Tx, key store.Key, doc string, size int, check func(total int) error) error {
	page, err := tx.List(ctx, store.ListOptions{Account: key.Account, Kind: key.Kind, Parent: key.Parent})
	if err != nil {
		return err
	}
	total := size
	var existing *store.Entity
	for i, e := range page.Items {
		if equalFold(e.Name, key.Name) {
			existing = &page.Items[i]
			continue
		}
		ip, err := decode[InlinePolicy](e)
		if err != nil {
			return err
		}
		total += nonSpaceLen(ip.Document)
	}
	if err := check(total); err != nil {
		return err
	}
	data := encode(InlinePolicy{PolicyName: key.Name, Document: doc})
	if existing != nil {
		if existing.Name != key.Name {
			// AWS keeps the new spelling of the name.
			if err := tx.Delete(ctx, existing.Key, existing.Version); err != nil {
				return err
			}
			return tx.Create(ctx, &store.Entity{Key: key, Path: "/", Data: data})
		}
		existing.Data = data
		return tx.Put(ctx, existing)
	}
	return tx.Create(ctx, &store.Entity{Key: key, Path: "/", Data: data})
}

// getInline reads the inline policy at key; owner ("user", "role") words
// AWS's NoSuchEntity message.
func (s *Service) getInline(ctx context.Context, key store.Key, owner string) (*InlinePolicy, error) {
	e, err := s.store.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apierr.NoSuchEntity("The %s policy with name %s cannot be found.", owner, key.Name)
	} else if err != nil {
		return nil, apierr.Internal(err)
	}
	ip, err := decode[InlinePolicy](e)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	return ip, nil
}

// deleteInline deletes the inline policy at key, with the same wording.
func (s *Service) deleteInline(ctx context.Context, key store.Key, owner string) error {
	err := s.store.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, key, 0) })
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NoSuchEntity("The %s policy with name %s cannot be found.", owner, key.Name)
	}
	return storeErr(err)
}

// nonSpaceLen counts the characters of s that are not white space (how
// IAM measures policy sizes).
func nonSpaceLen(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// GetRolePolicy returns an inline policy of a role and the role's name.
func (s *Service) GetRolePolicy(ctx context.Context, roleName, policyName string) (*InlinePolicy, string, error) {
	ro, err := s.roleForRead(ctx, "iam:GetRolePolicy", roleName, nil)
	if err != nil {
		return nil, "", err
	}
	ip, err := s.getInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindRolePolicy, Parent: ro.RoleName, Name: policyName}, "role")
	if err != nil {
		return nil, "", err
	}
	return ip, ro.RoleName, nil
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, roleName, policyName string) error {
	ro, err := s.roleForRead(ctx, "iam:DeleteRolePolicy", roleName, nil)
	if err != nil {
		return err
	}
	return s.deleteInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindRolePolicy, Parent: ro.RoleName, Name: policyName}, "role")
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, roleName, marker string, maxItems *int32) (Page[string], error) {
	ro, err := s.roleForRead(ctx, "iam:ListRolePolicies", roleName, nil)
	if err != nil {
		return Page[string]{}, err
	}
	p, err := listPage[InlinePolicy](ctx, s.store, store.ListOptions{Account: identityAccount(ctx), Kind: KindRolePolicy, Parent: ro.RoleName, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return Page[string]{}, err
	}
	out := Page[string]{Marker: p.Marker, IsTruncated: p.IsTruncated, Items: make([]string, len(p.Items))}
	for i, ip := range p.Items {
		out.Items[i] = ip.PolicyName
	}
	return out, nil
}
