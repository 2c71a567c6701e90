package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// TestAWSManagedPoliciesEnforced attaches AWS managed policies and checks
// what they grant through enforcement, with aws-cli v1 and v2.
func TestAWSManagedPoliciesEnforced(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	bob := newUserWithKey(t, s, root, "bob")
	mustFail(t, s.awsV2(t, bob, "iam", "create-user", "--user-name", "x1"), "AccessDenied")
	mustOK(t, s.awsV1(t, root, "iam", "attach-user-policy", "--user-name", "bob", "--policy-arn", adminPolicyARN))
	mustOK(t, s.awsV2(t, bob, "iam", "create-user", "--user-name", "x1"))

	carol := newUserWithKey(t, s, root, "carol")
	mustOK(t, s.awsV2(t, root, "iam", "attach-user-policy", "--user-name", "carol", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"))
	mustOK(t, s.awsV1(t, carol, "iam", "get-user", "--user-name", "bob"))
	r := s.awsV2(t, carol, "iam", "create-user", "--user-name", "x2")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "user/carol is not authorized to perform: iam:CreateUser") {
		t.Errorf("denial: %s", r.Stderr)
	}

	p := mustOK(t, s.awsV1(t, root, "iam", "get-policy", "--policy-arn", adminPolicyARN)).json(t)["Policy"].(map[string]any)
	if p["PolicyId"] != "ANPAIWMBCKSKIEE64ZLYK" || p["AttachmentCount"] != float64(1) || p["DefaultVersionId"] != "v1" ||
		p["Description"] != "Provides full access to AWS services and resources." || p["IsAttachable"] != true {
		t.Errorf("get-policy: %v", p)
	}
	v := mustOK(t, s.awsV2(t, root, "iam", "get-policy-version", "--policy-arn", adminPolicyARN, "--version-id", "v1")).json(t)["PolicyVersion"].(map[string]any)
	if doc, ok := v["Document"].(map[string]any); !ok || doc["Version"] != "2012-10-17" {
		t.Errorf("document not decoded by the CLI: %v", v)
	}
	list := mustOK(t, s.awsV2(t, root, "iam", "list-policies", "--scope", "AWS", "--only-attached")).json(t)["Policies"].([]any)
	if len(list) != 2 {
		t.Errorf("list-policies --scope AWS --only-attached: %v", list)
	}
	ents := mustOK(t, s.awsV1(t, root, "iam", "list-entities-for-policy", "--policy-arn", adminPolicyARN)).json(t)["PolicyUsers"].([]any)
	if len(ents) != 1 || ents[0].(map[string]any)["UserName"] != "bob" {
		t.Errorf("list-entities-for-policy: %v", ents)
	}
	r = s.awsV1(t, root, "iam", "delete-policy", "--policy-arn", adminPolicyARN)
	mustFail(t, r, "AccessDenied")
	mustFail(t, s.awsV2(t, bob, "iam", "create-policy-version", "--policy-arn", adminPolicyARN, "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), "AccessDenied")
	// As a permissions boundary: ReadOnlyAccess caps bob's AdministratorAccess.
	mustOK(t, s.awsV1(t, root, "iam", "put-user-permissions-boundary", "--user-name", "bob", "--permissions-boundary", "arn:aws:iam::aws:policy/ReadOnlyAccess"))
	mustFail(t, s.awsV2(t, bob, "iam", "create-user", "--user-name", "x3"), "AccessDenied")
	mustOK(t, s.awsV2(t, bob, "iam", "list-users"))
}

// TestInstanceProfilesBoto3 drives the instance profile lifecycle with its
// conflicts through boto3.
func TestInstanceProfilesBoto3(t *testing.T) {
	s := startServer(t, fixedEnv())
	r := mustOK(t, s.boto3(t, fixedRoot(), boto3Harness+`
trust = `+"'"+e2eTrust+"'"+`
call("role", "create_role", RoleName="web-role", AssumeRolePolicyDocument=trust)
call("role2", "create_role", RoleName="other", AssumeRolePolicyDocument=trust)
call("create", "create_instance_profile", InstanceProfileName="web", Path="/app/", Tags=[{"Key":"k","Value":"v"}])
call("dup", "create_instance_profile", InstanceProfileName="web")
call("add", "add_role_to_instance_profile", InstanceProfileName="web", RoleName="web-role")
call("add2", "add_role_to_instance_profile", InstanceProfileName="web", RoleName="other")
call("attach", "attach_role_policy", RoleName="web-role", PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
call("get", "get_instance_profile", InstanceProfileName="web")
call("list", "list_instance_profiles", PathPrefix="/app/")
call("for_role", "list_instance_profiles_for_role", RoleName="web-role")
call("del_role", "delete_role", RoleName="web-role")
call("del_ip", "delete_instance_profile", InstanceProfileName="web")
call("tag", "tag_instance_profile", InstanceProfileName="web", Tags=[{"Key":"env","Value":"dev"}])
call("tags", "list_instance_profile_tags", InstanceProfileName="web")
call("missing", "get_instance_profile", InstanceProfileName="nope")
call("remove", "remove_role_from_instance_profile", InstanceProfileName="web", RoleName="web-role")
call("del_ip2", "delete_instance_profile", InstanceProfileName="web")
call("get_deleted", "get_instance_profile", InstanceProfileName="web")
dump()
`))
	out := r.json(t)
	get := func(label string) map[string]any {
		t.Helper()
		m, ok := out[label].(map[string]any)
		if !ok {
			t.Fatalf("%s: no result in %v", label, out)
		}
		return m
	}
	wantErr := func(label, code, msg string) {
		t.Helper()
		e, ok := get(label)["Error"].(map[string]any)
		if !ok || e["Code"] != code || (msg != "" && e["Message"] != msg) {
			t.Errorf("%s: want %s %q, got %v", label, code, msg, get(label))
		}
	}
	ok := func(label string) map[string]any {
		t.Helper()
		m := get(label)
		if e, bad := m["Error"]; bad {
			t.Fatalf("%s failed: %v", label, e)
		}
		return m
	}
	ip := ok("create")["InstanceProfile"].(map[string]any)
	if ip["Arn"] != "arn:aws:iam::123456789012:instance-profile/app/web" || !strings.HasPrefix(ip["InstanceProfileId"].(string), "AIPA") {
		t.Errorf("create: %v", ip)
	}
	wantErr("dup", "EntityAlreadyExists", "Instance Profile web already exists.")
	ok("add")
	wantErr("add2", "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	roles := ok("get")["InstanceProfile"].(map[string]any)["Roles"].([]any)
	if len(roles) != 1 || roles[0].(map[string]any)["RoleName"] != "web-role" {
		t.Errorf("get roles: %v", roles)
	}
	if l := ok("list")["InstanceProfiles"].([]any); len(l) != 1 {
		t.Errorf("list: %v", l)
	}
	if l := ok("for_role")["InstanceProfiles"].([]any); len(l) != 1 {
		t.Errorf("for role: %v", l)
	}
	wantErr("del_role", "DeleteConflict", "")
	wantErr("del_ip", "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	if tags := ok("tags")["Tags"].([]any); len(tags) != 2 {
		t.Errorf("tags: %v", tags)
	}
	wantErr("missing", "NoSuchEntity", "Instance Profile nope cannot be found.")
	ok("remove")
	ok("del_ip2")
	wantErr("get_deleted", "NoSuchEntity", "")
}

// TestAccountAliasAndSummary checks account aliases and GetAccountSummary
// with aws-cli v2 and v1.
func TestAccountAliasAndSummary(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV2(t, root, "iam", "create-account-alias", "--account-alias", "my-corp"))
	r := s.awsV2(t, root, "iam", "create-account-alias", "--account-alias", "second")
	mustFail(t, r, "LimitExceeded")
	if !strings.Contains(r.Stderr, "Cannot exceed quota for AccountAliasesPerAccount: 1") {
		t.Errorf("message: %s", r.Stderr)
	}
	mustFail(t, s.awsV1(t, root, "iam", "create-account-alias", "--account-alias", "Bad--Alias"), "ValidationError")
	aliases := mustOK(t, s.awsV1(t, root, "iam", "list-account-aliases")).json(t)["AccountAliases"].([]any)
	if len(aliases) != 1 || aliases[0] != "my-corp" {
		t.Errorf("aliases: %v", aliases)
	}
	mustFail(t, s.awsV1(t, root, "iam", "delete-account-alias", "--account-alias", "other"), "NoSuchEntity")
	mustOK(t, s.awsV1(t, root, "iam", "delete-account-alias", "--account-alias", "my-corp"))

	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "r", "--assume-role-policy-document", e2eTrust))
	m := mustOK(t, s.awsV2(t, root, "iam", "get-account-summary")).json(t)["SummaryMap"].(map[string]any)
	if len(m) != 34 || m["Roles"] != float64(1) || m["RolesQuota"] != float64(1000) || m["AccountAccessKeysPresent"] != float64(1) {
		t.Errorf("summary: %v", m)
	}
}

// TestQuotaFlags lowers quotas through the binary's flag and environment
// and checks that an unknown quota name stops the start.
func TestQuotaFlags(t *testing.T) {
	s := startServer(t, append(fixedEnv(), "IAMD_QUOTAS=InstanceProfilesQuota=1,PolicySizeQuota=100"), "--quota", "RolesQuota=1")
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "r1", "--assume-role-policy-document", e2eTrust))
	r := s.awsV2(t, root, "iam", "create-role", "--role-name", "r2", "--assume-role-policy-document", e2eTrust)
	mustFail(t, r, "LimitExceeded")
	if !strings.Contains(r.Stderr, "Cannot exceed quota for RolesPerAccount: 1") {
		t.Errorf("message: %s", r.Stderr)
	}
	mustOK(t, s.awsV1(t, root, "iam", "create-instance-profile", "--instance-profile-name", "a"))
	mustFail(t, s.awsV1(t, root, "iam", "create-instance-profile", "--instance-profile-name", "b"), "LimitExceeded")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::some-long-bucket-name/*"}]}`
	mustFail(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "p", "--policy-document", doc), "LimitExceeded")
	m := mustOK(t, s.awsV2(t, root, "iam", "get-account-summary")).json(t)["SummaryMap"].(map[string]any)
	if m["RolesQuota"] != float64(1) || m["InstanceProfilesQuota"] != float64(1) || m["PolicySizeQuota"] != float64(100) {
		t.Errorf("summary quotas: %v", m)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, iamdBin, "serve", "--addr", freeAddr(t), "--data", t.TempDir(), "--quota", "NoSuchQuota=3")
	cmd.Env = cleanEnv()
	outb, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("server started with an unknown quota: %s", outb)
	}
	if lines := lines(string(outb)); len(lines) != 1 || !strings.Contains(lines[0], `unknown quota "NoSuchQuota"`) {
		t.Errorf("want a one-line error, got %q", outb)
	}
}
