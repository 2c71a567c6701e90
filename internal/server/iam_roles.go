package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// roleView selects which optional Role fields a response carries: AWS
// returns MaxSessionDuration and RoleLastUsed from GetRole but not from
// CreateRole, and ListRoles leaves out tags, boundary and last use.
type roleView int

const (
	roleCreated roleView = iota
	roleFull
	roleListed
)

func toAPIRole(r *iamsvc.Role, view roleView) *iamapi.Role {
	out := &iamapi.Role{Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleID, Arn: r.ARN, CreateDate: r.CreateDate,
		AssumeRolePolicyDocument: policyURLEncode(r.AssumeRolePolicyDocument), Description: r.Description}
	if view != roleCreated {
		msd := r.MaxSessionDuration
		out.MaxSessionDuration = &msd
	}
	if view == roleListed {
		return out
	}
	out.Tags = toAPITags(r.Tags)
	if r.PermissionsBoundary != "" {
		out.PermissionsBoundary = &iamapi.AttachedPermissionsBoundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: r.PermissionsBoundary}
	}
	if view == roleFull {
		out.RoleLastUsed = &iamapi.RoleLastUsed{}
		if !r.LastUsedDate.IsZero() {
			out.RoleLastUsed = &iamapi.RoleLastUsed{LastUsedDate: r.LastUsedDate, Region: r.LastUsedRegion}
		}
	}
	return out
}

// registerRoles registers the role and inline role policy operations.
func (s *Server) registerRoles() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateRole, func(ctx context.Context, in *iamapi.CreateRoleInput) (*iamapi.CreateRoleOutput, error) {
		in2 := &iamsvc.CreateRoleInput{RoleName: in.RoleName, Path: in.Path, AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
			Description: in.Description, PermissionsBoundary: in.PermissionsBoundary, Tags: fromAPITags(in.Tags)}
		if in.MaxSessionDuration != nil {
			in2.MaxSessionDuration = *in.MaxSessionDuration
		}
		ro, err := svc.CreateRole(ctx, in2)
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateRoleOutput{Role: toAPIRole(ro, roleCreated)}, nil
	})
	awsquery.Handle(r, iamapi.GetRole, func(ctx context.Context, in *iamapi.GetRoleInput) (*iamapi.GetRoleOutput, error) {
		ro, err := svc.GetRole(ctx, in.RoleName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetRoleOutput{Role: toAPIRole(ro, roleFull)}, nil
	})
	awsquery.Handle(r, iamapi.ListRoles, func(ctx context.Context, in *iamapi.ListRolesInput) (*iamapi.ListRolesOutput, error) {
		p, err := svc.ListRoles(ctx, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListRolesOutput{Roles: make([]iamapi.Role, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for i := range p.Items {
			out.Roles = append(out.Roles, *toAPIRole(&p.Items[i], roleListed))
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.UpdateRole, func(ctx context.Context, in *iamapi.UpdateRoleInput) (*iamapi.UpdateRoleOutput, error) {
		var desc *string
		if in.Description != "" {
			desc = &in.Description
		}
		return nil, svc.UpdateRole(ctx, in.RoleName, desc, in.MaxSessionDuration)
	})
	awsquery.Handle(r, iamapi.UpdateRoleDescription, func(ctx context.Context, in *iamapi.UpdateRoleDescriptionInput) (*iamapi.UpdateRoleDescriptionOutput, error) {
		ro, err := svc.UpdateRoleDescription(ctx, in.RoleName, in.Description)
		if err != nil {
			return nil, err
		}
		return &iamapi.UpdateRoleDescriptionOutput{Role: toAPIRole(ro, roleFull)}, nil
	})
	awsquery.Handle(r, iamapi.UpdateAssumeRolePolicy, func(ctx context.Context, in *iamapi.UpdateAssumeRolePolicyInput) (*iamapi.UpdateAssumeRolePolicyOutput, error) {
		return nil, svc.UpdateAssumeRolePolicy(ctx, in.RoleName, in.PolicyDocument)
	})
	awsquery.Handle(r, iamapi.DeleteRole, func(ctx context.Context, in *iamapi.DeleteRoleInput) (*iamapi.DeleteRoleOutput, error) {
		return nil, svc.DeleteRole(ctx, in.RoleName)
	})
	awsquery.Handle(r, iamapi.TagRole, func(ctx context.Context, in *iamapi.TagRoleInput) (*iamapi.TagRoleOutput, error) {
		return nil, svc.TagRole(ctx, in.RoleName, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagRole, func(ctx context.Context, in *iamapi.UntagRoleInput) (*iamapi.UntagRoleOutput, error) {
		return nil, svc.UntagRole(ctx, in.RoleName, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListRoleTags, func(ctx context.Context, in *iamapi.ListRoleTagsInput) (*iamapi.ListRoleTagsOutput, error) {
		tags, err := svc.ListRoleTags(ctx, in.RoleName)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListRoleTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
	awsquery.Handle(r, iamapi.PutRolePermissionsBoundary, func(ctx context.Context, in *iamapi.PutRolePermissionsBoundaryInput) (*iamapi.PutRolePermissionsBoundaryOutput, error) {
		return nil, svc.PutRolePermissionsBoundary(ctx, in.RoleName, in.PermissionsBoundary)
	})
	awsquery.Handle(r, iamapi.DeleteRolePermissionsBoundary, func(ctx context.Context, in *iamapi.DeleteRolePermissionsBoundaryInput) (*iamapi.DeleteRolePermissionsBoundaryOutput, error) {
		return nil, svc.DeleteRolePermissionsBoundary(ctx, in.RoleName)
	})
	awsquery.Handle(r, iamapi.PutRolePolicy, func(ctx context.Context, in *iamapi.PutRolePolicyInput) (*iamapi.PutRolePolicyOutput, error) {
		return nil, svc.PutRolePolicy(ctx, in.RoleName, in.PolicyName, in.PolicyDocument)
	})
	awsquery.Handle(r, iamapi.GetRolePolicy, func(ctx context.Context, in *iamapi.GetRolePolicyInput) (*iamapi.GetRolePolicyOutput, error) {
		p, role, err := svc.GetRolePolicy(ctx, in.RoleName, in.PolicyName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetRolePolicyOutput{RoleName: role, PolicyName: p.PolicyName, PolicyDocument: policyURLEncode(p.Document)}, nil
	})
	awsquery.Handle(r, iamapi.DeleteRolePolicy, func(ctx context.Context, in *iamapi.DeleteRolePolicyInput) (*iamapi.DeleteRolePolicyOutput, error) {
		return nil, svc.DeleteRolePolicy(ctx, in.RoleName, in.PolicyName)
	})
	awsquery.Handle(r, iamapi.ListRolePolicies, func(ctx context.Context, in *iamapi.ListRolePoliciesInput) (*iamapi.ListRolePoliciesOutput, error) {
		p, err := svc.ListRolePolicies(ctx, in.RoleName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListRolePoliciesOutput{PolicyNames: p.Items, IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	s.registerServiceLinkedRoles()
}
