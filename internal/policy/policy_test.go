package policy

import (
	"encoding/json"
	"errors"
	"go/build"
	"reflect"
	"strings"
	"testing"
)

// TestPure fails if the package imports anything outside the standard
// library.
func TestPure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			t.Errorf("non-standard import %q", imp)
		}
	}
}

func mustParse(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return p
}

// stripPositions returns the statements without their positions.
func stripPositions(p *Policy) []Statement {
	out := append([]Statement(nil), p.Statements...)
	for i := range out {
		out[i].Start, out[i].End = Position{}, Position{}
	}
	return out
}

func checkRoundTrip(t testing.TB, doc string, kind Kind) {
	p, err := Parse(doc, kind)
	if err != nil {
		return
	}
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("invalid JSON %s", out)
	}
	q, err := Parse(string(out), kind)
	if err != nil {
		t.Fatalf("re-parse of %s: %v (from %q)", out, err, doc)
	}
	if !reflect.DeepEqual(stripPositions(p), stripPositions(q)) || p.Version != q.Version || p.ID != q.ID {
		t.Fatalf("round trip changed the policy:\n in: %s\nout: %s", doc, out)
	}
	out2, _ := q.MarshalJSON()
	if string(out2) != string(out) {
		t.Fatalf("marshal not canonical:\n%s\n%s", out, out2)
	}
}

var seedDocs = []struct {
	doc  string
	kind Kind
}{
	{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, Identity},
	{`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"a","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:PrincipalTag/t":["x","y"]},"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10}}}]}`, Identity},
	{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/r"],"Service":"ec2.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"},"Action":"sts:AssumeRole"}}`, Trust},
	{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, Resource},
	{`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:user/a\u00e9\"\\"},"Action":"s3:*","Resource":"*"}}`, Resource},
	{`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ForAllValues:StringNotLikeIfExists":{"aws:TagKeys":["a*"]},"Null":{"aws:SourceIp":"true"}}}}`, SCP},
}

func TestRoundTrip(t *testing.T) {
	for _, s := range seedDocs {
		if _, err := Parse(s.doc, s.kind); err != nil {
			t.Fatalf("seed %s: %v", s.doc, err)
		}
		checkRoundTrip(t, s.doc, s.kind)
	}
	for _, c := range loadMoto(t, "valid_policy_documents.json").Cases {
		checkRoundTrip(t, motoDoc(t, c.Document), Identity)
	}
	p := mustParse(t, seedDocs[0].doc, Identity)
	if got := p.String(); got != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["*"]}]}` {
		t.Errorf("String() = %s", got)
	}
	if got := string(appendString(nil, "a\x01\xff")); got != `"a\u0001\ufffd"` {
		t.Errorf("appendString = %s", got)
	}
}

// FuzzParse checks that Parse never panics and that parse -> marshal ->
// parse is the identity on statements.
func FuzzParse(f *testing.F) {
	for _, s := range seedDocs {
		f.Add(s.doc, int(s.kind))
	}
	f.Add(`{"Statement":[]}`, 1)
	f.Add(`[1, 2.5e3, -0, true, null, "\ud83d\ude00"]`, 2)
	f.Fuzz(func(t *testing.T, doc string, k int) {
		kind := Kind(1 + (k%7+7)%7)
		checkRoundTrip(t, doc, kind)
	})
}

func TestKindRules(t *testing.T) {
	cases := []struct {
		kind Kind
		doc  string
		want string
	}{
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, msgNoPrincipal},
		{Inline, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}`, msgNoPrincipal},
		{Inline, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, ""},
		{Session, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, ""},
		{Trust, `not json`, msgInvalidJSON},
		{Identity, `not json`, msgSyntax},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, msgMissingPrincipal},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}}`, msgTrustResource},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}}`, msgTrustActions},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"}}}`, "Missing required field Action"},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`, msgAllowNotPrincipal},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`, msgTrustNotPrincipal},
		{Trust, `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole","sts:TagSession"]}}`, ""},
		{Trust, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}}`, ""},
		{Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, msgMissingPrincipal},
		{Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":"*","Action":"s3:*","Resource":"*"}}`, msgAllowNotPrincipal},
		{RCP, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, ""},
		{SCP, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, msgNoPrincipal},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"x","Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Foo":"x"},"Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":1},"Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":[],"Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Foo":{"a:b":"c"}}}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":[{}]}}}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":null}}}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Foo":{}}}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":["2020-01-01T00:00:00Z","1577836800","2020-01-01t00:00:00.5+01:00","-2020"]}}}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-13-01"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01-01"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-32"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t24"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:60"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:10:10zx"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:10:10+1"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:10:10+01:6"}}}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:10:60"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01t10:10:10.x"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"x-1"}}}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:iam::1:*","arn:aws:iam::1:${aws:username}"]}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::a",null]}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["ab::"]}}`, `Partition "" is not valid for resource "arn::*:*:*:*".`},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3::b"]}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws::1"]}}`, msgLegacy},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:ec2"}}`, ""},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"adf"}}`, `Resource adf must be in ARN format or "*".`},
		{Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","NotAction":"bad","Resource":"*"}]}`, msgVendor},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}} x`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Sid":1}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Id":1,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":1,"Action":"s3:*","Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":[]}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":[]}}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":1,"Resource":"*"}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":[1]}}`, msgSyntax},
		{Identity, `{"Version":"2012-10-17","Statement":1}`, msgSyntax},
	}
	for _, c := range cases {
		_, err := Parse(c.doc, c.kind)
		got := ""
		var ve *ValidationError
		if errors.As(err, &ve) {
			got = ve.Message
			if ve.Error() != got {
				t.Errorf("Error() = %q", ve.Error())
			}
		} else if err != nil {
			t.Fatalf("non-validation error %v", err)
		}
		if got != c.want {
			t.Errorf("%s %s: got %q, want %q", c.kind, c.doc, got, c.want)
		}
	}
}

func TestKindNamesAndSizes(t *testing.T) {
	for k, want := range map[Kind]string{Identity: "Identity", Resource: "Resource", Trust: "Trust", Boundary: "Boundary", Session: "Session", SCP: "SCP", RCP: "RCP", Inline: "Inline", 0: "Unknown", 99: "Unknown"} {
		if k.String() != want {
			t.Errorf("%d: %q", k, k.String())
		}
	}
	for k, want := range map[Kind]int{Identity: 6144, Boundary: 6144, Trust: 2048, Session: 2048, SCP: 5120, RCP: 5120, Inline: 10240, Resource: 0} {
		if MaxSize(k) != want {
			t.Errorf("MaxSize(%s) = %d", k, MaxSize(k))
		}
	}
	if Allow.String() != "Allow" || Deny.String() != "Deny" || Effect(0).String() != "" {
		t.Error("Effect.String")
	}
	p := mustParse(t, "{\n  \"Version\": \"2012-10-17\",\n\t\"Statement\": {\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}\r\n}", Identity)
	if p.Size != len(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`) {
		t.Errorf("Size = %d", p.Size)
	}
}

func TestPositions(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"é\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"\n    }\n  ]\n}"
	p := mustParse(t, doc, Identity)
	want := []struct{ s, e Position }{
		{Position{4, 5}, Position{4, 71}},
		{Position{5, 5}, Position{7, 6}},
	}
	for i, w := range want {
		if p.Statements[i].Start != w.s || p.Statements[i].End != w.e {
			t.Errorf("statement %d: %v-%v, want %v-%v", i, p.Statements[i].Start, p.Statements[i].End, w.s, w.e)
		}
	}
}

func TestJSONParser(t *testing.T) {
	good := []string{`{}`, `[]`, `[1,-2,3.5,1e5,1E-5,0.1e+2,-0]`, `"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`, `[true,false,null]`, ` { "a" : [ ] } `, `"\ud800"`, `"\ud800\u0041"`}
	for _, s := range good {
		if _, err := parseJSON(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := []string{``, `{`, `[`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a":1 "b":2}`, `01`, `-`, `1.`, `1e`, `tru`, `nul`, `"\x"`, `"\u12"`, `"\u12zz"`, "\"a\x01\"", "\"a\\\x01\"", `"abc`, `"a\`, `{1:2}`, `x`, "\"\xff\"", "\"\\n\xff\"", strings.Repeat("[", 100) + strings.Repeat("]", 100), strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100), `[1}`, `{"a":1]`}
	for _, s := range bad {
		if _, err := parseJSON(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	n, _ := parseJSON(`"\ud83d\ude00"`)
	if n.str != "😀" {
		t.Errorf("surrogates: %q", n.str)
	}
}
