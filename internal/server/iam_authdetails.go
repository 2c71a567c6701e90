package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// registerAuthDetails registers GetAccountAuthorizationDetails.
func (s *Server) registerAuthDetails() {
	svc := s.opts.IAM
	awsquery.Handle(s.iam, iamapi.GetAccountAuthorizationDetails, func(ctx context.Context, in *iamapi.GetAccountAuthorizationDetailsInput) (*iamapi.GetAccountAuthorizationDetailsOutput, error) {
		d, err := svc.GetAccountAuthorizationDetails(ctx, in.Filter, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return toAPIAuthDetails(d), nil
	})
}

// toAPIAuthDetails maps a page of authorization details to AWS's shapes:
// every list present (empty when nothing), documents URL-encoded, tags
// and boundaries only when set.
func toAPIAuthDetails(d *iamsvc.AuthorizationDetails) *iamapi.GetAccountAuthorizationDetailsOutput {
	out := &iamapi.GetAccountAuthorizationDetailsOutput{
		UserDetailList:  make([]iamapi.UserDetail, 0, len(d.Users)),
		GroupDetailList: make([]iamapi.GroupDetail, 0, len(d.Groups)),
		RoleDetailList:  make([]iamapi.RoleDetail, 0, len(d.Roles)),
		Policies:        make([]iamapi.ManagedPolicyDetail, 0, len(d.Policies)),
		IsTruncated:     d.IsTruncated,
		Marker:          d.Marker,
	}
	for _, u := range d.Users {
		groups := u.Groups
		if groups == nil {
			groups = []string{}
		}
		out.UserDetailList = append(out.UserDetailList, iamapi.UserDetail{Path: u.Path, UserName: u.UserName, UserId: u.UserID, Arn: u.ARN,
			CreateDate: u.CreateDate, UserPolicyList: toAPIPolicyDetails(u.InlinePolicies), GroupList: groups,
			AttachedManagedPolicies: toAPIAttached(u.Attached), PermissionsBoundary: toAPIBoundary(u.PermissionsBoundary), Tags: toAPITags(u.Tags)})
	}
	for _, g := range d.Groups {
		out.GroupDetailList = append(out.GroupDetailList, iamapi.GroupDetail{Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupID, Arn: g.ARN,
			CreateDate: g.CreateDate, GroupPolicyList: toAPIPolicyDetails(g.InlinePolicies), AttachedManagedPolicies: toAPIAttached(g.Attached)})
	}
	for i := range d.Roles {
		r := &d.Roles[i]
		lastUsed := &iamapi.RoleLastUsed{}
		if !r.LastUsedDate.IsZero() {
			lastUsed = &iamapi.RoleLastUsed{LastUsedDate: r.LastUsedDate, Region: r.LastUsedRegion}
		}
		out.RoleDetailList = append(out.RoleDetailList, iamapi.RoleDetail{Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleID, Arn: r.ARN,
			CreateDate: r.CreateDate, AssumeRolePolicyDocument: policyURLEncode(r.AssumeRolePolicyDocument),
			InstanceProfileList: roleInstanceProfileList(r), RolePolicyList: toAPIPolicyDetails(r.InlinePolicies),
			AttachedManagedPolicies: toAPIAttached(r.Attached), PermissionsBoundary: toAPIBoundary(r.PermissionsBoundary),
			Tags: toAPITags(r.Tags), RoleLastUsed: lastUsed})
	}
	for i := range d.Policies {
		p := &d.Policies[i]
		attached, boundary, attachable := p.AttachmentCount, p.PermissionsBoundaryUsageCount, true
		versions := make([]iamapi.PolicyVersion, 0, len(p.Versions))
		for j := range p.Versions {
			versions = append(versions, *toAPIPolicyVersion(&p.Versions[j], true))
		}
		out.Policies = append(out.Policies, iamapi.ManagedPolicyDetail{PolicyName: p.PolicyName, PolicyId: p.PolicyID, Arn: p.ARN, Path: p.Path,
			DefaultVersionId: p.DefaultVersionID, AttachmentCount: &attached, PermissionsBoundaryUsageCount: &boundary, IsAttachable: &attachable,
			Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate, PolicyVersionList: versions})
	}
	return out
}

// roleInstanceProfileList is a role's InstanceProfileList: the profiles
// that hold the role.
func roleInstanceProfileList(r *iamsvc.RoleDetail) []iamapi.InstanceProfile {
	return toAPIInstanceProfiles(r.InstanceProfiles)
}

func toAPIPolicyDetails(ps []iamsvc.InlinePolicy) []iamapi.PolicyDetail {
	out := make([]iamapi.PolicyDetail, len(ps))
	for i, p := range ps {
		out[i] = iamapi.PolicyDetail{PolicyName: p.PolicyName, PolicyDocument: policyURLEncode(p.Document)}
	}
	return out
}

func toAPIBoundary(arn string) *iamapi.AttachedPermissionsBoundary {
	if arn == "" {
		return nil
	}
	return &iamapi.AttachedPermissionsBoundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn}
}
