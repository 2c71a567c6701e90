package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamd/iamd/internal/federation/oidc/oidctest"
)

// call sends a form request to s, signed with c when c is not nil.
func call(t testing.TB, s http.Handler, service string, c *aws.Credentials, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	body := form.Encode()
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if c != nil {
		h := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), *c, req, hex.EncodeToString(h[:]), service, "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var rootCreds = &aws.Credentials{AccessKeyID: benchKey, SecretAccessKey: benchSecret}

func mustIAM(t testing.TB, s http.Handler, kv ...string) string {
	t.Helper()
	w := call(t, s, "iam", rootCreds, form(append(kv, "Version", "2010-05-08")...))
	if w.Code != 200 {
		t.Fatalf("%v: %d %s", kv[:2], w.Code, w.Body.String())
	}
	return w.Body.String()
}

func xmlField(body, name string) string {
	m := regexp.MustCompile("<" + name + ">([^<]*)</" + name + ">").FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// webIdentitySetup registers the issuer as a provider (client id "app",
// trusted by thumbprint) and a role "fed" whose trust policy admits the
// provider's subject "alice" with audience "app" and whose permissions
// allow iam:GetUser on user/${HOST:sub}.
func webIdentitySetup(t testing.TB) (*Server, *oidctest.Issuer, string) {
	is, err := oidctest.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(is.Close)
	s := newTestServer(t)
	out := mustIAM(t, s, "Action", "CreateOpenIDConnectProvider", "Url", is.URL(), "ClientIDList.member.1", "app",
		"ThumbprintList.member.1", strings.ToUpper(is.Thumbprint()))
	arn := xmlField(out, "OpenIDConnectProviderArn")
	host := strings.TrimPrefix(is.URL(), "https://")
	if arn != "arn:aws:iam::123456789012:oidc-provider/"+host {
		t.Fatalf("provider ARN %q", arn)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn + `"},
		"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
		"Condition":{"StringEquals":{"` + host + `:sub":"alice","` + host + `:aud":"app"}}}]}`
	mustIAM(t, s, "Action", "CreateRole", "RoleName", "fed", "AssumeRolePolicyDocument", trust)
	perm := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${` + host + `:sub}"}]}`
	mustIAM(t, s, "Action", "PutRolePolicy", "RoleName", "fed", "PolicyName", "self", "PolicyDocument", perm)
	mustIAM(t, s, "Action", "CreateUser", "UserName", "alice")
	mustIAM(t, s, "Action", "CreateUser", "UserName", "bob")
	return s, is, arn
}

func assumeWeb(t testing.TB, s http.Handler, token string, kv ...string) *httptest.ResponseRecorder {
	return call(t, s, "sts", nil, form(append([]string{"Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15",
		"RoleArn", "arn:aws:iam::123456789012:role/fed", "RoleSessionName", "s1", "WebIdentityToken", token}, kv...)...))
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	s, is, arn := webIdentitySetup(t)
	w := assumeWeb(t, s, is.Sign("RS256", "rsa1", is.Claims("app", "alice")))
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	b := w.Body.String()
	for name, want := range map[string]string{
		"SubjectFromWebIdentityToken": "alice", "Audience": "app", "Provider": is.URL(),
		"Arn": "arn:aws:sts::123456789012:assumed-role/fed/s1",
	} {
		if got := xmlField(b, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	sess := &aws.Credentials{AccessKeyID: xmlField(b, "AccessKeyId"), SecretAccessKey: xmlField(b, "SecretAccessKey"), SessionToken: xmlField(b, "SessionToken")}
	w = call(t, s, "sts", sess, form("Action", "GetCallerIdentity", "Version", "2011-06-15"))
	if w.Code != 200 || xmlField(w.Body.String(), "Arn") != "arn:aws:sts::123456789012:assumed-role/fed/s1" {
		t.Fatalf("GetCallerIdentity: %d %s", w.Code, w.Body.String())
	}
	// ${HOST:sub} in the role's permissions resolves to the token's subject.
	if w := call(t, s, "iam", sess, form("Action", "GetUser", "Version", "2010-05-08", "UserName", "alice")); w.Code != 200 {
		t.Fatalf("GetUser alice: %d %s", w.Code, w.Body.String())
	}
	if w := call(t, s, "iam", sess, form("Action", "GetUser", "Version", "2010-05-08", "UserName", "bob")); w.Code != 403 {
		t.Fatalf("GetUser bob: %d %s", w.Code, w.Body.String())
	}

	// Session tags from the https://aws.amazon.com/tags claim.
	c := is.Claims("app", "alice")
	c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string]any{"team": []string{"blue"}}, "transitive_tag_keys": []string{"team"}}
	if w := assumeWeb(t, s, is.Sign("ES256", "ec1", c)); w.Code != 200 || xmlField(w.Body.String(), "PackedPolicySize") == "" {
		t.Fatalf("with tags: %d %s", w.Code, w.Body.String())
	}

	// Every other action still needs a signature.
	if w := call(t, s, "sts", nil, form("Action", "GetCallerIdentity", "Version", "2011-06-15")); w.Code != 403 ||
		!strings.Contains(w.Body.String(), "MissingAuthenticationToken") {
		t.Fatalf("unsigned GetCallerIdentity: %d %s", w.Code, w.Body.String())
	}
	_ = arn
}

func TestAssumeRoleWithWebIdentityErrors(t *testing.T) {
	s, is, _ := webIdentitySetup(t)
	good := is.Sign("RS256", "rsa1", is.Claims("app", "alice"))
	expired := is.Claims("app", "alice")
	expired["exp"] = time.Now().Add(-time.Hour).Unix()
	expired["iat"] = time.Now().Add(-2 * time.Hour).Unix()
	future := is.Claims("app", "alice")
	future["nbf"] = time.Now().Add(time.Hour).Unix()
	otherIss := is.Claims("app", "alice")
	otherIss["iss"] = "https://issuer.invalid"
	azp := is.Claims("other", "alice")
	azp["azp"] = "app"
	parts := strings.Split(good, ".")
	cases := []struct {
		name, token, code string
		status            int
	}{
		{"tampered", good[:len(good)-3] + "AAA", "InvalidIdentityToken", 400},
		{"swapped payload", parts[0] + "." + strings.Split(is.Sign("RS256", "rsa1", is.Claims("app", "root")), ".")[1] + "." + parts[2], "InvalidIdentityToken", 400},
		{"expired", is.Sign("RS256", "rsa1", expired), "ExpiredTokenException", 400},
		{"not yet valid", is.Sign("RS256", "rsa1", future), "InvalidIdentityToken", 400},
		{"wrong audience", is.Sign("RS256", "rsa1", is.Claims("other", "alice")), "InvalidIdentityToken", 400},
		{"alg none", "eyJhbGciOiJub25lIn0." + parts[1] + ".", "InvalidIdentityToken", 400},
		{"HS256", "eyJhbGciOiJIUzI1NiJ9." + parts[1] + ".c2ln", "InvalidIdentityToken", 400},
		{"unknown kid", is.Sign("RS256", "ghost", is.Claims("app", "alice")), "InvalidIdentityToken", 400},
		{"no provider", is.Sign("RS256", "rsa1", otherIss), "InvalidIdentityToken", 400},
		{"not a JWT", "opaque-access-token", "InvalidIdentityToken", 400},
		{"trust condition", is.Sign("RS256", "rsa1", is.Claims("app", "mallory")), "AccessDenied", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := assumeWeb(t, s, tc.token)
			if w.Code != tc.status || xmlField(w.Body.String(), "Code") != tc.code {
				t.Fatalf("%d %s", w.Code, w.Body.String())
			}
		})
	}
	// azp naming a client id stands for the audience.
	if w := assumeWeb(t, s, is.Sign("RS256", "rsa1", azp)); w.Code != 200 || xmlField(w.Body.String(), "Audience") != "app" {
		t.Fatalf("azp: %d %s", w.Code, w.Body.String())
	}
	// A role that does not exist is refused like a trust policy that does
	// not allow.
	w := call(t, s, "sts", nil, form("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15",
		"RoleArn", "arn:aws:iam::123456789012:role/none", "RoleSessionName", "s1", "WebIdentityToken", good))
	if w.Code != 403 || !strings.Contains(w.Body.String(), "Not authorized to perform sts:AssumeRoleWithWebIdentity") {
		t.Fatalf("missing role: %d %s", w.Code, w.Body.String())
	}
	// Removing the thumbprint makes the self-signed issuer untrusted.
	arn := "arn:aws:iam::123456789012:oidc-provider/" + strings.TrimPrefix(is.URL(), "https://")
	mustIAM(t, s, "Action", "UpdateOpenIDConnectProviderThumbprint", "OpenIDConnectProviderArn", arn, "ThumbprintList", "")
	w = assumeWeb(t, s, good)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "doesn&#39;t match configured thumbprint") && !strings.Contains(w.Body.String(), "match configured thumbprint") {
		t.Fatalf("no thumbprint: %d %s", w.Code, w.Body.String())
	}
}

func TestOIDCProviderAPI(t *testing.T) {
	s := newTestServer(t)
	out := mustIAM(t, s, "Action", "CreateOpenIDConnectProvider", "Url", "https://example.com/idp", "ClientIDList.member.1", "a",
		"Tags.member.1.Key", "env", "Tags.member.1.Value", "dev")
	arn := xmlField(out, "OpenIDConnectProviderArn")
	if arn != "arn:aws:iam::123456789012:oidc-provider/example.com/idp" {
		t.Fatal(out)
	}
	mustIAM(t, s, "Action", "AddClientIDToOpenIDConnectProvider", "OpenIDConnectProviderArn", arn, "ClientID", "b")
	mustIAM(t, s, "Action", "AddClientIDToOpenIDConnectProvider", "OpenIDConnectProviderArn", arn, "ClientID", "b")
	mustIAM(t, s, "Action", "RemoveClientIDFromOpenIDConnectProvider", "OpenIDConnectProviderArn", arn, "ClientID", "a")
	mustIAM(t, s, "Action", "UpdateOpenIDConnectProviderThumbprint", "OpenIDConnectProviderArn", arn, "ThumbprintList.member.1", strings.Repeat("AB", 20))
	got := mustIAM(t, s, "Action", "GetOpenIDConnectProvider", "OpenIDConnectProviderArn", arn)
	for _, want := range []string{"<Url>example.com/idp</Url>", "<ClientIDList><member>b</member></ClientIDList>",
		"<member>" + strings.Repeat("ab", 20) + "</member>", "<Key>env</Key>"} {
		if !strings.Contains(got, want) {
			t.Errorf("GetOpenIDConnectProvider lacks %s: %s", want, got)
		}
	}
	if l := mustIAM(t, s, "Action", "ListOpenIDConnectProviders"); !strings.Contains(l, "<Arn>"+arn+"</Arn>") {
		t.Fatal(l)
	}
	for _, tc := range []struct{ url, code string }{
		{"http://example.com", "InvalidInput"}, {"example.com", "InvalidInput"}, {"https://example.com?x=1", "InvalidInput"},
		{"https://example.com/idp", "EntityAlreadyExists"},
	} {
		w := call(t, s, "iam", rootCreds, form("Action", "CreateOpenIDConnectProvider", "Version", "2010-05-08", "Url", tc.url))
		if xmlField(w.Body.String(), "Code") != tc.code {
			t.Errorf("%s: %s", tc.url, w.Body.String())
		}
	}
	w := call(t, s, "iam", rootCreds, form("Action", "UpdateOpenIDConnectProviderThumbprint", "Version", "2010-05-08",
		"OpenIDConnectProviderArn", arn, "ThumbprintList.member.1", strings.Repeat("zz", 20)))
	if xmlField(w.Body.String(), "Code") != "InvalidInput" {
		t.Error(w.Body.String())
	}
	mustIAM(t, s, "Action", "DeleteOpenIDConnectProvider", "OpenIDConnectProviderArn", arn)
	w = call(t, s, "iam", rootCreds, form("Action", "GetOpenIDConnectProvider", "Version", "2010-05-08", "OpenIDConnectProviderArn", arn))
	if w.Code != 404 || xmlField(w.Body.String(), "Message") != "OpenIDConnect Provider not found for arn "+arn {
		t.Fatal(w.Body.String())
	}
}
