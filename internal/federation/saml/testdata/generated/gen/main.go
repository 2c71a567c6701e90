// Command gen writes the generated SAML fixtures of this directory's
// parent: an IdP key and certificate (fixed validity 2029-2040), its
// metadata, and responses valid at 2030-01-01T00:00:30Z — valid ones
// and attacks built from them (signature wrapping, tampered attributes,
// comments, duplicates). expect.json lists each file's expected outcome.
//
//	go run ./internal/federation/saml/testdata/generated/gen
//
// Run from the repository root; the key is a test key only.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/federation/saml/samltest"
)

const dir = "internal/federation/saml/testdata/generated"

var issued = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	check(err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2030), Subject: pkix.Name{CommonName: "iamd generated test IdP"},
		NotBefore: time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	check(err)
	cert, err := x509.ParseCertificate(der)
	check(err)
	idp := &samltest.IdP{EntityID: "https://idp.example.org/saml", Key: key, Cert: cert}
	write("idp-key.pem", idp.KeyPEM())
	write("idp-cert.pem", idp.CertPEM())
	write("metadata.xml", []byte(idp.Metadata()))

	base := samltest.Assertion{ID: "_a1", ResponseID: "_r1", IssueInstant: issued, NameID: "alice",
		Attributes: []samltest.Attr{
			{Name: samltest.RoleAttribute, Values: []string{"arn:aws:iam::123456789012:role/Dev,arn:aws:iam::123456789012:saml-provider/Gen"}},
			{Name: samltest.RoleSessionNameAttribute, Values: []string{"alice"}},
		}}
	gen := func(a samltest.Assertion, mode samltest.Sign) string {
		b, err := idp.ResponseXML(a, mode)
		check(err)
		return string(b)
	}
	expect := map[string]string{}
	put := func(name, doc, outcome string) {
		write(name, []byte(doc))
		expect[name] = outcome
	}
	signedA := gen(base, samltest.SignAssertion)
	signedR := gen(base, samltest.SignResponse)
	put("valid-assertion-signed.xml", signedA, "accept")
	put("valid-response-signed.xml", signedR, "accept")
	put("valid-both-signed.xml", gen(base, samltest.SignBoth), "accept")
	put("unsigned.xml", gen(base, samltest.SignNone), "ErrSignature")

	// Tampered values under a valid signature.
	put("tampered-role.xml", strings.Replace(signedA, "role/Dev", "role/Admin", 1), "ErrSignature")
	put("tampered-session-name.xml", strings.Replace(signedR, ">alice</saml:AttributeValue>", ">root</saml:AttributeValue>", 1), "ErrSignature")
	put("tampered-nameid.xml", strings.Replace(signedA, ">alice</saml:NameID>", ">bob</saml:NameID>", 1), "ErrSignature")
	put("comment-in-nameid.xml", strings.Replace(signedA, ">alice</saml:NameID>", ">alice<!---->.evil</saml:NameID>", 1), "ErrMalformed")

	// Signature wrapping: an evil assertion (unsigned, other role) placed
	// beside or around the genuinely signed one.
	evil := base
	evil.ID = "_evil"
	evil.Attributes = []samltest.Attr{
		{Name: samltest.RoleAttribute, Values: []string{"arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/Gen"}},
		{Name: samltest.RoleSessionNameAttribute, Values: []string{"mallory"}},
	}
	evilXML := assertionOf(gen(evil, samltest.SignNone))
	goodXML := assertionOf(signedA)
	put("xsw-evil-first.xml", strings.Replace(signedA, goodXML, evilXML+goodXML, 1), "ErrMalformed")
	put("xsw-evil-last.xml", strings.Replace(signedA, goodXML, goodXML+evilXML, 1), "ErrMalformed")
	put("xsw-signed-in-extensions.xml", strings.Replace(signedA, goodXML,
		`<samlp:Extensions>`+goodXML+`</samlp:Extensions>`+evilXML, 1), "ErrMalformed")
	put("xsw-evil-inside-signed.xml", strings.Replace(signedA, "</saml:Subject>", "</saml:Subject>"+evilXML, 1), "ErrMalformed")
	// The response signature's reference moved to the evil assertion's ID.
	put("xsw-reference-retargeted.xml", strings.Replace(strings.Replace(signedR, `URI="#_r1"`, `URI="#_evil"`, 1), goodXML, evilXML, 1), "ErrSignature")
	// Duplicate IDs: the evil assertion takes the signed one's ID.
	dupe := strings.Replace(evilXML, `ID="_evil"`, `ID="_a1"`, 1)
	put("xsw-duplicate-id.xml", strings.Replace(signedA, goodXML, goodXML+dupe, 1), "ErrMalformed")
	put("doctype-entities.xml", strings.Replace(signedA, "?>", `?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`, 1), "ErrMalformed")

	b, err := json.MarshalIndent(expect, "", "  ")
	check(err)
	write("expect.json", append(b, '\n'))
}

// assertionOf returns the <saml:Assertion ...>...</saml:Assertion> text.
func assertionOf(doc string) string {
	i := strings.Index(doc, "<saml:Assertion")
	j := strings.Index(doc, "</saml:Assertion>") + len("</saml:Assertion>")
	return doc[i:j]
}

func write(name string, b []byte) { check(os.WriteFile(filepath.Join(dir, name), b, 0o644)) }

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
