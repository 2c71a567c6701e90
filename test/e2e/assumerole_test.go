package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

func credsFrom(t *testing.T, r cliResult) creds {
	t.Helper()
	c := r.json(t)["Credentials"].(map[string]any)
	return creds{AccessKeyID: c["AccessKeyId"].(string), SecretAccessKey: c["SecretAccessKey"].(string), SessionToken: c["SessionToken"].(string)}
}

func newUserWithKey(t *testing.T, s *server, root creds, name string) creds {
	t.Helper()
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", name))
	k := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", name)).json(t)["AccessKey"].(map[string]any)
	return creds{AccessKeyID: k["AccessKeyId"].(string), SecretAccessKey: k["SecretAccessKey"].(string)}
}

// TestAssumeRole covers the AssumeRole path end to end.
func TestAssumeRole(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	alice := newUserWithKey(t, s, root, "alice")
	bob := newUserWithKey(t, s, root, "bob")
	const acct = "123456789012"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/alice"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "deployer", "--assume-role-policy-document", trust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "deployer", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser","sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}`))
	roleARN := "arn:aws:iam::" + acct + ":role/deployer"

	// The trust policy names alice in the same account: no identity policy needed.
	r := mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "s1",
		"--tags", "Key=team,Value=blue", "--transitive-tag-keys", "team", "--source-identity", "alice"))
	out := r.json(t)
	aru := out["AssumedRoleUser"].(map[string]any)
	if aru["Arn"] != "arn:aws:sts::"+acct+":assumed-role/deployer/s1" || !strings.HasPrefix(aru["AssumedRoleId"].(string), "AROA") || !strings.HasSuffix(aru["AssumedRoleId"].(string), ":s1") {
		t.Fatalf("AssumedRoleUser: %v", aru)
	}
	sess := credsFrom(t, r)
	id := mustOK(t, s.awsV2(t, sess, "sts", "get-caller-identity")).json(t)
	if id["Arn"] != aru["Arn"] || id["UserId"] != aru["AssumedRoleId"] {
		t.Fatalf("caller identity: %v", id)
	}
	mustOK(t, s.awsV1(t, sess, "iam", "list-users"))
	r = s.awsV1(t, sess, "iam", "create-user", "--user-name", "x")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:sts::"+acct+":assumed-role/deployer/s1 is not authorized to perform: iam:CreateUser") {
		t.Errorf("message: %s", r.Stderr)
	}
	// bob is not trusted.
	r = s.awsV1(t, bob, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "s2")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:iam::"+acct+":user/bob is not authorized to perform: sts:AssumeRole on resource: "+roleARN) {
		t.Errorf("message: %s", r.Stderr)
	}
	// Root may not assume roles; unknown roles are AccessDenied.
	mustFail(t, s.awsV1(t, root, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "s3"), "AccessDenied")
	mustFail(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+acct+":role/nope", "--role-session-name", "s3"), "AccessDenied")
	// Validation.
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "s4", "--duration-seconds", "7200")
	mustFail(t, r, "ValidationError")
	if !strings.Contains(r.Stderr, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.") {
		t.Errorf("message: %s", r.Stderr)
	}
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bad:name")
	mustFail(t, r, "ValidationError")
	r = s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "s5", "--tags", "Key=a,Value=1", "Key=A,Value=2")
	mustFail(t, r, "InvalidParameterValue")

	// A session policy narrows the role.
	r = mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "narrow",
		"--policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`))
	if r.json(t)["PackedPolicySize"] == nil {
		t.Error("no PackedPolicySize with a session policy")
	}
	narrow := credsFrom(t, r)
	mustOK(t, s.awsV1(t, narrow, "iam", "get-user", "--user-name", "alice"))
	r = s.awsV1(t, narrow, "iam", "list-users")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "because no session policy allows the iam:ListUsers action") {
		t.Errorf("session policy message: %s", r.Stderr)
	}

	// Role chaining: one hour at most; transitive tags and the source
	// identity follow the chain.
	auditorTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "auditor", "--max-session-duration", "7200", "--assume-role-policy-document", auditorTrust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "auditor", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:SourceIdentity":"alice"}}}]}`))
	auditorARN := "arn:aws:iam::" + acct + ":role/auditor"
	r = s.awsV1(t, sess, "sts", "assume-role", "--role-arn", auditorARN, "--role-session-name", "hop2", "--duration-seconds", "7200")
	mustFail(t, r, "ValidationError")
	if !strings.Contains(r.Stderr, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.") {
		t.Errorf("chaining message: %s", r.Stderr)
	}
	r = s.awsV1(t, sess, "sts", "assume-role", "--role-arn", auditorARN, "--role-session-name", "hop2", "--tags", "Key=team,Value=red")
	mustFail(t, r, "InvalidParameterValue")
	r = mustOK(t, s.awsV1(t, sess, "sts", "assume-role", "--role-arn", auditorARN, "--role-session-name", "hop2"))
	if r.json(t)["SourceIdentity"] != "alice" {
		t.Errorf("source identity not carried: %v", r.json(t))
	}
	hop2 := credsFrom(t, r)
	mustOK(t, s.awsV1(t, hop2, "iam", "list-users"))

	// ExternalId in the trust policy.
	extTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"xyz-123"}}}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "partner", "--assume-role-policy-document", extTrust))
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "bob", "--policy-name", "assume", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::`+acct+`:role/partner"}]}`))
	partner := "arn:aws:iam::" + acct + ":role/partner"
	mustFail(t, s.awsV1(t, bob, "sts", "assume-role", "--role-arn", partner, "--role-session-name", "e1"), "AccessDenied")
	mustFail(t, s.awsV1(t, bob, "sts", "assume-role", "--role-arn", partner, "--role-session-name", "e1", "--external-id", "wrong-1"), "AccessDenied")
	mustOK(t, s.awsV1(t, bob, "sts", "assume-role", "--role-arn", partner, "--role-session-name", "e1", "--external-id", "xyz-123"))

	// The Go SDK's stscreds provider.
	cfg := goSDKConfig(s, alice)
	stsc := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.url()) })
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsc, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "go-sdk"
		o.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}
	}))
	ic := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(s.url()) })
	if _, err := ic.ListUsers(context.Background(), &iam.ListUsersInput{}); err != nil {
		t.Fatalf("Go SDK stscreds: %v", err)
	}
	// boto3 and aws-cli with a profile: role_arn + source_profile, chained.
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "credentials"), []byte("[base]\naws_access_key_id = "+alice.AccessKeyID+"\naws_secret_access_key = "+alice.SecretAccessKey+"\n"), 0o600)
	os.WriteFile(filepath.Join(home, "config"), []byte("[profile deployer]\nrole_arn = "+roleARN+"\nsource_profile = base\nregion = us-east-1\n"+
		"[profile auditor]\nrole_arn = "+auditorARN+"\nsource_profile = deployer\nregion = us-east-1\n"), 0o600)
	env := append(cleanEnv(), "AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ENDPOINT_URL="+s.url(), "AWS_EC2_METADATA_DISABLED=true", "HOME="+home)
	r = mustOK(t, runCmd(t, env, needTool(t, "python3"), "-c", `
import boto3, json
print(json.dumps(boto3.Session(profile_name="auditor").client("sts").get_caller_identity()["Arn"]))`))
	if !strings.Contains(r.Stdout, "assumed-role/auditor/") {
		t.Fatalf("boto3 chained profile: %s", r.Stdout)
	}
	r = mustOK(t, runCmd(t, env, needTool(t, "aws"), "sts", "get-caller-identity", "--profile", "deployer", "--output", "json"))
	if !strings.Contains(r.Stdout, "assumed-role/deployer/") {
		t.Fatalf("aws-cli profile: %s", r.Stdout)
	}
}
