package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// boto3Harness is a Python prelude: call(label, op, **kw) records each
// response (or its error code and message) under label; dump() prints
// them as JSON.
const boto3Harness = `
import boto3, json, botocore
iam = boto3.client("iam")
out = {}
def call(label, op, **kw):
    try:
        r = getattr(iam, op)(**kw)
        r.pop("ResponseMetadata", None)
        out[label] = r
    except botocore.exceptions.ClientError as e:
        out[label] = {"Error": {"Code": e.response["Error"]["Code"], "Message": e.response["Error"]["Message"]}}
    return out[label]
def dump():
    print(json.dumps(out, default=str))
`

const e2eTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// TestRolesAndManagedPoliciesBoto3 drives the role, inline role policy,
// managed policy and attachment APIs through boto3 and compares with
// AWS's recorded shapes and messages.
func TestRolesAndManagedPoliciesBoto3(t *testing.T) {
	s := startServer(t, fixedEnv())
	r := mustOK(t, s.boto3(t, fixedRoot(), boto3Harness+`
trust = `+"'"+e2eTrust+"'"+`
doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
call("create", "create_role", RoleName="app", Path="/svc/", AssumeRolePolicyDocument=trust, Tags=[{"Key":"test","Value":"value"}])
call("dup", "create_role", RoleName="APP", AssumeRolePolicyDocument=trust)
call("badjson", "create_role", RoleName="x", AssumeRolePolicyDocument="{")
call("get", "get_role", RoleName="app")
call("list", "list_roles", PathPrefix="/svc/")
call("update", "update_role", RoleName="app", Description="d", MaxSessionDuration=7200)
call("desc", "update_role_description", RoleName="app", Description="d2")
call("put_rp", "put_role_policy", RoleName="app", PolicyName="inline", PolicyDocument=doc)
call("get_rp", "get_role_policy", RoleName="app", PolicyName="inline")
call("list_rp", "list_role_policies", RoleName="app")
call("policy", "create_policy", PolicyName="ops", Path="/team/", PolicyDocument=doc, Description="managed")
arn = out["policy"]["Policy"]["Arn"]
call("dup_policy", "create_policy", PolicyName="ops", PolicyDocument=doc)
for i in range(4):
    call("v%d" % (i+2), "create_policy_version", PolicyArn=arn, PolicyDocument=doc, SetAsDefault=(i == 0))
call("v6", "create_policy_version", PolicyArn=arn, PolicyDocument=doc)
call("versions", "list_policy_versions", PolicyArn=arn)
call("getv", "get_policy_version", PolicyArn=arn, VersionId="v2")
call("del_default", "delete_policy_version", PolicyArn=arn, VersionId="v2")
call("attach_missing", "attach_role_policy", RoleName="app", PolicyArn=arn + "123")
call("attach_bad", "attach_role_policy", RoleName="app", PolicyArn="existing-policy-name")
call("attach", "attach_role_policy", RoleName="app", PolicyArn=arn)
call("attached", "list_attached_role_policies", RoleName="app")
call("entities", "list_entities_for_policy", PolicyArn=arn)
call("getp", "get_policy", PolicyArn=arn)
call("listp", "list_policies", Scope="Local", OnlyAttached=True)
call("del_role_attached", "delete_role", RoleName="app")
call("del_policy_attached", "delete_policy", PolicyArn=arn)
call("detach", "detach_role_policy", RoleName="app", PolicyArn=arn)
call("del_role_inline", "delete_role", RoleName="app")
call("del_rp", "delete_role_policy", RoleName="app", PolicyName="inline")
call("del_policy_versions", "delete_policy", PolicyArn=arn)
call("del_role", "delete_role", RoleName="app")
call("get_deleted", "get_role", RoleName="app")
call("del_missing_policy", "delete_policy", PolicyArn="arn:aws:iam::123456789012:policy/non-existent-policy")
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

	created := ok("create")["Role"].(map[string]any)
	if created["Arn"] != "arn:aws:iam::123456789012:role/svc/app" || !strings.HasPrefix(created["RoleId"].(string), "AROA") {
		t.Errorf("create: %v", created)
	}
	if _, has := created["MaxSessionDuration"]; has {
		t.Errorf("CreateRole returns no MaxSessionDuration in AWS: %v", created)
	}
	if doc, _ := created["AssumeRolePolicyDocument"].(map[string]any); doc["Version"] != "2012-10-17" {
		t.Errorf("trust document not decoded by boto3: %v", created["AssumeRolePolicyDocument"])
	}
	wantErr("dup", "EntityAlreadyExists", "Role with name APP already exists.")
	wantErr("badjson", "MalformedPolicyDocument", "This policy contains invalid Json")
	got := ok("get")["Role"].(map[string]any)
	if lu, isMap := got["RoleLastUsed"].(map[string]any); !isMap || len(lu) != 0 || got["MaxSessionDuration"] != float64(3600) {
		t.Errorf("get: %v", got)
	}
	listed := ok("list")["Roles"].([]any)
	if len(listed) != 1 {
		t.Fatalf("list: %v", listed)
	}
	if lr := listed[0].(map[string]any); lr["Tags"] != nil || lr["RoleLastUsed"] != nil || lr["MaxSessionDuration"] != float64(3600) {
		t.Errorf("ListRoles member: %v", lr)
	}
	if d := ok("desc")["Role"].(map[string]any); d["Description"] != "d2" || d["MaxSessionDuration"] != float64(7200) {
		t.Errorf("update-role-description: %v", d)
	}
	if pd, _ := ok("get_rp")["PolicyDocument"].(map[string]any); pd["Version"] != "2012-10-17" {
		t.Errorf("get-role-policy: %v", get("get_rp"))
	}
	if names := ok("list_rp")["PolicyNames"].([]any); len(names) != 1 || names[0] != "inline" {
		t.Errorf("list-role-policies: %v", names)
	}
	pol := ok("policy")["Policy"].(map[string]any)
	arn := "arn:aws:iam::123456789012:policy/team/ops"
	if pol["Arn"] != arn || pol["DefaultVersionId"] != "v1" || pol["AttachmentCount"] != float64(0) || pol["IsAttachable"] != true ||
		pol["PermissionsBoundaryUsageCount"] != float64(0) || !strings.HasPrefix(pol["PolicyId"].(string), "ANPA") {
		t.Errorf("create-policy: %v", pol)
	}
	wantErr("dup_policy", "EntityAlreadyExists", "A policy called ops already exists. Duplicate names are not allowed.")
	if v := ok("v2")["PolicyVersion"].(map[string]any); v["VersionId"] != "v2" || v["IsDefaultVersion"] != true {
		t.Errorf("v2: %v", v)
	}
	wantErr("v6", "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	if vs := ok("versions")["Versions"].([]any); len(vs) != 5 || vs[0].(map[string]any)["VersionId"] != "v5" {
		t.Errorf("list-policy-versions: %v", vs)
	}
	if d, _ := ok("getv")["PolicyVersion"].(map[string]any)["Document"].(map[string]any); d["Version"] != "2012-10-17" {
		t.Errorf("get-policy-version document not decoded: %v", get("getv"))
	}
	wantErr("del_default", "DeleteConflict", "Cannot delete the default version of a policy.")
	wantErr("attach_missing", "NoSuchEntity", "Policy "+arn+"123 does not exist or is not attachable.")
	wantErr("attach_bad", "ValidationError", "Invalid ARN:  Could not be parsed!")
	ok("attach")
	if ap := ok("attached")["AttachedPolicies"].([]any); len(ap) != 1 || ap[0].(map[string]any)["PolicyArn"] != arn {
		t.Errorf("list-attached-role-policies: %v", ap)
	}
	if pr := ok("entities")["PolicyRoles"].([]any); len(pr) != 1 || pr[0].(map[string]any)["RoleName"] != "app" {
		t.Errorf("list-entities-for-policy: %v", get("entities"))
	}
	if p := ok("getp")["Policy"].(map[string]any); p["AttachmentCount"] != float64(1) || p["DefaultVersionId"] != "v2" || p["Description"] != "managed" {
		t.Errorf("get-policy: %v", p)
	}
	if ps := ok("listp")["Policies"].([]any); len(ps) != 1 {
		t.Errorf("list-policies OnlyAttached: %v", ps)
	}
	wantErr("del_role_attached", "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	wantErr("del_policy_attached", "DeleteConflict", "Cannot delete a policy attached to entities.")
	ok("detach")
	wantErr("del_role_inline", "DeleteConflict", "Cannot delete entity, must delete policies first.")
	ok("del_rp")
	wantErr("del_policy_versions", "DeleteConflict", "")
	ok("del_role")
	wantErr("get_deleted", "NoSuchEntity", "The role with name app cannot be found.")
	wantErr("del_missing_policy", "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/non-existent-policy was not found.")
}

// TestRolesAWSCLI checks the role calls through aws-cli v1.
func TestRolesAWSCLI(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "cli", "--assume-role-policy-document", e2eTrust))
	got := mustOK(t, s.awsV1(t, root, "iam", "get-role", "--role-name", "cli")).json(t)["Role"].(map[string]any)
	if doc, _ := got["AssumeRolePolicyDocument"].(map[string]any); doc["Version"] != "2012-10-17" {
		t.Fatalf("get-role: %v", got)
	}
	mustOK(t, s.awsV1(t, root, "iam", "tag-role", "--role-name", "cli", "--tags", "Key=env,Value=dev"))
	tags := mustOK(t, s.awsV1(t, root, "iam", "list-role-tags", "--role-name", "cli")).json(t)["Tags"].([]any)
	if len(tags) != 1 {
		t.Fatalf("list-role-tags: %v", tags)
	}
	mustFail(t, s.awsV1(t, root, "iam", "delete-role", "--role-name", "nope"), "NoSuchEntity")
	mustOK(t, s.awsV1(t, root, "iam", "delete-role", "--role-name", "cli"))
}

// TestManagedPolicyEnforcement: a user whose only permission comes from an
// attached managed policy can act; after detaching it cannot; a
// permissions boundary caps what the attached policy grants.
func TestManagedPolicyEnforcement(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "alice"))
	key := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice")).json(t)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:CreateRole"],"Resource":"*"}]}`
	arn := mustOK(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "roles-admin", "--policy-document", doc)).json(t)["Policy"].(map[string]any)["Arn"].(string)
	boundaryDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`
	boundary := mustOK(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "only-list", "--policy-document", boundaryDoc)).json(t)["Policy"].(map[string]any)["Arn"].(string)

	mustFail(t, s.awsV1(t, alice, "iam", "list-roles"), "AccessDenied")
	mustOK(t, s.awsV1(t, root, "iam", "attach-user-policy", "--user-name", "alice", "--policy-arn", arn))
	mustOK(t, s.awsV1(t, alice, "iam", "list-roles"))
	mustOK(t, s.awsV1(t, alice, "iam", "create-role", "--role-name", "r1", "--assume-role-policy-document", e2eTrust))

	mustOK(t, s.awsV1(t, root, "iam", "put-user-permissions-boundary", "--user-name", "alice", "--permissions-boundary", boundary))
	mustOK(t, s.awsV1(t, alice, "iam", "list-roles"))
	r := s.awsV1(t, alice, "iam", "create-role", "--role-name", "r2", "--assume-role-policy-document", e2eTrust)
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "permissions boundary") {
		t.Errorf("boundary denial message: %s", r.Stderr)
	}
	mustOK(t, s.awsV1(t, root, "iam", "delete-user-permissions-boundary", "--user-name", "alice"))

	mustOK(t, s.awsV1(t, root, "iam", "detach-user-policy", "--user-name", "alice", "--policy-arn", arn))
	mustFail(t, s.awsV1(t, alice, "iam", "list-roles"), "AccessDenied")
}

// TestCreateRoleConcurrentE2E: 100 parallel CreateRole calls with the same
// name through the Go SDK; exactly one succeeds.
func TestCreateRoleConcurrentE2E(t *testing.T) {
	s := startServer(t, fixedEnv())
	ic := goIAM(s, fixedRoot())
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("%s", []string{"race", "RACE"}[i%2])),
				AssumeRolePolicyDocument: aws.String(e2eTrust)})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				codes["ok"]++
			} else {
				codes[apiCode(err)]++
			}
		}()
	}
	wg.Wait()
	if codes["ok"] != 1 || codes["EntityAlreadyExists"] != 99 {
		t.Fatalf("outcomes: %v", codes)
	}
	// Parallel CreatePolicyVersion never yields a sixth version.
	p, err := ic.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("raced"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = ic.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: p.Policy.Arn, SetAsDefault: true,
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)})
		}()
	}
	wg.Wait()
	vs, err := ic.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: p.Policy.Arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs.Versions) != 5 {
		t.Fatalf("versions: %d", len(vs.Versions))
	}
}

// TestPermissionsBoundaryDelegation is AWS's delegation pattern: alice may
// create roles and attach policies only to roles that carry a given
// permissions boundary (iam:PermissionsBoundary from the request on
// CreateRole, from the role's current boundary on AttachRolePolicy), and
// only policies named by iam:PolicyARN.
func TestPermissionsBoundaryDelegation(t *testing.T) {
	s := startServer(t, fixedEnv())
	setup := mustOK(t, s.boto3(t, fixedRoot(), boto3Harness+`
trust = `+"'"+e2eTrust+"'"+`
doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
b = call("b", "create_policy", PolicyName="boundary", PolicyDocument=doc)["Policy"]["Arn"]
p = call("p", "create_policy", PolicyName="s3", PolicyDocument=doc)["Policy"]["Arn"]
call("r1", "create_role", RoleName="bounded", AssumeRolePolicyDocument=trust, PermissionsBoundary=b)
call("r2", "create_role", RoleName="free", AssumeRolePolicyDocument=trust)
call("u", "create_user", UserName="alice")
deleg = {"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["iam:CreateRole","iam:AttachRolePolicy"],"Resource":"*",
   "Condition":{"StringEquals":{"iam:PermissionsBoundary":b}}},
  {"Effect":"Deny","Action":"iam:AttachRolePolicy","Resource":"*",
   "Condition":{"StringNotEquals":{"iam:PolicyARN":p}}}]}
call("pu", "put_user_policy", UserName="alice", PolicyName="deleg", PolicyDocument=json.dumps(deleg))
call("k", "create_access_key", UserName="alice")
dump()
`)).json(t)
	for label, v := range setup {
		if e, bad := v.(map[string]any)["Error"]; bad {
			t.Fatalf("setup %s: %v", label, e)
		}
	}
	k := setup["k"].(map[string]any)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: k["AccessKeyId"].(string), SecretAccessKey: k["SecretAccessKey"].(string)}
	out := mustOK(t, s.boto3(t, alice, boto3Harness+`
trust = `+"'"+e2eTrust+"'"+`
b = "arn:aws:iam::123456789012:policy/boundary"
p = "arn:aws:iam::123456789012:policy/s3"
call("attach_bounded", "attach_role_policy", RoleName="bounded", PolicyArn=p)
call("attach_free", "attach_role_policy", RoleName="free", PolicyArn=p)
call("attach_other_policy", "attach_role_policy", RoleName="bounded", PolicyArn=b)
call("create_bounded", "create_role", RoleName="new1", AssumeRolePolicyDocument=trust, PermissionsBoundary=b)
call("create_free", "create_role", RoleName="new2", AssumeRolePolicyDocument=trust)
dump()
`)).json(t)
	want := map[string]string{"attach_bounded": "", "attach_free": "AccessDenied", "attach_other_policy": "AccessDenied",
		"create_bounded": "", "create_free": "AccessDenied"}
	for label, code := range want {
		got := ""
		if e, ok := out[label].(map[string]any)["Error"].(map[string]any); ok {
			got = e["Code"].(string)
		}
		if got != code {
			t.Errorf("%s: got %q, want %q (%v)", label, got, code, out[label])
		}
	}
}
