package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
)

// registerServiceLinkedRoles registers CreateServiceLinkedRole,
// DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus.
func (s *Server) registerServiceLinkedRoles() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateServiceLinkedRole, func(ctx context.Context, in *iamapi.CreateServiceLinkedRoleInput) (*iamapi.CreateServiceLinkedRoleOutput, error) {
		ro, err := svc.CreateServiceLinkedRole(ctx, in.AWSServiceName, in.Description, in.CustomSuffix)
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateServiceLinkedRoleOutput{Role: toAPIRole(ro, roleCreated)}, nil
	})
	awsquery.Handle(r, iamapi.DeleteServiceLinkedRole, func(ctx context.Context, in *iamapi.DeleteServiceLinkedRoleInput) (*iamapi.DeleteServiceLinkedRoleOutput, error) {
		task, err := svc.DeleteServiceLinkedRole(ctx, in.RoleName)
		if err != nil {
			return nil, err
		}
		return &iamapi.DeleteServiceLinkedRoleOutput{DeletionTaskId: task}, nil
	})
	awsquery.Handle(r, iamapi.GetServiceLinkedRoleDeletionStatus, func(ctx context.Context, in *iamapi.GetServiceLinkedRoleDeletionStatusInput) (*iamapi.GetServiceLinkedRoleDeletionStatusOutput, error) {
		st, err := svc.GetServiceLinkedRoleDeletionStatus(ctx, in.DeletionTaskId)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetServiceLinkedRoleDeletionStatusOutput{Status: st}, nil
	})
}
