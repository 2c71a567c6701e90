package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

func toAPIGroup(g *iamsvc.Group) *iamapi.Group {
	return &iamapi.Group{Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupID, Arn: g.ARN, CreateDate: g.CreateDate}
}

func toAPIGroups(gs []iamsvc.Group) []iamapi.Group {
	out := make([]iamapi.Group, len(gs))
	for i := range gs {
		out[i] = *toAPIGroup(&gs[i])
	}
	return out
}

// registerGroups registers the group, membership, inline group policy and
// group attachment operations.
func (s *Server) registerGroups() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateGroup, func(ctx context.Context, in *iamapi.CreateGroupInput) (*iamapi.CreateGroupOutput, error) {
		g, err := svc.CreateGroup(ctx, &iamsvc.CreateGroupInput{GroupName: in.GroupName, Path: in.Path})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateGroupOutput{Group: toAPIGroup(g)}, nil
	})
	awsquery.Handle(r, iamapi.GetGroup, func(ctx context.Context, in *iamapi.GetGroupInput) (*iamapi.GetGroupOutput, error) {
		g, users, err := svc.GetGroup(ctx, in.GroupName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		out := &iamapi.GetGroupOutput{Group: toAPIGroup(g), Users: make([]iamapi.User, 0, len(users.Items)), IsTruncated: users.IsTruncated, Marker: users.Marker}
		for i := range users.Items {
			u := toAPIUser(&users.Items[i])
			// GetGroup lists users without tags or boundary, as AWS does.
			u.Tags, u.PermissionsBoundary = nil, nil
			out.Users = append(out.Users, *u)
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.ListGroups, func(ctx context.Context, in *iamapi.ListGroupsInput) (*iamapi.ListGroupsOutput, error) {
		p, err := svc.ListGroups(ctx, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListGroupsOutput{Groups: toAPIGroups(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.ListGroupsForUser, func(ctx context.Context, in *iamapi.ListGroupsForUserInput) (*iamapi.ListGroupsForUserOutput, error) {
		p, err := svc.ListGroupsForUser(ctx, in.UserName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListGroupsForUserOutput{Groups: toAPIGroups(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.UpdateGroup, func(ctx context.Context, in *iamapi.UpdateGroupInput) (*iamapi.UpdateGroupOutput, error) {
		return nil, svc.UpdateGroup(ctx, in.GroupName, in.NewGroupName, in.NewPath)
	})
	awsquery.Handle(r, iamapi.DeleteGroup, func(ctx context.Context, in *iamapi.DeleteGroupInput) (*iamapi.DeleteGroupOutput, error) {
		return nil, svc.DeleteGroup(ctx, in.GroupName)
	})
	awsquery.Handle(r, iamapi.AddUserToGroup, func(ctx context.Context, in *iamapi.AddUserToGroupInput) (*iamapi.AddUserToGroupOutput, error) {
		return nil, svc.AddUserToGroup(ctx, in.GroupName, in.UserName)
	})
	awsquery.Handle(r, iamapi.RemoveUserFromGroup, func(ctx context.Context, in *iamapi.RemoveUserFromGroupInput) (*iamapi.RemoveUserFromGroupOutput, error) {
		return nil, svc.RemoveUserFromGroup(ctx, in.GroupName, in.UserName)
	})
	awsquery.Handle(r, iamapi.PutGroupPolicy, func(ctx context.Context, in *iamapi.PutGroupPolicyInput) (*iamapi.PutGroupPolicyOutput, error) {
		return nil, svc.PutGroupPolicy(ctx, in.GroupName, in.PolicyName, in.PolicyDocument)
	})
	awsquery.Handle(r, iamapi.GetGroupPolicy, func(ctx context.Context, in *iamapi.GetGroupPolicyInput) (*iamapi.GetGroupPolicyOutput, error) {
		p, group, err := svc.GetGroupPolicy(ctx, in.GroupName, in.PolicyName)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetGroupPolicyOutput{GroupName: group, PolicyName: p.PolicyName, PolicyDocument: policyURLEncode(p.Document)}, nil
	})
	awsquery.Handle(r, iamapi.DeleteGroupPolicy, func(ctx context.Context, in *iamapi.DeleteGroupPolicyInput) (*iamapi.DeleteGroupPolicyOutput, error) {
		return nil, svc.DeleteGroupPolicy(ctx, in.GroupName, in.PolicyName)
	})
	awsquery.Handle(r, iamapi.ListGroupPolicies, func(ctx context.Context, in *iamapi.ListGroupPoliciesInput) (*iamapi.ListGroupPoliciesOutput, error) {
		p, err := svc.ListGroupPolicies(ctx, in.GroupName, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListGroupPoliciesOutput{PolicyNames: p.Items, IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
	awsquery.Handle(r, iamapi.AttachGroupPolicy, func(ctx context.Context, in *iamapi.AttachGroupPolicyInput) (*iamapi.AttachGroupPolicyOutput, error) {
		return nil, svc.AttachGroupPolicy(ctx, in.GroupName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.DetachGroupPolicy, func(ctx context.Context, in *iamapi.DetachGroupPolicyInput) (*iamapi.DetachGroupPolicyOutput, error) {
		return nil, svc.DetachGroupPolicy(ctx, in.GroupName, in.PolicyArn)
	})
	awsquery.Handle(r, iamapi.ListAttachedGroupPolicies, func(ctx context.Context, in *iamapi.ListAttachedGroupPoliciesInput) (*iamapi.ListAttachedGroupPoliciesOutput, error) {
		p, err := svc.ListAttachedGroupPolicies(ctx, in.GroupName, in.PathPrefix, in.Marker, in.MaxItems)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListAttachedGroupPoliciesOutput{AttachedPolicies: toAPIAttached(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
	})
}
