package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func goSDKConfig(s *server, c creds) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
		HTTPClient:  http.DefaultClient,
	}
}

func goSTS(s *server, c creds) *sts.Client {
	return sts.NewFromConfig(goSDKConfig(s, c), func(o *sts.Options) { o.BaseEndpoint = aws.String(s.url()) })
}

func goIAM(s *server, c creds) *iam.Client {
	return iam.NewFromConfig(goSDKConfig(s, c), func(o *iam.Options) { o.BaseEndpoint = aws.String(s.url()) })
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

const fixedAccount = "123456789012"
const fixedRootKey = "AKIAIOSFODNN7EXAMPLE"
const fixedRootSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func fixedEnv() []string {
	return []string{"IAMD_ACCOUNT_ID=" + fixedAccount, "IAMD_ROOT_ACCESS_KEY_ID=" + fixedRootKey, "IAMD_ROOT_SECRET_ACCESS_KEY=" + fixedRootSecret}
}

func fixedRoot() creds {
	return creds{AccountID: fixedAccount, AccessKeyID: fixedRootKey, SecretAccessKey: fixedRootSecret}
}

// TestRootCallerIdentityAllClients checks GetCallerIdentity for the root
// user through every client, with generated root credentials.
func TestRootCallerIdentityAllClients(t *testing.T) {
	s := startServer(t, nil)
	if s.root.AccessKeyID == "" || len(s.root.AccountID) != 12 {
		t.Fatalf("root-credentials.json missing or incomplete: %+v", s.root)
	}
	fi, err := os.Stat(filepath.Join(s.dataDir, "root-credentials.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("root-credentials.json mode: %v %v", fi, err)
	}
	if strings.Contains(s.logs.String(), s.root.SecretAccessKey) {
		t.Fatal("root secret appears in the logs")
	}
	want := map[string]string{"Account": s.root.AccountID, "UserId": s.root.AccountID, "Arn": "arn:aws:iam::" + s.root.AccountID + ":root"}
	check := func(name string, got map[string]any) {
		t.Helper()
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %s (all: %v)", name, k, got[k], v, got)
			}
		}
	}
	t.Run("aws-cli-v1", func(t *testing.T) {
		check("aws v1", mustOK(t, s.awsV1(t, s.root, "sts", "get-caller-identity")).json(t))
	})
	t.Run("aws-cli-v2", func(t *testing.T) {
		check("aws v2", mustOK(t, s.awsV2(t, s.root, "sts", "get-caller-identity")).json(t))
	})
	t.Run("boto3", func(t *testing.T) {
		r := mustOK(t, s.boto3(t, s.root, `
import boto3, json
r = boto3.client("sts").get_caller_identity()
print(json.dumps({k: r[k] for k in ("Account", "UserId", "Arn")}))`))
		check("boto3", r.json(t))
	})
	t.Run("go-sdk", func(t *testing.T) {
		out, err := goSTS(s, s.root).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		check("go sdk", map[string]any{"Account": aws.ToString(out.Account), "UserId": aws.ToString(out.UserId), "Arn": aws.ToString(out.Arn)})
	})
	t.Run("presigned-url", func(t *testing.T) {
		// botocore presigns STS calls for the model's method, POST (the
		// parameters move into the query string, the body stays empty);
		// like AWS, the same URL used with GET does not verify.
		r := mustOK(t, s.boto3(t, s.root, `
import boto3
print(boto3.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300))`))
		url := strings.TrimSpace(r.Stdout)
		if !strings.Contains(url, "X-Amz-Signature=") {
			t.Fatalf("not a presigned URL: %s", url)
		}
		req, _ := http.NewRequest(http.MethodPost, url, nil)
		status, hdr, body := rawRequest(t, req)
		if status != 200 || !strings.Contains(body, "<Arn>arn:aws:iam::"+s.root.AccountID+":root</Arn>") {
			t.Fatalf("presigned GetCallerIdentity: %d %s", status, body)
		}
		if hdr.Get("x-amzn-RequestId") == "" {
			t.Error("no x-amzn-RequestId header")
		}
		req, _ = http.NewRequest(http.MethodGet, url, nil)
		if status, _, body := rawRequest(t, req); status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
			t.Fatalf("POST-signed URL used with GET: %d %s", status, body)
		}
		// Tampering with the signed query breaks the signature.
		req, _ = http.NewRequest(http.MethodPost, strings.Replace(url, "Version=2011-06-15", "Version=2011-06-15&Extra=1", 1), nil)
		if status, _, body := rawRequest(t, req); status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
			t.Fatalf("tampered presigned URL: %d %s", status, body)
		}
		// The Go SDK's presigner.
		ps, err := sts.NewPresignClient(goSTS(s, s.root)).PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest(ps.Method, ps.URL, nil)
		for k, v := range ps.SignedHeader {
			if !strings.EqualFold(k, "host") {
				req.Header[k] = v
			}
		}
		if status, _, body := rawRequest(t, req); status != 200 || !strings.Contains(body, ":root</Arn>") {
			t.Fatalf("Go SDK presigned %s: %d %s", ps.Method, status, body)
		}
		// A GET URL presigned with the SDK's signer.
		get, _ := http.NewRequest(http.MethodGet, s.url()+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: s.root.AccessKeyID, SecretAccessKey: s.root.SecretAccessKey},
			get, sha256Hex(""), "sts", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest(http.MethodGet, signed, nil)
		if status, _, body := rawRequest(t, req); status != 200 || !strings.Contains(body, ":root</Arn>") {
			t.Fatalf("GET presigned: %d %s", status, body)
		}
	})
}

// TestUsersAndAccessKeys drives the user and access-key lifecycle with
// aws-cli v1 and checks that a user's keys authenticate at once and stop
// working when inactive or deleted.
func TestUsersAndAccessKeys(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	u := mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "alice", "--path", "/eng/", "--tags", "Key=team,Value=blue")).json(t)["User"].(map[string]any)
	if u["Arn"] != "arn:aws:iam::123456789012:user/eng/alice" || !strings.HasPrefix(u["UserId"].(string), "AIDA") || u["Path"] != "/eng/" {
		t.Fatalf("create-user: %v", u)
	}
	mustFail(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "ALICE"), "EntityAlreadyExists")
	r := s.awsV1(t, root, "iam", "create-user", "--user-name", "bad name!")
	mustFail(t, r, "ValidationError")
	// IAM words name-pattern violations its own way (recorded AWS responses).
	if !strings.Contains(r.Stderr, "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-") {
		t.Errorf("validation message: %s", r.Stderr)
	}
	r = s.awsV1(t, root, "iam", "create-user", "--user-name", strings.Repeat("a", 65))
	mustFail(t, r, "ValidationError")
	if !strings.Contains(r.Stderr, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64") {
		t.Errorf("length validation message: %s", r.Stderr)
	}
	got := mustOK(t, s.awsV1(t, root, "iam", "get-user", "--user-name", "alice")).json(t)["User"].(map[string]any)
	if got["UserId"] != u["UserId"] {
		t.Fatalf("get-user: %v", got)
	}
	mustFail(t, s.awsV1(t, root, "iam", "get-user", "--user-name", "nobody"), "NoSuchEntity")

	key := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice")).json(t)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	if !strings.HasPrefix(alice.AccessKeyID, "AKIA") || key["Status"] != "Active" || key["UserName"] != "alice" {
		t.Fatalf("create-access-key: %v", key)
	}
	// The key works immediately.
	id := mustOK(t, s.awsV1(t, alice, "sts", "get-caller-identity")).json(t)
	if id["Arn"] != "arn:aws:iam::123456789012:user/eng/alice" || id["UserId"] != u["UserId"] {
		t.Fatalf("alice identity: %v", id)
	}
	// GetUser without a name returns the caller — but alice has no policy.
	mustFail(t, s.awsV1(t, alice, "iam", "get-user"), "AccessDenied")
	r = s.awsV1(t, alice, "iam", "create-user", "--user-name", "mallory")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:iam::123456789012:user/eng/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory") {
		t.Errorf("AccessDenied message: %s", r.Stderr)
	}
	// STS GetAccessKeyInfo.
	info := mustOK(t, s.awsV1(t, root, "sts", "get-access-key-info", "--access-key-id", alice.AccessKeyID)).json(t)
	if info["Account"] != "123456789012" {
		t.Fatalf("get-access-key-info: %v", info)
	}
	// Listing, tags, last used.
	keys := mustOK(t, s.awsV1(t, root, "iam", "list-access-keys", "--user-name", "alice")).json(t)["AccessKeyMetadata"].([]any)
	if len(keys) != 1 || keys[0].(map[string]any)["AccessKeyId"] != alice.AccessKeyID {
		t.Fatalf("list-access-keys: %v", keys)
	}
	mustOK(t, s.awsV1(t, root, "iam", "tag-user", "--user-name", "alice", "--tags", "Key=env,Value=prod"))
	tags := mustOK(t, s.awsV1(t, root, "iam", "list-user-tags", "--user-name", "alice")).json(t)["Tags"].([]any)
	if len(tags) != 2 {
		t.Fatalf("list-user-tags: %v", tags)
	}
	mustOK(t, s.awsV1(t, root, "iam", "untag-user", "--user-name", "alice", "--tag-keys", "team"))
	lu := mustOK(t, s.awsV1(t, root, "iam", "get-access-key-last-used", "--access-key-id", alice.AccessKeyID)).json(t)
	if lu["UserName"] != "alice" {
		t.Fatalf("get-access-key-last-used: %v", lu)
	}
	mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice"))
	r = s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice")
	mustFail(t, r, "LimitExceeded")
	// Inactive keys are refused.
	mustOK(t, s.awsV1(t, root, "iam", "update-access-key", "--user-name", "alice", "--access-key-id", alice.AccessKeyID, "--status", "Inactive"))
	mustFail(t, s.awsV1(t, alice, "sts", "get-caller-identity"), "InvalidClientTokenId")
	mustOK(t, s.awsV1(t, root, "iam", "update-access-key", "--user-name", "alice", "--access-key-id", alice.AccessKeyID, "--status", "Active"))
	mustOK(t, s.awsV1(t, alice, "sts", "get-caller-identity"))
	// DeleteUser conflicts while keys exist.
	r = s.awsV1(t, root, "iam", "delete-user", "--user-name", "alice")
	mustFail(t, r, "DeleteConflict")
	if !strings.Contains(r.Stderr, "Cannot delete entity, must delete access keys first.") {
		t.Errorf("DeleteConflict message: %s", r.Stderr)
	}
	// Rename keeps the keys working under the new name.
	mustOK(t, s.awsV1(t, root, "iam", "update-user", "--user-name", "alice", "--new-user-name", "alicia"))
	id = mustOK(t, s.awsV1(t, alice, "sts", "get-caller-identity")).json(t)
	if id["Arn"] != "arn:aws:iam::123456789012:user/eng/alicia" {
		t.Fatalf("after rename: %v", id)
	}
	// Deleted keys are refused.
	for _, k := range mustOK(t, s.awsV1(t, root, "iam", "list-access-keys", "--user-name", "alicia")).json(t)["AccessKeyMetadata"].([]any) {
		mustOK(t, s.awsV1(t, root, "iam", "delete-access-key", "--user-name", "alicia", "--access-key-id", k.(map[string]any)["AccessKeyId"].(string)))
	}
	mustFail(t, s.awsV1(t, alice, "sts", "get-caller-identity"), "InvalidClientTokenId")
	mustOK(t, s.awsV1(t, root, "iam", "delete-user", "--user-name", "alicia"))
	mustFail(t, s.awsV1(t, root, "iam", "get-user", "--user-name", "alicia"), "NoSuchEntity")

	// The audit stream has one CloudTrail-shaped event per call, without secrets.
	b, err := os.ReadFile(filepath.Join(s.dataDir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	audit := string(b)
	for _, want := range []string{`"eventName":"CreateAccessKey"`, `"eventSource":"iam.amazonaws.com"`, `"arn":"arn:aws:iam::123456789012:root"`,
		`"errorCode":"DeleteConflict"`, `"errorCode":"InvalidClientTokenId"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	if strings.Contains(audit, alice.SecretAccessKey) || strings.Contains(s.logs.String(), alice.SecretAccessKey) {
		t.Error("a secret access key appears in the audit or server log")
	}
}

// TestListUsersPagination pages through users with MaxItems and Marker
// from boto3 and the Go SDK paginator.
func TestListUsersPagination(t *testing.T) {
	s := startServer(t, fixedEnv())
	ic := goIAM(s, fixedRoot())
	ctx := context.Background()
	for i := 0; i < 23; i++ {
		if _, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user-%02d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	p := iam.NewListUsersPaginator(ic, &iam.ListUsersInput{MaxItems: aws.Int32(5)})
	var names []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if len(names) != 23 || pages != 5 || names[0] != "user-00" || names[22] != "user-22" {
		t.Fatalf("pages=%d names=%v", pages, names)
	}
	r := mustOK(t, s.boto3(t, fixedRoot(), `
import boto3, json
p = boto3.client("iam").get_paginator("list_users")
names = [u["UserName"] for page in p.paginate(PaginationConfig={"PageSize": 7}) for u in page["Users"]]
print(json.dumps({"n": len(names), "first": names[0], "last": names[-1]}))`)).json(t)
	if r["n"] != float64(23) || r["first"] != "user-00" || r["last"] != "user-22" {
		t.Fatalf("boto3 paginator: %v", r)
	}
	if _, err := ic.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("not-a-marker")}); err == nil {
		t.Fatal("bad marker accepted")
	}
}

// TestAuthenticationFailures sends badly signed requests.
func TestAuthenticationFailures(t *testing.T) {
	s := startServer(t, fixedEnv())
	ctx := context.Background()
	t.Run("bad-signature", func(t *testing.T) {
		bad := fixedRoot()
		bad.SecretAccessKey = strings.Repeat("x", 40)
		_, err := goSTS(s, bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if apiCode(err) != "SignatureDoesNotMatch" {
			t.Fatalf("got %v", err)
		}
		mustFail(t, s.awsV2(t, bad, "sts", "get-caller-identity"), "SignatureDoesNotMatch")
	})
	t.Run("unknown-key", func(t *testing.T) {
		unknown := creds{AccessKeyID: "AKIAI44QH8DHBEXAMPLE", SecretAccessKey: fixedRootSecret}
		_, err := goSTS(s, unknown).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if apiCode(err) != "InvalidClientTokenId" {
			t.Fatalf("got %v", err)
		}
		r := s.awsV1(t, unknown, "iam", "list-users")
		mustFail(t, r, "InvalidClientTokenId")
		if !strings.Contains(r.Stderr, "The security token included in the request is invalid") {
			t.Errorf("message: %s", r.Stderr)
		}
	})
	t.Run("expired-date", func(t *testing.T) {
		body := "Action=GetCallerIdentity&Version=2011-06-15"
		req, _ := http.NewRequest(http.MethodPost, s.url()+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		signer := v4.NewSigner()
		old := time.Now().Add(-20 * time.Minute)
		hash := sha256Hex(body)
		if err := signer.SignHTTP(ctx, aws.Credentials{AccessKeyID: fixedRootKey, SecretAccessKey: fixedRootSecret}, req, hash, "sts", "us-east-1", old); err != nil {
			t.Fatal(err)
		}
		status, _, resp := rawRequest(t, req)
		if status != 403 || !strings.Contains(resp, "<Code>SignatureDoesNotMatch</Code>") || !strings.Contains(resp, "Signature expired") {
			t.Fatalf("expired: %d %s", status, resp)
		}
	})
	t.Run("no-auth", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.url()+"/", strings.NewReader("Action=ListUsers&Version=2010-05-08"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, _, resp := rawRequest(t, req)
		if status != 403 || !strings.Contains(resp, "<Code>MissingAuthenticationToken</Code>") {
			t.Fatalf("no auth: %d %s", status, resp)
		}
	})
	t.Run("incomplete-signature", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.url()+"/", strings.NewReader("Action=ListUsers&Version=2010-05-08"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+fixedRootKey+"/20260101/us-east-1/iam/aws4_request")
		req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		status, _, resp := rawRequest(t, req)
		if status != 400 || !strings.Contains(resp, "<Code>IncompleteSignature</Code>") {
			t.Fatalf("incomplete: %d %s", status, resp)
		}
	})
}

// TestPersistenceAcrossRestartAndCrash checks that a graceful restart and
// a SIGKILL right after acknowledged writes keep users and keys.
func TestPersistenceAcrossRestartAndCrash(t *testing.T) {
	s := startServer(t, nil)
	root := s.root
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "bob"))
	s.restart()
	if s.root != root {
		t.Fatalf("root credentials changed across restart: %+v vs %+v", s.root, root)
	}
	mustOK(t, s.awsV1(t, root, "iam", "get-user", "--user-name", "bob"))
	// Acknowledged writes survive a crash.
	ic := goIAM(s, root)
	ctx := context.Background()
	if _, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	k, err := ic.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	if err != nil {
		t.Fatal(err)
	}
	s.kill()
	s.start()
	carol := creds{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
	id := mustOK(t, s.awsV1(t, carol, "sts", "get-caller-identity")).json(t)
	if !strings.HasSuffix(id["Arn"].(string), ":user/carol") {
		t.Fatalf("after crash: %v", id)
	}
}

// TestCommandLine checks version, help and bad flags.
func TestCommandLine(t *testing.T) {
	out, err := exec.Command(iamdBin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "iamd ") {
		t.Fatalf("version: %s %v", out, err)
	}
	out, err = exec.Command(iamdBin, "serve", "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-addr") || !strings.Contains(string(out), "IAMD_STORE") {
		t.Fatalf("serve --help: %s %v", out, err)
	}
	for _, args := range [][]string{
		{"serve", "--no-such-flag"},
		{"serve", "--store", "mysql://x"},
		{"serve", "--addr", "nonsense"},
		{"frobnicate"},
	} {
		cmd := exec.Command(iamdBin, args...)
		cmd.Env = append(cleanEnv(), "IAMD_DATA="+t.TempDir())
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() == 0 {
			t.Errorf("%v: want non-zero exit, got %v (%s)", args, err, out)
		}
		if len(lines(string(out))) == 0 {
			t.Errorf("%v: no error message", args)
		}
	}
	cmd := exec.Command(iamdBin, "serve", "--addr", freeAddr(t))
	cmd.Env = append(cleanEnv(), "IAMD_DATA="+t.TempDir(), "IAMD_ROOT_ACCESS_KEY_ID=short", "IAMD_ROOT_SECRET_ACCESS_KEY=x")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "root access key id") {
		t.Errorf("bad root key accepted: %s %v", out, err)
	}
}
