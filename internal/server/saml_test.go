package server

import (
	"encoding/base64"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamd/iamd/internal/federation/saml/samltest"
	"github.com/iamd/iamd/internal/stssvc"
)

const (
	samlProviderARN = "arn:aws:iam::123456789012:saml-provider/corp"
	samlRoleARN     = "arn:aws:iam::123456789012:role/samlrole"
)

// samlSetup registers a test IdP as provider "corp" and a role "samlrole"
// whose trust policy admits the provider for subject alice on AWS's
// endpoint, and whose permissions allow iam:GetUser on user/${SAML:sub}.
func samlSetup(t testing.TB) (*Server, *samltest.IdP) {
	idp, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t)
	out := mustIAM(t, s, "Action", "CreateSAMLProvider", "Name", "corp", "SAMLMetadataDocument", idp.Metadata(),
		"Tags.member.1.Key", "env", "Tags.member.1.Value", "dev")
	if arn := xmlField(out, "SAMLProviderArn"); arn != samlProviderARN {
		t.Fatalf("provider ARN %q", arn)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + samlProviderARN + `"},
		"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"],
		"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml","SAML:sub":["alice","bob"],
		"SAML:iss":"https://idp.example.com/saml","SAML:sub_type":"persistent"},
		"ForAllValues:StringEquals":{"SAML:edupersonaffiliation":["staff","member"]}}}]}`
	mustIAM(t, s, "Action", "CreateRole", "RoleName", "samlrole", "AssumeRolePolicyDocument", trust, "MaxSessionDuration", "7200")
	perm := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${SAML:sub}"}]}`
	mustIAM(t, s, "Action", "PutRolePolicy", "RoleName", "samlrole", "PolicyName", "self", "PolicyDocument", perm)
	mustIAM(t, s, "Action", "CreateUser", "UserName", "alice")
	mustIAM(t, s, "Action", "CreateUser", "UserName", "bob")
	return s, idp
}

func samlAssertion(sub string, extra ...samltest.Attr) samltest.Assertion {
	return samltest.Assertion{
		NameID: sub,
		Attributes: append([]samltest.Attr{
			{Name: samltest.RoleAttribute, Values: []string{"arn:aws:iam::123456789012:role/other,arn:aws:iam::123456789012:saml-provider/corp",
				samlProviderARN + "," + samlRoleARN}},
			{Name: samltest.RoleSessionNameAttribute, Values: []string{sub + "@example.com"}},
		}, extra...),
	}
}

func assumeSAML(t testing.TB, s *Server, resp string, kv ...string) *httptest.ResponseRecorder {
	return call(t, s, "sts", nil, form(append([]string{"Action", "AssumeRoleWithSAML", "Version", "2011-06-15",
		"RoleArn", samlRoleARN, "PrincipalArn", samlProviderARN, "SAMLAssertion", resp}, kv...)...))
}

func mustResponse(t testing.TB, idp *samltest.IdP, a samltest.Assertion, mode samltest.Sign) string {
	r, err := idp.Response(a, mode)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAssumeRoleWithSAML(t *testing.T) {
	s, idp := samlSetup(t)
	resp := mustResponse(t, idp, samlAssertion("alice",
		samltest.Attr{Name: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", Values: []string{"blue"}},
		samltest.Attr{Name: "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", Values: []string{"team"}},
		samltest.Attr{Name: "https://aws.amazon.com/SAML/Attributes/SourceIdentity", Values: []string{"alice"}},
		samltest.Attr{Name: "urn:oid:1.3.6.1.4.1.5923.1.1.1.1", Values: []string{"staff", "member"}},
	), samltest.SignAssertion)
	w := assumeSAML(t, s, resp, "DurationSeconds", "5400")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	b := w.Body.String()
	for name, want := range map[string]string{
		"Subject": "alice", "SubjectType": "persistent", "Issuer": "https://idp.example.com/saml",
		"Audience": "https://signin.aws.amazon.com/saml", "SourceIdentity": "alice",
		"NameQualifier": stssvc.NameQualifier("https://idp.example.com/saml", "123456789012", "corp"),
		"Arn":           "arn:aws:sts::123456789012:assumed-role/samlrole/alice@example.com",
	} {
		if got := xmlField(b, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if xmlField(b, "PackedPolicySize") == "" {
		t.Error("no PackedPolicySize with session tags")
	}
	exp, err := time.Parse(time.RFC3339, xmlField(b, "Expiration"))
	if err != nil || exp.Before(time.Now().Add(80*time.Minute)) {
		t.Errorf("Expiration %q does not reflect DurationSeconds", xmlField(b, "Expiration"))
	}
	sess := &aws.Credentials{AccessKeyID: xmlField(b, "AccessKeyId"), SecretAccessKey: xmlField(b, "SecretAccessKey"), SessionToken: xmlField(b, "SessionToken")}
	// ${SAML:sub} in the role's permissions resolves to the NameID.
	if w := call(t, s, "iam", sess, form("Action", "GetUser", "Version", "2010-05-08", "UserName", "alice")); w.Code != 200 {
		t.Fatalf("GetUser alice: %d %s", w.Code, w.Body.String())
	}
	if w := call(t, s, "iam", sess, form("Action", "GetUser", "Version", "2010-05-08", "UserName", "bob")); w.Code != 403 {
		t.Fatalf("GetUser bob: %d %s", w.Code, w.Body.String())
	}
	// The same assertion is accepted once.
	if w := assumeSAML(t, s, resp); w.Code != 400 || xmlField(w.Body.String(), "Code") != "InvalidIdentityToken" {
		t.Fatalf("replay: %d %s", w.Code, w.Body.String())
	}
	// The response signed instead of the assertion; role/provider in the
	// Role attribute in the other order; NameQualifier is the same.
	if w := assumeSAML(t, s, mustResponse(t, idp, samlAssertion("bob"), samltest.SignResponse)); w.Code != 200 {
		t.Fatalf("signed response: %d %s", w.Code, w.Body.String())
	}
}

func TestAssumeRoleWithSAMLErrors(t *testing.T) {
	s, idp := samlSetup(t)
	other, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		t.Fatal(err)
	}
	good := func() string { return mustResponse(t, idp, samlAssertion("alice"), samltest.SignAssertion) }
	tamper := func(old, new string) string {
		raw, err := base64.StdEncoding.DecodeString(good())
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), old, new, 1)))
	}
	noSession := samlAssertion("alice")
	noSession.Attributes = noSession.Attributes[:1]
	badSession := samlAssertion("alice")
	badSession.Attributes[1].Values = []string{"a b"}
	noRole := samlAssertion("alice")
	noRole.Attributes = noRole.Attributes[1:]
	wrongRole := samlAssertion("alice")
	wrongRole.Attributes[0].Values = []string{"arn:aws:iam::123456789012:role/other," + samlProviderARN}
	late := samlAssertion("alice")
	late.IssueInstant = time.Now().Add(-10 * time.Minute)
	late.NotOnOrAfter = time.Now().Add(time.Hour)
	expired := samlAssertion("alice")
	expired.IssueInstant = time.Now().Add(-4 * time.Minute)
	expired.NotOnOrAfter = time.Now().Add(-2 * time.Minute)
	wrongAud := samlAssertion("alice")
	wrongAud.Audiences = []string{"https://sp.example.com"}
	wrongIss := samlAssertion("alice")
	wrongIss.Issuer = "https://evil.example.com"
	affiliation := samlAssertion("alice", samltest.Attr{Name: "urn:oid:1.3.6.1.4.1.5923.1.1.1.1", Values: []string{"student"}})
	transient := samlAssertion("alice")
	transient.NameIDFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

	cases := []struct {
		name, resp, code, msg string
		status                int
		kv                    []string
	}{
		{"other key", mustResponse(t, other, samlAssertion("alice"), samltest.SignAssertion), "InvalidIdentityToken", "Response signature invalid", 400, nil},
		{"unsigned", mustResponse(t, idp, samlAssertion("alice"), samltest.SignNone), "InvalidIdentityToken", "Response signature invalid", 400, nil},
		{"tampered subject", tamper(">alice<", ">bob<"), "InvalidIdentityToken", "Response signature invalid", 400, nil},
		{"tampered role attribute", tamper("role/other", "role/admin"), "InvalidIdentityToken", "Response signature invalid", 400, nil},
		{"not base64", "%%%%%%%%", "InvalidIdentityToken", "", 400, nil},
		{"no RoleSessionName", mustResponse(t, idp, noSession, samltest.SignAssertion), "InvalidIdentityToken", "RoleSessionName is required in AuthnResponse", 400, nil},
		{"bad RoleSessionName", mustResponse(t, idp, badSession, samltest.SignAssertion), "InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", 400, nil},
		{"no Role attribute", mustResponse(t, idp, noRole, samltest.SignAssertion), "InvalidIdentityToken", "", 400, nil},
		{"role not in attribute", mustResponse(t, idp, wrongRole, samltest.SignAssertion), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403, nil},
		{"redeemed too late", mustResponse(t, idp, late, samltest.SignAssertion), "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance", 400, nil},
		{"expired", mustResponse(t, idp, expired, samltest.SignAssertion), "ExpiredTokenException", "", 400, nil},
		{"wrong audience", mustResponse(t, idp, wrongAud, samltest.SignAssertion), "InvalidIdentityToken", "", 400, nil},
		{"wrong issuer", mustResponse(t, idp, wrongIss, samltest.SignAssertion), "InvalidIdentityToken", "Issuer not present in specified provider", 400, nil},
		{"trust: subject", mustResponse(t, idp, samlAssertion("mallory"), samltest.SignAssertion), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403, nil},
		{"trust: affiliation", mustResponse(t, idp, affiliation, samltest.SignAssertion), "AccessDenied", "", 403, nil},
		{"trust: sub_type", mustResponse(t, idp, transient, samltest.SignAssertion), "AccessDenied", "", 403, nil},
		{"no provider", good(), "InvalidIdentityToken", "Specified provider doesn't exist.", 400, []string{"PrincipalArn", "arn:aws:iam::123456789012:saml-provider/none"}},
		{"duration above role maximum", good(), "ValidationError", "", 400, []string{"DurationSeconds", "9000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := assumeSAML(t, s, tc.resp, tc.kv...)
			b := w.Body.String()
			if w.Code != tc.status || xmlField(b, "Code") != tc.code {
				t.Fatalf("%d %s", w.Code, b)
			}
			if tc.msg != "" && !strings.Contains(b, tc.msg) {
				t.Fatalf("message: %s", b)
			}
		})
	}
}

func TestSAMLProviderAPI(t *testing.T) {
	s, idp := samlSetup(t)
	got := mustIAM(t, s, "Action", "GetSAMLProvider", "SAMLProviderArn", samlProviderARN)
	for _, f := range []string{"SAMLProviderUUID", "SAMLMetadataDocument", "CreateDate", "ValidUntil"} {
		if xmlField(got, f) == "" && !strings.Contains(got, "<"+f+">") {
			t.Errorf("GetSAMLProvider lacks %s: %s", f, got)
		}
	}
	if !strings.Contains(got, "<Key>env</Key>") {
		t.Error(got)
	}
	if l := mustIAM(t, s, "Action", "ListSAMLProviders"); !strings.Contains(l, "<Arn>"+samlProviderARN+"</Arn>") || !strings.Contains(l, "<ValidUntil>") {
		t.Fatal(l)
	}
	mustIAM(t, s, "Action", "TagSAMLProvider", "SAMLProviderArn", samlProviderARN, "Tags.member.1.Key", "team", "Tags.member.1.Value", "x")
	mustIAM(t, s, "Action", "UntagSAMLProvider", "SAMLProviderArn", samlProviderARN, "TagKeys.member.1", "env")
	if tags := mustIAM(t, s, "Action", "ListSAMLProviderTags", "SAMLProviderArn", samlProviderARN); !strings.Contains(tags, "<Key>team</Key>") || strings.Contains(tags, "env") {
		t.Fatal(tags)
	}

	// Rotating the IdP key: responses signed with the old key stop working.
	next, err := samltest.New(idp.EntityID)
	if err != nil {
		t.Fatal(err)
	}
	if out := mustIAM(t, s, "Action", "UpdateSAMLProvider", "SAMLProviderArn", samlProviderARN, "SAMLMetadataDocument", next.Metadata()); xmlField(out, "SAMLProviderArn") != samlProviderARN {
		t.Fatal(out)
	}
	if w := assumeSAML(t, s, mustResponse(t, idp, samlAssertion("alice"), samltest.SignAssertion)); w.Code != 400 {
		t.Fatalf("old key after update: %d %s", w.Code, w.Body.String())
	}
	if w := assumeSAML(t, s, mustResponse(t, next, samlAssertion("alice"), samltest.SignAssertion)); w.Code != 200 {
		t.Fatalf("new key after update: %d %s", w.Code, w.Body.String())
	}

	for _, tc := range []struct{ name, metadata, code string }{
		{"corp", idp.Metadata(), "EntityAlreadyExists"},
		{"bad", strings.Repeat("x", 1200), "InvalidInput"},
		{"nocert", strings.Replace(idp.Metadata(), "use=\"signing\"", "use=\"encryption\"", 1), "InvalidInput"},
		{"dtd", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>` + strings.TrimPrefix(idp.Metadata(), `<?xml version="1.0" encoding="UTF-8"?>`), "InvalidInput"},
	} {
		w := call(t, s, "iam", rootCreds, form("Action", "CreateSAMLProvider", "Version", "2010-05-08", "Name", tc.name, "SAMLMetadataDocument", tc.metadata))
		if xmlField(w.Body.String(), "Code") != tc.code {
			t.Errorf("%s: %s", tc.name, w.Body.String())
		}
	}
	mustIAM(t, s, "Action", "DeleteSAMLProvider", "SAMLProviderArn", samlProviderARN)
	w := call(t, s, "iam", rootCreds, form("Action", "GetSAMLProvider", "Version", "2010-05-08", "SAMLProviderArn", samlProviderARN))
	if w.Code != 404 || xmlField(w.Body.String(), "Code") != "NoSuchEntity" {
		t.Fatal(w.Body.String())
	}
	if w := assumeSAML(t, s, mustResponse(t, next, samlAssertion("alice"), samltest.SignAssertion)); xmlField(w.Body.String(), "Code") != "InvalidIdentityToken" {
		t.Fatalf("deleted provider: %s", w.Body.String())
	}
}
