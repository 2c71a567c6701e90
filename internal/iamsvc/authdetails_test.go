package iamsvc

import (
	"fmt"
	"testing"
)

func TestGetAccountAuthorizationDetails(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", Path: "/team/", PolicyDocument: allowS3, Description: "d"})
	mustNil(t, err)
	_, err = s.CreatePolicyVersion(ctx, p.ARN, allowAll, true)
	mustNil(t, err)
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "alice", PermissionsBoundary: p.ARN, Tags: []Tag{{Key: "k", Value: "v"}}})
	mustNil(t, err)
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "bob"})
	mustNil(t, err)
	_, err = s.CreateGroup(ctx, &CreateGroupInput{GroupName: "devs", Path: ""})
	mustNil(t, err)
	mustNil(t, s.AddUserToGroup(ctx, "devs", "alice"))
	mustNil(t, s.PutGroupPolicy(ctx, "devs", "g", allowS3))
	mustNil(t, s.AttachGroupPolicy(ctx, "devs", p.ARN))
	mustNil(t, s.PutUserPolicy(ctx, "alice", "u", allowS3))
	mustNil(t, s.AttachUserPolicy(ctx, "alice", p.ARN))
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	mustNil(t, s.PutRolePolicy(ctx, "app", "r", allowS3))

	d, err := s.GetAccountAuthorizationDetails(ctx, nil, "", nil)
	mustNil(t, err)
	if len(d.Users) != 2 || len(d.Groups) != 1 || len(d.Roles) != 1 || len(d.Policies) != 1 || d.IsTruncated {
		t.Fatalf("counts: %d users, %d groups, %d roles, %d policies", len(d.Users), len(d.Groups), len(d.Roles), len(d.Policies))
	}
	a := d.Users[0]
	if a.UserName != "alice" || fmt.Sprint(a.Groups) != "[devs]" || len(a.InlinePolicies) != 1 || a.InlinePolicies[0].Document != allowS3 ||
		len(a.Attached) != 1 || a.PermissionsBoundary != p.ARN || len(a.Tags) != 1 {
		t.Fatalf("alice: %+v", a)
	}
	if b := d.Users[1]; b.Groups == nil || len(b.Groups) != 0 || len(b.InlinePolicies) != 0 || b.InlinePolicies == nil {
		t.Fatalf("bob lists must be empty, not nil: %+v", b)
	}
	if g := d.Groups[0]; len(g.InlinePolicies) != 1 || len(g.Attached) != 1 {
		t.Fatalf("group: %+v", g)
	}
	if r := d.Roles[0]; len(r.InlinePolicies) != 1 || r.AssumeRolePolicyDocument != trustEC2 {
		t.Fatalf("role: %+v", r)
	}
	pd := d.Policies[0]
	if pd.AttachmentCount != 2 || pd.PermissionsBoundaryUsageCount != 1 || len(pd.Versions) != 2 || pd.Versions[0].IsDefaultVersion || !pd.Versions[1].IsDefaultVersion {
		t.Fatalf("policy: %+v", pd)
	}

	d, err = s.GetAccountAuthorizationDetails(ctx, []string{"Group", "LocalManagedPolicy"}, "", nil)
	mustNil(t, err)
	if len(d.Users) != 0 || len(d.Groups) != 1 || len(d.Roles) != 0 || len(d.Policies) != 1 {
		t.Fatalf("filtered: %+v", d)
	}
	d, err = s.GetAccountAuthorizationDetails(ctx, []string{"AWSManagedPolicy"}, "", nil)
	mustNil(t, err)
	if len(d.Policies) != 0 {
		t.Fatalf("AWS managed: %+v", d.Policies)
	}

	// Pagination runs across the lists: 5 entities, pages of 2.
	var seen []string
	marker, two := "", int32(2)
	for range 10 {
		d, err := s.GetAccountAuthorizationDetails(ctx, nil, marker, &two)
		mustNil(t, err)
		for _, u := range d.Users {
			seen = append(seen, "u:"+u.UserName)
		}
		for _, g := range d.Groups {
			seen = append(seen, "g:"+g.GroupName)
		}
		for _, r := range d.Roles {
			seen = append(seen, "r:"+r.RoleName)
		}
		for _, p := range d.Policies {
			seen = append(seen, "p:"+p.PolicyName)
		}
		if !d.IsTruncated {
			break
		}
		marker = d.Marker
	}
	if got := fmt.Sprint(seen); got != "[u:alice u:bob g:devs r:app p:ops]" {
		t.Fatalf("paged: %s", got)
	}
	_, err = s.GetAccountAuthorizationDetails(ctx, nil, "!!", nil)
	wantErr(t, err, "ValidationError", "")
}
