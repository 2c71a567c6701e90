package saml

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"
)

// XML namespaces of SAML 2.0 and XML Signature.
const (
	nsMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsDSig      = "http://www.w3.org/2000/09/xmldsig#"
)

// MaxMetadataSize bounds a metadata document (botocore's limit for
// SAMLMetadataDocument is 10,000,000 characters).
const MaxMetadataSize = 10_000_000

// ErrMetadata is returned for a metadata document that cannot be used.
var ErrMetadata = errors.New("saml: invalid metadata")

// Metadata is what an IdP metadata document tells a relying party.
type Metadata struct {
	// EntityID is the IdP's entity id: the Issuer of its responses.
	EntityID string
	// Certificates are the IdP's signing certificates (KeyDescriptors with
	// use="signing" or without use), in document order, without duplicates.
	Certificates []*x509.Certificate
	// ValidUntil is the document's validUntil, or zero.
	ValidUntil time.Time
}

type mdEntity struct {
	XMLName    xml.Name `xml:"urn:oasis:names:tc:SAML:2.0:metadata EntityDescriptor"`
	EntityID   string   `xml:"entityID,attr"`
	ValidUntil string   `xml:"validUntil,attr"`
	IDP        []struct {
		Protocols string `xml:"protocolSupportEnumeration,attr"`
		Keys      []struct {
			Use   string   `xml:"use,attr"`
			Certs []string `xml:"http://www.w3.org/2000/09/xmldsig# KeyInfo>X509Data>X509Certificate"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:metadata KeyDescriptor"`
	} `xml:"urn:oasis:names:tc:SAML:2.0:metadata IDPSSODescriptor"`
}

// ParseMetadata parses an IdP metadata document: an EntityDescriptor with
// an entityID and one IDPSSODescriptor supporting SAML 2.0 that holds at
// least one signing certificate. Documents with a DTD, entities, or
// markup encoding/xml would not round-trip are refused. Certificates are
// not checked for expiry here (that happens when a signature is verified).
func ParseMetadata(doc []byte) (*Metadata, error) {
	if len(doc) > MaxMetadataSize {
		return nil, fmt.Errorf("%w: document too large", ErrMetadata)
	}
	if err := checkMarkup(doc, true); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMetadata, err)
	}
	var ed mdEntity
	if err := strictUnmarshal(doc, &ed); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMetadata, err)
	}
	if strings.TrimSpace(ed.EntityID) == "" || ed.EntityID != strings.TrimSpace(ed.EntityID) || len(ed.EntityID) > 1024 {
		return nil, fmt.Errorf("%w: missing or bad entityID", ErrMetadata)
	}
	if len(ed.IDP) != 1 {
		return nil, fmt.Errorf("%w: want exactly one IDPSSODescriptor, found %d", ErrMetadata, len(ed.IDP))
	}
	idp := ed.IDP[0]
	if !strings.Contains(idp.Protocols, "urn:oasis:names:tc:SAML:2.0:protocol") {
		return nil, fmt.Errorf("%w: IDPSSODescriptor does not support SAML 2.0", ErrMetadata)
	}
	md := &Metadata{EntityID: ed.EntityID}
	for _, k := range idp.Keys {
		if k.Use != "" && k.Use != "signing" {
			continue
		}
		for _, c := range k.Certs {
			der, err := base64.StdEncoding.DecodeString(stripSpace(c))
			if err != nil {
				return nil, fmt.Errorf("%w: certificate is not base64", ErrMetadata)
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("%w: certificate: %w", ErrMetadata, err)
			}
			dup := false
			for _, have := range md.Certificates {
				dup = dup || have.Equal(cert)
			}
			if !dup {
				md.Certificates = append(md.Certificates, cert)
			}
		}
	}
	if len(md.Certificates) == 0 {
		return nil, fmt.Errorf("%w: no signing certificate", ErrMetadata)
	}
	if ed.ValidUntil != "" {
		t, err := parseTime(ed.ValidUntil)
		if err != nil {
			return nil, fmt.Errorf("%w: validUntil: %w", ErrMetadata, err)
		}
		md.ValidUntil = t
	}
	return md, nil
}

// strictUnmarshal decodes one XML document into v, refusing unknown
// entities and trailing content.
func strictUnmarshal(doc []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	if err := d.Decode(v); err != nil {
		return err
	}
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errors.New("content after the root element")
			}
		default:
			return errors.New("content after the root element")
		}
	}
}

// stripSpace removes XML whitespace (base64 in XML is often wrapped).
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

// parseTime parses an xs:dateTime that carries a time zone (SAML requires
// UTC; an explicit offset is accepted and converted).
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q", s)
	}
	return t.UTC(), nil
}
