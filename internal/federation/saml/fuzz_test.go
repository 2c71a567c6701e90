package saml_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/federation/saml/samltest"
)

// FuzzVerifyXML feeds arbitrary documents to the response parser and
// verifier: it must never panic, and never accept a document that the
// test IdP did not sign.
func FuzzVerifyXML(f *testing.F) {
	idp, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	for _, mode := range []samltest.Sign{samltest.SignAssertion, samltest.SignResponse, samltest.SignBoth, samltest.SignNone} {
		b, err := idp.ResponseXML(samltest.Assertion{ID: "_a", ResponseID: "_r", IssueInstant: now, NameID: "alice"}, mode)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	files, _ := filepath.Glob("testdata/crewjam/*_response")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			if raw, err := saml.DecodeResponse(string(b)); err == nil {
				f.Add(raw)
			} else {
				f.Add(b)
			}
		}
	}
	opts := saml.Options{Certificates: []*x509.Certificate{idp.Cert}, Issuer: idp.EntityID,
		Audiences: []string{samltest.AWSAudience}, Recipients: []string{samltest.AWSAudience}, Now: now}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := saml.VerifyXML(raw, opts)
		if err == nil && a.ID == "" {
			t.Fatal("accepted an assertion without ID")
		}
	})
}

// FuzzParseMetadata feeds arbitrary documents to the metadata parser.
func FuzzParseMetadata(f *testing.F) {
	idp, err := samltest.New("https://idp.example.com/saml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(idp.Metadata()))
	files, _ := filepath.Glob("testdata/crewjam/*etadata")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		md, err := saml.ParseMetadata(doc)
		if err == nil && (md.EntityID == "" || len(md.Certificates) == 0) {
			t.Fatal("accepted metadata without entity id or certificate")
		}
	})
}
