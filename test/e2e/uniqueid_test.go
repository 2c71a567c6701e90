package e2e

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestTrustPolicyUniqueIDs: a trust policy names alice; after alice is
// deleted and recreated under the same name, the policy no longer matches
// her (AWS binds principals by unique id), get-role shows the old unique
// id, and saving the policy again binds the new alice. Naming a user that
// does not exist is MalformedPolicyDocument.
func TestTrustPolicyUniqueIDs(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	alice := newUserWithKey(t, s, root, "alice")
	oldID := mustOK(t, s.awsV1(t, root, "iam", "get-user", "--user-name", "alice")).json(t)["User"].(map[string]any)["UserId"].(string)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "r", "--assume-role-policy-document", trust))
	roleARN := "arn:aws:iam::123456789012:role/r"
	mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "one"))

	keyID := alice.AccessKeyID
	mustOK(t, s.awsV1(t, root, "iam", "delete-access-key", "--user-name", "alice", "--access-key-id", keyID))
	mustOK(t, s.awsV1(t, root, "iam", "delete-user", "--user-name", "alice"))
	alice2 := newUserWithKey(t, s, root, "alice")
	mustFail(t, s.awsV2(t, alice2, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "two"), "AccessDenied")
	doc := mustOK(t, s.boto3(t, root, boto3Harness+`
call("r", "get_role", RoleName="r")
dump()
`)).json(t)["r"].(map[string]any)["Role"].(map[string]any)["AssumeRolePolicyDocument"]
	docText := ""
	switch d := doc.(type) {
	case string:
		docText, _ = url.QueryUnescape(d)
	case map[string]any:
		docText = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(jsonString(t, d)), " ", ""), "\n", "")
	}
	if !strings.Contains(docText, `"AWS":"`+oldID+`"`) || strings.Contains(docText, "user/alice") {
		t.Fatalf("trust policy after the principal was recreated: %s", docText)
	}
	mustOK(t, s.awsV1(t, root, "iam", "update-assume-role-policy", "--role-name", "r", "--policy-document", trust))
	mustOK(t, s.awsV2(t, alice2, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "three"))

	r := s.awsV1(t, root, "iam", "update-assume-role-policy", "--role-name", "r", "--policy-document",
		strings.Replace(trust, "user/alice", "user/nobody", 1))
	mustFail(t, r, "MalformedPolicyDocument")
	if !strings.Contains(r.Stderr, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/nobody"`) {
		t.Errorf("message: %s", r.Stderr)
	}
}

// jsonString renders v as compact JSON.
func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
