package saml_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/federation/saml/samltest"
)

var testNow = time.Now().UTC().Truncate(time.Second)

func newIdP(t *testing.T) *samltest.IdP {
	t.Helper()
	idp, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		t.Fatal(err)
	}
	return idp
}

func optsFor(idp *samltest.IdP) saml.Options {
	return saml.Options{
		Certificates: []*x509.Certificate{idp.Cert},
		Issuer:       idp.EntityID,
		Audiences:    []string{samltest.AWSAudience, "urn:amazon:webservices"},
		Recipients:   []string{samltest.AWSAudience},
		Now:          testNow,
	}
}

func baseAssertion() samltest.Assertion {
	return samltest.Assertion{
		ID: "_assertion1", ResponseID: "_response1", IssueInstant: testNow.Add(-30 * time.Second),
		NameID: "alice@example.com",
		Attributes: []samltest.Attr{
			{Name: samltest.RoleAttribute, Values: []string{"arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/Idp"}},
			{Name: samltest.RoleSessionNameAttribute, Values: []string{"alice"}},
		},
	}
}

func mustXML(t *testing.T, idp *samltest.IdP, a samltest.Assertion, mode samltest.Sign) []byte {
	t.Helper()
	b, err := idp.ResponseXML(a, mode)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyAccepts(t *testing.T) {
	idp := newIdP(t)
	for _, mode := range []samltest.Sign{samltest.SignAssertion, samltest.SignResponse, samltest.SignBoth} {
		raw := mustXML(t, idp, baseAssertion(), mode)
		a, err := saml.Verify(base64.StdEncoding.EncodeToString(raw), optsFor(idp))
		if err != nil {
			t.Fatalf("mode %d: %v\n%s", mode, err, raw)
		}
		if a.NameID != "alice@example.com" || a.Issuer != idp.EntityID || a.ID != "_assertion1" ||
			a.Recipient != samltest.AWSAudience || a.NameIDFormat != samltest.PersistentFormat {
			t.Fatalf("mode %d: got %+v", mode, a)
		}
		if got := a.Attributes[samltest.RoleSessionNameAttribute]; len(got) != 1 || got[0] != "alice" {
			t.Fatalf("attributes %v", a.Attributes)
		}
	}
}

func TestVerifyWrappedBase64(t *testing.T) {
	idp := newIdP(t)
	s := base64.StdEncoding.EncodeToString(mustXML(t, idp, baseAssertion(), samltest.SignAssertion))
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	if _, err := saml.Verify(b.String(), optsFor(idp)); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyRejects covers the checks one at a time, each on an otherwise
// valid response.
func TestVerifyRejects(t *testing.T) {
	idp := newIdP(t)
	other := newIdP(t)
	type tc struct {
		name string
		raw  func() []byte
		opts func(o *saml.Options)
		want error
	}
	edit := func(mode samltest.Sign, f func(a *samltest.Assertion)) func() []byte {
		return func() []byte {
			a := baseAssertion()
			f(&a)
			return mustXML(t, idp, a, mode)
		}
	}
	replace := func(mode samltest.Sign, old, new string) func() []byte {
		return func() []byte {
			raw := mustXML(t, idp, baseAssertion(), mode)
			if !bytes.Contains(raw, []byte(old)) {
				t.Fatalf("%q not in response", old)
			}
			return bytes.Replace(raw, []byte(old), []byte(new), 1)
		}
	}
	cases := []tc{
		{"unsigned", edit(samltest.SignNone, func(*samltest.Assertion) {}), nil, saml.ErrSignature},
		{"other key", func() []byte { return mustXML(t, other, baseAssertion(), samltest.SignAssertion) }, nil, saml.ErrSignature},
		{"tampered role attribute (assertion signed)", replace(samltest.SignAssertion, "role/Admin", "role/Owner"), nil, saml.ErrSignature},
		{"tampered role attribute (response signed)", replace(samltest.SignResponse, "role/Admin", "role/Owner"), nil, saml.ErrSignature},
		{"tampered NameID", replace(samltest.SignBoth, "alice@example.com", "mallory@example.com"), nil, saml.ErrSignature},
		{"comment in NameID", replace(samltest.SignAssertion, "alice@example.com", "alice@example.com<!---->.evil"), nil, saml.ErrMalformed},
		{"doctype", func() []byte {
			raw := mustXML(t, idp, baseAssertion(), samltest.SignAssertion)
			return bytes.Replace(raw, []byte("?>"), []byte(`?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>`), 1)
		}, nil, saml.ErrMalformed},
		{"external entity", func() []byte {
			raw := mustXML(t, idp, baseAssertion(), samltest.SignAssertion)
			return bytes.Replace(raw, []byte("?>"), []byte(`?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>`), 1)
		}, nil, saml.ErrMalformed},
		{"processing instruction", replace(samltest.SignAssertion, "<saml:Subject>", "<?evil x?><saml:Subject>"), nil, saml.ErrMalformed},
		{"wrong audience", edit(samltest.SignAssertion, func(a *samltest.Assertion) { a.Audiences = []string{"https://example.com/sp"} }), nil, saml.ErrAudience},
		{"wrong recipient", edit(samltest.SignAssertion, func(a *samltest.Assertion) {
			a.Recipient = "https://evil.example.com/saml"
			a.Destination = samltest.AWSAudience
		}), nil, saml.ErrRecipient},
		{"wrong destination", edit(samltest.SignBoth, func(a *samltest.Assertion) { a.Destination = "https://evil.example.com/saml" }), nil, saml.ErrRecipient},
		{"wrong issuer", edit(samltest.SignAssertion, func(a *samltest.Assertion) { a.Issuer = "https://other.example.com" }), nil, saml.ErrIssuer},
		{"expired", edit(samltest.SignAssertion, func(a *samltest.Assertion) {
			a.IssueInstant = testNow.Add(-4 * time.Minute)
			a.NotOnOrAfter = testNow.Add(-2 * time.Minute)
		}), nil, saml.ErrExpired},
		{"not yet valid", edit(samltest.SignAssertion, func(a *samltest.Assertion) {
			a.IssueInstant = testNow
			a.NotBefore = testNow.Add(3 * time.Minute)
		}), nil, saml.ErrNotYetValid},
		{"issued in the future", edit(samltest.SignAssertion, func(a *samltest.Assertion) { a.IssueInstant = testNow.Add(10 * time.Minute) }), nil, saml.ErrNotYetValid},
		{"redeemed too late", edit(samltest.SignAssertion, func(a *samltest.Assertion) {
			a.IssueInstant = testNow.Add(-10 * time.Minute)
			a.NotOnOrAfter = testNow.Add(time.Hour)
		}), nil, saml.ErrRedeemWindow},
		{"duplicate attribute", edit(samltest.SignAssertion, func(a *samltest.Assertion) {
			a.Attributes = append(a.Attributes, samltest.Attr{Name: samltest.RoleSessionNameAttribute, Values: []string{"bob"}})
		}), nil, saml.ErrAttribute},
		{"status not success", replace(samltest.SignAssertion, "status:Success", "status:Requester"), nil, saml.ErrStatus},
		{"not a response", func() []byte { return []byte(`<x xmlns="urn:oasis:names:tc:SAML:2.0:protocol"/>`) }, nil, saml.ErrMalformed},
		{"not xml", func() []byte { return []byte("hello") }, nil, saml.ErrMalformed},
		{"no certificates", edit(samltest.SignAssertion, func(*samltest.Assertion) {}), func(o *saml.Options) { o.Certificates = nil }, saml.ErrNoCertificate},
		{"certificate expired at verification time", edit(samltest.SignAssertion, func(a *samltest.Assertion) {}), func(o *saml.Options) {
			o.Now = idp.Cert.NotAfter.Add(time.Hour)
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := optsFor(idp)
			if c.opts != nil {
				c.opts(&o)
			}
			_, err := saml.VerifyXML(c.raw(), o)
			if err == nil {
				t.Fatal("accepted")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestMemoryReplay(t *testing.T) {
	ctx := context.Background()
	m := saml.NewMemoryReplay(3)
	exp := testNow.Add(5 * time.Minute)
	if err := m.Use(ctx, "iss", "a", exp, testNow); err != nil {
		t.Fatal(err)
	}
	if err := m.Use(ctx, "iss", "a", exp, testNow.Add(time.Minute)); !errors.Is(err, saml.ErrReplay) {
		t.Fatalf("replay accepted: %v", err)
	}
	if err := m.Use(ctx, "other-iss", "a", exp, testNow); err != nil {
		t.Fatalf("same id of another issuer: %v", err)
	}
	// After expiry the id may be seen again (its assertion is expired
	// anyway, and the entry is gone).
	if err := m.Use(ctx, "iss", "a", exp.Add(time.Hour), exp); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	for _, id := range []string{"b", "c", "d", "e"} {
		if err := m.Use(ctx, "iss", id, exp.Add(2*time.Hour), exp); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() > 3 {
		t.Fatalf("len %d > bound", m.Len())
	}
	if m.Evicted() == 0 {
		t.Fatal("expected evictions")
	}
}
