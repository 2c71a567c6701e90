package iamsvc

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store/sqlstore"
)

const testAccount = "123456789012"

const trustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// newTestService returns a Service over a fresh SQLite store and a context
// whose caller is the test account's root user.
func newTestService(t testing.TB) (*Service, context.Context) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite://"+t.TempDir()+"/iamd.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx = identity.With(ctx, &identity.Caller{Type: identity.Root, Account: testAccount, ARN: identity.RootARN(testAccount),
		PrincipalARN: identity.RootARN(testAccount), UserID: testAccount})
	return New(st, Options{}), ctx
}

// wantErr fails unless err is an *apierr.Error with code and (when msg is
// not empty) message.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	ae, ok := apierr.As(err)
	if !ok {
		t.Fatalf("want %s error, got %v", code, err)
	}
	if ae.Code != code || (msg != "" && ae.Message != msg) {
		t.Fatalf("want %s %q, got %s %q", code, msg, ae.Code, ae.Message)
	}
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateRole(t *testing.T) {
	s, ctx := newTestService(t)
	ro, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", Path: "/svc/", AssumeRolePolicyDocument: trustEC2, Description: "d",
		Tags: []Tag{{Key: "team", Value: "blue"}}})
	mustNil(t, err)
	if ro.ARN != "arn:aws:iam::123456789012:role/svc/app" || !strings.HasPrefix(ro.RoleID, "AROA") || len(ro.RoleID) != 21 ||
		ro.MaxSessionDuration != 3600 || ro.Path != "/svc/" || ro.Description != "d" || len(ro.Tags) != 1 {
		t.Fatalf("role: %+v", ro)
	}
	got, err := s.GetRole(ctx, "APP")
	mustNil(t, err)
	if got.RoleID != ro.RoleID || got.AssumeRolePolicyDocument != trustEC2 {
		t.Fatalf("GetRole: %+v", got)
	}

	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[` + strings.Repeat(`"arn:aws:iam::123456789012:root",`, 70) +
		`"arn:aws:iam::123456789012:root"]},"Action":"sts:AssumeRole"}]}`
	tests := []struct {
		name      string
		in        CreateRoleInput
		code, msg string
	}{
		{"duplicate any case", CreateRoleInput{RoleName: "APP", AssumeRolePolicyDocument: trustEC2}, "EntityAlreadyExists", "Role with name APP already exists."},
		{"invalid json", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: `{"Version":`}, "MalformedPolicyDocument", "This policy contains invalid Json"},
		{"no principal", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`}, "MalformedPolicyDocument", ""},
		{"trust too large", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: big}, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"missing boundary", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustEC2, PermissionsBoundary: "arn:aws:iam::123456789012:policy/nope"},
			"NoSuchEntity", "Scope ARN: arn:aws:iam::123456789012:policy/nope does not exist or is not attachable."},
		{"malformed boundary", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustEC2, PermissionsBoundary: "not-an-arn-at-all-xx"},
			"InvalidInput", "ARN not-an-arn-at-all-xx is not valid."},
		{"session too long", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustEC2, MaxSessionDuration: 43201}, "ValidationError", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateRole(ctx, &tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	if _, err := s.GetRole(ctx, "x"); err == nil {
		t.Fatal("failed CreateRole left a role behind")
	}
	_, err = s.GetRole(ctx, "nope")
	wantErr(t, err, "NoSuchEntity", "The role with name nope cannot be found.")
}

func TestRolesPerAccountQuota(t *testing.T) {
	s, ctx := newTestService(t)
	s.limits.RolesPerAccount = 2
	for i := range 2 {
		_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: fmt.Sprint("r", i), AssumeRolePolicyDocument: trustEC2})
		mustNil(t, err)
	}
	_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "r9", AssumeRolePolicyDocument: trustEC2})
	wantErr(t, err, "LimitExceeded", "Cannot exceed quota for RolesPerAccount: 2")
}

func TestRoleLifecycle(t *testing.T) {
	s, ctx := newTestService(t)
	_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	desc, msd := "new", int32(7200)
	mustNil(t, s.UpdateRole(ctx, "app", &desc, &msd))
	ro, err := s.UpdateRoleDescription(ctx, "app", "newer")
	mustNil(t, err)
	if ro.Description != "newer" || ro.MaxSessionDuration != 7200 {
		t.Fatalf("after updates: %+v", ro)
	}
	trust2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	mustNil(t, s.UpdateAssumeRolePolicy(ctx, "app", trust2))
	wantErr(t, s.UpdateAssumeRolePolicy(ctx, "app", `nope`), "MalformedPolicyDocument", "This policy contains invalid Json")
	wantErr(t, s.UpdateAssumeRolePolicy(ctx, "ghost", trust2), "NoSuchEntity", "The role with name ghost cannot be found.")

	mustNil(t, s.TagRole(ctx, "app", []Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}))
	mustNil(t, s.UntagRole(ctx, "app", []string{"a"}))
	tags, err := s.ListRoleTags(ctx, "app")
	mustNil(t, err)
	if len(tags) != 1 || tags[0].Key != "b" {
		t.Fatalf("tags: %v", tags)
	}

	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "boundary", PolicyDocument: allowAll})
	mustNil(t, err)
	wantErr(t, s.PutRolePermissionsBoundary(ctx, "app", p.ARN+"x"), "NoSuchEntity", "")
	mustNil(t, s.PutRolePermissionsBoundary(ctx, "app", p.ARN))
	got, _ := s.GetRole(ctx, "app")
	if got.PermissionsBoundary != p.ARN || got.AssumeRolePolicyDocument != trust2 {
		t.Fatalf("role: %+v", got)
	}
	gp, err := s.GetPolicy(ctx, p.ARN)
	mustNil(t, err)
	if gp.PermissionsBoundaryUsageCount != 1 {
		t.Fatalf("boundary usage: %d", gp.PermissionsBoundaryUsageCount)
	}
	wantErr(t, s.DeletePolicy(ctx, p.ARN), "DeleteConflict", "")
	mustNil(t, s.DeleteRolePermissionsBoundary(ctx, "app"))

	// Inline policy, then attached policy, block deletion.
	mustNil(t, s.PutRolePolicy(ctx, "app", "inline", allowAll))
	wantErr(t, s.DeleteRole(ctx, "app"), "DeleteConflict", "Cannot delete entity, must delete policies first.")
	mustNil(t, s.AttachRolePolicy(ctx, "app", p.ARN))
	wantErr(t, s.DeleteRole(ctx, "app"), "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	mustNil(t, s.DetachRolePolicy(ctx, "app", p.ARN))
	mustNil(t, s.DeleteRolePolicy(ctx, "app", "inline"))
	mustNil(t, s.DeleteRole(ctx, "app"))
	wantErr(t, s.DeleteRole(ctx, "app"), "NoSuchEntity", "The role with name app cannot be found.")
	mustNil(t, s.DeletePolicy(ctx, p.ARN))
}

func TestListRolesPaginationAndPrefix(t *testing.T) {
	s, ctx := newTestService(t)
	for i := range 7 {
		path := "/a/"
		if i%2 == 1 {
			path = "/b/"
		}
		_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: fmt.Sprintf("role-%d", i), Path: path, AssumeRolePolicyDocument: trustEC2})
		mustNil(t, err)
	}
	var names []string
	marker := ""
	two := int32(2)
	for {
		p, err := s.ListRoles(ctx, "", marker, &two)
		mustNil(t, err)
		for _, r := range p.Items {
			names = append(names, r.RoleName)
		}
		if !p.IsTruncated {
			break
		}
		marker = p.Marker
	}
	if len(names) != 7 || names[0] != "role-0" || names[6] != "role-6" {
		t.Fatalf("names: %v", names)
	}
	p, err := s.ListRoles(ctx, "/b/", "", nil)
	mustNil(t, err)
	if len(p.Items) != 3 {
		t.Fatalf("prefix /b/: %d roles", len(p.Items))
	}
}

func TestRoleInlinePolicies(t *testing.T) {
	s, ctx := newTestService(t)
	_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	mustNil(t, s.PutRolePolicy(ctx, "app", "p1", allowAll))
	mustNil(t, s.PutRolePolicy(ctx, "APP", "P1", allowAll)) // replace, new spelling
	ip, role, err := s.GetRolePolicy(ctx, "app", "p1")
	mustNil(t, err)
	if ip.PolicyName != "P1" || role != "app" || ip.Document != allowAll {
		t.Fatalf("GetRolePolicy: %+v %s", ip, role)
	}
	wantErr(t, s.PutRolePolicy(ctx, "app", "bad", `{"Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}`), "MalformedPolicyDocument", "")
	wantErr(t, s.PutRolePolicy(ctx, "ghost", "p", allowAll), "NoSuchEntity", "The role with name ghost cannot be found.")
	_, _, err = s.GetRolePolicy(ctx, "app", "nope")
	wantErr(t, err, "NoSuchEntity", "The role policy with name nope cannot be found.")

	// Aggregate quota: 10,240 non-space characters per role.
	chunk := func(n int) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", n) + `"}]}`
	}
	mustNil(t, s.PutRolePolicy(ctx, "app", "big1", chunk(4000)))
	mustNil(t, s.PutRolePolicy(ctx, "app", "big2", chunk(4000)))
	wantErr(t, s.PutRolePolicy(ctx, "app", "big3", chunk(3000)), "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role app")
	mustNil(t, s.PutRolePolicy(ctx, "app", "big2", chunk(100))) // replacing counts the new size only
	p, err := s.ListRolePolicies(ctx, "app", "", nil)
	mustNil(t, err)
	if strings.Join(p.Items, ",") != "big1,big2,P1" {
		t.Fatalf("ListRolePolicies: %v", p.Items)
	}
	mustNil(t, s.DeleteRolePolicy(ctx, "app", "big1"))
	wantErr(t, s.DeleteRolePolicy(ctx, "app", "big1"), "NoSuchEntity", "The role policy with name big1 cannot be found.")
}

// TestCreateRoleConcurrentSameName: of 100 parallel CreateRole calls with
// one name, exactly one succeeds.
func TestCreateRoleConcurrentSameName(t *testing.T) {
	s, ctx := newTestService(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, exists := 0, 0
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "Same"
			if i%2 == 1 {
				name = "SAME"
			}
			_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: trustEC2})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else if ae, _ := apierr.As(err); ae != nil && ae.Code == "EntityAlreadyExists" {
				exists++
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || exists != 99 {
		t.Fatalf("ok=%d exists=%d", ok, exists)
	}
}
