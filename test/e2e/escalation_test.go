package e2e

import (
	"strings"
	"testing"
)

// delegationSetup is run by root: a boundary policy that allows only IAM
// reads, an admin policy, a role outside the delegated path, a role in it
// without a boundary, and the delegated administrator alice with AWS's
// documented delegation policy: she may create and change roles under
// /delegated/ only while they carry the boundary, may never remove or
// replace it, and may never change the boundary policy itself.
const delegationSetup = `
acct = "123456789012"
boundary_doc = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","sts:GetCallerIdentity"],"Resource":"*"}]}
admin_doc = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
trust = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}
b = call("boundary", "create_policy", PolicyName="dev-boundary", PolicyDocument=json.dumps(boundary_doc))["Policy"]["Arn"]
a = call("admin", "create_policy", PolicyName="admin", PolicyDocument=json.dumps(admin_doc))["Policy"]["Arn"]
call("wide", "create_policy", PolicyName="wide-boundary", PolicyDocument=json.dumps(admin_doc))
call("admin_role", "create_role", RoleName="admin", AssumeRolePolicyDocument=json.dumps(trust))
call("attach_admin", "attach_role_policy", RoleName="admin", PolicyArn=a)
call("unbounded", "create_role", RoleName="unbounded", Path="/delegated/", AssumeRolePolicyDocument=json.dumps(trust))
call("bounded", "create_role", RoleName="bounded", Path="/delegated/", AssumeRolePolicyDocument=json.dumps(trust), PermissionsBoundary=b)
deleg = {"Version":"2012-10-17","Statement":[
  {"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow",
   "Action":["iam:CreateRole","iam:PutRolePolicy","iam:DeleteRolePolicy","iam:AttachRolePolicy","iam:DetachRolePolicy","iam:PutRolePermissionsBoundary"],
   "Resource":"arn:aws:iam::"+acct+":role/delegated/*",
   "Condition":{"StringEquals":{"iam:PermissionsBoundary":b}}},
  {"Sid":"ManageDelegatedRoles","Effect":"Allow",
   "Action":["iam:UpdateAssumeRolePolicy","iam:GetRole","iam:DeleteRole","sts:AssumeRole"],
   "Resource":"arn:aws:iam::"+acct+":role/delegated/*"},
  {"Sid":"ReadAndOwnPolicies","Effect":"Allow",
   "Action":["iam:Get*","iam:List*","iam:CreatePolicy","iam:CreatePolicyVersion","iam:SetDefaultPolicyVersion","iam:DeletePolicyVersion"],
   "Resource":"*"},
  {"Sid":"NoBoundaryPolicyEdit","Effect":"Deny",
   "Action":["iam:CreatePolicyVersion","iam:DeletePolicy","iam:DeletePolicyVersion","iam:SetDefaultPolicyVersion"],
   "Resource":b},
  {"Sid":"NoBoundaryRemoval","Effect":"Deny",
   "Action":["iam:DeleteRolePermissionsBoundary","iam:DeleteUserPermissionsBoundary"],"Resource":"*"}]}
call("alice", "create_user", UserName="alice")
call("deleg", "put_user_policy", UserName="alice", PolicyName="delegation", PolicyDocument=json.dumps(deleg))
call("key", "create_access_key", UserName="alice")
dump()
`

// escalationAttempts is run by alice: every privilege-escalation path
// through CreateRole, PutRolePolicy, AttachRolePolicy, CreatePolicyVersion,
// SetDefaultPolicyVersion, DeleteRolePermissionsBoundary,
// PutRolePermissionsBoundary and UpdateAssumeRolePolicy, and the allowed
// calls that prove the delegation works at all.
const escalationAttempts = `
acct = "123456789012"
b = "arn:aws:iam::"+acct+":policy/dev-boundary"
wide = "arn:aws:iam::"+acct+":policy/wide-boundary"
a = "arn:aws:iam::"+acct+":policy/admin"
admin_doc = json.dumps({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})
me = iam.get_user()["User"]["Arn"]
trust_me = json.dumps({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":me},"Action":"sts:AssumeRole"}]})
# CreateRole
call("create_no_boundary", "create_role", RoleName="r1", Path="/delegated/", AssumeRolePolicyDocument=trust_me)
call("create_wide_boundary", "create_role", RoleName="r2", Path="/delegated/", AssumeRolePolicyDocument=trust_me, PermissionsBoundary=wide)
call("create_outside_path", "create_role", RoleName="r3", AssumeRolePolicyDocument=trust_me, PermissionsBoundary=b)
call("create_ok", "create_role", RoleName="mine", Path="/delegated/", AssumeRolePolicyDocument=trust_me, PermissionsBoundary=b)
# PutRolePolicy / AttachRolePolicy on roles without the boundary
call("put_unbounded", "put_role_policy", RoleName="unbounded", PolicyName="x", PolicyDocument=admin_doc)
call("put_admin_role", "put_role_policy", RoleName="admin", PolicyName="x", PolicyDocument=admin_doc)
call("attach_unbounded", "attach_role_policy", RoleName="unbounded", PolicyArn=a)
call("attach_admin_role", "attach_role_policy", RoleName="admin", PolicyArn=a)
# ... allowed on bounded roles (the boundary still caps them)
call("put_mine", "put_role_policy", RoleName="mine", PolicyName="admin", PolicyDocument=admin_doc)
call("attach_mine", "attach_role_policy", RoleName="mine", PolicyArn=a)
# Boundary removal or replacement
call("delete_boundary", "delete_role_permissions_boundary", RoleName="mine")
call("replace_boundary", "put_role_permissions_boundary", RoleName="mine", PermissionsBoundary=wide)
call("bound_unbounded", "put_role_permissions_boundary", RoleName="unbounded", PermissionsBoundary=b)
# Widening the boundary policy itself
call("boundary_version", "create_policy_version", PolicyArn=b, PolicyDocument=admin_doc, SetAsDefault=True)
call("boundary_default", "set_default_policy_version", PolicyArn=b, VersionId="v1")
call("boundary_delete", "delete_policy", PolicyArn=b)
# Trust policy rewrite of a privileged role outside the delegated path
call("trust_admin_role", "update_assume_role_policy", RoleName="admin", PolicyDocument=trust_me)
call("trust_mine", "update_assume_role_policy", RoleName="mine", PolicyDocument=trust_me)
# Granting herself more
call("self_policy", "put_user_policy", UserName="alice", PolicyName="more", PolicyDocument=admin_doc)
call("self_attach", "attach_user_policy", UserName="alice", PolicyArn=a)
dump()
`

// TestDelegatedAdministrationEscalation: a user allowed to create roles
// only with a given permissions boundary cannot escape it through any IAM
// write path, and the roles she creates and assumes stay capped by it.
func TestDelegatedAdministrationEscalation(t *testing.T) {
	s := startServer(t, fixedEnv())
	setup := mustOK(t, s.boto3(t, fixedRoot(), boto3Harness+delegationSetup)).json(t)
	for label, v := range setup {
		if e, bad := v.(map[string]any)["Error"]; bad {
			t.Fatalf("setup %s: %v", label, e)
		}
	}
	k := setup["key"].(map[string]any)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: k["AccessKeyId"].(string), SecretAccessKey: k["SecretAccessKey"].(string)}

	out := mustOK(t, s.boto3(t, alice, boto3Harness+escalationAttempts)).json(t)
	want := map[string]string{
		"create_no_boundary": "AccessDenied", "create_wide_boundary": "AccessDenied", "create_outside_path": "AccessDenied",
		"create_ok":     "",
		"put_unbounded": "AccessDenied", "put_admin_role": "AccessDenied",
		"attach_unbounded": "AccessDenied", "attach_admin_role": "AccessDenied",
		"put_mine": "", "attach_mine": "",
		"delete_boundary": "AccessDenied", "replace_boundary": "AccessDenied", "bound_unbounded": "",
		"boundary_version": "AccessDenied", "boundary_default": "AccessDenied", "boundary_delete": "AccessDenied",
		"trust_admin_role": "AccessDenied", "trust_mine": "",
		"self_policy": "AccessDenied", "self_attach": "AccessDenied",
	}
	for label, code := range want {
		got, msg := "", ""
		if e, ok := out[label].(map[string]any)["Error"].(map[string]any); ok {
			got, msg = e["Code"].(string), e["Message"].(string)
		}
		if got != code {
			t.Errorf("%s: got %q, want %q (%v)", label, got, code, out[label])
		}
		if code == "AccessDenied" && !strings.HasPrefix(msg, "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ") {
			t.Errorf("%s: message %q", label, msg)
		}
	}
	deny := out["delete_boundary"].(map[string]any)["Error"].(map[string]any)["Message"].(string)
	if !strings.Contains(deny, "with an explicit deny in an identity-based policy") {
		t.Errorf("delete_boundary message: %s", deny)
	}

	// The role alice made admin is still capped by the boundary once she
	// assumes it: reads pass, every write is denied by the boundary.
	r := mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/delegated/mine",
		"--role-session-name", "escape"))
	sess := credsFrom(t, r)
	mustOK(t, s.awsV1(t, sess, "iam", "list-roles"))
	for _, args := range [][]string{
		{"iam", "create-user", "--user-name", "mallory"},
		{"iam", "delete-role-permissions-boundary", "--role-name", "mine"},
		{"iam", "attach-user-policy", "--user-name", "alice", "--policy-arn", "arn:aws:iam::123456789012:policy/admin"},
		{"iam", "update-assume-role-policy", "--role-name", "admin", "--policy-document",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}`},
	} {
		r := s.awsV2(t, sess, args...)
		mustFail(t, r, "AccessDenied")
		if !strings.Contains(r.Stderr, "because no permissions boundary allows the") {
			t.Errorf("%v: %s", args, r.Stderr)
		}
	}
	// Roles outside the delegated path stay out of reach: the admin role's
	// trust policy was not rewritten, so alice cannot assume it.
	mustFail(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/admin",
		"--role-session-name", "xx"), "AccessDenied")
}
