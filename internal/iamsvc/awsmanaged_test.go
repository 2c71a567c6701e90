package iamsvc

import (
	"strings"
	"testing"
)

const (
	adminARN    = "arn:aws:iam::aws:policy/AdministratorAccess"
	readOnlyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	lambdaARN   = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)

func TestAWSManagedPolicies(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.GetPolicy(ctx, adminARN)
	mustNil(t, err)
	if p.PolicyID != "ANPAIWMBCKSKIEE64ZLYK" || p.Path != "/" || p.DefaultVersionID != "v1" || p.AttachmentCount != 0 ||
		p.CreateDate.Format("2006-01-02T15:04:05Z") != "2015-02-06T18:39:46Z" || p.Description == "" {
		t.Fatalf("GetPolicy: %+v", p)
	}
	_, err = s.GetPolicy(ctx, "arn:aws:iam::aws:policy/NoSuchPolicy")
	wantErr(t, err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.")

	_, err = s.CreateUser(ctx, &CreateUserInput{UserName: "alice"})
	mustNil(t, err)
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	mustNil(t, s.AttachUserPolicy(ctx, "alice", adminARN))
	mustNil(t, s.AttachUserPolicy(ctx, "alice", adminARN)) // no-op, as AWS
	mustNil(t, s.AttachRolePolicy(ctx, "app", adminARN))
	mustNil(t, s.AttachRolePolicy(ctx, "app", lambdaARN))
	wantErr(t, s.AttachRolePolicy(ctx, "app", "arn:aws:iam::aws:policy/NoSuchPolicy"), "NoSuchEntity",
		"Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.")
	mustNil(t, s.PutUserPermissionsBoundary(ctx, "alice", readOnlyARN))

	p, err = s.GetPolicy(ctx, adminARN)
	mustNil(t, err)
	if p.AttachmentCount != 2 {
		t.Fatalf("AttachmentCount = %d, want 2", p.AttachmentCount)
	}
	ro, err := s.GetPolicy(ctx, readOnlyARN)
	mustNil(t, err)
	if ro.PermissionsBoundaryUsageCount != 1 || ro.AttachmentCount != 0 {
		t.Fatalf("ReadOnlyAccess counts: %+v", ro)
	}
	ents, err := s.ListEntitiesForPolicy(ctx, &ListEntitiesForPolicyInput{PolicyARN: adminARN})
	mustNil(t, err)
	if len(ents.Items) != 2 || ents.Items[0].Name != "alice" || ents.Items[1].Name != "app" {
		t.Fatalf("entities: %+v", ents.Items)
	}

	// Enforcement and simulation see the documents.
	pp, err := s.PrincipalPolicies(ctx, testAccount, "arn:aws:iam::"+testAccount+":user/alice")
	mustNil(t, err)
	if len(pp.Identity) != 1 || pp.Identity[0].ID != adminARN || !strings.Contains(pp.Identity[0].Document, `"*"`) ||
		pp.Boundary == nil || pp.Boundary.ID != readOnlyARN || len(pp.Boundary.Document) < 10000 {
		t.Fatalf("PrincipalPolicies: %+v", pp)
	}

	// Listing scopes and filters.
	list := func(in ListPoliciesInput) []string {
		t.Helper()
		pg, err := s.ListPolicies(ctx, &in)
		mustNil(t, err)
		var names []string
		for _, p := range pg.Items {
			names = append(names, p.PolicyName)
		}
		return names
	}
	_, err = s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "local", PolicyDocument: allowS3})
	mustNil(t, err)
	if got := list(ListPoliciesInput{Scope: "AWS", OnlyAttached: true}); strings.Join(got, ",") != "AdministratorAccess,AWSLambdaBasicExecutionRole" {
		t.Errorf("AWS attached: %v", got)
	}
	if got := list(ListPoliciesInput{Scope: "Local"}); strings.Join(got, ",") != "local" {
		t.Errorf("Local: %v", got)
	}
	if got := list(ListPoliciesInput{PathPrefix: "/service-role/"}); len(got) != 3 {
		t.Errorf("service-role: %v", got)
	}
	if got := list(ListPoliciesInput{Scope: "All", PolicyUsageFilter: "PermissionsBoundary"}); strings.Join(got, ",") != "ReadOnlyAccess" {
		t.Errorf("boundaries: %v", got)
	}
	if got := list(ListPoliciesInput{}); len(got) != 12 {
		t.Errorf("All: %v", got)
	}
	// Paging over the merged listing.
	one := int32(5)
	pg, err := s.ListPolicies(ctx, &ListPoliciesInput{MaxItems: &one})
	mustNil(t, err)
	pg2, err := s.ListPolicies(ctx, &ListPoliciesInput{MaxItems: &one, Marker: pg.Marker})
	mustNil(t, err)
	if !pg.IsTruncated || len(pg2.Items) != 5 || pg2.Items[0].PolicyName == pg.Items[4].PolicyName {
		t.Errorf("paging: %v %v", pg.Items, pg2.Items)
	}

	// Versions.
	vs, err := s.ListPolicyVersions(ctx, readOnlyARN, "", nil)
	mustNil(t, err)
	if len(vs.Items) != 1 || !vs.Items[0].IsDefaultVersion || vs.Items[0].VersionID != ro.DefaultVersionID {
		t.Errorf("versions: %+v", vs.Items)
	}
	v, err := s.GetPolicyVersion(ctx, adminARN, "v1")
	mustNil(t, err)
	if !v.IsDefaultVersion || !strings.Contains(v.Document, "2012-10-17") {
		t.Errorf("version: %+v", v)
	}

	// Not editable, even by the root user.
	denied := "User: arn:aws:iam::123456789012:root is not authorized to perform: %s on resource: policy " + adminARN +
		" because no resource-based policy allows the %s action"
	msg := func(a string) string { return strings.ReplaceAll(denied, "%s", a) }
	_, err = s.CreatePolicyVersion(ctx, adminARN, allowS3, true)
	wantErr(t, err, "AccessDenied", msg("iam:CreatePolicyVersion"))
	wantErr(t, s.DeletePolicy(ctx, adminARN), "AccessDenied", msg("iam:DeletePolicy"))
	wantErr(t, s.DeletePolicyVersion(ctx, adminARN, "v1"), "AccessDenied", msg("iam:DeletePolicyVersion"))
	wantErr(t, s.SetDefaultPolicyVersion(ctx, adminARN, "v1"), "AccessDenied", msg("iam:SetDefaultPolicyVersion"))
	wantErr(t, s.TagPolicy(ctx, adminARN, []Tag{{Key: "k", Value: "v"}}), "AccessDenied", msg("iam:TagPolicy"))
	wantErr(t, s.UntagPolicy(ctx, adminARN, []string{"k"}), "AccessDenied", msg("iam:UntagPolicy"))

	// Detach.
	mustNil(t, s.DetachUserPolicy(ctx, "alice", adminARN))
	wantErr(t, s.DetachUserPolicy(ctx, "alice", adminARN), "NoSuchEntity", "Policy "+adminARN+" was not found.")
	p, _ = s.GetPolicy(ctx, adminARN)
	if p.AttachmentCount != 1 {
		t.Fatalf("AttachmentCount after detach = %d", p.AttachmentCount)
	}
}
