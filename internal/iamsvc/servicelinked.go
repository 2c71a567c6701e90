package iamsvc

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/store"
)

// KindSLRDeletion is a service-linked role deletion task (top level, Name
// = the DeletionTaskId).
const KindSLRDeletion = "slr-deletion"

// serviceLinkedSpec is what AWS creates for one service's service-linked
// role.
type serviceLinkedSpec struct {
	// RoleName is the base name (AWSServiceRoleFor...); a custom suffix is
	// appended after "_".
	RoleName string `json:"roleName"`
	// Policies are the AWS managed policies AWS attaches.
	Policies []string `json:"policies"`
	// Description is the description AWS sets when the caller gives none.
	Description string `json:"description,omitempty"`
	// CustomSuffix tells whether the service accepts a CustomSuffix.
	CustomSuffix bool `json:"customSuffix,omitempty"`
}

// servicelinked.json lists the services whose service-linked roles iamd
// can create, as recorded from AWS (see testdata/SOURCE.md of
// internal/api/iamapi: the localstack snapshots recorded against AWS).
//
//go:embed servicelinked.json
var serviceLinkedJSON []byte

var serviceLinkedSpecs = sync.OnceValue(func() map[string]serviceLinkedSpec {
	var m map[string]serviceLinkedSpec
	if err := json.Unmarshal(serviceLinkedJSON, &m); err != nil {
		panic("iamsvc: servicelinked.json: " + err.Error())
	}
	return m
})

// slrProtectedActions are the role actions AWS refuses on a service-linked
// role ("this role is only modifiable by AWS"); only its service changes
// its trust, policies and boundary, and only DeleteServiceLinkedRole
// deletes it.
var slrProtectedActions = map[string]bool{
	"iam:DeleteRole": true, "iam:UpdateAssumeRolePolicy": true,
	"iam:PutRolePolicy": true, "iam:DeleteRolePolicy": true,
	"iam:AttachRolePolicy": true, "iam:DetachRolePolicy": true,
	"iam:PutRolePermissionsBoundary": true, "iam:DeleteRolePermissionsBoundary": true,
}

// checkProtected refuses a protected action on a service-linked role with
// AWS's UnmodifiableEntity error.
func checkProtected(action string, ro *Role) error {
	if ro.LinkedService == "" || !slrProtectedActions[action] {
		return nil
	}
	return apierr.New("UnmodifiableEntity",
		"Cannot perform the operation on the protected role '"+ro.RoleName+"' - this role is only modifiable by AWS")
}

// serviceLinkedTrust is the trust policy AWS gives a service-linked role.
func serviceLinkedTrust(service string) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]string{"Service": service}, "Action": "sts:AssumeRole"}}})
	return string(b)
}

// CreateServiceLinkedRole creates the service-linked role of service, with
// the name, path, trust policy and AWS managed policies AWS gives it.
func (s *Service) CreateServiceLinkedRole(ctx context.Context, service, description, suffix string) (*Role, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	spec, known := serviceLinkedSpecs()[service]
	name := spec.RoleName
	if suffix != "" {
		name += "_" + suffix
	}
	path := "/aws-service-role/" + service + "/"
	arn := arnFor(c.Account, "role", path, name)
	if !known {
		arn = arnFor(c.Account, "role", path, "*")
	}
	if _, err := s.authorize(ctx, "iam:CreateServiceLinkedRole", arn, map[string][]string{"iam:AWSServiceName": {service}}); err != nil {
		return nil, err
	}
	if !known {
		return nil, apierr.InvalidInput("Service role name for %s could not be determined: the service does not support service-linked roles.", service)
	}
	if suffix != "" && !spec.CustomSuffix {
		return nil, apierr.InvalidInput("Custom suffix is not allowed for %s", service)
	}
	if description == "" {
		description = spec.Description
	}
	id, err := credential.NewUniqueID(credential.PrefixRole)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	ro := &Role{RoleName: name, RoleID: id, Path: path, ARN: arn, AssumeRolePolicyDocument: serviceLinkedTrust(service),
		Description: description, MaxSessionDuration: defaultMaxSessionDuration, LinkedService: service}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		ro.CreateDate = s.now().UTC().Truncate(1e6)
		e := &store.Entity{Key: roleKey(c.Account, name), ID: id, Path: path, Data: encode(ro)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.InvalidInput("Service role name %s has been taken in this account, please try a different suffix.", name)
		} else if err != nil {
			return err
		}
		for _, p := range spec.Policies {
			_, ppath, pname, _, _ := policyARNParts(p)
			key := store.Key{Account: c.Account, Kind: KindRoleAttachment, Parent: name, Name: p}
			if err := tx.Create(ctx, &store.Entity{Key: key, Path: ppath, Data: encode(AttachedPolicy{PolicyName: pname, PolicyARN: p})}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return ro, nil
}

// slrDeletion records a finished deletion task.
type slrDeletion struct {
	Status string `json:"status"`
	Role   string `json:"role"`
}

// DeleteServiceLinkedRole deletes a service-linked role with its policies
// (the service's clean-up) and returns the deletion task id. The deletion
// runs synchronously, so the task is SUCCEEDED as soon as it exists.
func (s *Service) DeleteServiceLinkedRole(ctx context.Context, name string) (string, error) {
	ro, err := s.roleForRead(ctx, "iam:DeleteServiceLinkedRole", name, nil)
	if err != nil {
		return "", err
	}
	if ro.LinkedService == "" {
		return "", apierr.InvalidInput("Role %s is not a service-linked role.", ro.RoleName)
	}
	task := "task" + ro.Path + ro.RoleName + "/" + newUUID()
	account := identityAccount(ctx)
	err = s.store.Update(ctx, func(tx store.Tx) error {
		_, e, err := getRole(ctx, tx, account, name)
		if err != nil {
			return err
		}
		for _, kind := range []string{KindRoleAttachment, KindRolePolicy} {
			children, err := tx.List(ctx, store.ListOptions{Account: account, Kind: kind, Parent: e.Name, Limit: 1000})
			if err != nil {
				return err
			}
			for _, ch := range children.Items {
				if err := tx.Delete(ctx, ch.Key, ch.Version); err != nil {
					return err
				}
			}
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
		if err := tx.Delete(ctx, e.Key, e.Version); err != nil {
			return err
		}
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: account, Kind: KindSLRDeletion, Name: task},
			Data: encode(slrDeletion{Status: "SUCCEEDED", Role: ro.ARN})})
	})
	if err != nil {
		return "", storeErr(err)
	}
	return task, nil
}

// GetServiceLinkedRoleDeletionStatus reports a deletion task's status.
func (s *Service) GetServiceLinkedRoleDeletionStatus(ctx context.Context, task string) (string, error) {
	c, err := caller(ctx)
	if err != nil {
		return "", err
	}
	// task/aws-service-role/SERVICE/ROLE/UUID names the role it deletes.
	parts := strings.Split(task, "/")
	if len(parts) != 5 || parts[0] != "task" || parts[1] != "aws-service-role" {
		return "", apierr.InvalidInput("Invalid deletion task id: %s", task)
	}
	roleARN := arnFor(c.Account, "role", "/aws-service-role/"+parts[2]+"/", parts[3])
	if _, err := s.authorize(ctx, "iam:GetServiceLinkedRoleDeletionStatus", roleARN, nil); err != nil {
		return "", err
	}
	e, err := s.store.Get(ctx, store.Key{Account: c.Account, Kind: KindSLRDeletion, Name: task})
	if errors.Is(err, store.ErrNotFound) {
		return "", apierr.NoSuchEntity("Deletion task %s cannot be found.", task)
	}
	if err != nil {
		return "", apierr.Internal(err)
	}
	d, err := decode[slrDeletion](e)
	if err != nil {
		return "", apierr.Internal(err)
	}
	return d.Status, nil
}
