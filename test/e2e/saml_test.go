package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/federation/saml/samltest"
)

// TestSAML registers a SAML IdP (an in-process test IdP's metadata) with
// aws-cli, and assumes a role with its signed responses through boto3's
// assume_role_with_saml and aws-cli v2's assume-role-with-saml (both sent
// unsigned), addressed to AWS's endpoint and to iamd's own configured
// endpoint; a replayed or tampered response is refused.
func TestSAML(t *testing.T) {
	const endpoint = "https://iamd.example.com/saml"
	s := startServer(t, fixedEnv(), "--saml-endpoint", endpoint)
	root := fixedRoot()
	idp, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(t.TempDir(), "metadata.xml")
	if err := os.WriteFile(md, []byte(idp.Metadata()), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustOK(t, s.awsV1(t, root, "iam", "create-saml-provider", "--name", "Corp", "--saml-metadata-document", "file://"+md)).json(t)
	providerARN := out["SAMLProviderArn"].(string)
	if providerARN != "arn:aws:iam::"+fixedAccount+":saml-provider/Corp" {
		t.Fatalf("provider ARN %s", providerARN)
	}
	list := mustOK(t, s.awsV2(t, root, "iam", "list-saml-providers")).json(t)
	if l := list["SAMLProviderList"].([]any); len(l) != 1 || l[0].(map[string]any)["Arn"] != providerARN {
		t.Fatalf("list-saml-providers: %v", list)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + providerARN + `"},
		"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:sub":"alice","SAML:iss":"https://idp.example.com/saml"}}}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "Sso", "--assume-role-policy-document", trust))
	roleARN := "arn:aws:iam::" + fixedAccount + ":role/Sso"

	response := func(sub, endpointURL string) string {
		a := samltest.Assertion{NameID: sub, Attributes: []samltest.Attr{
			{Name: samltest.RoleAttribute, Values: []string{roleARN + "," + providerARN}},
			{Name: samltest.RoleSessionNameAttribute, Values: []string{sub}},
		}}
		if endpointURL != "" {
			a.Recipient, a.Audiences = endpointURL, []string{endpointURL}
		}
		r, err := idp.Response(a, samltest.SignAssertion)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	script := `
import boto3, json, sys
sts = boto3.client("sts")
r = sts.assume_role_with_saml(RoleArn=sys.argv[1], PrincipalArn=sys.argv[2], SAMLAssertion=sys.argv[3])
c = r["Credentials"]
who = boto3.client("sts", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"]).get_caller_identity()
print(json.dumps({"sub": r["Subject"], "type": r["SubjectType"], "iss": r["Issuer"], "aud": r["Audience"], "nq": r["NameQualifier"], "arn": who["Arn"]}))
`
	py := needTool(t, "python3")
	env := append(s.clientEnv(creds{}), "AWS_ENDPOINT_URL_STS="+s.url(), "AWS_ENDPOINT_URL_IAM="+s.url())
	good := response("alice", "")
	res := mustOK(t, runCmd(t, env, py, "-c", script, roleARN, providerARN, good)).json(t)
	if res["sub"] != "alice" || res["type"] != "persistent" || res["iss"] != "https://idp.example.com/saml" ||
		res["aud"] != "https://signin.aws.amazon.com/saml" || res["nq"] == "" ||
		res["arn"] != "arn:aws:sts::"+fixedAccount+":assumed-role/Sso/alice" {
		t.Fatalf("boto3: %v", res)
	}
	// The same response again: refused.
	r := runCmd(t, env, py, "-c", script, roleARN, providerARN, good)
	if r.Code == 0 || !strings.Contains(r.Stderr, "InvalidIdentityToken") {
		t.Fatalf("replay: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	// iamd's own endpoint as Recipient and Audience.
	res = mustOK(t, runCmd(t, env, py, "-c", script, roleARN, providerARN, response("alice", endpoint))).json(t)
	if res["aud"] != endpoint {
		t.Fatalf("own endpoint: %v", res)
	}
	// Another endpoint, another subject, a tampered response.
	if r := runCmd(t, env, py, "-c", script, roleARN, providerARN, response("alice", "https://other.example.com/saml")); r.Code == 0 || !strings.Contains(r.Stderr, "InvalidIdentityToken") {
		t.Fatalf("foreign endpoint: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	if r := runCmd(t, env, py, "-c", script, roleARN, providerARN, response("bob", "")); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("trust condition: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}

	// aws-cli v2, unsigned (--no-sign-request is what it does by itself).
	v2 := mustOK(t, s.awsV2(t, creds{}, "sts", "assume-role-with-saml", "--role-arn", roleARN, "--principal-arn", providerARN,
		"--saml-assertion", response("alice", ""))).json(t)
	if v2["Subject"] != "alice" || v2["AssumedRoleUser"].(map[string]any)["Arn"] != "arn:aws:sts::"+fixedAccount+":assumed-role/Sso/alice" {
		t.Fatalf("aws-cli v2: %v", v2)
	}

	mustOK(t, s.awsV1(t, root, "iam", "delete-saml-provider", "--saml-provider-arn", providerARN))
	mustFail(t, s.awsV1(t, root, "iam", "get-saml-provider", "--saml-provider-arn", providerARN), "NoSuchEntity")
}
