package iamsvc

import (
	"strings"
	"testing"
)

// TestTrustBindsUniqueIDs: a trust policy naming a user binds it by unique
// id; deleting and recreating the user unbinds it (the document then shows
// the old id), saving the policy again binds the new user; a principal that
// does not exist in a hosted account is refused; other accounts' ARNs and
// the account root are kept as written.
func TestTrustBindsUniqueIDs(t *testing.T) {
	s, ctx := newTestService(t)
	u, err := s.CreateUser(ctx, &CreateUserInput{UserName: "alice", Path: "/eng/"})
	mustNil(t, err)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/eng/alice","arn:aws:iam::123456789012:root","arn:aws:iam::999999999999:user/elsewhere"]},"Action":"sts:AssumeRole"}]}`
	ro, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trust})
	mustNil(t, err)
	if len(ro.TrustIDs) != 1 || ro.TrustIDs["arn:aws:iam::123456789012:user/eng/alice"] != u.UserID {
		t.Fatalf("bindings: %v", ro.TrustIDs)
	}
	got, err := s.GetRole(ctx, "r")
	mustNil(t, err)
	if got.AssumeRolePolicyDocument != trust {
		t.Fatalf("unchanged principal rewritten: %s", got.AssumeRolePolicyDocument)
	}

	mustNil(t, s.DeleteUser(ctx, "alice"))
	u2, err := s.CreateUser(ctx, &CreateUserInput{UserName: "alice", Path: "/eng/"})
	mustNil(t, err)
	got, err = s.GetRole(ctx, "r")
	mustNil(t, err)
	if strings.Contains(got.AssumeRolePolicyDocument, "user/eng/alice") || !strings.Contains(got.AssumeRolePolicyDocument, `"`+u.UserID+`"`) ||
		!strings.Contains(got.AssumeRolePolicyDocument, "arn:aws:iam::999999999999:user/elsewhere") {
		t.Fatalf("recreated principal still bound: %s", got.AssumeRolePolicyDocument)
	}
	byARN, _, ok, err := s.RoleByARN(ctx, ro.ARN)
	if err != nil || !ok || byARN.AssumeRolePolicyDocument != got.AssumeRolePolicyDocument {
		t.Fatalf("RoleByARN: %v %v %+v", err, ok, byARN)
	}

	mustNil(t, s.UpdateAssumeRolePolicy(ctx, "r", trust))
	got, err = s.GetRole(ctx, "r")
	mustNil(t, err)
	if got.AssumeRolePolicyDocument != trust || got.TrustIDs["arn:aws:iam::123456789012:user/eng/alice"] != u2.UserID {
		t.Fatalf("rebinding: %s %v", got.AssumeRolePolicyDocument, got.TrustIDs)
	}

	bad := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/nobody"},"Action":"sts:AssumeRole"}]}`
	wantErr(t, s.UpdateAssumeRolePolicy(ctx, "r", bad), "MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/nobody"`)
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "self", AssumeRolePolicyDocument: strings.Replace(bad, "user/nobody", "role/self", 1)})
	wantErr(t, err, "MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/self"`)
}
