package iamsvc

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/policy"
	"github.com/iamd/iamd/internal/store"
)

// Group entity kinds.
const (
	// KindGroup is an IAM group (top level, Name = group name, ID = AGPA...).
	KindGroup = "group"
	// KindGroupPolicy is an inline policy of a group (Parent = group name).
	KindGroupPolicy = "group-policy"
	// KindGroupAttachment is a managed policy attached to a group (Parent =
	// group name, Name = policy ARN, Path = policy path).
	KindGroupAttachment = "group-attached-policy"
	// KindGroupMember is a user's membership of a group (Parent = group
	// name, Name = user name). ListGroupsForUser is the reverse lookup by
	// name across parents.
	KindGroupMember = "group-member"
)

// maxGroupInlineSize is AWS's quota on the aggregate size of a group's
// inline policies, in characters not counting white space.
const maxGroupInlineSize = 5120

// Group is an IAM group.
type Group struct {
	GroupName  string    `json:"name"`
	GroupID    string    `json:"id"`
	Path       string    `json:"path"`
	ARN        string    `json:"arn"`
	CreateDate time.Time `json:"created"`
}

// membership is the data of a KindGroupMember entity (the key says it
// all; the record is kept for readability of the store).
type membership struct {
	Group string `json:"group"`
	User  string `json:"user"`
}

// groupChildKinds are the kinds stored under a group (Parent = group
// name), in the order DeleteGroup reports them, with AWS's DeleteConflict
// message. Renaming a group moves them.
var groupChildKinds = []struct {
	kind     string
	conflict string
}{
	{KindGroupMember, "Cannot delete entity, must remove users from group first."},
	{KindGroupPolicy, "Cannot delete entity, must delete policies first."},
	{KindGroupAttachment, detachFirst},
}

// userInGroupConflict is DeleteUser's DeleteConflict message for a user
// that is still a member of a group.
const userInGroupConflict = "Cannot delete entity, must remove users from group first."

func groupKey(account, name string) store.Key {
	return store.Key{Account: account, Kind: KindGroup, Name: name}
}

func noSuchGroup(name string) error {
	return apierr.NoSuchEntity("The group with name %s cannot be found.", name)
}

// getGroup reads a group record.
func getGroup(ctx context.Context, r store.Reader, account, name string) (*Group, store.Entity, error) {
	e, err := r.Get(ctx, groupKey(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, noSuchGroup(name)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	g, err := decode[Group](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	return g, e, nil
}

// groupForRead authorizes action on a group and returns it. A missing
// group is authorized against the ARN it would have, so it reveals no more
// than a denied one.
func (s *Service) groupForRead(ctx context.Context, action, name string, keys map[string][]string) (*Group, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	g, _, err := getGroup(ctx, s.store, c.Account, name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "group", "/", name), keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, action, g.ARN, keys); err != nil {
		return nil, err
	}
	return g, nil
}

// CreateGroupInput is the domain input of CreateGroup.
type CreateGroupInput struct {
	GroupName string
	Path      string
	// Preserve keeps an imported group's id and creation date.
	Preserve Preserved
}

// CreateGroup creates an IAM group in the caller's account, within the
// GroupsPerAccount quota.
func (s *Service) CreateGroup(ctx context.Context, in *CreateGroupInput) (*Group, error) {
	name, path := in.GroupName, in.Path
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	arn := arnFor(c0.Account, "group", path, name)
	c, err := s.authorize(ctx, "iam:CreateGroup", arn, nil)
	if err != nil {
		return nil, err
	}
	id, err := in.Preserve.idFor(credential.PrefixGroup)
	if err != nil {
		return nil, err
	}
	g := &Group{GroupName: name, GroupID: id, Path: normPath(path), ARN: arn}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindGroup})
		if err != nil {
			return err
		}
		if n >= s.limits.GroupsPerAccount {
			return apierr.LimitExceeded("Cannot exceed quota for GroupsPerAccount: %d", s.limits.GroupsPerAccount)
		}
		g.CreateDate = in.Preserve.date(s.now())
		e := &store.Entity{Key: groupKey(c.Account, name), ID: g.GroupID, Path: g.Path, Data: encode(g)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("Group with name %s already exists.", name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return g, nil
}

// GetGroup returns a group and one page of its users (in name order).
func (s *Service) GetGroup(ctx context.Context, name, marker string, maxItems *int32) (*Group, Page[User], error) {
	g, err := s.groupForRead(ctx, "iam:GetGroup", name, nil)
	if err != nil {
		return nil, Page[User]{}, err
	}
	account := identityAccount(ctx)
	p, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: KindGroupMember, Parent: g.GroupName, Marker: marker, Limit: pageLimit(maxItems)})
	if errors.Is(err, store.ErrInvalidMarker) {
		return nil, Page[User]{}, apierr.ValidationError("Invalid value for parameter Marker")
	} else if err != nil {
		return nil, Page[User]{}, apierr.Internal(err)
	}
	out := Page[User]{Items: make([]User, 0, len(p.Items)), Marker: p.NextMarker, IsTruncated: p.NextMarker != ""}
	for _, m := range p.Items {
		u, _, err := getUser(ctx, s.store, account, m.Name)
		if err != nil {
			if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
				continue
			}
			return nil, Page[User]{}, err
		}
		out.Items = append(out.Items, *u)
	}
	return g, out, nil
}

// ListGroups lists the groups of the caller's account.
func (s *Service) ListGroups(ctx context.Context, pathPrefix, marker string, maxItems *int32) (Page[Group], error) {
	c, err := caller(ctx)
	if err != nil {
		return Page[Group]{}, err
	}
	if _, err := s.authorize(ctx, "iam:ListGroups", arnFor(c.Account, "group", "/", "*"), nil); err != nil {
		return Page[Group]{}, err
	}
	return listPage[Group](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindGroup, PathPrefix: pathPrefix, Marker: marker, Limit: pageLimit(maxItems)})
}

// ListGroupsForUser lists the groups a user belongs to (in group name
// order).
func (s *Service) ListGroupsForUser(ctx context.Context, userName, marker string, maxItems *int32) (Page[Group], error) {
	u, err := s.userForRead(ctx, "iam:ListGroupsForUser", userName)
	if err != nil {
		return Page[Group]{}, err
	}
	account := identityAccount(ctx)
	p, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: KindGroupMember, AnyParent: true, Name: u.UserName, Marker: marker, Limit: pageLimit(maxItems)})
	if errors.Is(err, store.ErrInvalidMarker) {
		return Page[Group]{}, apierr.ValidationError("Invalid value for parameter Marker")
	} else if err != nil {
		return Page[Group]{}, apierr.Internal(err)
	}
	out := Page[Group]{Items: make([]Group, 0, len(p.Items)), Marker: p.NextMarker, IsTruncated: p.NextMarker != ""}
	for _, m := range p.Items {
		g, _, err := getGroup(ctx, s.store, account, m.Parent)
		if err != nil {
			if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
				continue
			}
			return Page[Group]{}, err
		}
		out.Items = append(out.Items, *g)
	}
	return out, nil
}

// UpdateGroup renames a group and/or changes its path. A rename carries
// the group's inline policies, attachments and memberships. The caller
// needs iam:UpdateGroup on the group under both its old and new names.
func (s *Service) UpdateGroup(ctx context.Context, name, newName, newPath string) error {
	g, err := s.groupForRead(ctx, "iam:UpdateGroup", name, nil)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	if (newName != "" && newName != g.GroupName) || (newPath != "" && newPath != g.Path) {
		if _, err := s.authorize(ctx, "iam:UpdateGroup", arnFor(account, "group", firstNonEmpty(newPath, g.Path), firstNonEmpty(newName, g.GroupName)), nil); err != nil {
			return err
		}
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		g, e, err := getGroup(ctx, tx, account, name)
		if err != nil {
			return err
		}
		oldName := g.GroupName
		if newPath != "" {
			g.Path = newPath
		}
		renamed := newName != "" && newName != g.GroupName
		if renamed {
			g.GroupName = newName
		}
		g.ARN = arnFor(account, "group", g.Path, g.GroupName)
		if !renamed {
			e.Path, e.Data = g.Path, encode(g)
			return tx.Put(ctx, &e)
		}
		if !strings.EqualFold(newName, oldName) {
			if _, err := tx.Get(ctx, groupKey(account, newName)); err == nil {
				return apierr.EntityAlreadyExists("Group with name %s already exists.", newName)
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if err := tx.Delete(ctx, e.Key, e.Version); err != nil {
			return err
		}
		if err := tx.Create(ctx, &store.Entity{Key: groupKey(account, g.GroupName), ID: g.GroupID, Path: g.Path, Data: encode(g)}); err != nil {
			return err
		}
		for _, ck := range groupChildKinds {
			if err := reparent(ctx, tx, account, ck.kind, oldName, g.GroupName, func(child store.Entity) []byte {
				if ck.kind != KindGroupMember {
					return child.Data
				}
				return encode(membership{Group: g.GroupName, User: child.Name})
			}); err != nil {
				return err
			}
		}
		return nil
	}))
}

// reparent moves every child of kind from parent oldParent to newParent,
// rewriting its data with fix.
func reparent(ctx context.Context, tx store.Tx, account, kind, oldParent, newParent string, fix func(store.Entity) []byte) error {
	for {
		p, err := tx.List(ctx, store.ListOptions{Account: account, Kind: kind, Parent: oldParent, Limit: 500})
		if err != nil {
			return err
		}
		if len(p.Items) == 0 {
			return nil
		}
		for _, child := range p.Items {
			if err := tx.Delete(ctx, child.Key, child.Version); err != nil {
				return err
			}
			moved := store.Entity{Key: child.Key, ID: child.ID, Path: child.Path, Data: fix(child)}
			moved.Parent = newParent
			if err := tx.Create(ctx, &moved); err != nil {
				return err
			}
		}
		if strings.EqualFold(oldParent, newParent) {
			// Same key space: one pass moved everything.
			return nil
		}
	}
}

// renameMember rewrites a user's memberships after the user was renamed.
func renameMember(ctx context.Context, tx store.Tx, account, oldName, newName string) error {
	ms, err := listAllEntities(ctx, tx, store.ListOptions{Account: account, Kind: KindGroupMember, AnyParent: true, Name: oldName})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := tx.Delete(ctx, m.Key, m.Version); err != nil {
			return err
		}
		k := m.Key
		k.Name = newName
		if err := tx.Create(ctx, &store.Entity{Key: k, Path: m.Path, Data: encode(membership{Group: m.Parent, User: newName})}); err != nil {
			return err
		}
	}
	return nil
}

// listAllEntities lists every entity matching opts, page by page.
func listAllEntities(ctx context.Context, r store.Reader, opts store.ListOptions) ([]store.Entity, error) {
	var out []store.Entity
	opts.Limit = 500
	for {
		p, err := r.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.NextMarker == "" {
			return out, nil
		}
		opts.Marker = p.NextMarker
	}
}

// DeleteGroup deletes a group that has no members, inline policies or
// attached policies, with AWS's DeleteConflict messages.
func (s *Service) DeleteGroup(ctx context.Context, name string) error {
	if _, err := s.groupForRead(ctx, "iam:DeleteGroup", name, nil); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getGroup(ctx, tx, account, name)
		if err != nil {
			return err
		}
		for _, ck := range groupChildKinds {
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

// AddUserToGroup makes a user a member of a group (a no-op when it
// already is, as in AWS), within the groups-per-user quota.
func (s *Service) AddUserToGroup(ctx context.Context, groupName, userName string) error {
	g, err := s.groupForRead(ctx, "iam:AddUserToGroup", groupName, nil)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if _, _, err := getGroup(ctx, tx, account, g.GroupName); err != nil {
			return err
		}
		u, _, err := getUser(ctx, tx, account, userName)
		if err != nil {
			return err
		}
		key := store.Key{Account: account, Kind: KindGroupMember, Parent: g.GroupName, Name: u.UserName}
		if _, err := tx.Get(ctx, key); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: account, Kind: KindGroupMember, AnyParent: true, Name: u.UserName})
		if err != nil {
			return err
		}
		if n >= s.limits.GroupsPerUser {
			return apierr.LimitExceeded("Cannot exceed quota for GroupsPerUser: %d", s.limits.GroupsPerUser)
		}
		return tx.Create(ctx, &store.Entity{Key: key, Path: "/", Data: encode(membership{Group: g.GroupName, User: u.UserName})})
	}))
}

// RemoveUserFromGroup ends a user's membership of a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, groupName, userName string) error {
	g, err := s.groupForRead(ctx, "iam:RemoveUserFromGroup", groupName, nil)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		u, _, err := getUser(ctx, tx, account, userName)
		if err != nil {
			return err
		}
		err = tx.Delete(ctx, store.Key{Account: account, Kind: KindGroupMember, Parent: g.GroupName, Name: u.UserName}, 0)
		if errors.Is(err, store.ErrNotFound) {
			return noSuchUser(userName)
		}
		return err
	}))
}

// PutGroupPolicy adds or replaces an inline policy of a group, within
// AWS's 5,120-character aggregate quota per group.
func (s *Service) PutGroupPolicy(ctx context.Context, groupName, policyName, doc string) error {
	g, err := s.groupForRead(ctx, "iam:PutGroupPolicy", groupName, nil)
	if err != nil {
		return err
	}
	p, err := parsePolicy(doc, policy.Inline)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if _, _, err := getGroup(ctx, tx, account, g.GroupName); err != nil {
			return err
		}
		return putInline(ctx, tx, store.Key{Account: account, Kind: KindGroupPolicy, Parent: g.GroupName, Name: policyName}, doc, p.Size, func(total int) error {
			if total > maxGroupInlineSize {
				return apierr.LimitExceeded("Maximum policy size of %d bytes exceeded for group %s", maxGroupInlineSize, g.GroupName)
			}
			return nil
		})
	}))
}

// GetGroupPolicy returns an inline policy of a group and the group's name.
func (s *Service) GetGroupPolicy(ctx context.Context, groupName, policyName string) (*InlinePolicy, string, error) {
	g, err := s.groupForRead(ctx, "iam:GetGroupPolicy", groupName, nil)
	if err != nil {
		return nil, "", err
	}
	ip, err := s.getInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindGroupPolicy, Parent: g.GroupName, Name: policyName}, "group")
	if err != nil {
		return nil, "", err
	}
	return ip, g.GroupName, nil
}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, groupName, policyName string) error {
	g, err := s.groupForRead(ctx, "iam:DeleteGroupPolicy", groupName, nil)
	if err != nil {
		return err
	}
	return s.deleteInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindGroupPolicy, Parent: g.GroupName, Name: policyName}, "group")
}

// ListGroupPolicies lists the names of a group's inline policies.
func (s *Service) ListGroupPolicies(ctx context.Context, groupName, marker string, maxItems *int32) (Page[string], error) {
	g, err := s.groupForRead(ctx, "iam:ListGroupPolicies", groupName, nil)
	if err != nil {
		return Page[string]{}, err
	}
	p, err := listPage[InlinePolicy](ctx, s.store, store.ListOptions{Account: identityAccount(ctx), Kind: KindGroupPolicy, Parent: g.GroupName, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return Page[string]{}, err
	}
	out := Page[string]{Marker: p.Marker, IsTruncated: p.IsTruncated, Items: make([]string, len(p.Items))}
	for i, ip := range p.Items {
		out.Items[i] = ip.PolicyName
	}
	return out, nil
}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, groupName, policyARN string) error {
	return s.attach(ctx, "iam:AttachGroupPolicy", groupRef(groupName), policyARN)
}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, groupName, policyARN string) error {
	return s.detach(ctx, "iam:DetachGroupPolicy", groupRef(groupName), policyARN)
}

// ListAttachedGroupPolicies lists the managed policies attached to a group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, groupName, pathPrefix, marker string, maxItems *int32) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, "iam:ListAttachedGroupPolicies", groupRef(groupName), pathPrefix, marker, maxItems)
}

// userGroupNames returns the names of the groups user belongs to, in name
// order.
func userGroupNames(ctx context.Context, r store.Reader, account, user string) ([]string, error) {
	ms, err := listAllEntities(ctx, r, store.ListOptions{Account: account, Kind: KindGroupMember, AnyParent: true, Name: user})
	if err != nil {
		return nil, apierr.Internal(err)
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Parent
	}
	return out, nil
}

// groupPolicies appends a group's inline policies (Type "group", Owner =
// group name) and attached managed policies to out.Identity.
func (s *Service) groupPolicies(ctx context.Context, account, name string, out *PrincipalPolicies) error {
	g, _, err := getGroup(ctx, s.store, account, name)
	if err != nil {
		return err
	}
	n := len(out.Identity)
	if err := s.inlineDocs(ctx, account, KindGroupPolicy, g.GroupName, "group", out); err != nil {
		return err
	}
	for i := n; i < len(out.Identity); i++ {
		out.Identity[i].Owner = g.GroupName
	}
	return s.managedDocs(ctx, account, KindGroupAttachment, g.GroupName, out)
}

// memberGroupPolicies appends the policies of every group user belongs to.
func (s *Service) memberGroupPolicies(ctx context.Context, account, user string, out *PrincipalPolicies) error {
	names, err := userGroupNames(ctx, s.store, account, user)
	if err != nil {
		return err
	}
	for _, g := range names {
		if err := s.groupPolicies(ctx, account, g, out); err != nil {
			if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
				continue
			}
			return err
		}
	}
	return nil
}
