package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store/sqlstore"
)

func TestParseExportForms(t *testing.T) {
	var docs [2][]string
	for i, name := range []string{"cli-export.json", "raw-export.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "import", name))
		if err != nil {
			t.Fatal(err)
		}
		ex, err := parseExport(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ex.sourceAccount() != "111122223333" {
			t.Fatalf("%s: source account %q", name, ex.sourceAccount())
		}
		docs[i] = []string{string(ex.UserDetailList[0].UserPolicyList[0].PolicyDocument), string(ex.RoleDetailList[0].AssumeRolePolicyDocument),
			string(ex.Policies[0].PolicyVersionList[1].Document), string(ex.GroupDetailList[0].GroupPolicyList[0].PolicyDocument)}
	}
	// Both forms give the same compact documents.
	for i := range docs[0] {
		if docs[0][i] != docs[1][i] {
			t.Errorf("document %d differs:\n cli %s\n raw %s", i, docs[0][i], docs[1][i])
		}
	}
	if !strings.Contains(docs[0][0], `${aws:username}`) {
		t.Errorf("policy variable lost: %s", docs[0][0])
	}
}

func TestParseExportErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"not json", `nope`, "not a GetAccountAuthorizationDetails export"},
		{"other api", `{"Users":[]}`, `unknown field "Users"`},
		{"truncated", `{"IsTruncated":true,"Marker":"x"}`, "export is truncated"},
		{"bad doc", `{"GroupDetailList":[{"GroupName":"g","GroupPolicyList":[{"PolicyName":"p","PolicyDocument":"%zz"}]}]}`, "neither JSON nor URL-encoded"},
		{"doc array", `{"GroupDetailList":[{"GroupName":"g","GroupPolicyList":[{"PolicyName":"p","PolicyDocument":[1]}]}]}`, "must be a JSON object or a string"},
		{"trailing", `{} {}`, "trailing data"},
	} {
		_, err := parseExport([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParseExport: parseExport never panics, and every document it
// accepts is a JSON object.
func FuzzParseExport(f *testing.F) {
	for _, name := range []string{"cli-export.json", "raw-export.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "import", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"RoleDetailList":[{"AssumeRolePolicyDocument":"%7B%7D"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ex, err := parseExport(b)
		if err != nil {
			return
		}
		for _, r := range ex.RoleDetailList {
			if d := strings.TrimSpace(string(r.AssumeRolePolicyDocument)); d != "" && !strings.HasPrefix(d, "{") {
				t.Fatalf("accepted non-object document %q", d)
			}
		}
	})
}

// TestImport imports the CLI-form export into a fresh data directory
// (bootstrapping it as serve would), twice, and reads it back.
func TestImport(t *testing.T) {
	t.Setenv("IAMD_ACCOUNT_ID", "123456789012")
	dir := t.TempDir()
	file := filepath.Join("testdata", "import", "cli-export.json")
	var out, errb bytes.Buffer
	code := run([]string{"import", "--data", dir, file}, &out, &errb)
	// Everything is imported, the group's AWS managed policy (from the
	// built-in catalogue) included.
	if code != 0 || errb.Len() != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "4 created, 0 already existed, 0 failed") {
		t.Fatalf("summary: %s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, rootCredentialsFile)); err != nil {
		t.Fatalf("fresh data directory not bootstrapped: %v", err)
	}
	out.Reset()
	errb.Reset()
	run([]string{"import", "--data", dir, file}, &out, &errb)
	if !strings.Contains(out.String(), "0 created, 4 already existed, 0 failed") {
		t.Fatalf("second import: %s\n%s", out.String(), errb.String())
	}

	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(dir, "iamd.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	iam := iamsvc.New(st, iamsvc.Options{})
	ctx = identity.With(ctx, &identity.Caller{Type: identity.Root, Account: "123456789012", ARN: identity.RootARN("123456789012"), UserID: "123456789012"})
	d, err := iam.GetAccountAuthorizationDetails(ctx, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	u := d.Users[0]
	if u.UserID != "AIDAEXAMPLEALICE00001" || u.ARN != "arn:aws:iam::123456789012:user/eng/alice" || u.CreateDate.Format("2006-01-02T15") != "2024-03-01T10" ||
		u.PermissionsBoundary != "arn:aws:iam::123456789012:policy/team/ops" || len(u.Groups) != 1 || len(u.Attached) != 1 || len(u.Tags) != 1 {
		t.Fatalf("user: %+v", u)
	}
	p := d.Policies[0]
	if p.PolicyID != "ANPAEXAMPLEOPS0000001" || p.DefaultVersionID != "v3" || len(p.Versions) != 2 || p.AttachmentCount != 2 || p.NextVersion != 4 {
		t.Fatalf("policy: %+v", p)
	}
	if r := d.Roles[0]; r.RoleID != "AROAEXAMPLEAPP0000001" || len(r.Attached) != 1 || len(r.Tags) != 1 {
		t.Fatalf("role: %+v", r)
	}
	if g := d.Groups[0]; g.GroupID != "AGPAEXAMPLEDEVS000001" || len(g.InlinePolicies) != 1 {
		t.Fatalf("group: %+v", g)
	}
	// A version created after the import continues the numbering.
	v, err := iam.CreatePolicyVersion(ctx, p.ARN, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false)
	if err != nil || v.VersionID != "v4" {
		t.Fatalf("next version: %+v %v", v, err)
	}
}

func TestImportUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"import"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "Usage: iamd import") {
		t.Fatalf("no file: %d %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"import", "--data", t.TempDir(), "--account", "999999999999", filepath.Join("testdata", "import", "raw-export.json")}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "account 999999999999 is not hosted by this installation") {
		t.Fatalf("unknown account: %d %s", code, errb.String())
	}
}
