package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamd/iamd/internal/federation/oidc/oidctest"
)

// TestWebIdentity runs an HTTPS OIDC issuer with a self-signed certificate
// in the test process, registers it with iamd through its thumbprint, and
// assumes a role with its tokens through boto3 and through the
// web-identity-token-file provider chains of boto3 and the Go SDK
// (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, no code for it).
func TestWebIdentity(t *testing.T) {
	is, err := oidctest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer is.Close()
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	host := strings.TrimPrefix(is.URL(), "https://")

	out := mustOK(t, s.awsV1(t, root, "iam", "create-open-id-connect-provider", "--url", is.URL(),
		"--client-id-list", "sts.amazonaws.com", "--thumbprint-list", is.Thumbprint())).json(t)
	providerARN := out["OpenIDConnectProviderArn"].(string)
	if providerARN != "arn:aws:iam::"+fixedAccount+":oidc-provider/"+host {
		t.Fatalf("provider ARN %s", providerARN)
	}
	got := mustOK(t, s.awsV1(t, root, "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", providerARN)).json(t)
	if got["Url"] != host || got["ThumbprintList"].([]any)[0] != is.Thumbprint() {
		t.Fatalf("get-open-id-connect-provider: %v", got)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + providerARN + `"},
		"Action":"sts:AssumeRoleWithWebIdentity","Condition":{
		"StringEquals":{"` + host + `:aud":"sts.amazonaws.com","` + host + `:repository":"octo/app"},
		"StringLike":{"` + host + `:sub":"repo:octo/app:*"}}}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "ci", "--assume-role-policy-document", trust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "ci", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}`))
	roleARN := "arn:aws:iam::" + fixedAccount + ":role/ci"

	claims := is.Claims("sts.amazonaws.com", "repo:octo/app:ref:refs/heads/main")
	claims["repository"] = "octo/app"
	token := is.Sign("RS256", "rsa1", claims)
	claims["repository"] = "evil/app"
	wrongRepo := is.Sign("RS256", "rsa1", claims)

	// boto3's assume_role_with_web_identity (sent unsigned by botocore).
	script := `
import boto3, json, sys
sts = boto3.client("sts")
r = sts.assume_role_with_web_identity(RoleArn=sys.argv[1], RoleSessionName="gh", WebIdentityToken=sys.argv[2])
c = r["Credentials"]
who = boto3.client("sts", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"]).get_caller_identity()
print(json.dumps({"sub": r["SubjectFromWebIdentityToken"], "aud": r["Audience"], "provider": r["Provider"], "arn": who["Arn"]}))
`
	py := needTool(t, "python3")
	env := append(s.clientEnv(creds{}), "AWS_ENDPOINT_URL_STS="+s.url(), "AWS_ENDPOINT_URL_IAM="+s.url())
	res := mustOK(t, runCmd(t, env, py, "-c", script, roleARN, token)).json(t)
	if res["sub"] != "repo:octo/app:ref:refs/heads/main" || res["aud"] != "sts.amazonaws.com" || res["provider"] != is.URL() ||
		res["arn"] != "arn:aws:sts::"+fixedAccount+":assumed-role/ci/gh" {
		t.Fatalf("boto3: %v", res)
	}
	r := runCmd(t, env, py, "-c", script, roleARN, wrongRepo)
	if r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("wrong repository claim: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runCmd(t, env, py, "-c", script, roleARN, token[:len(token)-2]+"xx")
	if r.Code == 0 || !strings.Contains(r.Stderr, "InvalidIdentityToken") {
		t.Fatalf("tampered token: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}

	// The provider chains: only a token file and a role ARN.
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	chainEnv := func() []string {
		var out []string
		for _, kv := range s.clientEnv(creds{}) {
			if !strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") && !strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY=") {
				out = append(out, kv)
			}
		}
		return append(out, "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile, "AWS_ROLE_ARN="+roleARN, "AWS_ROLE_SESSION_NAME=chain",
			"AWS_ENDPOINT_URL_STS="+s.url(), "AWS_ENDPOINT_URL_IAM="+s.url())
	}
	res = mustOK(t, runCmd(t, chainEnv(), py, "-c", `
import boto3, json
who = boto3.client("sts").get_caller_identity()
roles = boto3.client("iam").list_roles()["Roles"]
print(json.dumps({"arn": who["Arn"], "roles": len(roles)}))
`)).json(t)
	if res["arn"] != "arn:aws:sts::"+fixedAccount+":assumed-role/ci/chain" || res["roles"].(float64) != 1 {
		t.Fatalf("boto3 provider chain: %v", res)
	}

	// Go SDK: config.LoadDefaultConfig with the same environment.
	for _, kv := range chainEnv() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	os.Unsetenv("AWS_SESSION_TOKEN")
	os.Unsetenv("AWS_PROFILE")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("Go SDK provider chain: %v", err)
	}
	if *who.Arn != "arn:aws:sts::"+fixedAccount+":assumed-role/ci/chain" {
		b, _ := json.Marshal(who)
		t.Fatalf("Go SDK: %s", b)
	}
}
