package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// toAPIInstanceProfile maps an instance profile; its roles are shown as
// AWS shows them inside an instance profile (no MaxSessionDuration, tags
// or last use).
func toAPIInstanceProfile(ip *iamsvc.InstanceProfile, withTags bool) *iamapi.InstanceProfile {
	out := &iamapi.InstanceProfile{Path: ip.Path, InstanceProfileName: ip.InstanceProfileName, InstanceProfileId: ip.InstanceProfileID,
		Arn: ip.ARN, CreateDate: ip.CreateDate, Roles: make([]iamapi.Role, 0, len(ip.Roles))}
	for i := range ip.Roles {
		r := toAPIRole(&ip.Roles[i], roleListed)
		r.MaxSessionDuration = nil
		out.Roles = append(out.Roles, *r)
	}
	if withTags {
		out.Tags = toAPITags(ip.Tags)
	}
	return out
}

func toAPIInstanceProfiles(ps []iamsvc.InstanceProfile) []iamapi.InstanceProfile {
	out := make([]iamapi.InstanceProfile, 0, len(ps))
	for i := range ps {
		out = append(out, *toAPIInstanceProfile(&ps[i], true))
	}
	return out
}

// registerAccount registers instance profiles, account aliases and the
// account summary.
func (s *Server) registerAccount() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateInstanceProfile, func(ctx context.Context, in *iamapi.CreateInstanceProfileInput) (*iamapi.CreateInstanceProfileOutput, error) {
		ip, err := svc.CreateInstanceProfile(ctx, &iamsvc.CreateInstanceProfileInput{InstanceProfileName: in.InstanceProfileName, Path: in.Path, Tags: fromAPITags(in.Tags)})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateInstanceProfileOutput{InstanceProfile: toAPIInstanceProfile(ip, true)}, nil
	})
	awsquery.Handle(r, iamapi.GetInstanceProfile, func(ctx context.Context, in *iamapi.GetInstanceProfileInput) (*iamapi.GetInstanceProfileOutput, error) {
		ip, err := svc.GetInstanceProfile(ctx, in.InstanceProfileName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetInstanceProfileOutput{InstanceProfile: toAPIInstanceProfile(ip, true)}, nil
	})
	awsquery.Handle(r, iamapi.DeleteInstanceProfile, func(ctx context.Context, in *iamapi.DeleteInstanceProfileInput) (*iamapi.DeleteInstanceProfileOutput, error) {
		return nil, svc.DeleteInstanceProfile(ctx, in.InstanceProfileName)
	})
	awsquery.Handle(r, iamapi.ListInstanceProfiles, func(ctx context.Context, in *iamapi.ListInstanceProfilesInput) (*iamapi.ListInstanceProfilesOutput, error) {
		p, err := svc.ListInstanceProfiles(ctx, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListInstanceProfilesOutput{InstanceProfiles: toAPIInstanceProfiles(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.ListInstanceProfilesForRole, func(ctx context.Context, in *iamapi.ListInstanceProfilesForRoleInput) (*iamapi.ListInstanceProfilesForRoleOutput, error) {
		p, err := svc.ListInstanceProfilesForRole(ctx, in.RoleName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListInstanceProfilesForRoleOutput{InstanceProfiles: toAPIInstanceProfiles(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.AddRoleToInstanceProfile, func(ctx context.Context, in *iamapi.AddRoleToInstanceProfileInput) (*iamapi.AddRoleToInstanceProfileOutput, error) {
		return nil, svc.AddRoleToInstanceProfile(ctx, in.InstanceProfileName, in.RoleName)
	})
	awsquery.Handle(r, iamapi.RemoveRoleFromInstanceProfile, func(ctx context.Context, in *iamapi.RemoveRoleFromInstanceProfileInput) (*iamapi.RemoveRoleFromInstanceProfileOutput, error) {
		return nil, svc.RemoveRoleFromInstanceProfile(ctx, in.InstanceProfileName, in.RoleName)
	})
	awsquery.Handle(r, iamapi.TagInstanceProfile, func(ctx context.Context, in *iamapi.TagInstanceProfileInput) (*iamapi.TagInstanceProfileOutput, error) {
		return nil, svc.TagInstanceProfile(ctx, in.InstanceProfileName, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagInstanceProfile, func(ctx context.Context, in *iamapi.UntagInstanceProfileInput) (*iamapi.UntagInstanceProfileOutput, error) {
		return nil, svc.UntagInstanceProfile(ctx, in.InstanceProfileName, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListInstanceProfileTags, func(ctx context.Context, in *iamapi.ListInstanceProfileTagsInput) (*iamapi.ListInstanceProfileTagsOutput, error) {
		tags, err := svc.ListInstanceProfileTags(ctx, in.InstanceProfileName)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListInstanceProfileTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
	awsquery.Handle(r, iamapi.CreateAccountAlias, func(ctx context.Context, in *iamapi.CreateAccountAliasInput) (*iamapi.CreateAccountAliasOutput, error) {
		return nil, svc.CreateAccountAlias(ctx, in.AccountAlias)
	})
	awsquery.Handle(r, iamapi.DeleteAccountAlias, func(ctx context.Context, in *iamapi.DeleteAccountAliasInput) (*iamapi.DeleteAccountAliasOutput, error) {
		return nil, svc.DeleteAccountAlias(ctx, in.AccountAlias)
	})
	awsquery.Handle(r, iamapi.ListAccountAliases, func(ctx context.Context, in *iamapi.ListAccountAliasesInput) (*iamapi.ListAccountAliasesOutput, error) {
		p, err := svc.ListAccountAliases(ctx, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListAccountAliasesOutput{AccountAliases: p.Items, IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.GetAccountSummary, func(ctx context.Context, _ *iamapi.GetAccountSummaryInput) (*iamapi.GetAccountSummaryOutput, error) {
		m, err := svc.GetAccountSummary(ctx)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetAccountSummaryOutput{SummaryMap: m}, nil
	})
}
