package server

import (
	"flag"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var updateRoles = flag.Bool("update-roles", false, "rewrite testdata/roles/*.golden from the current responses")

// rolesGoldenScrub replaces the values that change between runs (ids,
// dates, request ids) with placeholders.
var rolesGoldenScrub = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`AROA[A-Z0-9]{17}`), "<role-id>"},
	{regexp.MustCompile(`ANPA[A-Z0-9]{17}`), "<policy-id>"},
	{regexp.MustCompile(`AIDA[A-Z0-9]{17}`), "<user-id>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`), "<date>"},
	{regexp.MustCompile(`<RequestId>[^<]*</RequestId>`), "<RequestId>-</RequestId>"},
}

const goldenTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const goldenDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

// TestRoleAndPolicyWireGolden sends role, managed policy and attachment
// calls through the whole in-process stack and compares status and XML
// body with testdata/roles/NAME.golden (-update-roles rewrites them).
func TestRoleAndPolicyWireGolden(t *testing.T) {
	s := newTestServer(t)
	policyARN := "arn:aws:iam::123456789012:policy/team/ops"
	steps := []struct {
		name   string
		params url.Values
	}{
		{"create-role", url.Values{"Action": {"CreateRole"}, "RoleName": {"app"}, "Path": {"/svc/"}, "AssumeRolePolicyDocument": {goldenTrust},
			"Description": {"my role"}, "Tags.member.1.Key": {"team"}, "Tags.member.1.Value": {"blue"}}},
		{"create-role-exists", url.Values{"Action": {"CreateRole"}, "RoleName": {"APP"}, "AssumeRolePolicyDocument": {goldenTrust}}},
		{"get-role", url.Values{"Action": {"GetRole"}, "RoleName": {"app"}}},
		{"list-roles", url.Values{"Action": {"ListRoles"}}},
		{"put-role-policy", url.Values{"Action": {"PutRolePolicy"}, "RoleName": {"app"}, "PolicyName": {"inline"}, "PolicyDocument": {goldenDoc}}},
		{"get-role-policy", url.Values{"Action": {"GetRolePolicy"}, "RoleName": {"app"}, "PolicyName": {"inline"}}},
		{"create-policy", url.Values{"Action": {"CreatePolicy"}, "PolicyName": {"ops"}, "Path": {"/team/"}, "PolicyDocument": {goldenDoc}, "Description": {"ops policy"}}},
		{"create-policy-version", url.Values{"Action": {"CreatePolicyVersion"}, "PolicyArn": {policyARN}, "PolicyDocument": {goldenDoc}, "SetAsDefault": {"true"}}},
		{"get-policy-version", url.Values{"Action": {"GetPolicyVersion"}, "PolicyArn": {policyARN}, "VersionId": {"v1"}}},
		{"list-policy-versions", url.Values{"Action": {"ListPolicyVersions"}, "PolicyArn": {policyARN}}},
		{"attach-role-policy", url.Values{"Action": {"AttachRolePolicy"}, "RoleName": {"app"}, "PolicyArn": {policyARN}}},
		{"attach-missing", url.Values{"Action": {"AttachRolePolicy"}, "RoleName": {"app"}, "PolicyArn": {policyARN + "123"}}},
		{"list-attached-role-policies", url.Values{"Action": {"ListAttachedRolePolicies"}, "RoleName": {"app"}}},
		{"list-entities-for-policy", url.Values{"Action": {"ListEntitiesForPolicy"}, "PolicyArn": {policyARN}}},
		{"get-policy", url.Values{"Action": {"GetPolicy"}, "PolicyArn": {policyARN}}},
		{"list-policies", url.Values{"Action": {"ListPolicies"}, "Scope": {"Local"}}},
		{"delete-role-conflict", url.Values{"Action": {"DeleteRole"}, "RoleName": {"app"}}},
		{"delete-policy-conflict", url.Values{"Action": {"DeletePolicy"}, "PolicyArn": {policyARN}}},
		{"get-role-missing", url.Values{"Action": {"GetRole"}, "RoleName": {"ghost"}}},
	}
	for _, st := range steps {
		st.params.Set("Version", "2010-05-08")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, signedRequest(t, st.params.Encode(), "iam"))
		got := w.Body.String()
		for _, sc := range rolesGoldenScrub {
			got = sc.re.ReplaceAllString(got, sc.with)
		}
		got = "HTTP " + strconv.Itoa(w.Code) + "\n" + got + "\n"
		path := filepath.Join("testdata", "roles", st.name+".golden")
		if *updateRoles {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run with -update-roles)", st.name, err)
		}
		if got != string(want) {
			t.Errorf("%s:\n got: %s\nwant: %s", st.name, got, want)
		}
	}
}
