package iamsvc

import (
	"fmt"
	"sync"
	"testing"

	"github.com/iamd/iamd/internal/apierr"
)

func TestAttachments(t *testing.T) {
	s, ctx := newTestService(t)
	_, err := s.CreateUser(ctx, &CreateUserInput{UserName: "alice"})
	mustNil(t, err)
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", Path: "/svc/", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", Path: "/team/", PolicyDocument: allowS3})
	mustNil(t, err)

	missing := "arn:aws:iam::123456789012:policy/ops123"
	wantErr(t, s.AttachUserPolicy(ctx, "alice", missing), "NoSuchEntity", "Policy "+missing+" does not exist or is not attachable.")
	wantErr(t, s.AttachRolePolicy(ctx, "app", "ops-but-not-an-arn!!"), "ValidationError", "Invalid ARN:  Could not be parsed!")
	wantErr(t, s.AttachRolePolicy(ctx, "ghost", p.ARN), "NoSuchEntity", "The role with name ghost cannot be found.")
	wantErr(t, s.AttachUserPolicy(ctx, "ghost", p.ARN), "NoSuchEntity", "The user with name ghost cannot be found.")

	mustNil(t, s.AttachUserPolicy(ctx, "alice", p.ARN))
	mustNil(t, s.AttachUserPolicy(ctx, "ALICE", p.ARN)) // idempotent
	mustNil(t, s.AttachRolePolicy(ctx, "app", p.ARN))
	gp, _ := s.GetPolicy(ctx, p.ARN)
	if gp.AttachmentCount != 2 {
		t.Fatalf("AttachmentCount = %d, want 2", gp.AttachmentCount)
	}
	ap, err := s.ListAttachedUserPolicies(ctx, "alice", "", "", nil)
	mustNil(t, err)
	if len(ap.Items) != 1 || ap.Items[0] != (AttachedPolicy{PolicyName: "ops", PolicyARN: p.ARN}) {
		t.Fatalf("attached: %+v", ap.Items)
	}
	ap, _ = s.ListAttachedRolePolicies(ctx, "app", "/other/", "", nil)
	if len(ap.Items) != 0 {
		t.Fatalf("path prefix not applied: %+v", ap.Items)
	}
	ents, err := s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: p.ARN})
	mustNil(t, err)
	if len(ents.Items) != 2 || ents.Items[0].Type != "User" || ents.Items[0].Name != "alice" || ents.Items[1].Name != "app" {
		t.Fatalf("entities: %+v", ents.Items)
	}
	ents, _ = s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: p.ARN, EntityFilter: "User"})
	if len(ents.Items) != 1 || ents.Items[0].Type != "User" {
		t.Fatalf("user filter: %+v", ents.Items)
	}
	ents, _ = s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: p.ARN, PathPrefix: "/svc/"})
	if len(ents.Items) != 1 || ents.Items[0].Name != "app" {
		t.Fatalf("path filter: %+v", ents.Items)
	}
	ents, _ = s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: p.ARN, PolicyUsageFilter: "PermissionsBoundary"})
	if len(ents.Items) != 0 {
		t.Fatalf("boundary filter: %+v", ents.Items)
	}

	wantErr(t, s.DeletePolicy(ctx, p.ARN), "DeleteConflict", "Cannot delete a policy attached to entities.")
	wantErr(t, s.DeleteUser(ctx, "alice"), "DeleteConflict", "Cannot delete entity, must detach all policies first.")

	// A renamed user keeps its attachments.
	mustNil(t, s.UpdateUser(ctx, "alice", "alicia", ""))
	ap, _ = s.ListAttachedUserPolicies(ctx, "alicia", "", "", nil)
	if len(ap.Items) != 1 {
		t.Fatalf("attachments lost on rename: %+v", ap.Items)
	}

	mustNil(t, s.DetachUserPolicy(ctx, "alicia", p.ARN))
	wantErr(t, s.DetachUserPolicy(ctx, "alicia", p.ARN), "NoSuchEntity", "Policy "+p.ARN+" was not found.")
	mustNil(t, s.DetachRolePolicy(ctx, "app", p.ARN))
	gp, _ = s.GetPolicy(ctx, p.ARN)
	if gp.AttachmentCount != 0 {
		t.Fatalf("AttachmentCount = %d, want 0", gp.AttachmentCount)
	}
	mustNil(t, s.DeleteUser(ctx, "alicia"))
	mustNil(t, s.DeletePolicy(ctx, p.ARN))
}

func TestAttachQuotaConcurrent(t *testing.T) {
	s, ctx := newTestService(t)
	s.limits.AttachedPoliciesPerRole = 3
	_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	var arns []string
	for i := range 8 {
		p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: fmt.Sprint("p", i), PolicyDocument: allowS3})
		mustNil(t, err)
		arns = append(arns, p.ARN)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, a := range arns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.AttachRolePolicy(ctx, "app", a)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
				return
			}
			wantErr(t, err, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 3")
		}()
	}
	wg.Wait()
	total := 0
	for _, a := range arns {
		p, err := s.GetPolicy(ctx, a)
		mustNil(t, err)
		total += int(p.AttachmentCount)
	}
	if ok != 3 || total != 3 {
		t.Fatalf("ok=%d total AttachmentCount=%d", ok, total)
	}
}

// TestAttachmentCountConcurrent: many roles attaching and detaching one
// policy at once leave AttachmentCount exact.
func TestAttachmentCountConcurrent(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "shared", PolicyDocument: allowS3})
	mustNil(t, err)
	for i := range 20 {
		_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: fmt.Sprint("r", i), AssumeRolePolicyDocument: trustEC2})
		mustNil(t, err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.AttachRolePolicy(ctx, fmt.Sprint("r", i), p.ARN); err != nil {
				t.Error(err)
			}
			if i%2 == 0 {
				if err := s.DetachRolePolicy(ctx, fmt.Sprint("r", i), p.ARN); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	gp, err := s.GetPolicy(ctx, p.ARN)
	mustNil(t, err)
	if gp.AttachmentCount != 10 {
		t.Fatalf("AttachmentCount = %d, want 10", gp.AttachmentCount)
	}
}

func TestPrincipalPoliciesManagedAndBoundary(t *testing.T) {
	s, ctx := newTestService(t)
	boundary, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "boundary", PolicyDocument: allowS3})
	mustNil(t, err)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", PolicyDocument: allowAll})
	mustNil(t, err)
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "alice", PermissionsBoundary: boundary.ARN})
	mustNil(t, err)
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "bob", PermissionsBoundary: boundary.ARN + "x"})
	wantErr(t, err, "NoSuchEntity", "Scope ARN: "+boundary.ARN+"x does not exist or is not attachable.")
	mustNil(t, s.AttachUserPolicy(ctx, "alice", p.ARN))
	mustNil(t, s.PutUserPolicy(ctx, "alice", "inline", allowS3))
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", Path: "/svc/", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	mustNil(t, s.AttachRolePolicy(ctx, "app", p.ARN))
	mustNil(t, s.PutRolePolicy(ctx, "app", "inline", allowS3))
	mustNil(t, s.PutRolePermissionsBoundary(ctx, "app", boundary.ARN))
	_, err = s.CreatePolicyVersion(ctx, p.ARN, allowS3, true)
	mustNil(t, err)

	for _, arn := range []string{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:role/svc/app"} {
		pp, err := s.PrincipalPolicies(ctx, testAccount, arn)
		mustNil(t, err)
		var managed *PolicyDoc
		for i, d := range pp.Identity {
			if d.Type == "IAM Policy" {
				managed = &pp.Identity[i]
			}
		}
		if len(pp.Identity) != 2 || managed == nil || managed.ID != p.ARN || managed.Document != allowS3 {
			t.Fatalf("%s identity: %+v", arn, pp.Identity)
		}
		if pp.Boundary == nil || pp.Boundary.ID != boundary.ARN || pp.Boundary.Document != allowS3 {
			t.Fatalf("%s boundary: %+v", arn, pp.Boundary)
		}
	}
	mustNil(t, s.DeleteUserPermissionsBoundary(ctx, "alice"))
	pp, _ := s.PrincipalPolicies(ctx, testAccount, "arn:aws:iam::123456789012:user/alice")
	if pp.Boundary != nil {
		t.Fatalf("boundary after delete: %+v", pp.Boundary)
	}
	mustNil(t, s.PutUserPermissionsBoundary(ctx, "alice", boundary.ARN))
	wantErr(t, s.PutUserPermissionsBoundary(ctx, "alice", "arn:aws:iam::123456789012:policy/none"), "NoSuchEntity", "")
	_, err = s.PrincipalPolicies(ctx, testAccount, "arn:aws:iam::123456789012:role/ghost")
	if ae, ok := apierr.As(err); !ok || ae.Code != "NoSuchEntity" {
		t.Fatalf("missing role: %v", err)
	}
}
