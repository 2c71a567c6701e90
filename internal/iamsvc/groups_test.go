package iamsvc

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/iamd/iamd/internal/identity"
)

func groupNames(gs []Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.GroupName
	}
	return out
}

func TestGroupLifecycle(t *testing.T) {
	s, ctx := newTestService(t)
	g, err := s.CreateGroup(ctx, &CreateGroupInput{GroupName: "devs", Path: "/eng/"})
	mustNil(t, err)
	if g.ARN != "arn:aws:iam::123456789012:group/eng/devs" || !strings.HasPrefix(g.GroupID, "AGPA") || g.Path != "/eng/" {
		t.Fatalf("created: %+v", g)
	}
	_, err = s.CreateGroup(ctx, &CreateGroupInput{GroupName: "DEVS", Path: ""})
	wantErr(t, err, "EntityAlreadyExists", "Group with name DEVS already exists.")
	_, err = s.CreateGroup(ctx, &CreateGroupInput{GroupName: "ops", Path: ""})
	mustNil(t, err)

	_, _, err = s.GetGroup(ctx, "ghost", "", nil)
	wantErr(t, err, "NoSuchEntity", "The group with name ghost cannot be found.")
	lp, err := s.ListGroups(ctx, "/eng/", "", nil)
	mustNil(t, err)
	if got := groupNames(lp.Items); fmt.Sprint(got) != "[devs]" {
		t.Fatalf("ListGroups /eng/: %v", got)
	}

	for _, u := range []string{"alice", "bob", "carol"} {
		_, err := s.CreateUser(ctx, &CreateUserInput{UserName: u})
		mustNil(t, err)
		mustNil(t, s.AddUserToGroup(ctx, "devs", u))
	}
	mustNil(t, s.AddUserToGroup(ctx, "devs", "ALICE")) // idempotent
	mustNil(t, s.AddUserToGroup(ctx, "ops", "alice"))
	wantErr(t, s.AddUserToGroup(ctx, "devs", "ghost"), "NoSuchEntity", "The user with name ghost cannot be found.")
	wantErr(t, s.AddUserToGroup(ctx, "ghost", "alice"), "NoSuchEntity", "The group with name ghost cannot be found.")

	max := int32(2)
	_, page, err := s.GetGroup(ctx, "devs", "", &max)
	mustNil(t, err)
	if len(page.Items) != 2 || page.Items[0].UserName != "alice" || !page.IsTruncated {
		t.Fatalf("GetGroup page 1: %+v", page)
	}
	_, page, err = s.GetGroup(ctx, "devs", page.Marker, &max)
	mustNil(t, err)
	if len(page.Items) != 1 || page.Items[0].UserName != "carol" || page.IsTruncated {
		t.Fatalf("GetGroup page 2: %+v", page)
	}
	fu, err := s.ListGroupsForUser(ctx, "alice", "", nil)
	mustNil(t, err)
	if got := groupNames(fu.Items); fmt.Sprint(got) != "[devs ops]" {
		t.Fatalf("ListGroupsForUser: %v", got)
	}

	wantErr(t, s.DeleteUser(ctx, "bob"), "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	wantErr(t, s.DeleteGroup(ctx, "devs"), "DeleteConflict", "Cannot delete entity, must remove users from group first.")

	// Inline policy and attachment, then rename: everything follows.
	mustNil(t, s.PutGroupPolicy(ctx, "devs", "s3", allowS3))
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "all", PolicyDocument: allowAll})
	mustNil(t, err)
	mustNil(t, s.AttachGroupPolicy(ctx, "devs", p.ARN))
	wantErr(t, s.UpdateGroup(ctx, "devs", "ops", ""), "EntityAlreadyExists", "Group with name ops already exists.")
	wantErr(t, s.UpdateGroup(ctx, "ghost", "x", ""), "NoSuchEntity", "The group with name ghost cannot be found.")
	mustNil(t, s.UpdateGroup(ctx, "devs", "developers", "/dev/"))
	g2, page, err := s.GetGroup(ctx, "developers", "", nil)
	mustNil(t, err)
	if g2.ARN != "arn:aws:iam::123456789012:group/dev/developers" || g2.GroupID != g.GroupID || len(page.Items) != 3 {
		t.Fatalf("renamed: %+v %+v", g2, page.Items)
	}
	wantErr(t, s.PutGroupPolicy(ctx, "devs", "x", allowS3), "NoSuchEntity", "The group with name devs cannot be found.")
	ip, name, err := s.GetGroupPolicy(ctx, "developers", "s3")
	mustNil(t, err)
	if name != "developers" || ip.Document != allowS3 {
		t.Fatalf("inline after rename: %s %+v", name, ip)
	}
	ap, err := s.ListAttachedGroupPolicies(ctx, "developers", "", "", nil)
	mustNil(t, err)
	if len(ap.Items) != 1 || ap.Items[0].PolicyARN != p.ARN {
		t.Fatalf("attachments after rename: %+v", ap.Items)
	}
	ents, err := s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: p.ARN, EntityFilter: "Group"})
	mustNil(t, err)
	if len(ents.Items) != 1 || ents.Items[0] != (PolicyEntity{Type: "Group", Name: "developers", ID: g.GroupID}) {
		t.Fatalf("entities: %+v", ents.Items)
	}
	fu, _ = s.ListGroupsForUser(ctx, "bob", "", nil)
	if got := groupNames(fu.Items); fmt.Sprint(got) != "[developers]" {
		t.Fatalf("membership after rename: %v", got)
	}

	// A renamed user keeps its memberships.
	mustNil(t, s.UpdateUser(ctx, "alice", "alicia", ""))
	fu, _ = s.ListGroupsForUser(ctx, "alicia", "", nil)
	if got := groupNames(fu.Items); fmt.Sprint(got) != "[developers ops]" {
		t.Fatalf("memberships after user rename: %v", got)
	}

	for _, u := range []string{"alicia", "bob", "carol"} {
		mustNil(t, s.RemoveUserFromGroup(ctx, "developers", u))
	}
	wantErr(t, s.RemoveUserFromGroup(ctx, "developers", "bob"), "NoSuchEntity", "The user with name bob cannot be found.")
	mustNil(t, s.DeleteUser(ctx, "bob"))
	wantErr(t, s.DeleteGroup(ctx, "developers"), "DeleteConflict", "Cannot delete entity, must delete policies first.")
	mustNil(t, s.DeleteGroupPolicy(ctx, "developers", "s3"))
	wantErr(t, s.DeleteGroupPolicy(ctx, "developers", "s3"), "NoSuchEntity", "The group policy with name s3 cannot be found.")
	wantErr(t, s.DeleteGroup(ctx, "developers"), "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	wantErr(t, s.DeletePolicy(ctx, p.ARN), "DeleteConflict", "Cannot delete a policy attached to entities.")
	mustNil(t, s.DetachGroupPolicy(ctx, "developers", p.ARN))
	mustNil(t, s.DeleteGroup(ctx, "developers"))
	mustNil(t, s.DeletePolicy(ctx, p.ARN))
	_, _, err = s.GetGroup(ctx, "developers", "", nil)
	wantErr(t, err, "NoSuchEntity", "")
}

func TestGroupQuotas(t *testing.T) {
	s, ctx := newTestService(t)
	s.limits.GroupsPerAccount = 3
	s.limits.GroupsPerUser = 2
	for i := range 3 {
		_, err := s.CreateGroup(ctx, &CreateGroupInput{GroupName: fmt.Sprintf("g%d", i), Path: ""})
		mustNil(t, err)
	}
	_, err := s.CreateGroup(ctx, &CreateGroupInput{GroupName: "g3", Path: ""})
	wantErr(t, err, "LimitExceeded", "Cannot exceed quota for GroupsPerAccount: 3")
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "u"})
	mustNil(t, err)
	mustNil(t, s.AddUserToGroup(ctx, "g0", "u"))
	mustNil(t, s.AddUserToGroup(ctx, "g1", "u"))
	wantErr(t, s.AddUserToGroup(ctx, "g2", "u"), "LimitExceeded", "Cannot exceed quota for GroupsPerUser: 2")

	// Aggregate inline size: 5,120 characters per group.
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("a", 2500) + `"}]}`
	mustNil(t, s.PutGroupPolicy(ctx, "g0", "one", big))
	wantErr(t, s.PutGroupPolicy(ctx, "g0", "two", big), "LimitExceeded", "Maximum policy size of 5120 bytes exceeded for group g0")
	mustNil(t, s.PutGroupPolicy(ctx, "g0", "one", big)) // replacing is measured without the old one

	// Managed attachments: PoliciesPerGroup.
	s.limits.AttachedPoliciesPerGroup = 1
	p1, _ := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "p1", PolicyDocument: allowS3})
	p2, _ := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "p2", PolicyDocument: allowS3})
	mustNil(t, s.AttachGroupPolicy(ctx, "g1", p1.ARN))
	wantErr(t, s.AttachGroupPolicy(ctx, "g1", p2.ARN), "LimitExceeded", "Cannot exceed quota for PoliciesPerGroup: 1")
}

// TestAddUserToGroupConcurrent adds one user to many groups at once: the
// groups-per-user quota holds under concurrency.
func TestAddUserToGroupConcurrent(t *testing.T) {
	s, ctx := newTestService(t)
	s.limits.GroupsPerUser = 3
	_, err := s.CreateUser(ctx, &CreateUserInput{UserName: "u"})
	mustNil(t, err)
	for i := range 8 {
		_, err := s.CreateGroup(ctx, &CreateGroupInput{GroupName: fmt.Sprintf("g%d", i), Path: ""})
		mustNil(t, err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.AddUserToGroup(ctx, fmt.Sprintf("g%d", i), "u")
		}()
	}
	wg.Wait()
	fu, err := s.ListGroupsForUser(ctx, "u", "", nil)
	mustNil(t, err)
	if len(fu.Items) != 3 {
		t.Fatalf("user in %d groups, quota 3", len(fu.Items))
	}
}

func TestPrincipalPoliciesGroups(t *testing.T) {
	s, ctx := newTestService(t)
	_, err := s.CreateUser(ctx, &CreateUserInput{UserName: "alice"})
	mustNil(t, err)
	_, err = s.CreateGroup(ctx, &CreateGroupInput{GroupName: "devs", Path: ""})
	mustNil(t, err)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "all", PolicyDocument: allowAll})
	mustNil(t, err)
	mustNil(t, s.PutGroupPolicy(ctx, "devs", "p", allowS3))
	mustNil(t, s.AttachGroupPolicy(ctx, "devs", p.ARN))
	mustNil(t, s.PutUserPolicy(ctx, "alice", "p", allowS3))

	user := "arn:aws:iam::123456789012:user/alice"
	pp, err := s.PrincipalPolicies(ctx, testAccount, user)
	mustNil(t, err)
	if len(pp.Identity) != 1 {
		t.Fatalf("not a member yet: %+v", pp.Identity)
	}
	mustNil(t, s.AddUserToGroup(ctx, "devs", "alice"))
	pp, err = s.PrincipalPolicies(ctx, testAccount, user)
	mustNil(t, err)
	want := []PolicyDoc{{ID: "p", Type: "user"}, {ID: "p", Type: "group", Owner: "devs"}, {ID: p.ARN, Type: "IAM Policy"}}
	if len(pp.Identity) != len(want) {
		t.Fatalf("identity: %+v", pp.Identity)
	}
	for i, w := range want {
		if d := pp.Identity[i]; d.ID != w.ID || d.Type != w.Type || d.Owner != w.Owner {
			t.Fatalf("identity[%d] = %+v, want %+v", i, d, w)
		}
	}
	gp, err := s.PrincipalPolicies(ctx, testAccount, "arn:aws:iam::123456789012:group/devs")
	mustNil(t, err)
	if len(gp.Identity) != 2 || gp.Boundary != nil {
		t.Fatalf("group policies: %+v", gp)
	}

	// Simulation of the user reports the group's inline policy as type
	// "group"; an exclusion naming the group drops it and not the user's.
	res, err := s.SimulatePrincipalPolicy(ctx, &SimulateInput{PolicySourceARN: user, ActionNames: []string{"s3:GetObject"},
		Exclusions: []PolicyExclusion{{PolicyARN: p.ARN}, {PolicyName: "p", AttachmentType: "user", AttachmentName: "alice"}}})
	mustNil(t, err)
	if m := res.Items[0].Matched; res.Items[0].Decision != "allowed" || len(m) != 1 || m[0].SourcePolicyID != "p" || m[0].SourcePolicyType != "group" {
		t.Fatalf("simulation via group: %+v", res.Items[0])
	}
	res, err = s.SimulatePrincipalPolicy(ctx, &SimulateInput{PolicySourceARN: user, ActionNames: []string{"s3:GetObject"},
		Exclusions: []PolicyExclusion{{PolicyARN: p.ARN}, {PolicyName: "p", AttachmentType: "group", AttachmentName: "dev*"}}})
	mustNil(t, err)
	if m := res.Items[0].Matched; len(m) != 1 || m[0].SourcePolicyType != "user" {
		t.Fatalf("group exclusion: %+v", res.Items[0])
	}
	res, err = s.SimulatePrincipalPolicy(ctx, &SimulateInput{PolicySourceARN: "arn:aws:iam::123456789012:group/devs", ActionNames: []string{"iam:ListUsers"}})
	mustNil(t, err)
	if m := res.Items[0].Matched; res.Items[0].Decision != "allowed" || len(m) != 1 || m[0].SourcePolicyID != p.ARN {
		t.Fatalf("group simulation: %+v", res.Items[0])
	}

	mustNil(t, s.RemoveUserFromGroup(ctx, "devs", "alice"))
	pp, _ = s.PrincipalPolicies(ctx, testAccount, user)
	if len(pp.Identity) != 1 {
		t.Fatalf("after removal: %+v", pp.Identity)
	}
}

// recordingAuthz is an Authorizer that records requests and denies nothing.
type recordingAuthz struct {
	mu   sync.Mutex
	reqs []AuthzRequest
}

func (r *recordingAuthz) Authorize(_ context.Context, q *AuthzRequest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, *q)
	return nil
}

// TestGroupAuthorization checks the action, resource ARN and condition
// keys each group operation is authorized with.
func TestGroupAuthorization(t *testing.T) {
	s, ctx := newTestService(t)
	rec := &recordingAuthz{}
	s.SetAuthorizer(rec)
	ctx = identity.With(ctx, &identity.Caller{Type: identity.Root, Account: testAccount, ARN: identity.RootARN(testAccount), UserID: testAccount})
	_, err := s.CreateGroup(ctx, &CreateGroupInput{GroupName: "devs", Path: "/eng/"})
	mustNil(t, err)
	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "alice"})
	mustNil(t, err)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "all", PolicyDocument: allowAll})
	mustNil(t, err)
	rec.reqs = nil
	g := "arn:aws:iam::123456789012:group/eng/devs"
	steps := []struct {
		run      func() error
		action   string
		resource string
		keys     map[string][]string
	}{
		{func() error { return s.AddUserToGroup(ctx, "devs", "alice") }, "iam:AddUserToGroup", g, nil},
		{func() error { _, err := s.ListGroupsForUser(ctx, "alice", "", nil); return err }, "iam:ListGroupsForUser", "arn:aws:iam::123456789012:user/alice", nil},
		{func() error { return s.AttachGroupPolicy(ctx, "devs", p.ARN) }, "iam:AttachGroupPolicy", g, map[string][]string{"iam:PolicyARN": {p.ARN}}},
		{func() error { return s.DetachGroupPolicy(ctx, "devs", p.ARN) }, "iam:DetachGroupPolicy", g, map[string][]string{"iam:PolicyARN": {p.ARN}}},
		{func() error { return s.PutGroupPolicy(ctx, "devs", "x", allowS3) }, "iam:PutGroupPolicy", g, nil},
		{func() error { _, err := s.ListGroups(ctx, "", "", nil); return err }, "iam:ListGroups", "arn:aws:iam::123456789012:group/*", nil},
		{func() error { return s.RemoveUserFromGroup(ctx, "devs", "alice") }, "iam:RemoveUserFromGroup", g, nil},
		{func() error { _, _, err := s.GetGroup(ctx, "ghost", "", nil); _ = err; return nil }, "iam:GetGroup", "arn:aws:iam::123456789012:group/ghost", nil},
	}
	for _, st := range steps {
		rec.reqs = nil
		mustNil(t, st.run())
		if len(rec.reqs) == 0 {
			t.Fatalf("%s: not authorized", st.action)
		}
		q := rec.reqs[0]
		if q.Action != st.action || q.Resource != st.resource || fmt.Sprint(q.Context) != fmt.Sprint(st.keys) && !(len(q.Context) == 0 && len(st.keys) == 0) {
			t.Fatalf("%s: got %s %s %v", st.action, q.Action, q.Resource, q.Context)
		}
	}
	// A rename needs the permission on the new ARN too.
	rec.reqs = nil
	mustNil(t, s.UpdateGroup(ctx, "devs", "devs2", "/x/"))
	if len(rec.reqs) != 2 || rec.reqs[1].Resource != "arn:aws:iam::123456789012:group/x/devs2" {
		t.Fatalf("UpdateGroup authorizations: %+v", rec.reqs)
	}
}
