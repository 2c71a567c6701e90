package sigv4bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamd/iamd/internal/sigv4"
)

var (
	creds = aws.Credentials{
		AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}
	sessionCreds = aws.Credentials{
		AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
		SessionToken:    "IQoJb3JpZ2luX2VjEXAMPLE+session/token==",
	}
	signTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
)

const stsBody = "Action=GetCallerIdentity&Version=2011-06-15"

func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// newSTSRequest builds the request the SDK sends for GetCallerIdentity.
func newSTSRequest(t testing.TB, base string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(stsBody))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux api/sts#1.51.8")
	r.Header.Set("Amz-Sdk-Invocation-Id", "8f7b6c5e-1d2c-4b3a-9f8e-7d6c5b4a3f2e")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	return r
}

// verifyServer verifies every request it receives and answers 200 with the
// access key id, or the *sigv4.Error's status with "Code: Message".
func verifyServer(t *testing.T, secrets map[string]string, now time.Time) *httptest.Server {
	v := sigv4.NewVerifier(64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		a, err := sigv4.Parse(r)
		if err == nil {
			err = v.Verify(a, r, body, secrets[a.AccessKeyID], now)
		}
		var e *sigv4.Error
		if errors.As(err, &e) {
			w.WriteHeader(e.Status)
			fmt.Fprint(w, e.Code+": "+e.Message)
			return
		}
		fmt.Fprint(w, a.AccessKeyID+" "+a.Scope.String()+" "+a.SecurityToken)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func send(t *testing.T, r *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSDKSignedRequestsVerify sends requests signed by the SDK's signer to a
// real net/http server that verifies them with internal/sigv4.
func TestSDKSignedRequestsVerify(t *testing.T) {
	secrets := map[string]string{creds.AccessKeyID: creds.SecretAccessKey, sessionCreds.AccessKeyID: sessionCreds.SecretAccessKey}
	srv := verifyServer(t, secrets, signTime.Add(5*time.Minute))
	signer := v4.NewSigner()
	ctx := context.Background()

	cases := []struct {
		name    string
		req     func() *http.Request
		creds   aws.Credentials
		service string
		region  string
		body    string
	}{
		{"sts post", func() *http.Request { return newSTSRequest(t, srv.URL) }, creds, "sts", "us-east-1", stsBody},
		{"sts post with session token", func() *http.Request { return newSTSRequest(t, srv.URL) }, sessionCreds, "sts", "eu-central-1", stsBody},
		{"iam get with query", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, srv.URL+"/?Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision_abc%2Fsub%20div%2F&Marker=a+b%2Bc~*", nil)
			return r
		}, creds, "iam", "us-east-1", ""},
		{"odd path and repeated headers", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL+"/some%20path/%E1%88%B4/x", strings.NewReader(stsBody))
			r.Header.Add("X-Custom", "  a   b  ")
			r.Header.Add("X-Custom", "c")
			return r
		}, creds, "iam", "us-gov-west-1", stsBody},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req()
			if err := signer.SignHTTP(ctx, c.creds, r, bodyHash(c.body), c.service, c.region, signTime); err != nil {
				t.Fatal(err)
			}
			status, msg := send(t, r)
			want := c.creds.AccessKeyID + " " + sigv4.Scope{Date: "20260314", Region: c.region, Service: c.service}.String() + " " + c.creds.SessionToken
			if status != 200 || msg != want {
				t.Fatalf("%d %s\nwant 200 %s", status, msg, want)
			}

			// Re-signed with another secret, it is refused. (A fresh
			// signer: the SDK caches derived keys by key id, not secret.)
			r = c.req()
			wrong := c.creds
			wrong.SecretAccessKey = strings.ToUpper(wrong.SecretAccessKey)
			if err := v4.NewSigner().SignHTTP(ctx, wrong, r, bodyHash(c.body), c.service, c.region, signTime); err != nil {
				t.Fatal(err)
			}
			if status, msg := send(t, r); status != 403 || !strings.HasPrefix(msg, "SignatureDoesNotMatch: The request signature we calculated") {
				t.Fatalf("wrong secret: %d %s", status, msg)
			}
		})
	}
}

// TestSDKPresignedVerify checks presigned URLs as EKS-style authenticators
// build them: GetCallerIdentity, a session token, an extra signed header,
// X-Amz-Expires=60 (which STS ignores).
func TestSDKPresignedVerify(t *testing.T) {
	secrets := map[string]string{sessionCreds.AccessKeyID: sessionCreds.SecretAccessKey}
	signer := v4.NewSigner()
	for _, c := range []struct {
		after  time.Duration
		status int
	}{{0, 200}, {10 * time.Minute, 200}, {15 * time.Minute, 200}, {15*time.Minute + time.Second, 403}} {
		srv := verifyServer(t, secrets, signTime.Add(c.after))
		r, _ := http.NewRequest(http.MethodGet, srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", nil)
		r.Header.Set("X-K8s-Aws-Id", "my-cluster")
		uri, hdr, err := signer.PresignHTTP(context.Background(), sessionCreds, r, bodyHash(""), "sts", "us-east-1", signTime)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(uri)
		if u.Query().Get("X-Amz-SignedHeaders") != "host;x-k8s-aws-id" {
			t.Fatalf("unexpected presign %s", uri)
		}
		pr, _ := http.NewRequest(http.MethodGet, uri, nil)
		for k, v := range hdr {
			if k != "Host" {
				pr.Header[k] = v
			}
		}
		status, msg := send(t, pr)
		if status != c.status {
			t.Errorf("+%v: %d %s, want %d", c.after, status, msg, c.status)
		}
		// Without the signed header it fails.
		pr.Header.Del("X-K8s-Aws-Id")
		if status, msg := send(t, pr); c.status == 200 && status != 403 {
			t.Errorf("+%v without signed header: %d %s", c.after, status, msg)
		}
	}
}

// Benchmarks: ours against the SDK signer on the same request.
//
//	go test -run '^$' -bench . -benchmem ./internal/sigv4 ./bench/sigv4bench
//
// The Ratio benchmarks alternate batches of the two and report
// ours/SDK as "ratio" (target ≤ 1: never slower than SignHTTP).

func signedSTS(b testing.TB, c aws.Credentials) (*http.Request, []byte) {
	r := newSTSRequest(b, "https://sts.us-east-1.amazonaws.com")
	if err := v4.NewSigner().SignHTTP(context.Background(), c, r, bodyHash(stsBody), "sts", "us-east-1", signTime); err != nil {
		b.Fatal(err)
	}
	return r, []byte(stsBody)
}

func sdkSign(b testing.TB) func(int) {
	r := newSTSRequest(b, "https://sts.us-east-1.amazonaws.com")
	signer, ctx, ph := v4.NewSigner(), context.Background(), bodyHash(stsBody)
	return func(int) {
		if err := signer.SignHTTP(ctx, creds, r, ph, "sts", "us-east-1", signTime); err != nil {
			b.Fatal(err)
		}
	}
}

func parseVerify(b testing.TB, v *sigv4.Verifier, reqs []*http.Request, bodies [][]byte, secrets []string) func(int) {
	return func(i int) {
		i %= len(reqs)
		a, err := sigv4.Parse(reqs[i])
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(a, reqs[i], bodies[i], secrets[i], signTime); err != nil {
			b.Fatal(err)
		}
	}
}

func cachedSet(b testing.TB) ([]*http.Request, [][]byte, []string) {
	r, body := signedSTS(b, creds)
	return []*http.Request{r}, [][]byte{body}, []string{creds.SecretAccessKey}
}

// coldSet signs with 4096 distinct secrets, far more than the verifier's
// cache of 64 holds: every verification derives its key.
func coldSet(b testing.TB) ([]*http.Request, [][]byte, []string) {
	n := 4096
	reqs, bodies, secrets := make([]*http.Request, n), make([][]byte, n), make([]string, n)
	for i := range reqs {
		c := creds
		c.AccessKeyID = fmt.Sprintf("AKIA%016d", i)
		c.SecretAccessKey = fmt.Sprintf("%040d", i)
		reqs[i], bodies[i] = signedSTS(b, c)
		secrets[i] = c.SecretAccessKey
	}
	return reqs, bodies, secrets
}

func BenchmarkSDKSignHTTP(b *testing.B) {
	sign := sdkSign(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sign(i)
	}
}

func BenchmarkParseVerifyCached(b *testing.B) {
	reqs, bodies, secrets := cachedSet(b)
	f := parseVerify(b, sigv4.NewVerifier(1024), reqs, bodies, secrets)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f(i)
	}
}

func BenchmarkParseVerifyCold(b *testing.B) {
	reqs, bodies, secrets := coldSet(b)
	f := parseVerify(b, sigv4.NewVerifier(64), reqs, bodies, secrets)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f(i)
	}
}

func BenchmarkRatioParseVerifyCachedVsSDKSignHTTP(b *testing.B) {
	reqs, bodies, secrets := cachedSet(b)
	benchmarkRatio(b, sdkSign(b), parseVerify(b, sigv4.NewVerifier(1024), reqs, bodies, secrets))
}

func BenchmarkRatioParseVerifyColdVsSDKSignHTTP(b *testing.B) {
	reqs, bodies, secrets := coldSet(b)
	benchmarkRatio(b, sdkSign(b), parseVerify(b, sigv4.NewVerifier(64), reqs, bodies, secrets))
}

// benchmarkRatio runs base and subject in alternating batches, swapping
// which goes first at every batch, and reports subject/base as "ratio".
func benchmarkRatio(b *testing.B, base, subject func(i int)) {
	const batch = 32
	var tb, ts time.Duration
	run := func(f func(int), n int) time.Duration {
		t0 := time.Now()
		for i := 0; i < batch; i++ {
			f(n + i)
		}
		return time.Since(t0)
	}
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	for ; n < b.N; n += batch {
		if n/batch%2 == 0 {
			tb += run(base, n)
			ts += run(subject, n)
		} else {
			ts += run(subject, n)
			tb += run(base, n)
		}
	}
	b.ReportMetric(float64(ts)/float64(tb), "ratio")
	b.ReportMetric(float64(ts.Nanoseconds())/float64(n), "subject-ns/op")
	b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "baseline-ns/op")
}
