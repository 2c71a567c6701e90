package saml_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/federation/saml/samltest"
)

// xmlsec1 returns the path of Debian's xmlsec1, an XML-signature
// implementation independent of goxmldsig. The test is skipped when it is
// absent, unless IAMD_E2E_REQUIRE_CLIENTS=1 (CI installs it).
func xmlsec1(t *testing.T) string {
	p, err := exec.LookPath("xmlsec1")
	if err != nil {
		if os.Getenv("IAMD_E2E_REQUIRE_CLIENTS") == "1" {
			t.Fatal("xmlsec1 not installed (apt-get install -y xmlsec1)")
		}
		t.Skip("xmlsec1 not installed")
	}
	return p
}

const signatureTemplate = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
	`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
	`<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
	`<ds:Reference URI="#REF"><ds:Transforms>` +
	`<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
	`<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
	`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue>` +
	`</ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
	`<ds:KeyInfo><ds:X509Data></ds:X509Data></ds:KeyInfo></ds:Signature>`

// TestXMLSecInterop signs responses with xmlsec1 (assertion, response) and
// verifies them here; then checks that xmlsec1 verifies what goxmldsig
// signs (the samltest IdP), and that tampering breaks both.
func TestXMLSecInterop(t *testing.T) {
	bin := xmlsec1(t)
	idp := newIdP(t)
	dir := t.TempDir()
	keyFile, certFile := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(keyFile, idp.KeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, idp.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, errors.New(err.Error() + ": " + stderr.String())
		}
		return out, nil
	}
	unsigned := mustXML(t, idp, baseAssertion(), samltest.SignNone)

	for _, target := range []struct{ name, node, ref, after string }{
		{"assertion", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", "_assertion1", "<saml:Assertion"},
		{"response", "urn:oasis:names:tc:SAML:2.0:protocol:Response", "_response1", "<samlp:Response"},
	} {
		t.Run("xmlsec1 signs "+target.name, func(t *testing.T) {
			doc := string(unsigned)
			start := strings.Index(doc, target.after)
			end := start + strings.Index(doc[start:], "</saml:Issuer>") + len("</saml:Issuer>")
			tmpl := doc[:end] + strings.Replace(signatureTemplate, "REF", target.ref, 1) + doc[end:]
			in := filepath.Join(dir, target.name+"-template.xml")
			if err := os.WriteFile(in, []byte(tmpl), 0o600); err != nil {
				t.Fatal(err)
			}
			signed, err := run("--sign", "--privkey-pem", keyFile+","+certFile, "--id-attr:ID", target.node, in)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := saml.VerifyXML(signed, optsFor(idp)); err != nil {
				t.Fatalf("xmlsec1-signed %s rejected: %v\n%s", target.name, err, signed)
			}
			tampered := bytes.Replace(signed, []byte("role/Admin"), []byte("role/Owner"), 1)
			if _, err := saml.VerifyXML(tampered, optsFor(idp)); !errors.Is(err, saml.ErrSignature) {
				t.Fatalf("tampered xmlsec1-signed %s: %v", target.name, err)
			}
		})
	}

	t.Run("xmlsec1 verifies goxmldsig", func(t *testing.T) {
		signed := mustXML(t, idp, baseAssertion(), samltest.SignAssertion)
		f := filepath.Join(dir, "signed.xml")
		if err := os.WriteFile(f, signed, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := run("--verify", "--pubkey-cert-pem", certFile, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", f); err != nil {
			t.Fatalf("xmlsec1 rejects our signature: %v", err)
		}
		if err := os.WriteFile(f, bytes.Replace(signed, []byte("role/Admin"), []byte("role/Owner"), 1), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := run("--verify", "--pubkey-cert-pem", certFile, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", f); err == nil {
			t.Fatal("xmlsec1 accepts a tampered assertion")
		}
	})
}
