package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestGroupsBoto3 drives the group lifecycle through boto3: creation,
// membership, inline and managed group policies, rename, the
// DeleteConflict rules, and AWS's messages.
func TestGroupsBoto3(t *testing.T) {
	s := startServer(t, fixedEnv())
	r := mustOK(t, s.boto3(t, fixedRoot(), boto3Harness+`
doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
call("create", "create_group", GroupName="devs", Path="/eng/")
call("dup", "create_group", GroupName="DEVS")
call("create2", "create_group", GroupName="ops")
call("get_missing", "get_group", GroupName="ghost")
for u in ("alice", "bob", "carol"):
    iam.create_user(UserName=u)
    call("add_" + u, "add_user_to_group", GroupName="devs", UserName=u)
call("add_again", "add_user_to_group", GroupName="devs", UserName="alice")
call("add_ops", "add_user_to_group", GroupName="ops", UserName="alice")
call("add_ghost_user", "add_user_to_group", GroupName="devs", UserName="ghost")
call("add_ghost_group", "add_user_to_group", GroupName="ghost", UserName="alice")
call("get_p1", "get_group", GroupName="devs", MaxItems=2)
call("get_p2", "get_group", GroupName="devs", MaxItems=2, Marker=out["get_p1"].get("Marker", ""))
call("list", "list_groups", PathPrefix="/eng/")
call("for_user", "list_groups_for_user", UserName="alice")
call("del_user_member", "delete_user", UserName="bob")
call("del_group_members", "delete_group", GroupName="devs")
call("put_gp", "put_group_policy", GroupName="devs", PolicyName="s3", PolicyDocument=doc)
call("get_gp", "get_group_policy", GroupName="devs", PolicyName="s3")
call("get_gp_missing", "get_group_policy", GroupName="devs", PolicyName="nope")
call("list_gp", "list_group_policies", GroupName="devs")
arn = iam.create_policy(PolicyName="all", PolicyDocument=doc)["Policy"]["Arn"]
call("attach", "attach_group_policy", GroupName="devs", PolicyArn=arn)
call("attached", "list_attached_group_policies", GroupName="devs")
call("entities", "list_entities_for_policy", PolicyArn=arn, EntityFilter="Group")
call("rename_taken", "update_group", GroupName="devs", NewGroupName="ops")
call("rename", "update_group", GroupName="devs", NewGroupName="developers", NewPath="/dev/")
call("get_renamed", "get_group", GroupName="developers")
call("get_gp_renamed", "get_group_policy", GroupName="developers", PolicyName="s3")
call("attached_renamed", "list_attached_group_policies", GroupName="developers")
for u in ("alice", "bob", "carol"):
    call("remove_" + u, "remove_user_from_group", GroupName="developers", UserName=u)
call("remove_again", "remove_user_from_group", GroupName="developers", UserName="bob")
call("del_group_inline", "delete_group", GroupName="developers")
call("del_gp", "delete_group_policy", GroupName="developers", PolicyName="s3")
call("del_group_attached", "delete_group", GroupName="developers")
call("detach", "detach_group_policy", GroupName="developers", PolicyArn=arn)
call("del_group", "delete_group", GroupName="developers")
call("del_user", "delete_user", UserName="bob")
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
	ok := func(label string) map[string]any {
		t.Helper()
		m := get(label)
		if e, bad := m["Error"]; bad {
			t.Fatalf("%s failed: %v", label, e)
		}
		return m
	}
	wantErr := func(label, code, msg string) {
		t.Helper()
		e, isErr := get(label)["Error"].(map[string]any)
		if !isErr || e["Code"] != code || (msg != "" && e["Message"] != msg) {
			t.Errorf("%s: want %s %q, got %v", label, code, msg, get(label))
		}
	}
	names := func(list any, key string) []string {
		var out []string
		for _, m := range list.([]any) {
			out = append(out, m.(map[string]any)[key].(string))
		}
		return out
	}

	g := ok("create")["Group"].(map[string]any)
	if g["Arn"] != "arn:aws:iam::123456789012:group/eng/devs" || !strings.HasPrefix(g["GroupId"].(string), "AGPA") || g["Path"] != "/eng/" {
		t.Errorf("create: %v", g)
	}
	wantErr("dup", "EntityAlreadyExists", "Group with name DEVS already exists.")
	wantErr("get_missing", "NoSuchEntity", "The group with name ghost cannot be found.")
	ok("add_again")
	wantErr("add_ghost_user", "NoSuchEntity", "The user with name ghost cannot be found.")
	wantErr("add_ghost_group", "NoSuchEntity", "The group with name ghost cannot be found.")
	p1 := ok("get_p1")
	if got := names(p1["Users"], "UserName"); !reflect.DeepEqual(got, []string{"alice", "bob"}) || p1["IsTruncated"] != true {
		t.Errorf("get_group page 1: %v", p1)
	}
	if got := names(ok("get_p2")["Users"], "UserName"); !reflect.DeepEqual(got, []string{"carol"}) {
		t.Errorf("get_group page 2: %v", got)
	}
	if got := names(ok("list")["Groups"], "GroupName"); !reflect.DeepEqual(got, []string{"devs"}) {
		t.Errorf("list_groups: %v", got)
	}
	if got := names(ok("for_user")["Groups"], "GroupName"); !reflect.DeepEqual(got, []string{"devs", "ops"}) {
		t.Errorf("list_groups_for_user: %v", got)
	}
	wantErr("del_user_member", "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	wantErr("del_group_members", "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	if gp := ok("get_gp"); gp["GroupName"] != "devs" || gp["PolicyDocument"].(map[string]any)["Version"] != "2012-10-17" {
		t.Errorf("get_group_policy: %v", gp)
	}
	wantErr("get_gp_missing", "NoSuchEntity", "The group policy with name nope cannot be found.")
	if got := ok("list_gp")["PolicyNames"]; !reflect.DeepEqual(got, []any{"s3"}) {
		t.Errorf("list_group_policies: %v", got)
	}
	if got := names(ok("attached")["AttachedPolicies"], "PolicyName"); !reflect.DeepEqual(got, []string{"all"}) {
		t.Errorf("list_attached_group_policies: %v", got)
	}
	ents := ok("entities")
	if got := names(ents["PolicyGroups"], "GroupName"); !reflect.DeepEqual(got, []string{"devs"}) || len(ents["PolicyUsers"].([]any)) != 0 {
		t.Errorf("list_entities_for_policy: %v", ents)
	}
	wantErr("rename_taken", "EntityAlreadyExists", "Group with name ops already exists.")
	ok("rename")
	renamed := ok("get_renamed")
	if renamed["Group"].(map[string]any)["Arn"] != "arn:aws:iam::123456789012:group/dev/developers" || len(renamed["Users"].([]any)) != 3 {
		t.Errorf("renamed group: %v", renamed)
	}
	ok("get_gp_renamed")
	if got := names(ok("attached_renamed")["AttachedPolicies"], "PolicyName"); !reflect.DeepEqual(got, []string{"all"}) {
		t.Errorf("attachments after rename: %v", got)
	}
	wantErr("remove_again", "NoSuchEntity", "")
	wantErr("del_group_inline", "DeleteConflict", "Cannot delete entity, must delete policies first.")
	wantErr("del_group_attached", "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	ok("del_group")
	ok("del_user")
}

// TestGroupsCLI runs the group commands through aws-cli v1 and v2 and
// checks the shapes the CLIs print.
func TestGroupsCLI(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	for _, c := range []struct {
		name string
		run  func(t *testing.T, c creds, args ...string) cliResult
	}{{"v1", s.awsV1}, {"v2", s.awsV2}} {
		t.Run(c.name, func(t *testing.T) {
			grp, user := "team-"+c.name, "user-"+c.name
			g := mustOK(t, c.run(t, root, "iam", "create-group", "--group-name", grp)).json(t)["Group"].(map[string]any)
			if g["GroupName"] != grp || g["Path"] != "/" {
				t.Fatalf("create-group: %v", g)
			}
			mustOK(t, c.run(t, root, "iam", "create-user", "--user-name", user))
			mustOK(t, c.run(t, root, "iam", "add-user-to-group", "--group-name", grp, "--user-name", user))
			got := mustOK(t, c.run(t, root, "iam", "get-group", "--group-name", grp)).json(t)
			if us := got["Users"].([]any); len(us) != 1 || us[0].(map[string]any)["UserName"] != user {
				t.Fatalf("get-group: %v", got)
			}
			fu := mustOK(t, c.run(t, root, "iam", "list-groups-for-user", "--user-name", user)).json(t)["Groups"].([]any)
			if len(fu) != 1 || fu[0].(map[string]any)["GroupName"] != grp {
				t.Fatalf("list-groups-for-user: %v", fu)
			}
			mustOK(t, c.run(t, root, "iam", "put-group-policy", "--group-name", grp, "--policy-name", "p",
				"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
			r := c.run(t, root, "iam", "delete-group", "--group-name", grp)
			mustFail(t, r, "DeleteConflict")
			if !strings.Contains(r.Stderr, "Cannot delete entity, must remove users from group first.") {
				t.Errorf("delete-group message: %s", r.Stderr)
			}
			mustFail(t, c.run(t, root, "iam", "get-group", "--group-name", "nobody"), "NoSuchEntity")
			mustOK(t, c.run(t, root, "iam", "remove-user-from-group", "--group-name", grp, "--user-name", user))
			mustOK(t, c.run(t, root, "iam", "delete-group-policy", "--group-name", grp, "--policy-name", "p"))
			mustOK(t, c.run(t, root, "iam", "update-group", "--group-name", grp, "--new-group-name", grp+"-x"))
			mustOK(t, c.run(t, root, "iam", "delete-group", "--group-name", grp+"-x"))
			if gs := mustOK(t, c.run(t, root, "iam", "list-groups")).json(t)["Groups"].([]any); len(gs) != 0 && c.name == "v2" {
				t.Fatalf("list-groups after delete: %v", gs)
			}
		})
	}
}

// TestGroupGrantedAccess: a user without policies of its own is allowed
// what its group's policies allow, through aws-cli v2 and boto3, and loses
// it when removed from the group. SimulatePrincipalPolicy agrees.
func TestGroupGrantedAccess(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV2(t, root, "iam", "create-user", "--user-name", "alice"))
	key := mustOK(t, s.awsV2(t, root, "iam", "create-access-key", "--user-name", "alice")).json(t)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	mustOK(t, s.awsV2(t, root, "iam", "create-group", "--group-name", "readers"))
	mustOK(t, s.awsV2(t, root, "iam", "put-group-policy", "--group-name", "readers", "--policy-name", "list",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`))
	pol := mustOK(t, s.awsV2(t, root, "iam", "create-policy", "--policy-name", "groups",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListGroups","Resource":"*"}]}`)).json(t)["Policy"].(map[string]any)["Arn"].(string)
	mustOK(t, s.awsV2(t, root, "iam", "attach-group-policy", "--group-name", "readers", "--policy-arn", pol))

	r := s.awsV2(t, alice, "iam", "list-users")
	mustFail(t, r, "AccessDenied")
	mustOK(t, s.awsV2(t, root, "iam", "add-user-to-group", "--group-name", "readers", "--user-name", "alice"))
	mustOK(t, s.awsV2(t, alice, "iam", "list-users"))
	mustOK(t, s.awsV1(t, alice, "iam", "list-groups"))
	got := mustOK(t, s.boto3(t, alice, `
import boto3, json, botocore
iam = boto3.client("iam")
out = {"users": len(iam.list_users()["Users"])}
try:
    iam.create_group(GroupName="x")
except botocore.exceptions.ClientError as e:
    out["create"] = e.response["Error"]["Code"]
print(json.dumps(out))
`)).json(t)
	if got["users"] != 1.0 || got["create"] != "AccessDenied" {
		t.Errorf("boto3 as member: %v", got)
	}

	sim := mustOK(t, s.awsV1(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/alice",
		"--action-names", "iam:ListUsers", "iam:ListGroups", "iam:DeleteUser")).json(t)
	want := map[string][]any{
		"iam:ListUsers":  {"allowed", "list", "group"},
		"iam:ListGroups": {"allowed", pol, "IAM Policy"},
		"iam:DeleteUser": {"implicitDeny"},
	}
	for _, e := range sim["EvaluationResults"].([]any) {
		er := e.(map[string]any)
		row := []any{er["EvalDecision"]}
		for _, m := range er["MatchedStatements"].([]any) {
			row = append(row, m.(map[string]any)["SourcePolicyId"], m.(map[string]any)["SourcePolicyType"])
		}
		if w := want[er["EvalActionName"].(string)]; !reflect.DeepEqual(row, w) {
			t.Errorf("simulate %s: got %v, want %v", er["EvalActionName"], row, w)
		}
	}
	gsim := mustOK(t, s.awsV2(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:group/readers",
		"--action-names", "iam:ListUsers")).json(t)
	if d := gsim["EvaluationResults"].([]any)[0].(map[string]any)["EvalDecision"]; d != "allowed" {
		t.Errorf("group simulation: %v", gsim)
	}

	mustOK(t, s.awsV2(t, root, "iam", "remove-user-from-group", "--group-name", "readers", "--user-name", "alice"))
	mustFail(t, s.awsV2(t, alice, "iam", "list-users"), "AccessDenied")
	mustFail(t, s.awsV1(t, alice, "iam", "list-groups"), "AccessDenied")
}

// TestGroupPolicyEncoding puts the document of LocalStack's AWS-recorded
// test_put_group_policy_encoding (a Resource holding percent-encoded
// characters) and compares boto3's GetGroupPolicy with the recording.
func TestGroupPolicyEncoding(t *testing.T) {
	raw, err := os.ReadFile("testdata/localstack_group_policy_encoding.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	var snaps map[string]struct {
		Content map[string]map[string]any `json:"recorded-content"`
	}
	if err := json.Unmarshal(raw, &snaps); err != nil {
		t.Fatal(err)
	}
	want := snaps["tests/aws/services/iam/test_iam.py::TestIAMPolicyEncoding::test_put_group_policy_encoding"].Content["get-policy-response"]["PolicyDocument"]
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(want); err != nil {
		t.Fatal(err)
	}
	doc := strings.NewReplacer("<partition>", "aws", "<region>", "us-east-1").Replace(strings.TrimSpace(buf.String()))
	s := startServer(t, fixedEnv())
	got := mustOK(t, s.boto3(t, fixedRoot(), `
import boto3, json
iam = boto3.client("iam")
iam.create_group(GroupName="g")
iam.put_group_policy(GroupName="g", PolicyName="p", PolicyDocument=`+"'"+doc+"'"+`)
r = iam.get_group_policy(GroupName="g", PolicyName="p")
print(json.dumps(r["PolicyDocument"]))
`)).json(t)
	var wantDoc map[string]any
	if err := json.Unmarshal([]byte(doc), &wantDoc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantDoc) {
		t.Fatalf("group policy document:\n got %v\nwant %v", got, wantDoc)
	}
}

// TestImportRoundTrip exports an account with aws-cli
// (get-account-authorization-details), imports the file with
// "iamd import" into a fresh data directory, serves it, exports again and
// compares: the two exports are identical (ids, dates, versions, documents,
// memberships, attachments, boundaries, tags).
func TestImportRoundTrip(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	doc := func(action string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*"}]}`
	}
	pol := mustOK(t, s.awsV2(t, root, "iam", "create-policy", "--policy-name", "ops", "--path", "/team/", "--description", "operations",
		"--policy-document", doc("s3:Get*"))).json(t)["Policy"].(map[string]any)["Arn"].(string)
	mustOK(t, s.awsV2(t, root, "iam", "create-policy-version", "--policy-arn", pol, "--policy-document", doc("s3:List*")))
	mustOK(t, s.awsV2(t, root, "iam", "create-policy-version", "--policy-arn", pol, "--policy-document", doc("s3:*"), "--set-as-default"))
	mustOK(t, s.awsV2(t, root, "iam", "delete-policy-version", "--policy-arn", pol, "--version-id", "v2"))
	bnd := mustOK(t, s.awsV2(t, root, "iam", "create-policy", "--policy-name", "boundary", "--policy-document", doc("*"))).json(t)["Policy"].(map[string]any)["Arn"].(string)
	mustOK(t, s.awsV2(t, root, "iam", "create-group", "--group-name", "devs", "--path", "/eng/"))
	mustOK(t, s.awsV2(t, root, "iam", "create-group", "--group-name", "empty"))
	mustOK(t, s.awsV2(t, root, "iam", "put-group-policy", "--group-name", "devs", "--policy-name", "list", "--policy-document", doc("iam:List*")))
	mustOK(t, s.awsV2(t, root, "iam", "attach-group-policy", "--group-name", "devs", "--policy-arn", pol))
	mustOK(t, s.awsV2(t, root, "iam", "create-user", "--user-name", "alice", "--path", "/eng/", "--permissions-boundary", bnd, "--tags", "Key=team,Value=blue"))
	mustOK(t, s.awsV2(t, root, "iam", "create-user", "--user-name", "bob"))
	mustOK(t, s.awsV2(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "self", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`))
	mustOK(t, s.awsV2(t, root, "iam", "attach-user-policy", "--user-name", "alice", "--policy-arn", pol))
	mustOK(t, s.awsV2(t, root, "iam", "add-user-to-group", "--group-name", "devs", "--user-name", "alice"))
	mustOK(t, s.awsV2(t, root, "iam", "add-user-to-group", "--group-name", "empty", "--user-name", "alice"))
	mustOK(t, s.awsV2(t, root, "iam", "create-role", "--role-name", "app", "--path", "/svc/", "--assume-role-policy-document", e2eTrust,
		"--permissions-boundary", bnd, "--tags", "Key=env,Value=prod"))
	mustOK(t, s.awsV2(t, root, "iam", "put-role-policy", "--role-name", "app", "--policy-name", "inline", "--policy-document", doc("sqs:*")))
	mustOK(t, s.awsV2(t, root, "iam", "attach-role-policy", "--role-name", "app", "--policy-arn", pol))

	first := mustOK(t, s.awsV2(t, root, "iam", "get-account-authorization-details"))
	var shape map[string]any
	if err := json.Unmarshal([]byte(first.Stdout), &shape); err != nil {
		t.Fatal(err)
	}
	// The shapes AWS returns: every list present, documents decoded by the
	// CLI, versions with documents.
	u := shape["UserDetailList"].([]any)[0].(map[string]any)
	if u["UserName"] != "alice" || !reflect.DeepEqual(u["GroupList"], []any{"devs", "empty"}) ||
		u["PermissionsBoundary"].(map[string]any)["PermissionsBoundaryArn"] != bnd ||
		u["UserPolicyList"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Version"] != "2012-10-17" {
		t.Errorf("UserDetailList[0]: %v", u)
	}
	if b := shape["UserDetailList"].([]any)[1].(map[string]any); !reflect.DeepEqual(b["UserPolicyList"], []any{}) || !reflect.DeepEqual(b["GroupList"], []any{}) {
		t.Errorf("empty lists must be present: %v", b)
	}
	r := shape["RoleDetailList"].([]any)[0].(map[string]any)
	if r["AssumeRolePolicyDocument"].(map[string]any)["Version"] != "2012-10-17" || !reflect.DeepEqual(r["InstanceProfileList"], []any{}) ||
		!reflect.DeepEqual(r["RoleLastUsed"], map[string]any{}) {
		t.Errorf("RoleDetailList[0]: %v", r)
	}
	var ops map[string]any
	for _, p := range shape["Policies"].([]any) {
		if p.(map[string]any)["PolicyName"] == "ops" {
			ops = p.(map[string]any)
		}
	}
	if ops == nil || ops["DefaultVersionId"] != "v3" || len(ops["PolicyVersionList"].([]any)) != 2 || ops["AttachmentCount"] != 3.0 {
		t.Errorf("Policies ops: %v", ops)
	}
	// aws-cli v1 reads the same export.
	v1 := mustOK(t, s.awsV1(t, root, "iam", "get-account-authorization-details", "--filter", "Group")).json(t)
	if len(v1["GroupDetailList"].([]any)) != 2 || len(v1["UserDetailList"].([]any)) != 0 {
		t.Errorf("v1 filtered export: %v", v1)
	}

	file := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(file, []byte(first.Stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	imp := runCmd(t, append(cleanEnv(), fixedEnv()...), iamdBin, "import", "--data", dir, file)
	if imp.Code != 0 || !strings.Contains(imp.Stdout, "7 created, 0 already existed, 0 failed") {
		t.Fatalf("import (%d):\n%s\n%s", imp.Code, imp.Stdout, imp.Stderr)
	}
	again := runCmd(t, append(cleanEnv(), fixedEnv()...), iamdBin, "import", "--data", dir, file)
	if again.Code != 0 || !strings.Contains(again.Stdout, "0 created, 7 already existed, 0 failed") {
		t.Fatalf("second import (%d):\n%s\n%s", again.Code, again.Stdout, again.Stderr)
	}
	s2 := &server{t: t, dataDir: dir, env: fixedEnv()}
	s2.start()
	t.Cleanup(s2.stop)
	second := mustOK(t, s2.awsV2(t, root, "iam", "get-account-authorization-details"))
	if first.Stdout != second.Stdout {
		t.Fatalf("exports differ:\nbefore:\n%s\nafter:\n%s", first.Stdout, second.Stdout)
	}
}
