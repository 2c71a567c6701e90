package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRevokeSessions revokes a role's active sessions with "iamd
// revoke-sessions" while the server runs: sessions issued before fail at
// once, sessions issued after work.
func TestRevokeSessions(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const acct = fixedAccount
	alice := newUserWithKey(t, s, root, "alice")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/alice"},"Action":"sts:AssumeRole"}]}`
	mustOK(t, s.awsV1(t, root, "iam", "create-role", "--role-name", "ops", "--assume-role-policy-document", trust))
	mustOK(t, s.awsV1(t, root, "iam", "put-role-policy", "--role-name", "ops", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`))
	roleARN := "arn:aws:iam::" + acct + ":role/ops"
	before := credsFrom(t, mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "before")))
	mustOK(t, s.awsV1(t, before, "iam", "list-users"))

	revoke := func() string {
		t.Helper()
		out, err := exec.Command(iamdBin, "revoke-sessions", "--role", "ops", "--data", s.dataDir).CombinedOutput()
		if err != nil {
			t.Fatalf("revoke-sessions: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := revoke(); !strings.Contains(out, "AWSRevokeOlderSessions") {
		t.Fatalf("revoke output: %s", out)
	}
	r := s.awsV2(t, before, "iam", "list-users")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "with an explicit deny in an identity-based policy") {
		t.Errorf("message: %s", r.Stderr)
	}
	doc := mustOK(t, s.awsV1(t, root, "iam", "get-role-policy", "--role-name", "ops", "--policy-name", "AWSRevokeOlderSessions")).json(t)["PolicyDocument"].(map[string]any)
	st := doc["Statement"].([]any)[0].(map[string]any)
	if st["Effect"] != "Deny" || st["Condition"].(map[string]any)["DateLessThan"].(map[string]any)["aws:TokenIssueTime"] == nil {
		t.Fatalf("policy: %v", doc)
	}

	// Sessions issued after the revocation (its time is rounded up to the
	// next second) work.
	time.Sleep(1100 * time.Millisecond)
	after := credsFrom(t, mustOK(t, s.awsV1(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "after")))
	mustOK(t, s.awsV1(t, after, "iam", "list-users"))

	// Revoking again moves the time forward in the same policy.
	time.Sleep(1100 * time.Millisecond)
	revoke()
	mustFail(t, s.awsV1(t, after, "iam", "list-users"), "AccessDenied")
	names := mustOK(t, s.awsV1(t, root, "iam", "list-role-policies", "--role-name", "ops")).json(t)["PolicyNames"].([]any)
	if len(names) != 2 {
		t.Fatalf("role policies: %v", names)
	}
	// Unknown role: an error, exit status 1.
	if out, err := exec.Command(iamdBin, "revoke-sessions", "--role", "nope", "--data", s.dataDir).CombinedOutput(); err == nil || !strings.Contains(string(out), "cannot be found") {
		t.Fatalf("unknown role: %v %s", err, out)
	}
}
