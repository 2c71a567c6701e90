package server

import (
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

	"github.com/iamd/iamd/internal/enforce"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/store/sqlstore"
	"github.com/iamd/iamd/internal/stssvc"
)

const (
	benchAccount = "123456789012"
	benchKey     = "AKIAIOSFODNN7EXAMPLE"
	benchSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// newTestServer builds the real stack over a SQLite store in a temporary
// directory.
func newTestServer(tb testing.TB) *Server {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite://"+tb.TempDir()+"/iamd.db", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	iam := iamsvc.New(st, iamsvc.Options{})
	if _, err := iam.Bootstrap(ctx, iamsvc.BootstrapInput{AccountID: benchAccount, AccessKeyID: benchKey, SecretAccessKey: benchSecret}); err != nil {
		tb.Fatal(err)
	}
	iam.SetAuthorizer(enforce.New(iam, nil))
	keys, err := stssvc.LoadKeys(ctx, st, nil)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(Options{IAM: iam, STS: stssvc.New(iam, stssvc.Options{Keys: keys}), LastUsed: iamsvc.NewLastUsed(iam)})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func signedRequest(tb testing.TB, body, service string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	h := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: benchKey, SecretAccessKey: benchSecret},
		req, hex.EncodeToString(h[:]), service, "us-east-1", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// TestServeSignedRequest checks the in-process stack answers a signed
// GetCallerIdentity and refuses the same request with a changed body.
func TestServeSignedRequest(t *testing.T) {
	s := newTestServer(t)
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req := signedRequest(t, body, "sts")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<Arn>arn:aws:iam::123456789012:root</Arn>") {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	req = signedRequest(t, body, "sts")
	req.Body = io.NopCloser(strings.NewReader(body + "&X=1"))
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 403 || !strings.Contains(w.Body.String(), "SignatureDoesNotMatch") {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	// Unknown action and missing version.
	req = signedRequest(t, "Action=Frobnicate&Version=2011-06-15", "sts")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "<Code>InvalidAction</Code>") {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
}

// benchServe sends the same signed request to h b.N times.
func benchServe(b *testing.B, h http.Handler, body, service string) {
	req := signedRequest(b, body, service)
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}

// BenchmarkServeGetCallerIdentity measures one signed request through the
// whole stack (parse, SigV4 verify, key lookup in SQLite, route, encode),
// against BenchmarkTrivialHandler — a handler that reads the body and
// writes a fixed XML answer — as the same-run baseline.
func BenchmarkServeGetCallerIdentity(b *testing.B) {
	benchServe(b, newTestServer(b), "Action=GetCallerIdentity&Version=2011-06-15", "sts")
}

// BenchmarkServeListUsers measures a signed IAM call by the root user:
// key lookup, authorization through the engine, a one-item listing from
// SQLite, encoding.
func BenchmarkServeListUsers(b *testing.B) {
	benchServe(b, newTestServer(b), "Action=ListUsers&Version=2010-05-08&MaxItems=1", "iam")
}

func BenchmarkTrivialHandler(b *testing.B) {
	benchServe(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	}), "Action=GetCallerIdentity&Version=2011-06-15", "sts")
}
