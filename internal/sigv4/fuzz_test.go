package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParsed asserts what every successful Parse guarantees, and that
// failures are *Error values with a known code.
func checkParsed(t *testing.T, r *http.Request, a *Auth, err error) {
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse error %T %v is not *Error", err, err)
		}
		switch e.Code {
		case CodeIncompleteSignature, CodeSignatureDoesNotMatch, CodeMissingAuthenticationToken:
		default:
			t.Fatalf("unexpected code %q", e.Code)
		}
		if (e.Status != 400 && e.Status != 403) || e.Message == "" {
			t.Fatalf("bad error %+v", e)
		}
		return
	}
	if strings.Contains(a.AccessKeyID, "/") || a.Scope.Region == "" || len(a.amzDate) != 16 ||
		a.Scope.Date != a.amzDate[:8] || !hasSignedHeader(a.SignedHeaders, "host") {
		t.Fatalf("inconsistent Auth %+v", a)
	}
	if a.Signature != nil && len(a.Signature) != 32 {
		t.Fatalf("signature length %d", len(a.Signature))
	}
	if a.Expires < 0 || a.Expires > MaxExpires {
		t.Fatalf("Expires %v", a.Expires)
	}
	// Canonicalisation and verification never panic on what Parse accepts.
	if err := NewVerifier(2).Verify(a, r, nil, "secret", a.Date); !errors.Is(err, ErrSignatureDoesNotMatch) && err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "20150830T123600Z", "")
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request/, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=00", "20150830T123600Z", "")
	f.Add("AWS4-HMAC-SHA256 Credential= AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab", "", "Sun, 30 Aug 2015 12:36:00 GMT")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d", "2015", "")
	f.Add("AWS4-ECDSA-P256-SHA256 Credential=a/20150830//s/aws4_request,SignedHeaders=host,Signature=", "20150830T123600Z", "")
	f.Add("AWS4-", "", "")
	f.Fuzz(func(t *testing.T, authz, amzDate, date string) {
		r := &http.Request{Method: "POST", RequestURI: "/", URL: &url.URL{Path: "/"}, Host: "iam.amazonaws.com",
			Header: http.Header{"Authorization": {authz}}}
		if amzDate != "" {
			r.Header["X-Amz-Date"] = []string{amzDate}
		}
		if date != "" {
			r.Header["Date"] = []string{date}
		}
		a, err := Parse(r)
		checkParsed(t, r, a, err)
		if err == nil && a.Presigned {
			t.Fatal("header authentication parsed as presigned")
		}
	})
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d")
	f.Add("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A/20150830/r/sts/aws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=a%2Bb%3D&X-Amz-Signature=zz")
	f.Add("X-Amz-Algorithm&X-Amz-Credential=%&X-Amz-Date=+&X-Amz-Expires=-1")
	f.Add("X%2DAmz-Algorithm=AWS4-HMAC-SHA256&&&=&X-Amz-Expires=99999999999999999999")
	f.Fuzz(func(t *testing.T, query string) {
		r := &http.Request{Method: "GET", RequestURI: "/?" + query, URL: &url.URL{Path: "/", RawQuery: query},
			Host: "sts.amazonaws.com", Header: http.Header{}}
		a, err := Parse(r)
		checkParsed(t, r, a, err)
		if err == nil && !a.Presigned {
			t.Fatal("query authentication not marked presigned")
		}
	})
}

// FuzzCanonicalURI checks path normalisation: it never panics, always yields
// an absolute path of unreserved characters, '/' and %XX escapes, and is
// idempotent on its own output.
func FuzzCanonicalURI(f *testing.F) {
	for _, p := range []string{"/", "//example//", "/example/..", "/./", "/example space/", "/ሴ", "/a/%2F/../b", "", "a/b", "/.."} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		var s scratch
		out := string(s.appendCanonicalURI(nil, path, canonOpts{normalize: true}))
		if !strings.HasPrefix(out, "/") || strings.Contains(out, "//") || !utf8.ValidString(out) {
			t.Fatalf("%q -> %q", path, out)
		}
		for _, seg := range strings.Split(out, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("%q -> %q keeps a dot segment", path, out)
			}
		}
		again := string(s.appendCanonicalURI(nil, out, canonOpts{normalize: true, singleEncode: true}))
		if again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", path, out, again)
		}
	})
}
