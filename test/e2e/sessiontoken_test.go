package e2e

import (
	"strings"
	"testing"
)

// TestGetSessionToken issues temporary credentials to a user and uses
// them: GetCallerIdentity answers as the user, IAM calls need MFA, a
// changed token is refused, and session credentials cannot get another
// session token.
func TestGetSessionToken(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "erin"))
	key := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "erin")).json(t)["AccessKey"].(map[string]any)
	erin := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	out := mustOK(t, s.awsV2(t, erin, "sts", "get-session-token", "--duration-seconds", "900")).json(t)["Credentials"].(map[string]any)
	tmp := creds{AccessKeyID: out["AccessKeyId"].(string), SecretAccessKey: out["SecretAccessKey"].(string), SessionToken: out["SessionToken"].(string)}
	if !strings.HasPrefix(tmp.AccessKeyID, "ASIA") || out["Expiration"] == nil {
		t.Fatalf("credentials: %v", out)
	}
	id := mustOK(t, s.awsV1(t, tmp, "sts", "get-caller-identity")).json(t)
	if id["Arn"] != "arn:aws:iam::123456789012:user/erin" || id["Account"] != "123456789012" {
		t.Fatalf("identity: %v", id)
	}
	info := mustOK(t, s.awsV1(t, root, "sts", "get-access-key-info", "--access-key-id", tmp.AccessKeyID)).json(t)
	if info["Account"] != "123456789012" {
		t.Fatalf("access key info for ASIA key: %v", info)
	}
	mustFail(t, s.awsV1(t, tmp, "iam", "list-users"), "AccessDenied")
	mustFail(t, s.awsV1(t, tmp, "sts", "get-session-token"), "AccessDenied")
	// A token of another session, or a changed one, is refused.
	other := mustOK(t, s.awsV1(t, erin, "sts", "get-session-token")).json(t)["Credentials"].(map[string]any)
	swapped := tmp
	swapped.SessionToken = other["SessionToken"].(string)
	r := s.awsV1(t, swapped, "sts", "get-caller-identity")
	mustFail(t, r, "InvalidClientTokenId")
	bad := tmp
	bad.SessionToken = tmp.SessionToken[:len(tmp.SessionToken)-8] + "AAAAAAA="
	mustFail(t, s.awsV1(t, bad, "sts", "get-caller-identity"), "InvalidClientTokenId")
	noToken := tmp
	noToken.SessionToken = ""
	mustFail(t, s.awsV1(t, noToken, "sts", "get-caller-identity"), "InvalidClientTokenId")
	// boto3, and the session survives a restart (stateless token, stored key ring).
	s.restart()
	r = mustOK(t, s.boto3(t, tmp, `
import boto3, json
print(json.dumps(boto3.client("sts").get_caller_identity()["Arn"]))`))
	if !strings.Contains(r.Stdout, "user/erin") {
		t.Fatalf("boto3 after restart: %s", r.Stdout)
	}
	// Root sessions are capped at one hour.
	rs := mustOK(t, s.awsV1(t, root, "sts", "get-session-token", "--duration-seconds", "7200")).json(t)["Credentials"].(map[string]any)
	if rs["AccessKeyId"] == nil {
		t.Fatalf("root session: %v", rs)
	}
}
