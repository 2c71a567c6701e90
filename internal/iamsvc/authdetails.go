package iamsvc

import (
	"context"
	"github.com/iamd/iamd/internal/awsmanaged"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"
)

// This file implements GetAccountAuthorizationDetails: every user, group,
// role and managed policy of the caller's account with their
// relationships, filtered by entity type and paginated as one sequence
// (users, then groups, roles, customer managed policies, AWS managed
// policies — the order of AWS's response elements).

// GetAccountAuthorizationDetails Filter values.
const (
	AuthDetailsUser               = entityFilterUser
	AuthDetailsGroup              = entityFilterGroup
	AuthDetailsRole               = entityFilterRole
	AuthDetailsLocalManagedPolicy = entityFilterLocalManaged
	AuthDetailsAWSManagedPolicy   = entityFilterAWSManaged
)

// UserDetail is a user with its inline policies, groups and attached
// managed policies.
type UserDetail struct {
	User
	InlinePolicies []InlinePolicy
	Groups         []string
	Attached       []AttachedPolicy
}

// GroupDetail is a group with its inline and attached managed policies.
type GroupDetail struct {
	Group
	InlinePolicies []InlinePolicy
	Attached       []AttachedPolicy
}

// RoleDetail is a role with its inline and attached managed policies and
// the instance profiles that hold it.
type RoleDetail struct {
	Role
	InlinePolicies   []InlinePolicy
	Attached         []AttachedPolicy
	InstanceProfiles []InstanceProfile
}

// AuthorizationDetails is one page of GetAccountAuthorizationDetails.
type AuthorizationDetails struct {
	Users       []UserDetail
	Groups      []GroupDetail
	Roles       []RoleDetail
	Policies    []ManagedPolicy
	Marker      string
	IsTruncated bool
}

// authItem is one entity of the combined listing: its sort key and the
// entity (top-level record; details are loaded for the page only).
type authItem struct {
	key    string
	kind   string
	entity store.Entity
	policy *ManagedPolicy
}

// GetAccountAuthorizationDetails returns the account's users, groups,
// roles and managed policies selected by filter (all when empty), one page
// of at most maxItems entities after marker. Policy versions carry every
// document. It needs iam:GetAccountAuthorizationDetails (resource "*").
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, filter []string, marker string, maxItems *int32) (*AuthorizationDetails, error) {
	c, err := s.authorize(ctx, "iam:GetAccountAuthorizationDetails", "*", nil)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, f := range filter {
		switch f {
		case AuthDetailsUser, AuthDetailsGroup, AuthDetailsRole, AuthDetailsLocalManagedPolicy, AuthDetailsAWSManagedPolicy:
			want[f] = true
		default:
			// The wire decoder already refuses values outside the enum.
			return nil, apierr.InvalidInput("Invalid Filter value %s.", f)
		}
	}
	all := len(want) == 0
	var items []authItem
	for i, k := range []struct{ filter, kind string }{
		{AuthDetailsUser, KindUser}, {AuthDetailsGroup, KindGroup}, {AuthDetailsRole, KindRole},
	} {
		if !all && !want[k.filter] {
			continue
		}
		es, err := listAllEntities(ctx, s.store, store.ListOptions{Account: c.Account, Kind: k.kind})
		if err != nil {
			return nil, apierr.Internal(err)
		}
		for _, e := range es {
			items = append(items, authItem{key: string(rune('0'+i)) + "/" + strings.ToLower(e.Name), kind: k.kind, entity: e})
		}
	}
	if all || want[AuthDetailsLocalManagedPolicy] {
		ps, err := s.customerManagedPolicyDetails(ctx, c.Account)
		if err != nil {
			return nil, err
		}
		for i := range ps {
			items = append(items, authItem{key: "3/" + strings.ToLower(ps[i].PolicyName), kind: KindPolicy, policy: &ps[i]})
		}
	}
	if all || want[AuthDetailsAWSManagedPolicy] {
		ps, err := s.awsManagedPolicyDetails(ctx, c.Account)
		if err != nil {
			return nil, err
		}
		for i := range ps {
			items = append(items, authItem{key: "4/" + strings.ToLower(ps[i].ARN), kind: KindPolicy, policy: &ps[i]})
		}
	}
	page, err := offsetPage(items, func(it authItem) string { return it.key }, marker, maxItems)
	if err != nil {
		return nil, err
	}
	out := &AuthorizationDetails{Users: []UserDetail{}, Groups: []GroupDetail{}, Roles: []RoleDetail{}, Policies: []ManagedPolicy{},
		Marker: page.Marker, IsTruncated: page.IsTruncated}
	for _, it := range page.Items {
		switch it.kind {
		case KindUser:
			d, err := s.userDetail(ctx, c.Account, it.entity)
			if err != nil {
				return nil, err
			}
			out.Users = append(out.Users, *d)
		case KindGroup:
			d, err := s.groupDetail(ctx, c.Account, it.entity)
			if err != nil {
				return nil, err
			}
			out.Groups = append(out.Groups, *d)
		case KindRole:
			d, err := s.roleDetail(ctx, c.Account, it.entity)
			if err != nil {
				return nil, err
			}
			out.Roles = append(out.Roles, *d)
		case KindPolicy:
			out.Policies = append(out.Policies, *it.policy)
		}
	}
	return out, nil
}

// inlineList returns every inline policy of kind under parent.
func inlineList(ctx context.Context, r store.Reader, account, kind, parent string) ([]InlinePolicy, error) {
	ps, err := listAll[InlinePolicy](ctx, r, store.ListOptions{Account: account, Kind: kind, Parent: parent})
	if ps == nil && err == nil {
		ps = []InlinePolicy{}
	}
	return ps, err
}

// attachedList returns every managed policy attached under parent.
func attachedList(ctx context.Context, r store.Reader, account, kind, parent string) ([]AttachedPolicy, error) {
	ps, err := listAll[AttachedPolicy](ctx, r, store.ListOptions{Account: account, Kind: kind, Parent: parent})
	if ps == nil && err == nil {
		ps = []AttachedPolicy{}
	}
	return ps, err
}

// userDetail loads a user's UserDetailList entry.
func (s *Service) userDetail(ctx context.Context, account string, e store.Entity) (*UserDetail, error) {
	u, err := decode[User](e)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	d := &UserDetail{User: *u}
	if d.InlinePolicies, err = inlineList(ctx, s.store, account, KindUserPolicy, u.UserName); err != nil {
		return nil, err
	}
	if d.Attached, err = attachedList(ctx, s.store, account, KindUserAttachment, u.UserName); err != nil {
		return nil, err
	}
	if d.Groups, err = userGroupNames(ctx, s.store, account, u.UserName); err != nil {
		return nil, err
	}
	return d, nil
}

// groupDetail loads a group's GroupDetailList entry.
func (s *Service) groupDetail(ctx context.Context, account string, e store.Entity) (*GroupDetail, error) {
	g, err := decode[Group](e)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	d := &GroupDetail{Group: *g}
	if d.InlinePolicies, err = inlineList(ctx, s.store, account, KindGroupPolicy, g.GroupName); err != nil {
		return nil, err
	}
	if d.Attached, err = attachedList(ctx, s.store, account, KindGroupAttachment, g.GroupName); err != nil {
		return nil, err
	}
	return d, nil
}

// roleDetail loads a role's RoleDetailList entry.
func (s *Service) roleDetail(ctx context.Context, account string, e store.Entity) (*RoleDetail, error) {
	ro, err := decode[Role](e)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if ro, err = withEffectiveTrust(ctx, s.store, ro); err != nil {
		return nil, err
	}
	d := &RoleDetail{Role: *ro}
	if d.InlinePolicies, err = inlineList(ctx, s.store, account, KindRolePolicy, ro.RoleName); err != nil {
		return nil, err
	}
	if d.Attached, err = attachedList(ctx, s.store, account, KindRoleAttachment, ro.RoleName); err != nil {
		return nil, err
	}
	if d.InstanceProfiles, err = InstanceProfilesForRole(ctx, s.store, account, ro.RoleName); err != nil {
		return nil, err
	}
	return d, nil
}

// customerManagedPolicyDetails returns every customer managed policy of
// account (the LocalManagedPolicy part of Policies), with all versions
// (IsDefaultVersion set) and the computed boundary usage count.
func (s *Service) customerManagedPolicyDetails(ctx context.Context, account string) ([]ManagedPolicy, error) {
	ps, err := listAll[ManagedPolicy](ctx, s.store, store.ListOptions{Account: account, Kind: KindPolicy})
	if err != nil {
		return nil, err
	}
	usage, err := s.boundaryUsage(ctx, s.store, account)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].PermissionsBoundaryUsageCount = int32(usage[ps[i].ARN])
		for j := range ps[i].Versions {
			ps[i].Versions[j].IsDefaultVersion = ps[i].Versions[j].VersionID == ps[i].DefaultVersionID
		}
	}
	return ps, nil
}

// awsManagedPolicyDetails returns the AWS managed policies of the
// AWSManagedPolicy part of Policies: AWS lists those attached to at least
// one entity of the account or used there as a permissions boundary, with
// their per-account counts.
func (s *Service) awsManagedPolicyDetails(ctx context.Context, account string) ([]ManagedPolicy, error) {
	counts, err := attachmentCounts(ctx, s.store, account)
	if err != nil {
		return nil, err
	}
	usage, err := s.boundaryUsage(ctx, s.store, account)
	if err != nil {
		return nil, err
	}
	var out []ManagedPolicy
	for _, cp := range awsmanaged.All() {
		if counts[cp.ARN] == 0 && usage[cp.ARN] == 0 {
			continue
		}
		p := fromCatalog(&cp)
		p.AttachmentCount, p.PermissionsBoundaryUsageCount = int32(counts[cp.ARN]), int32(usage[cp.ARN])
		for j := range p.Versions {
			p.Versions[j].IsDefaultVersion = p.Versions[j].VersionID == p.DefaultVersionID
		}
		out = append(out, *p)
	}
	return out, nil
}
