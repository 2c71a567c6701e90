package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/stssvc"
)

const (
	benchAssumeBody = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fbench&RoleSessionName=bench"
)

// newAssumeRoleServer is the real stack with a user "caller" (access key
// returned, an inline policy allowing sts:AssumeRole) and a role "bench"
// whose trust policy names the account.
func newAssumeRoleServer(tb testing.TB) (*Server, aws.Credentials) {
	tb.Helper()
	s := newTestServer(tb)
	iam := s.opts.IAM
	ctx := identity.With(context.Background(), &identity.Caller{Type: identity.Root, Account: benchAccount,
		ARN: identity.RootARN(benchAccount), PrincipalARN: identity.RootARN(benchAccount), UserID: benchAccount})
	if _, err := iam.CreateUser(ctx, &iamsvc.CreateUserInput{UserName: "caller"}); err != nil {
		tb.Fatal(err)
	}
	if err := iam.PutUserPolicy(ctx, "caller", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`); err != nil {
		tb.Fatal(err)
	}
	k, err := iam.CreateAccessKey(ctx, "caller")
	if err != nil {
		tb.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := iam.CreateRole(ctx, &iamsvc.CreateRoleInput{RoleName: "bench", AssumeRolePolicyDocument: trust}); err != nil {
		tb.Fatal(err)
	}
	return s, aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.Secret}
}

// TestAssumeRoleBenchSetup checks the benchmark's request succeeds.
func TestAssumeRoleBenchSetup(t *testing.T) {
	s, cr := newAssumeRoleServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	code, body := postSigned(t, ts.Client(), ts.URL, benchAssumeBody, cr)
	if code != 200 || !strings.Contains(body, "<AssumedRoleUser>") {
		t.Fatalf("%d %s", code, body)
	}
}

// postSigned signs body for STS with the AWS SDK's signer (as every client
// does, once per request) and posts it over a keep-alive connection.
func postSigned(tb testing.TB, c *http.Client, url, body string, cr aws.Credentials) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	h := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), cr,
		req, hex.EncodeToString(h[:]), "sts", "us-east-1", time.Now()); err != nil {
		tb.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	io.Copy(&buf, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, buf.String()
}

func benchHTTP(b *testing.B, h http.Handler, cr aws.Credentials) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	c := ts.Client()
	b.ReportAllocs()
	for b.Loop() {
		if code, body := postSigned(b, c, ts.URL, benchAssumeBody, cr); code != 200 {
			b.Fatal(body)
		}
	}
}

// BenchmarkAssumeRoleHTTP: AssumeRole by an IAM user over HTTP keep-alive
// on loopback, the client signing each request. Baseline:
// BenchmarkTrivialPOSTHTTP, the same client loop against a net/http
// handler that reads the body and writes a fixed answer.
func BenchmarkAssumeRoleHTTP(b *testing.B) {
	s, cr := newAssumeRoleServer(b)
	benchHTTP(b, s, cr)
}

func BenchmarkTrivialPOSTHTTP(b *testing.B) {
	benchHTTP(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/bench/bench</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`)
	}), aws.Credentials{AccessKeyID: "AKIAI44QH8DHBEXAMPLE", SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"})
}

// BenchmarkServeAssumeRole: one signed AssumeRole through the whole stack
// in process (parse, SigV4 verify, cached key lookup, trust + identity
// decisions, mint, seal, XML), against BenchmarkTrivialHandler.
func BenchmarkServeAssumeRole(b *testing.B) {
	s, cr := newAssumeRoleServer(b)
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(benchAssumeBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	h := sha256.Sum256([]byte(benchAssumeBody))
	if err := v4.NewSigner().SignHTTP(context.Background(), cr, req, hex.EncodeToString(h[:]), "sts", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(strings.NewReader(benchAssumeBody))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}

// assumedCredentials returns a role session's credentials from one
// AssumeRole through s.
func assumedCredentials(tb testing.TB, s *Server, cr aws.Credentials) aws.Credentials {
	tb.Helper()
	ts := httptest.NewServer(s)
	defer ts.Close()
	code, body := postSigned(tb, ts.Client(), ts.URL, benchAssumeBody, cr)
	if code != 200 {
		tb.Fatal(body)
	}
	field := func(name string) string {
		i := strings.Index(body, "<"+name+">")
		j := strings.Index(body, "</"+name+">")
		if i < 0 || j < 0 {
			tb.Fatalf("no %s in %s", name, body)
		}
		return body[i+len(name)+2 : j]
	}
	return aws.Credentials{AccessKeyID: field("AccessKeyId"), SecretAccessKey: field("SecretAccessKey"), SessionToken: field("SessionToken")}
}

// BenchmarkAuthenticateSession is the cost temporary credentials add to a
// SigV4 verify: resolving an ASIA key id + session token to its secret
// and caller on a node that has seen the token before (the opened-token
// cache); BenchmarkAuthenticateSessionCold opens the token every time.
func BenchmarkAuthenticateSession(b *testing.B) {
	s, cr := newAssumeRoleServer(b)
	sc := assumedCredentials(b, s, cr)
	ctx := context.Background()
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.opts.STS.Authenticate(ctx, sc.AccessKeyID, sc.SessionToken, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthenticateSessionCold(b *testing.B) {
	s, cr := newAssumeRoleServer(b)
	sc := assumedCredentials(b, s, cr)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		// A fresh service has an empty cache; building it is excluded.
		b.StopTimer()
		fresh := stssvc.New(s.opts.IAM, stssvc.Options{Keys: s.opts.STS.Keys()})
		b.StartTimer()
		if _, _, err := fresh.Authenticate(ctx, sc.AccessKeyID, sc.SessionToken, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
