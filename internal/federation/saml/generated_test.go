package saml_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
)

// generatedErrors names the sentinel errors expect.json refers to.
var generatedErrors = map[string]error{
	"ErrSignature": saml.ErrSignature, "ErrMalformed": saml.ErrMalformed,
}

// TestGeneratedFixtures replays the fixtures written by
// testdata/generated/gen (valid responses and attacks built from them) at
// their fixed time.
func TestGeneratedFixtures(t *testing.T) {
	dir := "testdata/generated"
	b, err := os.ReadFile(filepath.Join(dir, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expect map[string]string
	if err := json.Unmarshal(b, &expect); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "metadata.xml"))
	if err != nil {
		t.Fatal(err)
	}
	meta, err := saml.ParseMetadata(md)
	if err != nil {
		t.Fatal(err)
	}
	opts := saml.Options{Certificates: meta.Certificates, Issuer: meta.EntityID,
		Audiences: []string{"https://signin.aws.amazon.com/saml"}, Recipients: []string{"https://signin.aws.amazon.com/saml"},
		Now: time.Date(2030, 1, 1, 0, 0, 30, 0, time.UTC)}
	if len(expect) < 15 {
		t.Fatalf("only %d fixtures", len(expect))
	}
	for name, want := range expect {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			a, err := saml.VerifyXML(raw, opts)
			if want == "accept" {
				if err != nil {
					t.Fatal(err)
				}
				if a.NameID != "alice" || a.Attributes["https://aws.amazon.com/SAML/Attributes/RoleSessionName"][0] != "alice" {
					t.Fatalf("%+v", a)
				}
				return
			}
			if !errors.Is(err, generatedErrors[want]) {
				t.Fatalf("got %v, want %s", err, want)
			}
		})
	}
}
