package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// TestServiceLinkedRoles: CreateServiceLinkedRole, the protection of a
// service-linked role against everything but its service, and deletion
// through DeleteServiceLinkedRole, with the errors AWS recorded.
func TestServiceLinkedRoles(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	r := mustOK(t, s.awsV2(t, root, "iam", "create-service-linked-role", "--aws-service-name", "ssm.amazonaws.com")).json(t)
	role := r["Role"].(map[string]any)
	if role["Arn"] != "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM" ||
		role["Description"] != "Provides access to AWS Resources managed or used by Amazon SSM." {
		t.Fatalf("role: %v", role)
	}
	got := mustOK(t, s.awsV1(t, root, "iam", "list-attached-role-policies", "--role-name", "AWSServiceRoleForAmazonSSM")).json(t)
	if ap := got["AttachedPolicies"].([]any); len(ap) != 1 || ap[0].(map[string]any)["PolicyArn"] != "arn:aws:iam::aws:policy/aws-service-role/AmazonSSMServiceRolePolicy" {
		t.Fatalf("attached: %v", got)
	}
	res := s.awsV1(t, root, "iam", "create-service-linked-role", "--aws-service-name", "ssm.amazonaws.com")
	mustFail(t, res, "InvalidInput")
	if !strings.Contains(res.Stderr, "Service role name AWSServiceRoleForAmazonSSM has been taken in this account, please try a different suffix.") {
		t.Errorf("taken: %s", res.Stderr)
	}
	res = s.awsV2(t, root, "iam", "create-service-linked-role", "--aws-service-name", "ecs.amazonaws.com", "--custom-suffix", "x")
	mustFail(t, res, "InvalidInput")
	if !strings.Contains(res.Stderr, "Custom suffix is not allowed for ecs.amazonaws.com") {
		t.Errorf("suffix: %s", res.Stderr)
	}
	mustOK(t, s.awsV2(t, root, "iam", "create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com", "--custom-suffix", "fleet"))
	mustOK(t, s.awsV2(t, root, "iam", "get-role", "--role-name", "AWSServiceRoleForAutoScaling_fleet"))

	// Only the service may change or delete it.
	for _, args := range [][]string{
		{"iam", "delete-role", "--role-name", "AWSServiceRoleForAmazonSSM"},
		{"iam", "update-assume-role-policy", "--role-name", "AWSServiceRoleForAmazonSSM", "--policy-document", e2eTrust},
		{"iam", "put-role-policy", "--role-name", "AWSServiceRoleForAmazonSSM", "--policy-name", "p", "--policy-document",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		{"iam", "detach-role-policy", "--role-name", "AWSServiceRoleForAmazonSSM", "--policy-arn", "arn:aws:iam::aws:policy/aws-service-role/AmazonSSMServiceRolePolicy"},
	} {
		res := s.awsV1(t, root, args...)
		mustFail(t, res, "UnmodifiableEntity")
		if !strings.Contains(res.Stderr, "Cannot perform the operation on the protected role 'AWSServiceRoleForAmazonSSM' - this role is only modifiable by AWS") {
			t.Errorf("%v: %s", args, res.Stderr)
		}
	}

	// iam:AWSServiceName limits who may create which service-linked role.
	dev := newUserWithKey(t, s, root, "dev")
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "dev", "--policy-name", "slr", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*","Condition":{"StringEquals":{"iam:AWSServiceName":"batch.amazonaws.com"}}}]}`))
	mustOK(t, s.awsV1(t, dev, "iam", "create-service-linked-role", "--aws-service-name", "batch.amazonaws.com"))
	mustFail(t, s.awsV1(t, dev, "iam", "create-service-linked-role", "--aws-service-name", "backup.amazonaws.com"), "AccessDenied")

	out := mustOK(t, s.boto3(t, root, boto3Harness+`
t = call("del", "delete_service_linked_role", RoleName="AWSServiceRoleForAmazonSSM")["DeletionTaskId"]
call("status", "get_service_linked_role_deletion_status", DeletionTaskId=t)
call("gone", "get_role", RoleName="AWSServiceRoleForAmazonSSM")
dump()
`)).json(t)
	task := out["del"].(map[string]any)["DeletionTaskId"].(string)
	if !regexp.MustCompile(`^task/aws-service-role/ssm\.amazonaws\.com/AWSServiceRoleForAmazonSSM/[0-9a-f-]{36}$`).MatchString(task) {
		t.Errorf("task: %s", task)
	}
	if out["status"].(map[string]any)["Status"] != "SUCCEEDED" {
		t.Errorf("status: %v", out["status"])
	}
	if out["gone"].(map[string]any)["Error"].(map[string]any)["Code"] != "NoSuchEntity" {
		t.Errorf("gone: %v", out["gone"])
	}
}
