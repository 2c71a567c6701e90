package server

import (
	"context"
	"net/url"
	"strings"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// registerIAM registers the implemented IAM operations.
func (s *Server) registerIAM() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateUser, func(ctx context.Context, in *iamapi.CreateUserInput) (*iamapi.CreateUserOutput, error) {
		u, err := svc.CreateUser(ctx, &iamsvc.CreateUserInput{UserName: in.UserName, Path: in.Path, PermissionsBoundary: in.PermissionsBoundary, Tags: fromAPITags(in.Tags)})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateUserOutput{User: toAPIUser(u)}, nil
	})
	awsquery.Handle(r, iamapi.GetUser, func(ctx context.Context, in *iamapi.GetUserInput) (*iamapi.GetUserOutput, error) {
		u, err := svc.GetUser(ctx, in.UserName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetUserOutput{User: toAPIUser(u)}, nil
	})
	awsquery.Handle(r, iamapi.ListUsers, func(ctx context.Context, in *iamapi.ListUsersInput) (*iamapi.ListUsersOutput, error) {
		p, err := svc.ListUsers(ctx, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListUsersOutput{Users: make([]iamapi.User, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for i := range p.Items {
			u := toAPIUser(&p.Items[i])
			u.Tags = nil // ListUsers does not return tags, as in AWS.
			out.Users = append(out.Users, *u)
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.UpdateUser, func(ctx context.Context, in *iamapi.UpdateUserInput) (*iamapi.UpdateUserOutput, error) {
		return nil, svc.UpdateUser(ctx, in.UserName, in.NewUserName, in.NewPath)
	})
	awsquery.Handle(r, iamapi.DeleteUser, func(ctx context.Context, in *iamapi.DeleteUserInput) (*iamapi.DeleteUserOutput, error) {
		return nil, svc.DeleteUser(ctx, in.UserName)
	})
	awsquery.Handle(r, iamapi.TagUser, func(ctx context.Context, in *iamapi.TagUserInput) (*iamapi.TagUserOutput, error) {
		return nil, svc.TagUser(ctx, in.UserName, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagUser, func(ctx context.Context, in *iamapi.UntagUserInput) (*iamapi.UntagUserOutput, error) {
		return nil, svc.UntagUser(ctx, in.UserName, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListUserTags, func(ctx context.Context, in *iamapi.ListUserTagsInput) (*iamapi.ListUserTagsOutput, error) {
		tags, err := svc.ListUserTags(ctx, in.UserName)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListUserTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
	awsquery.Handle(r, iamapi.CreateAccessKey, func(ctx context.Context, in *iamapi.CreateAccessKeyInput) (*iamapi.CreateAccessKeyOutput, error) {
		k, err := svc.CreateAccessKey(ctx, in.UserName)
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateAccessKeyOutput{AccessKey: &iamapi.AccessKey{
			UserName: k.UserName, AccessKeyId: k.AccessKeyID, Status: k.Status, SecretAccessKey: k.Secret, CreateDate: k.CreateDate,
		}}, nil
	})
	awsquery.Handle(r, iamapi.ListAccessKeys, func(ctx context.Context, in *iamapi.ListAccessKeysInput) (*iamapi.ListAccessKeysOutput, error) {
		p, err := svc.ListAccessKeys(ctx, in.UserName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListAccessKeysOutput{AccessKeyMetadata: make([]iamapi.AccessKeyMetadata, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
		for _, k := range p.Items {
			out.AccessKeyMetadata = append(out.AccessKeyMetadata, iamapi.AccessKeyMetadata{UserName: k.UserName, AccessKeyId: k.AccessKeyID, Status: k.Status, CreateDate: k.CreateDate})
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.UpdateAccessKey, func(ctx context.Context, in *iamapi.UpdateAccessKeyInput) (*iamapi.UpdateAccessKeyOutput, error) {
		return nil, svc.UpdateAccessKey(ctx, in.UserName, in.AccessKeyId, in.Status)
	})
	awsquery.Handle(r, iamapi.DeleteAccessKey, func(ctx context.Context, in *iamapi.DeleteAccessKeyInput) (*iamapi.DeleteAccessKeyOutput, error) {
		return nil, svc.DeleteAccessKey(ctx, in.UserName, in.AccessKeyId)
	})
	awsquery.Handle(r, iamapi.GetAccessKeyLastUsed, func(ctx context.Context, in *iamapi.GetAccessKeyLastUsedInput) (*iamapi.GetAccessKeyLastUsedOutput, error) {
		k, err := svc.GetAccessKeyLastUsed(ctx, in.AccessKeyId)
		if err != nil {
			return nil, err
		}
		lu := &iamapi.AccessKeyLastUsed{ServiceName: "N/A", Region: "N/A"}
		if !k.LastUsedDate.IsZero() {
			lu = &iamapi.AccessKeyLastUsed{LastUsedDate: k.LastUsedDate, ServiceName: k.LastUsedService, Region: k.LastUsedRegion}
		}
		return &iamapi.GetAccessKeyLastUsedOutput{UserName: k.UserName, AccessKeyLastUsed: lu}, nil
	})
}

func toAPIUser(u *iamsvc.User) *iamapi.User {
	out := &iamapi.User{Path: u.Path, UserName: u.UserName, UserId: u.UserID, Arn: u.ARN, CreateDate: u.CreateDate, Tags: toAPITags(u.Tags)}
	if u.PermissionsBoundary != "" {
		out.PermissionsBoundary = &iamapi.AttachedPermissionsBoundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: u.PermissionsBoundary}
	}
	return out
}

func fromAPITags(tags []iamapi.Tag) []iamsvc.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]iamsvc.Tag, len(tags))
	for i, t := range tags {
		out[i] = iamsvc.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func toAPITags(tags []iamsvc.Tag) []iamapi.Tag {
	if len(tags) == 0 {
		return nil
	}
	return toAPITagsNonNil(tags)
}

func toAPITagsNonNil(tags []iamsvc.Tag) []iamapi.Tag {
	out := make([]iamapi.Tag, len(tags))
	for i, t := range tags {
		out[i] = iamapi.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// registerUserPolicies registers the inline user policy operations.
func (s *Server) registerUserPolicies() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.PutUserPolicy, func(ctx context.Context, in *iamapi.PutUserPolicyInput) (*iamapi.PutUserPolicyOutput, error) {
		return nil, svc.PutUserPolicy(ctx, in.UserName, in.PolicyName, in.PolicyDocument)
	})
	awsquery.Handle(r, iamapi.GetUserPolicy, func(ctx context.Context, in *iamapi.GetUserPolicyInput) (*iamapi.GetUserPolicyOutput, error) {
		p, user, err := svc.GetUserPolicy(ctx, in.UserName, in.PolicyName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetUserPolicyOutput{UserName: user, PolicyName: p.PolicyName, PolicyDocument: policyURLEncode(p.Document)}, nil
	})
	awsquery.Handle(r, iamapi.DeleteUserPolicy, func(ctx context.Context, in *iamapi.DeleteUserPolicyInput) (*iamapi.DeleteUserPolicyOutput, error) {
		return nil, svc.DeleteUserPolicy(ctx, in.UserName, in.PolicyName)
	})
	awsquery.Handle(r, iamapi.ListUserPolicies, func(ctx context.Context, in *iamapi.ListUserPoliciesInput) (*iamapi.ListUserPoliciesOutput, error) {
		p, err := svc.ListUserPolicies(ctx, in.UserName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListUserPoliciesOutput{PolicyNames: p.Items, IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
}

// policyURLEncode encodes a policy document as IAM returns documents:
// RFC 3986 percent-encoding (spaces as %20), which clients decode.
func policyURLEncode(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}
