package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrossAccountChain is the STS proof across two accounts created
// through Organizations: a user of the management account assumes a role
// in member account A that trusts the management account with an external
// id (both sides must allow), then a role in member account B, then a role
// back in A — three hops — with session tags made transitive on the first
// hop and a source identity that persists and cannot change; and the same
// chain through ~/.aws/config profiles (role_arn + source_profile +
// external_id) in aws-cli and boto3.
func TestCrossAccountChain(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const mgmt = fixedAccount
	admin := newUserWithKey(t, s, root, "admin")
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "admin", "--policy-name", "admin", "--policy-document", adminPolicy))
	mustOK(t, s.awsV1(t, admin, "organizations", "create-organization", "--feature-set", "ALL"))
	a := orgCreateAccount(t, s, admin, "team-a", "a@example.com")
	b := orgCreateAccount(t, s, admin, "team-b", "b@example.com")
	adminA := assumeAccess(t, s, admin, a, "setup-a")
	adminB := assumeAccess(t, s, admin, b, "setup-b")

	// The caller: dev in the management account, allowed to assume only
	// the first hop (identity side of a cross-account call).
	dev := newUserWithKey(t, s, root, "dev")
	hop1 := "arn:aws:iam::" + a + ":role/hop1"
	hop2 := "arn:aws:iam::" + b + ":role/hop2"
	hop3 := "arn:aws:iam::" + a + ":role/hop3"
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "dev", "--policy-name", "assume", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":"`+hop1+`"}]}`))
	trust := func(principal, extra string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]` + extra + `}]}`
	}
	assumeNext := func(next string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity","iam:ListRoles"],"Resource":"*"}]}`
	}
	mustOK(t, s.awsV1(t, adminA, "iam", "create-role", "--role-name", "hop1", "--assume-role-policy-document",
		trust("arn:aws:iam::"+mgmt+":root", `,"Condition":{"StringEquals":{"sts:ExternalId":"ext-42"}}`)))
	mustOK(t, s.awsV1(t, adminA, "iam", "put-role-policy", "--role-name", "hop1", "--policy-name", "p", "--policy-document", assumeNext(hop2)))
	mustOK(t, s.awsV1(t, adminB, "iam", "create-role", "--role-name", "hop2", "--assume-role-policy-document", trust(hop1, "")))
	mustOK(t, s.awsV1(t, adminB, "iam", "put-role-policy", "--role-name", "hop2", "--policy-name", "p", "--policy-document", assumeNext(hop3)))
	mustOK(t, s.awsV1(t, adminA, "iam", "create-role", "--role-name", "hop3", "--assume-role-policy-document", trust(hop2,
		`,"Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:SourceIdentity":"dev-alice"}}`)))
	mustOK(t, s.awsV1(t, adminA, "iam", "put-role-policy", "--role-name", "hop3", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`))

	// Both sides must allow: without the external id the trust policy
	// refuses; a role dev's own policy does not name is refused too.
	mustFail(t, s.awsV1(t, dev, "sts", "assume-role", "--role-arn", hop1, "--role-session-name", "h1"), "AccessDenied")
	r := s.awsV1(t, dev, "sts", "assume-role", "--role-arn", hop2, "--role-session-name", "h1")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:iam::"+mgmt+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+hop2) {
		t.Errorf("cross-account denial: %s", r.Stderr)
	}
	mustFail(t, s.awsV1(t, dev, "sts", "assume-role", "--role-arn", hop1, "--role-session-name", "h1", "--external-id", "wrong"), "AccessDenied")

	s1 := credsFrom(t, mustOK(t, s.awsV1(t, dev, "sts", "assume-role", "--role-arn", hop1, "--role-session-name", "h1",
		"--external-id", "ext-42", "--tags", "Key=team,Value=blue", "--transitive-tag-keys", "team", "--source-identity", "dev-alice")))
	// Hop 2 may not override the transitive tag nor change the source identity.
	r = s.awsV2(t, s1, "sts", "assume-role", "--role-arn", hop2, "--role-session-name", "h2", "--tags", "Key=team,Value=red")
	mustFail(t, r, "InvalidParameterValue")
	mustFail(t, s.awsV2(t, s1, "sts", "assume-role", "--role-arn", hop2, "--role-session-name", "h2", "--source-identity", "mallory"), "AccessDenied")
	s2 := credsFrom(t, mustOK(t, s.awsV2(t, s1, "sts", "assume-role", "--role-arn", hop2, "--role-session-name", "h2")))
	// Hop 3's trust policy needs the transitive tag and the source identity
	// from hop 1: both arrive through hop 2.
	out := mustOK(t, s.awsV1(t, s2, "sts", "assume-role", "--role-arn", hop3, "--role-session-name", "h3")).json(t)
	if out["SourceIdentity"] != "dev-alice" {
		t.Errorf("source identity at hop 3: %v", out["SourceIdentity"])
	}
	s3 := credsFrom(t, mustOK(t, s.awsV1(t, s2, "sts", "assume-role", "--role-arn", hop3, "--role-session-name", "h3")))
	id := mustOK(t, s.awsV2(t, s3, "sts", "get-caller-identity")).json(t)
	if id["Account"] != a || id["Arn"] != "arn:aws:sts::"+a+":assumed-role/hop3/h3" {
		t.Fatalf("hop 3 identity: %v", id)
	}
	mustOK(t, s.awsV1(t, s3, "iam", "list-roles"))
	mustFail(t, s.awsV1(t, s3, "iam", "create-user", "--user-name", "x"), "AccessDenied")
	// A chain without the transitive tag cannot reach hop 3.
	plain := credsFrom(t, mustOK(t, s.awsV1(t, dev, "sts", "assume-role", "--role-arn", hop1, "--role-session-name", "p1", "--external-id", "ext-42")))
	plain2 := credsFrom(t, mustOK(t, s.awsV1(t, plain, "sts", "assume-role", "--role-arn", hop2, "--role-session-name", "p2")))
	mustFail(t, s.awsV1(t, plain2, "sts", "assume-role", "--role-arn", hop3, "--role-session-name", "p3"), "AccessDenied")

	// The same hops through profiles: external_id on the first one.
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "credentials"), []byte("[base]\naws_access_key_id = "+dev.AccessKeyID+"\naws_secret_access_key = "+dev.SecretAccessKey+"\n"), 0o600)
	os.WriteFile(filepath.Join(home, "config"), []byte("[profile one]\nrole_arn = "+hop1+"\nsource_profile = base\nexternal_id = ext-42\nregion = us-east-1\n"+
		"[profile two]\nrole_arn = "+hop2+"\nsource_profile = one\nregion = us-east-1\n"), 0o600)
	env := append(cleanEnv(), "AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ENDPOINT_URL="+s.url(), "AWS_EC2_METADATA_DISABLED=true", "HOME="+home)
	r = mustOK(t, runCmd(t, env, needTool(t, "python3"), "-c", `
import boto3
print(boto3.Session(profile_name="two").client("sts").get_caller_identity()["Arn"])`))
	if strings.TrimSpace(r.Stdout) != "arn:aws:sts::"+b+":assumed-role/hop2/" && !strings.HasPrefix(strings.TrimSpace(r.Stdout), "arn:aws:sts::"+b+":assumed-role/hop2/") {
		t.Fatalf("boto3 profile chain: %s", r.Stdout)
	}
	r = mustOK(t, runCmd(t, env, needTool(t, "aws"), "sts", "get-caller-identity", "--profile", "one", "--output", "json"))
	if !strings.Contains(r.Stdout, "arn:aws:sts::"+a+":assumed-role/hop1/") {
		t.Fatalf("aws-cli profile: %s", r.Stdout)
	}
}
