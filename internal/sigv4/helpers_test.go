package sigv4

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	suiteAKID   = "AKIDEXAMPLE"
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

var suiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// readRequest turns a raw HTTP/1.1 request, as the test suites store it, into
// the *http.Request net/http's server would hand to a handler: headers
// canonicalised by net/textproto (obsolete line folding included), Host moved
// out of the header map, RequestURI holding the request target verbatim. The
// request line is split at its first and last space, so targets with a raw
// space ("/example space/") survive.
func readRequest(t testing.TB, raw string) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	line, headers, _ := strings.Cut(head, "\n")
	method, rest, ok := strings.Cut(line, " ")
	i := strings.LastIndexByte(rest, ' ')
	if !ok || i < 0 {
		t.Fatalf("bad request line %q", line)
	}
	target, proto := rest[:i], rest[i+1:]
	hdr, err := textproto.NewReader(bufio.NewReader(strings.NewReader(headers + "\n\n"))).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("headers: %v", err)
	}
	r := &http.Request{
		Method:        method,
		RequestURI:    target,
		Proto:         proto,
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header(hdr),
		Host:          hdr.Get("Host"),
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(strings.NewReader(body)),
	}
	delete(r.Header, "Host")
	if u, err := url.ParseRequestURI(target); err == nil {
		r.URL = u
	} else {
		p, q, _ := strings.Cut(target, "?")
		r.URL = &url.URL{Path: p, RawQuery: q}
	}
	return r, []byte(body)
}

// testRequest is a request the tests sign themselves (with the package's own
// canonicalisation, which the AWS suites check independently).
type testRequest struct {
	method, target, host string
	headers              [][2]string
	body                 string
}

func (tr testRequest) build(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	var b strings.Builder
	b.WriteString(tr.method + " " + tr.target + " HTTP/1.1\n")
	b.WriteString("Host:" + tr.host + "\n")
	for _, h := range tr.headers {
		b.WriteString(h[0] + ":" + h[1] + "\n")
	}
	b.WriteString("\n" + tr.body)
	return readRequest(t, b.String())
}

// stsRequest is a typical SDK request to STS.
func stsRequest(amzDate string) testRequest {
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	return testRequest{
		method: "POST", target: "/", host: "sts.us-east-1.amazonaws.com",
		headers: [][2]string{
			{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
			{"Content-Length", itoa(len(body))},
			{"User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux api/sts#1.51.8"},
			{"X-Amz-Date", amzDate},
		},
		body: body,
	}
}

func itoa(n int) string {
	return string(appendInt(nil, n))
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// signHeader adds an Authorization header to r, signed with secret for the
// given scope and signed headers.
func signHeader(t testing.TB, r *http.Request, body []byte, akid, secret string, sc Scope, signed string) {
	t.Helper()
	amzDate := r.Header.Get("X-Amz-Date")
	a := &Auth{AccessKeyID: akid, Scope: sc, SignedHeaders: signed, amzDate: amzDate,
		contentSHA256: r.Header.Get("X-Amz-Content-Sha256")}
	sig := computeSignature(t, a, r, body, secret)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+akid+"/"+sc.Date+"/"+sc.Region+"/"+sc.Service+
		"/aws4_request, SignedHeaders="+signed+", Signature="+sig)
}

// presign appends presigned-URL parameters and the signature to r's query.
// extra parameters (already encoded) go before signing.
func presign(t testing.TB, r *http.Request, body []byte, akid, secret string, sc Scope, amzDate string, expires int, token string) {
	t.Helper()
	q := r.URL.RawQuery
	add := func(k, v string) {
		if q != "" {
			q += "&"
		}
		q += k + "=" + url.QueryEscape(v)
	}
	add("X-Amz-Algorithm", Algorithm)
	add("X-Amz-Credential", akid+"/"+sc.String())
	add("X-Amz-Date", amzDate)
	add("X-Amz-Expires", itoa(expires))
	add("X-Amz-SignedHeaders", "host")
	if token != "" {
		add("X-Amz-Security-Token", token)
	}
	setQuery(r, q)
	a, err := Parse(withQuery(r, q+"&X-Amz-Signature="+strings.Repeat("0", 64)))
	if err != nil {
		t.Fatalf("presign: %v", err)
	}
	setQuery(r, q+"&X-Amz-Signature="+computeSignature(t, a, r, body, secret))
}

func withQuery(r *http.Request, q string) *http.Request {
	c := r.Clone(r.Context())
	setQuery(c, q)
	return c
}

func setQuery(r *http.Request, q string) {
	u := *r.URL
	u.RawQuery = q
	r.URL = &u
	p, _, _ := strings.Cut(r.RequestURI, "?")
	r.RequestURI = p + "?" + q
}

func computeSignature(t testing.TB, a *Auth, r *http.Request, body []byte, secret string) string {
	t.Helper()
	var buf [64]byte
	ph, ok := payloadHash(&buf, a, body)
	if !ok {
		ph = buf[:]
	}
	key := deriveKey(secret, &a.Scope)
	s := &scratch{}
	sig := s.signature(a, r, ph, &key, optsFor(a.Scope.Service))
	return hex.EncodeToString(sig[:])
}

// mustParse parses r or fails the test.
func mustParse(t testing.TB, r *http.Request) *Auth {
	t.Helper()
	a, err := Parse(r)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return a
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
