// Package samltest is a SAML 2.0 identity provider for tests: it holds an
// RSA key and a self-signed certificate, writes its metadata document, and
// builds Responses signed (with goxmldsig, exclusive c14n, RSA-SHA256) on
// the Assertion, the Response, both or neither. It is test support;
// production code must not import it.
package samltest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Namespaces and well-known values.
const (
	NSProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	NSAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	// AWSAudience is the SAML endpoint of AWS sign-in.
	AWSAudience = "https://signin.aws.amazon.com/saml"
	// RoleAttribute and friends are AWS's attribute names.
	RoleAttribute            = "https://aws.amazon.com/SAML/Attributes/Role"
	RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	PersistentFormat         = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
)

// IdP is a test identity provider.
type IdP struct {
	EntityID string
	Key      *rsa.PrivateKey
	Cert     *x509.Certificate
}

// New returns an IdP with a fresh 2,048-bit key and a certificate valid
// from a day ago for ten years.
func New(entityID string) (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "samltest IdP"},
		NotBefore:    time.Now().Add(-24 * time.Hour),
		NotAfter:     time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &IdP{EntityID: entityID, Key: key, Cert: cert}, nil
}

// FromPEM returns an IdP from a PKCS#1 or PKCS#8 RSA key and a
// certificate in PEM.
func FromPEM(entityID string, keyPEM, certPEM []byte) (*IdP, error) {
	kb, _ := pem.Decode(keyPEM)
	cb, _ := pem.Decode(certPEM)
	if kb == nil || cb == nil {
		return nil, errors.New("samltest: bad PEM")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(kb.Bytes); err == nil {
		key = k
	} else if k, err := x509.ParsePKCS8PrivateKey(kb.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("samltest: not an RSA key")
		}
		key = rk
	} else {
		return nil, err
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, err
	}
	return &IdP{EntityID: entityID, Key: key, Cert: cert}, nil
}

// KeyPEM and CertPEM encode the IdP's key and certificate.
func (i *IdP) KeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(i.Key)})
}

// CertPEM encodes the IdP's certificate.
func (i *IdP) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.Cert.Raw})
}

// Metadata returns the IdP's metadata document (it must be at least 1,000
// characters for IAM, which the certificate alone makes it).
func (i *IdP) Metadata() string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + escape(i.EntityID) + `">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>` + base64.StdEncoding.EncodeToString(i.Cert.Raw) + `</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
}

func escape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

// Attr is one SAML attribute.
type Attr struct {
	Name   string
	Values []string
}

// Assertion describes the response to build. Zero times default from
// IssueInstant (which defaults to now): validity five minutes.
type Assertion struct {
	ID, ResponseID string
	IssueInstant   time.Time
	// Issuer defaults to the IdP's entity id.
	Issuer       string
	NameID       string
	NameIDFormat string
	// Recipient and Destination default to AWSAudience; Audiences too.
	Recipient, Destination string
	Audiences              []string
	NotBefore              time.Time
	NotOnOrAfter           time.Time
	SessionNotOnOrAfter    time.Time
	Attributes             []Attr
}

// Sign says which elements to sign.
type Sign int

// Signing modes.
const (
	SignAssertion Sign = 1 << iota
	SignResponse
	SignBoth = SignAssertion | SignResponse
	SignNone = Sign(0)
)

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("_%x", b)
}

func xsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Build fills the defaults of a (times, ids, endpoints).
func (i *IdP) Build(a Assertion) Assertion {
	if a.IssueInstant.IsZero() {
		a.IssueInstant = time.Now().UTC()
	}
	if a.ID == "" {
		a.ID = randomID()
	}
	if a.ResponseID == "" {
		a.ResponseID = randomID()
	}
	if a.Issuer == "" {
		a.Issuer = i.EntityID
	}
	if a.Recipient == "" {
		a.Recipient = AWSAudience
	}
	if a.Destination == "" {
		a.Destination = a.Recipient
	}
	if a.Audiences == nil {
		a.Audiences = []string{AWSAudience}
	}
	if a.NotBefore.IsZero() {
		a.NotBefore = a.IssueInstant.Add(-time.Minute)
	}
	if a.NotOnOrAfter.IsZero() {
		a.NotOnOrAfter = a.IssueInstant.Add(5 * time.Minute)
	}
	if a.NameIDFormat == "" {
		a.NameIDFormat = PersistentFormat
	}
	return a
}

// AssertionElement builds the unsigned Assertion element.
func (i *IdP) AssertionElement(a Assertion) *etree.Element {
	a = i.Build(a)
	as := etree.NewElement("saml:Assertion")
	as.CreateAttr("xmlns:saml", NSAssertion)
	as.CreateAttr("ID", a.ID)
	as.CreateAttr("Version", "2.0")
	as.CreateAttr("IssueInstant", xsTime(a.IssueInstant))
	as.CreateElement("saml:Issuer").SetText(a.Issuer)
	subj := as.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", a.NameIDFormat)
	nid.SetText(a.NameID)
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", xsTime(a.NotOnOrAfter))
	scd.CreateAttr("Recipient", a.Recipient)
	cond := as.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", xsTime(a.NotBefore))
	cond.CreateAttr("NotOnOrAfter", xsTime(a.NotOnOrAfter))
	ar := cond.CreateElement("saml:AudienceRestriction")
	for _, au := range a.Audiences {
		ar.CreateElement("saml:Audience").SetText(au)
	}
	authn := as.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", xsTime(a.IssueInstant))
	authn.CreateAttr("SessionIndex", a.ID)
	if !a.SessionNotOnOrAfter.IsZero() {
		authn.CreateAttr("SessionNotOnOrAfter", xsTime(a.SessionNotOnOrAfter))
	}
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	if len(a.Attributes) > 0 {
		st := as.CreateElement("saml:AttributeStatement")
		for _, at := range a.Attributes {
			e := st.CreateElement("saml:Attribute")
			e.CreateAttr("Name", at.Name)
			for _, v := range at.Values {
				e.CreateElement("saml:AttributeValue").SetText(v)
			}
		}
	}
	return as
}

// sign returns el with an enveloped signature placed after its Issuer.
func (i *IdP) sign(el *etree.Element) (*etree.Element, error) {
	ctx, err := dsig.NewSigningContext(i.Key, [][]byte{i.Cert.Raw})
	if err != nil {
		return nil, err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		return nil, err
	}
	out := el.Copy()
	pos := 0
	for n, c := range out.Child {
		if e, ok := c.(*etree.Element); ok && e.Tag == "Issuer" {
			pos = n + 1
			break
		}
	}
	out.InsertChildAt(pos, sig)
	return out, nil
}

// ResponseXML builds a Response around a, signed as mode says.
func (i *IdP) ResponseXML(a Assertion, mode Sign) ([]byte, error) {
	a = i.Build(a)
	as := i.AssertionElement(a)
	var err error
	if mode&SignAssertion != 0 {
		if as, err = i.sign(as); err != nil {
			return nil, err
		}
	}
	resp := etree.NewElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", NSProtocol)
	resp.CreateAttr("xmlns:saml", NSAssertion)
	resp.CreateAttr("ID", a.ResponseID)
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", xsTime(a.IssueInstant))
	resp.CreateAttr("Destination", a.Destination)
	resp.CreateElement("saml:Issuer").SetText(a.Issuer)
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")
	resp.AddChild(as)
	if mode&SignResponse != 0 {
		if resp, err = i.sign(resp); err != nil {
			return nil, err
		}
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(resp)
	return doc.WriteToBytes()
}

// Response is ResponseXML, base64-encoded as the SAMLResponse form value.
func (i *IdP) Response(a Assertion, mode Sign) (string, error) {
	b, err := i.ResponseXML(a, mode)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
