package sigv4

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/errors.golden from the current messages")

const (
	testAKID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testDate   = "20150830T123600Z"
)

var testScope = Scope{Date: "20150830", Region: "us-east-1", Service: "sts"}

// signedSTS returns a header-signed STS request and its body.
func signedSTS(t testing.TB, mutate func(*testRequest)) (*http.Request, []byte) {
	t.Helper()
	tr := stsRequest(testDate)
	if mutate != nil {
		mutate(&tr)
	}
	r, body := tr.build(t)
	signed := "content-length;content-type;host;x-amz-date"
	if r.Header.Get("X-Amz-Content-Sha256") != "" {
		signed = "content-length;content-type;host;x-amz-content-sha256;x-amz-date"
	}
	signHeader(t, r, body, testAKID, testSecret, testScope, signed)
	return r, body
}

// presignedSTS returns a presigned GetCallerIdentity request.
func presignedSTS(t testing.TB, expires int, token string) (*http.Request, []byte) {
	t.Helper()
	r, body := testRequest{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15",
		host: "sts.amazonaws.com"}.build(t)
	presign(t, r, body, testAKID, testSecret, testScope, testDate, expires, token)
	return r, body
}

func withAuthz(authz string) func(*testRequest) {
	return func(tr *testRequest) { tr.headers = append(tr.headers, [2]string{"Authorization", authz}) }
}

func withoutHeader(name string) func(*testRequest) {
	return func(tr *testRequest) {
		var hs [][2]string
		for _, h := range tr.headers {
			if h[0] != name {
				hs = append(hs, h)
			}
		}
		tr.headers = hs
	}
}

func build(t testing.TB, mutate ...func(*testRequest)) *http.Request {
	tr := stsRequest(testDate)
	for _, m := range mutate {
		m(&tr)
	}
	r, _ := tr.build(t)
	return r
}

const goodCred = "Credential=" + testAKID + "/20150830/us-east-1/sts/aws4_request"

// TestParseErrors covers every error Parse returns. Codes and statuses are
// asserted here; the messages are compared with testdata/errors.golden.
func TestParseErrors(t *testing.T) {
	sig := "Signature=" + strings.Repeat("ab", 32)
	cases := []struct {
		name   string
		req    func(t testing.TB) *http.Request
		code   string
		status int
	}{
		{"no authentication", func(t testing.TB) *http.Request { return build(t) },
			CodeMissingAuthenticationToken, 403},
		{"not sigv4", func(t testing.TB) *http.Request { return build(t, withAuthz("Bearer abc")) },
			CodeMissingAuthenticationToken, 403},
		{"sigv2", func(t testing.TB) *http.Request { return build(t, withAuthz("AWS AKID:c2ln")) },
			CodeMissingAuthenticationToken, 403},
		{"algorithm only, no date", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256"), withoutHeader("X-Amz-Date"))
		}, CodeIncompleteSignature, 400},
		{"missing signature", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=host;x-amz-date"))
		}, CodeIncompleteSignature, 400},
		{"missing signed headers", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", "+sig))
		}, CodeIncompleteSignature, 400},
		{"missing credential", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, "+sig))
		}, CodeIncompleteSignature, 400},
		{"missing date", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=host, "+sig), withoutHeader("X-Amz-Date"))
		}, CodeIncompleteSignature, 400},
		{"missing equal sign", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 Credential= "+testAKID+"/20150830/us-east-1/sts/aws4_request, SignedHeaders=host, "+sig))
		}, CodeIncompleteSignature, 400},
		{"bad x-amz-date", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=host;x-amz-date, "+sig),
				withoutHeader("X-Amz-Date"), func(tr *testRequest) {
					tr.headers = append(tr.headers, [2]string{"X-Amz-Date", "2015/08/30T12/36/00Z"})
				})
		}, CodeIncompleteSignature, 400},
		{"impossible x-amz-date", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=host;x-amz-date, "+sig),
				withoutHeader("X-Amz-Date"), func(tr *testRequest) {
					tr.headers = append(tr.headers, [2]string{"X-Amz-Date", "20150230T123600Z"})
				})
		}, CodeIncompleteSignature, 400},
		{"bad date header", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=date;host, "+sig),
				withoutHeader("X-Amz-Date"), func(tr *testRequest) {
					tr.headers = append(tr.headers, [2]string{"Date", "yesterday"})
				})
		}, CodeIncompleteSignature, 400},
		{"host not signed", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=x-amz-date, "+sig))
		}, CodeSignatureDoesNotMatch, 403},
		{"empty signed headers", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=, "+sig))
		}, CodeSignatureDoesNotMatch, 403},
		{"unsupported algorithm", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA25 "+goodCred+", SignedHeaders=host;x-amz-date, "+sig))
		}, CodeIncompleteSignature, 400},
		{"sigv4a", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-ECDSA-P256-SHA256 "+goodCred+", SignedHeaders=host;x-amz-date, "+sig))
		}, CodeIncompleteSignature, 400},
		{"credential with four parts", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host;x-amz-date, "+sig))
		}, CodeIncompleteSignature, 400},
		{"credential with six parts", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 Credential=a/20150830/c/d/aws4_request/f, SignedHeaders=host, "+sig))
		}, CodeIncompleteSignature, 400},
		{"bad scope", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 Credential="+testAKID+"/20150831//sts/aws4_reqest, SignedHeaders=host, "+sig))
		}, CodeSignatureDoesNotMatch, 403},
		{"scope date mismatch", func(t testing.TB) *http.Request {
			return build(t, withAuthz("AWS4-HMAC-SHA256 Credential="+testAKID+"/20150829/us-east-1/sts/aws4_request, SignedHeaders=host, "+sig))
		}, CodeSignatureDoesNotMatch, 403},
		{"header and query", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+goodCred+", SignedHeaders=host, "+sig)
			return r
		}, CodeSignatureDoesNotMatch, 403},
		{"query with only algorithm", func(t testing.TB) *http.Request {
			r, _ := testRequest{method: "GET", target: "/?Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256", host: "sts.amazonaws.com"}.build(t)
			return r
		}, CodeIncompleteSignature, 400},
		{"query with empty algorithm", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=", 1))
		}, CodeIncompleteSignature, 400},
		{"query with wrong algorithm", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512", 1))
		}, CodeIncompleteSignature, 400},
		{"query expires not a number", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=9x", 1))
		}, CodeIncompleteSignature, 400},
		{"query expires negative", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=-1", 1))
		}, CodeIncompleteSignature, 400},
		{"query expires over a week", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=604801", 1))
		}, CodeIncompleteSignature, 400},
		{"query host not signed", func(t testing.TB) *http.Request {
			r, _ := presignedSTS(t, 900, "")
			return withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date", 1))
		}, CodeSignatureDoesNotMatch, 403},
	}

	var golden strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Parse(c.req(t))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want an *Error", a, err)
			}
			if e.Code != c.code || e.Status != c.status {
				t.Errorf("got %s/%d, want %s/%d (%s)", e.Code, e.Status, c.code, c.status, e.Message)
			}
			fmt.Fprintf(&golden, "%s\t%s\t%d\t%s\n", c.name, e.Code, e.Status, e.Message)
		})
	}
	compareGolden(t, "parse-errors.golden", golden.String())
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("messages differ from %s (go test -update rewrites it):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestAWSMessages pins the messages whose wording comes from AWS responses.
func TestAWSMessages(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errSignature(), "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{WrongServiceError("sts"), "Credential should be scoped to correct service: 'sts'. "},
		{skewError(time.Date(2015, 8, 30, 12, 20, 59, 0, time.UTC), suiteTime, true),
			"Signature expired: 20150830T122059Z is now earlier than 20150830T122100Z (20150830T123600Z - 15 min.)"},
		{skewError(time.Date(2015, 8, 30, 12, 51, 1, 0, time.UTC), suiteTime, false),
			"Signature not yet current: 20150830T125101Z is still later than 20150830T125100Z (20150830T123600Z + 15 min.)"},
	} {
		var e *Error
		if !errors.As(c.err, &e) || e.Message != c.want {
			t.Errorf("message %q, want %q", e.Message, c.want)
		}
	}
	if _, err := Parse(build(t)); err.Error() != "MissingAuthenticationToken: Request is missing Authentication Token" {
		t.Errorf("Error() = %q", err)
	}
}

func TestVerifyErrors(t *testing.T) {
	v := NewVerifier(8)
	t0 := suiteTime

	t.Run("valid", func(t *testing.T) {
		r, body := signedSTS(t, nil)
		if err := v.Verify(mustParse(t, r), r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		r, body := signedSTS(t, nil)
		expectError(t, v.Verify(mustParse(t, r), r, body, testSecret+"x", t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("body changed", func(t *testing.T) {
		r, body := signedSTS(t, nil)
		body = append([]byte(nil), body...)
		body[len(body)-1] = '6'
		expectError(t, v.Verify(mustParse(t, r), r, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("unsigned header changed", func(t *testing.T) {
		r, body := signedSTS(t, nil)
		r.Header.Set("User-Agent", "other")
		if err := v.Verify(mustParse(t, r), r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("malformed signature", func(t *testing.T) {
		r, body := signedSTS(t, nil)
		r.Header.Set("Authorization", r.Header.Get("Authorization")[:len(r.Header.Get("Authorization"))-1]+"g")
		a := mustParse(t, r)
		if a.Signature != nil {
			t.Fatalf("Signature = %x, want nil", a.Signature)
		}
		expectError(t, v.Verify(a, r, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("content sha256 signed and right", func(t *testing.T) {
		r, body := signedSTS(t, func(tr *testRequest) {
			tr.headers = append(tr.headers, [2]string{"X-Amz-Content-Sha256", sha256Hex(tr.body)})
		})
		if err := v.Verify(mustParse(t, r), r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("content sha256 not the body's", func(t *testing.T) {
		r, body := signedSTS(t, func(tr *testRequest) {
			tr.headers = append(tr.headers, [2]string{"X-Amz-Content-Sha256", sha256Hex("other")})
		})
		expectError(t, v.Verify(mustParse(t, r), r, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("unsigned payload with header auth", func(t *testing.T) {
		r, body := signedSTS(t, func(tr *testRequest) {
			tr.headers = append(tr.headers, [2]string{"X-Amz-Content-Sha256", unsignedBody})
		})
		expectError(t, v.Verify(mustParse(t, r), r, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("unsigned payload presigned", func(t *testing.T) {
		r, body := testRequest{method: "POST", target: "/?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD", host: "sts.amazonaws.com",
			body: "Action=GetCallerIdentity&Version=2011-06-15"}.build(t)
		presign(t, r, body, testAKID, testSecret, testScope, testDate, 900, "")
		if err := v.Verify(mustParse(t, r), r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
		// UNSIGNED-PAYLOAD means just that: the body is not covered.
		if err := v.Verify(mustParse(t, r), r, []byte("Action=GetSessionToken"), testSecret, t0); err != nil {
			t.Fatal(err)
		}
		// But the declaration itself is signed.
		r2 := withQuery(r, strings.Replace(r.URL.RawQuery, "X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&", "", 1))
		expectError(t, v.Verify(mustParse(t, r2), r2, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
	t.Run("date header instead of x-amz-date", func(t *testing.T) {
		tr := stsRequest(testDate)
		withoutHeader("X-Amz-Date")(&tr)
		tr.headers = append(tr.headers, [2]string{"Date", "Sun, 30 Aug 2015 12:36:00 GMT"})
		r, body := tr.build(t)
		a := &Auth{AccessKeyID: testAKID, Scope: testScope, SignedHeaders: "date;host", amzDate: testDate}
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+testScope.String()+
			", SignedHeaders=date;host, Signature="+computeSignature(t, a, r, body, testSecret))
		if err := v.Verify(mustParse(t, r), r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("session token signed", func(t *testing.T) {
		r, body := testRequest{method: "POST", target: "/", host: "iam.amazonaws.com", body: "Action=ListUsers&Version=2010-05-08",
			headers: [][2]string{{"X-Amz-Date", testDate}, {"X-Amz-Security-Token", "tok+en/=="}}}.build(t)
		sc := Scope{"20150830", "us-east-1", "iam"}
		signHeader(t, r, body, testAKID, testSecret, sc, "host;x-amz-date;x-amz-security-token")
		a := mustParse(t, r)
		if a.SecurityToken != "tok+en/==" || a.Scope != sc {
			t.Fatalf("token %q scope %+v", a.SecurityToken, a.Scope)
		}
		if err := v.Verify(a, r, body, testSecret, t0); err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Amz-Security-Token", "other")
		expectError(t, v.Verify(mustParse(t, r), r, body, testSecret, t0), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	})
}

func TestClockSkewBoundaries(t *testing.T) {
	v := NewVerifier(8)
	r, body := signedSTS(t, nil)
	a := mustParse(t, r)
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{suiteTime, ""},
		{suiteTime.Add(MaxSkew), ""},
		{suiteTime.Add(MaxSkew + 999*time.Millisecond), ""}, // AWS compares whole seconds
		{suiteTime.Add(MaxSkew + time.Second), "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)"},
		{suiteTime.Add(24 * time.Hour), "Signature expired: 20150830T123600Z is now earlier than 20150831T122100Z (20150831T123600Z - 15 min.)"},
		{suiteTime.Add(-MaxSkew), ""},
		{suiteTime.Add(-MaxSkew - time.Second), "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)"},
		{suiteTime.Add(-MaxSkew - time.Second).In(time.FixedZone("CEST", 7200)), "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)"},
	} {
		err := v.Verify(a, r, body, testSecret, c.now)
		if c.want == "" {
			if err != nil {
				t.Errorf("now %v: %v", c.now, err)
			}
			if err := a.CheckTime(c.now); err != nil {
				t.Errorf("CheckTime(%v): %v", c.now, err)
			}
			continue
		}
		expectError(t, err, CodeSignatureDoesNotMatch, 403, c.want)
		expectError(t, a.CheckTime(c.now), CodeSignatureDoesNotMatch, 403, c.want)
	}
}

func TestPresignedExpiry(t *testing.T) {
	r, body := presignedSTS(t, 60, "")
	a := mustParse(t, r)
	if !a.Presigned || a.Expires != time.Minute {
		t.Fatalf("Presigned %v Expires %v", a.Presigned, a.Expires)
	}
	// AWS STS ignores X-Amz-Expires: the request is good for 15 minutes.
	lax := NewVerifier(8)
	for _, d := range []time.Duration{0, time.Minute, 10 * time.Minute, MaxSkew} {
		if err := lax.Verify(a, r, body, testSecret, suiteTime.Add(d)); err != nil {
			t.Errorf("+%v: %v", d, err)
		}
	}
	expectError(t, lax.Verify(a, r, body, testSecret, suiteTime.Add(MaxSkew+time.Second)), CodeSignatureDoesNotMatch, 403,
		"Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)")

	strict := NewVerifier(8)
	strict.EnforceExpires = true
	if err := strict.Verify(a, r, body, testSecret, suiteTime.Add(time.Minute)); err != nil {
		t.Errorf("at expiry: %v", err)
	}
	expectError(t, strict.Verify(a, r, body, testSecret, suiteTime.Add(time.Minute+time.Second)), CodeRequestExpired, 400, "Request has expired.")
	if err := strict.Verify(a, r, body, testSecret, suiteTime.Add(time.Minute+time.Second)); !errors.Is(err, ErrRequestExpired) {
		t.Errorf("errors.Is(%v, ErrRequestExpired) = false", err)
	}
}

func TestPresignedSessionToken(t *testing.T) {
	v := NewVerifier(8)
	r, body := presignedSTS(t, 900, "FQoGZXIvYXdzE+/=")
	a := mustParse(t, r)
	if a.SecurityToken != "FQoGZXIvYXdzE+/=" {
		t.Fatalf("token %q", a.SecurityToken)
	}
	if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
		t.Fatal(err)
	}
	// The token is signed: another token is rejected.
	r2 := withQuery(r, strings.Replace(r.URL.RawQuery, "FQoGZXIvYXdzE", "FQoGZXIvYXdzF", 1))
	expectError(t, v.Verify(mustParse(t, r2), r2, body, testSecret, suiteTime), CodeSignatureDoesNotMatch, 403, msgSignatureDoesNotMatch)
	// A second X-Amz-Signature does not confuse the verifier.
	r3 := withQuery(r, r.URL.RawQuery+"&X-Amz-Signature="+strings.Repeat("0", 64))
	if err := v.Verify(mustParse(t, r3), r3, body, testSecret, suiteTime); err != nil {
		t.Errorf("duplicate signature: %v", err)
	}
}

func expectError(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if e.Code != code || e.Status != status || e.Message != msg {
		t.Errorf("got %s/%d %q\nwant %s/%d %q", e.Code, e.Status, e.Message, code, status, msg)
	}
}
