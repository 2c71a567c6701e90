package e2e

import (
	"strings"
	"testing"
)

// TestPolicyEnforcement checks that calls by IAM users are decided by their
// policies: implicit deny, allow scoped by resource and policy variable,
// explicit deny with a condition, and GetCallerIdentity needing nothing.
func TestPolicyEnforcement(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "alice"))
	key := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice")).json(t)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}

	r := s.awsV1(t, alice, "iam", "create-user", "--user-name", "bob", "--path", "/team/")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/team/bob because no identity-based policy allows the iam:CreateUser action") {
		t.Errorf("message: %s", r.Stderr)
	}

	doc := `{"Version":"2012-10-17","Statement":[
 {"Sid":"TeamUsers","Effect":"Allow","Action":["iam:CreateUser","iam:GetUser","iam:TagUser"],"Resource":"arn:aws:iam::123456789012:user/team/*"},
 {"Sid":"Self","Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::123456789012:user/${aws:username}"},
 {"Sid":"NoProdTags","Effect":"Deny","Action":"iam:TagUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/env":"prod"}}}
]}`
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "delegate", "--policy-document", doc))
	got := mustOK(t, s.awsV1(t, root, "iam", "get-user-policy", "--user-name", "alice", "--policy-name", "delegate")).json(t)
	if pd, ok := got["PolicyDocument"].(map[string]any); !ok || pd["Version"] != "2012-10-17" {
		t.Fatalf("get-user-policy document not decoded by the CLI: %v", got)
	}
	names := mustOK(t, s.awsV1(t, root, "iam", "list-user-policies", "--user-name", "alice")).json(t)["PolicyNames"].([]any)
	if len(names) != 1 || names[0] != "delegate" {
		t.Fatalf("list-user-policies: %v", names)
	}

	mustOK(t, s.awsV1(t, alice, "iam", "create-user", "--user-name", "bob", "--path", "/team/"))
	mustFail(t, s.awsV1(t, alice, "iam", "create-user", "--user-name", "carol"), "AccessDenied")
	mustOK(t, s.awsV1(t, alice, "iam", "tag-user", "--user-name", "bob", "--tags", "Key=env,Value=dev"))
	r = s.awsV1(t, alice, "iam", "tag-user", "--user-name", "bob", "--tags", "Key=env,Value=prod")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "with an explicit deny in an identity-based policy") {
		t.Errorf("explicit deny message: %s", r.Stderr)
	}
	// ${aws:username} scopes key management to alice herself.
	mustOK(t, s.awsV1(t, alice, "iam", "list-access-keys"))
	mustFail(t, s.awsV1(t, alice, "iam", "list-access-keys", "--user-name", "bob"), "AccessDenied")
	// STS: GetCallerIdentity needs no permission; GetAccessKeyInfo does.
	mustOK(t, s.awsV2(t, alice, "sts", "get-caller-identity"))
	mustFail(t, s.awsV2(t, alice, "sts", "get-access-key-info", "--access-key-id", alice.AccessKeyID), "AccessDenied")

	// A malformed document is refused with AWS's message.
	r = s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "bad", "--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"CreateUser","Resource":"*"}]}`)
	mustFail(t, r, "MalformedPolicyDocument")
	if !strings.Contains(r.Stderr, "Actions/Conditions must be prefaced by a vendor") {
		t.Errorf("malformed message: %s", r.Stderr)
	}
	// Deleting the policy revokes at once.
	mustOK(t, s.awsV1(t, root, "iam", "delete-user-policy", "--user-name", "alice", "--policy-name", "delegate"))
	mustFail(t, s.awsV1(t, alice, "iam", "get-user", "--user-name", "bob"), "AccessDenied")
	mustFail(t, s.awsV1(t, root, "iam", "delete-user-policy", "--user-name", "alice", "--policy-name", "delegate"), "NoSuchEntity")
	// A user with inline policies cannot be deleted.
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "bob", "--policy-name", "p", "--policy-document", doc))
	r = s.awsV1(t, root, "iam", "delete-user", "--user-name", "bob")
	mustFail(t, r, "DeleteConflict")
	if !strings.Contains(r.Stderr, "must delete policies first") {
		t.Errorf("conflict message: %s", r.Stderr)
	}
}
