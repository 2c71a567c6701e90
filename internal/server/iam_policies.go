package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

func toAPIPolicy(p *iamsvc.ManagedPolicy, withTags bool) *iamapi.Policy {
	attached, boundary, attachable := p.AttachmentCount, p.PermissionsBoundaryUsageCount, true
	out := &iamapi.Policy{PolicyName: p.PolicyName, PolicyId: p.PolicyID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.DefaultVersionID,
		AttachmentCount: &attached, PermissionsBoundaryUsageCount: &boundary, IsAttachable: &attachable,
		Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate}
	if withTags {
		out.Tags = toAPITags(p.Tags)
	}
	return out
}

func toAPIPolicyVersion(v *iamsvc.PolicyVersion, withDoc bool) *iamapi.PolicyVersion {
	isDefault := v.IsDefaultVersion
	out := &iamapi.PolicyVersion{VersionId: v.VersionID, IsDefaultVersion: &isDefault, CreateDate: v.CreateDate}
	if withDoc {
		out.Document = policyURLEncode(v.Document)
	}
	return out
}

// registerManagedPolicies registers the customer managed policy,
// attachment and permissions boundary operations.
func (s *Server) registerManagedPolicies() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreatePolicy, func(ctx context.Context, in *iamapi.CreatePolicyInput) (*iamapi.CreatePolicyOutput, error) {
		p, err := svc.CreatePolicy(ctx, &iamsvc.CreatePolicyInput{PolicyName: in.PolicyName, Path: in.Path, PolicyDocument: in.PolicyDocument,
			Description: in.Description, Tags: fromAPITags(in.Tags)})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreatePolicyOutput{Policy: toAPIPolicy(p, true)}, nil
	})
	awsquery.Handle(r, iamapi.GetPolicy, func(ctx context.Context, in *iamapi.GetPolicyInput) (*iamapi.GetPolicyOutput, error) {
		p, err := svc.GetPolicy(ctx, in.PolicyArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetPolicyOutput{Policy: toAPIPolicy(p, true)}, nil
	})
	awsquery.Handle(r, iamapi.DeletePolicy, func(ctx context.Context, in *iamapi.DeletePolicyInput) (*iamapi.DeletePolicyOutput, error) {
		return nil, svc.DeletePolicy(ctx, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.ListPolicies, func(ctx context.Context, in *iamapi.ListPoliciesInput) (*iamapi.ListPoliciesOutput, error) {
		p, err := svc.ListPolicies(ctx, &iamsvc.ListPoliciesInput{Scope: in.Scope, OnlyAttached: in.OnlyAttached != nil && *in.OnlyAttached,
			PathPrefix: in.PathPrefix, PolicyUsageFilter: in.PolicyUsageFilter, Marker: in.Marker, MaxItems: in.MaxItems})
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListPoliciesOutput{Policies: make([]iamapi.Policy, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for i := range p.Items {
			ap := toAPIPolicy(&p.Items[i], false)
			ap.Description = "" // ListPolicies does not return descriptions, as in AWS.
			out.Policies = append(out.Policies, *ap)
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.CreatePolicyVersion, func(ctx context.Context, in *iamapi.CreatePolicyVersionInput) (*iamapi.CreatePolicyVersionOutput, error) {
		v, err := svc.CreatePolicyVersion(ctx, in.PolicyArn, in.PolicyDocument, in.SetAsDefault != nil && *in.SetAsDefault)
		if err != nil {
			return nil, err
		}
		return &iamapi.CreatePolicyVersionOutput{PolicyVersion: toAPIPolicyVersion(v, false)}, nil
	})
	awsquery.Handle(r, iamapi.GetPolicyVersion, func(ctx context.Context, in *iamapi.GetPolicyVersionInput) (*iamapi.GetPolicyVersionOutput, error) {
		v, err := svc.GetPolicyVersion(ctx, in.PolicyArn, in.VersionId)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetPolicyVersionOutput{PolicyVersion: toAPIPolicyVersion(v, true)}, nil
	})
	awsquery.Handle(r, iamapi.ListPolicyVersions, func(ctx context.Context, in *iamapi.ListPolicyVersionsInput) (*iamapi.ListPolicyVersionsOutput, error) {
		p, err := svc.ListPolicyVersions(ctx, in.PolicyArn, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListPolicyVersionsOutput{Versions: make([]iamapi.PolicyVersion, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for i := range p.Items {
			out.Versions = append(out.Versions, *toAPIPolicyVersion(&p.Items[i], false))
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.DeletePolicyVersion, func(ctx context.Context, in *iamapi.DeletePolicyVersionInput) (*iamapi.DeletePolicyVersionOutput, error) {
		return nil, svc.DeletePolicyVersion(ctx, in.PolicyArn, in.VersionId)
	})
	awsquery.Handle(r, iamapi.SetDefaultPolicyVersion, func(ctx context.Context, in *iamapi.SetDefaultPolicyVersionInput) (*iamapi.SetDefaultPolicyVersionOutput, error) {
		return nil, svc.SetDefaultPolicyVersion(ctx, in.PolicyArn, in.VersionId)
	})
	awsquery.Handle(r, iamapi.TagPolicy, func(ctx context.Context, in *iamapi.TagPolicyInput) (*iamapi.TagPolicyOutput, error) {
		return nil, svc.TagPolicy(ctx, in.PolicyArn, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagPolicy, func(ctx context.Context, in *iamapi.UntagPolicyInput) (*iamapi.UntagPolicyOutput, error) {
		return nil, svc.UntagPolicy(ctx, in.PolicyArn, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListPolicyTags, func(ctx context.Context, in *iamapi.ListPolicyTagsInput) (*iamapi.ListPolicyTagsOutput, error) {
		tags, err := svc.ListPolicyTags(ctx, in.PolicyArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListPolicyTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
	awsquery.Handle(r, iamapi.AttachUserPolicy, func(ctx context.Context, in *iamapi.AttachUserPolicyInput) (*iamapi.AttachUserPolicyOutput, error) {
		return nil, svc.AttachUserPolicy(ctx, in.UserName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.AttachRolePolicy, func(ctx context.Context, in *iamapi.AttachRolePolicyInput) (*iamapi.AttachRolePolicyOutput, error) {
		return nil, svc.AttachRolePolicy(ctx, in.RoleName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.DetachUserPolicy, func(ctx context.Context, in *iamapi.DetachUserPolicyInput) (*iamapi.DetachUserPolicyOutput, error) {
		return nil, svc.DetachUserPolicy(ctx, in.UserName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.DetachRolePolicy, func(ctx context.Context, in *iamapi.DetachRolePolicyInput) (*iamapi.DetachRolePolicyOutput, error) {
		return nil, svc.DetachRolePolicy(ctx, in.RoleName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.ListAttachedUserPolicies, func(ctx context.Context, in *iamapi.ListAttachedUserPoliciesInput) (*iamapi.ListAttachedUserPoliciesOutput, error) {
		p, err := svc.ListAttachedUserPolicies(ctx, in.UserName, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListAttachedUserPoliciesOutput{AttachedPolicies: toAPIAttached(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.ListAttachedRolePolicies, func(ctx context.Context, in *iamapi.ListAttachedRolePoliciesInput) (*iamapi.ListAttachedRolePoliciesOutput, error) {
		p, err := svc.ListAttachedRolePolicies(ctx, in.RoleName, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListAttachedRolePoliciesOutput{AttachedPolicies: toAPIAttached(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.ListEntitiesForPolicy, func(ctx context.Context, in *iamapi.ListEntitiesForPolicyInput) (*iamapi.ListEntitiesForPolicyOutput, error) {
		p, err := svc.ListEntitiesForPolicy(ctx, &iamsvc.ListEntitiesForPolicyInput{PolicyARN: in.PolicyArn, EntityFilter: in.EntityFilter,
			PathPrefix: in.PathPrefix, PolicyUsageFilter: in.PolicyUsageFilter, Marker: in.Marker, MaxItems: in.MaxItems})
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListEntitiesForPolicyOutput{PolicyGroups: []iamapi.PolicyGroup{}, PolicyUsers: []iamapi.PolicyUser{}, PolicyRoles: []iamapi.PolicyRole{},
			IsTruncated: p.IsTruncated, Marker: p.Marker}
		for _, e := range p.Items {
			switch e.Type {
			case "User":
				out.PolicyUsers = append(out.PolicyUsers, iamapi.PolicyUser{UserName: e.Name, UserId: e.ID})
			case "Role":
				out.PolicyRoles = append(out.PolicyRoles, iamapi.PolicyRole{RoleName: e.Name, RoleId: e.ID})
			case "Group":
				out.PolicyGroups = append(out.PolicyGroups, iamapi.PolicyGroup{GroupName: e.Name, GroupId: e.ID})
			}
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.PutUserPermissionsBoundary, func(ctx context.Context, in *iamapi.PutUserPermissionsBoundaryInput) (*iamapi.PutUserPermissionsBoundaryOutput, error) {
		return nil, svc.PutUserPermissionsBoundary(ctx, in.UserName, in.PermissionsBoundary)
	})
	awsquery.Handle(r, iamapi.DeleteUserPermissionsBoundary, func(ctx context.Context, in *iamapi.DeleteUserPermissionsBoundaryInput) (*iamapi.DeleteUserPermissionsBoundaryOutput, error) {
		return nil, svc.DeleteUserPermissionsBoundary(ctx, in.UserName)
	})
}

func toAPIAttached(ps []iamsvc.AttachedPolicy) []iamapi.AttachedPolicy {
	out := make([]iamapi.AttachedPolicy, len(ps))
	for i, p := range ps {
		out[i] = iamapi.AttachedPolicy{PolicyName: p.PolicyName, PolicyArn: p.PolicyARN}
	}
	return out
}
