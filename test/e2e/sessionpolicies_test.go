package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// TestManagedSessionPolicies covers AssumeRole with PolicyArns: the
// session's permissions are the intersection of the role's policies and
// the session policies, and managed session policies follow the policy.
func TestManagedSessionPolicies(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const acct = fixedAccount
	alice := newUserWithKey(t, s, root, "alice")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/alice"},"Action":"sts:AssumeRole"}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "worker", "--assume-role-policy-document", trust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "worker", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers","iam:ListRoles"],"Resource":"*"}]}`))
	mustOK(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "get-user-only", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`))
	mustOK(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "list-roles", "--path", "/session/", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListRoles","iam:CreateUser"],"Resource":"*"}]}`))
	roleARN := "arn:aws:iam::" + acct + ":role/worker"
	getUser := "arn:aws:iam::" + acct + ":policy/get-user-only"
	listRoles := "arn:aws:iam::" + acct + ":policy/session/list-roles"

	r := mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "narrow", "--policy-arns", "arn="+getUser))
	if p, ok := r.json(t)["PackedPolicySize"].(float64); !ok || p <= 0 {
		t.Errorf("PackedPolicySize: %v", r.json(t)["PackedPolicySize"])
	}
	narrow := credsFrom(t, r)
	mustOK(t, s.awsV2(t, narrow, "iam", "get-user", "--user-name", "alice"))
	r = s.awsV1(t, narrow, "iam", "list-users")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "because no session policy allows the iam:ListUsers action") {
		t.Errorf("message: %s", r.Stderr)
	}

	// Inline and managed together: allowed if any session policy allows
	// and the role allows (iam:CreateUser is in a session policy but not
	// in the role's policy).
	r = mustOK(t, s.awsV2(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "both",
		"--policy-arns", "arn="+getUser, "arn="+listRoles,
		"--policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`))
	both := credsFrom(t, r)
	mustOK(t, s.awsV1(t, both, "iam", "list-users"))
	mustOK(t, s.awsV1(t, both, "iam", "list-roles"))
	mustFail(t, s.awsV1(t, both, "iam", "create-user", "--user-name", "x"), "AccessDenied")

	// A managed session policy is evaluated with its current default
	// version: a new default narrows live sessions; deleting it leaves the
	// session with nothing from it.
	mustOK(t, s.awsV1(t, root, "iam", "create-policy-version", "--policy-arn", listRoles, "--set-as-default", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}`))
	mustFail(t, s.awsV1(t, both, "iam", "list-roles"), "AccessDenied")

	// Errors: unknown policy, too many ARNs, too large.
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bad", "--policy-arns", "arn=arn:aws:iam::"+acct+":policy/nope")
	mustFail(t, r, "InvalidParameterValue")
	r = mustOK(t, s.boto3(t, alice, `
import boto3, json
c = boto3.client("sts")
try:
    c.assume_role(RoleArn="`+roleARN+`", RoleSessionName="many", PolicyArns=[{"arn": "`+getUser+`"}]*11)
    print("ok")
except c.exceptions.ClientError as e:
    print(e.response["Error"]["Code"])
try:
    c.assume_role(RoleArn="`+roleARN+`", RoleSessionName="big", PolicyArns=[{"arn": "`+getUser+`"}],
        Policy=json.dumps({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":["arn:aws:iam::`+acct+`:user/u%04d" % i for i in range(60)]}]}))
    print("ok")
except c.exceptions.ClientError as e:
    print(e.response["Error"]["Code"])`))
	if got := lines(r.Stdout); len(got) != 2 || got[0] != "ValidationError" || got[1] != "PackedPolicyTooLarge" {
		t.Errorf("boto3 limits: %q", got)
	}

	// The Go SDK.
	out, err := goSTS(s, alice).AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("go"),
		PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String(getUser)}}})
	if err != nil || out.PackedPolicySize == nil {
		t.Fatalf("Go SDK AssumeRole with PolicyArns: %v", err)
	}
	gc := creds{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	if _, err := goIAM(s, gc).ListUsers(context.Background(), &iam.ListUsersInput{}); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("Go SDK narrowed session listed users: %v", err)
	}
}

// TestGetFederationToken covers GetFederationToken: who may call it, the
// federated user's identity, its limits, and what the credentials may do.
func TestGetFederationToken(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const acct = fixedAccount
	alice := newUserWithKey(t, s, root, "alice")
	mustOK(t, s.awsV1(t, root, "iam", "create-policy", "--policy-name", "fed", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`))

	// alice needs sts:GetFederationToken.
	r := s.awsV1(t, alice, "sts", "get-federation-token", "--name", "bob")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::"+acct+":federated-user/bob") {
		t.Errorf("message: %s", r.Stderr)
	}
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "fed", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","sts:TagSession","iam:ListUsers"],"Resource":"*"}]}`))

	r = mustOK(t, s.awsV2(t, alice, "sts", "get-federation-token", "--name", "bob", "--duration-seconds", "900",
		"--policy-arns", "arn=arn:aws:iam::"+acct+":policy/fed", "--tags", "Key=team,Value=blue"))
	out := r.json(t)
	fu := out["FederatedUser"].(map[string]any)
	if fu["Arn"] != "arn:aws:sts::"+acct+":federated-user/bob" || fu["FederatedUserId"] != acct+":bob" || out["PackedPolicySize"] == nil {
		t.Fatalf("federated user: %v", out)
	}
	fed := credsFrom(t, r)
	id := mustOK(t, s.awsV1(t, fed, "sts", "get-caller-identity")).json(t)
	if id["Arn"] != fu["Arn"] || id["UserId"] != acct+":bob" {
		t.Fatalf("caller identity: %v", id)
	}
	// Federation credentials cannot call IAM, nor STS beyond
	// GetCallerIdentity.
	mustFail(t, s.awsV1(t, fed, "iam", "list-users"), "AccessDenied")
	mustFail(t, s.awsV1(t, fed, "sts", "get-federation-token", "--name", "carol"), "AccessDenied")
	mustFail(t, s.awsV1(t, fed, "sts", "get-session-token"), "AccessDenied")

	// Limits: name 2–32, duration 900–129,600.
	// (Client-side validation off, so the server's answer is seen.)
	r = mustOK(t, s.boto3(t, alice, `
import boto3, botocore.config
c = boto3.client("sts", config=botocore.config.Config(parameter_validation=False))
for name, d in (("b", 900), ("b"*33, 900), ("bob", 800), ("bob", 129601)):
    try:
        c.get_federation_token(Name=name, DurationSeconds=d)
        print("ok")
    except c.exceptions.ClientError as e:
        print(e.response["Error"]["Code"])`))
	if got := strings.Join(lines(r.Stdout), ","); got != "ValidationError,ValidationError,ValidationError,ValidationError" {
		t.Errorf("limits: %s", got)
	}
	// Without session policies: credentials, but no PackedPolicySize.
	r = mustOK(t, s.awsV1(t, alice, "sts", "get-federation-token", "--name", "nopolicy", "--duration-seconds", "129600"))
	if _, ok := r.json(t)["PackedPolicySize"]; ok {
		t.Errorf("PackedPolicySize without session policies: %s", r.Stdout)
	}

	// Root: at most one hour, whatever is asked (boto3).
	r = mustOK(t, s.boto3(t, root, `
import boto3, datetime
c = boto3.client("sts").get_federation_token(Name="root-fed", DurationSeconds=129600, Policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')
left = c["Credentials"]["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
print(int(left.total_seconds() <= 3600), c["FederatedUser"]["Arn"])`))
	if strings.TrimSpace(r.Stdout) != "1 arn:aws:sts::"+acct+":federated-user/root-fed" {
		t.Errorf("root federation: %s", r.Stdout)
	}
	// Session credentials may not call it.
	gst := credsFrom(t, mustOK(t, s.awsV1(t, alice, "sts", "get-session-token")))
	mustFail(t, s.awsV1(t, gst, "sts", "get-federation-token", "--name", "bob"), "AccessDenied")
}
