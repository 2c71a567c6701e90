package saml

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// Limits and defaults.
const (
	// MaxResponseSize bounds the decoded response (botocore limits
	// SAMLAssertion to 100,000 base64 characters).
	MaxResponseSize = 100_000
	// DefaultSkew is the clock skew allowed on every time check.
	DefaultSkew = time.Minute
	// RedeemWithin is how long after its IssueInstant an assertion can be
	// redeemed (AWS: "Token must be redeemed within 5 minutes of issuance").
	RedeemWithin = 5 * time.Minute
)

// Errors, to be told apart with errors.Is. Each returned error wraps one
// of them with a detail for logs.
var (
	ErrMalformed     = errors.New("saml: malformed response")
	ErrSignature     = errors.New("saml: signature invalid")
	ErrUnsupported   = errors.New("saml: unsupported response")
	ErrStatus        = errors.New("saml: response status is not success")
	ErrIssuer        = errors.New("saml: issuer does not match the provider")
	ErrAudience      = errors.New("saml: audience does not match")
	ErrRecipient     = errors.New("saml: recipient or destination does not match")
	ErrExpired       = errors.New("saml: assertion expired")
	ErrRedeemWindow  = errors.New("saml: assertion issued too long ago")
	ErrNotYetValid   = errors.New("saml: assertion not yet valid")
	ErrSubject       = errors.New("saml: unusable subject")
	ErrAttribute     = errors.New("saml: unusable attribute")
	ErrReplay        = errors.New("saml: assertion already used")
	ErrNoCertificate = errors.New("saml: no certificate")
)

// Options tell Verify what to accept.
type Options struct {
	// Certificates are the IdP's signing certificates.
	Certificates []*x509.Certificate
	// Issuer is the IdP's entity id; the assertion's Issuer (and the
	// response's, when present) must equal it.
	Issuer string
	// Audiences are accepted Audience values: every AudienceRestriction
	// must name one of them.
	Audiences []string
	// Recipients are accepted endpoint URLs: the bearer
	// SubjectConfirmationData Recipient, and the response Destination when
	// present, must be among them.
	Recipients []string
	// Now is the time of the check.
	Now time.Time
	// Skew is the allowed clock skew (DefaultSkew when zero).
	Skew time.Duration
	// CertTime is when the signing certificate must be valid (Now when
	// zero).
	CertTime time.Time
}

// Assertion is what a verified response asserts.
type Assertion struct {
	// ID is the assertion's ID (for replay detection).
	ID string
	// Issuer is the IdP's entity id.
	Issuer string
	// NameID is the subject's name identifier, and NameIDFormat its Format
	// attribute ("" when absent).
	NameID       string
	NameIDFormat string
	// Recipient is the matched SubjectConfirmationData Recipient.
	Recipient string
	// Audiences are the assertion's Audience values.
	Audiences []string
	// IssueInstant is the assertion's issue time.
	IssueInstant time.Time
	// NotOnOrAfter is the end of the assertion's validity: the earliest of
	// the Conditions and bearer confirmation NotOnOrAfter.
	NotOnOrAfter time.Time
	// SessionNotOnOrAfter is the AuthnStatement's SessionNotOnOrAfter, or
	// zero.
	SessionNotOnOrAfter time.Time
	// Attributes maps attribute Name to its text values, in order.
	Attributes map[string][]string
}

// DecodeResponse decodes the base64 SAMLResponse form value (whitespace,
// as browsers send it wrapped, is ignored).
func DecodeResponse(s string) ([]byte, error) {
	if len(s) > MaxResponseSize*4/3+4096 {
		return nil, fmt.Errorf("%w: too large", ErrMalformed)
	}
	raw, err := base64.StdEncoding.DecodeString(stripSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: not base64", ErrMalformed)
	}
	if len(raw) > MaxResponseSize {
		return nil, fmt.Errorf("%w: too large", ErrMalformed)
	}
	return raw, nil
}

// parsed is a response after the structural checks, before signatures.
type parsed struct {
	doc       *etree.Document
	root      *etree.Element
	assertion *etree.Element
	actx      etreeutils.NSContext
}

// parseResponse parses a decoded response and applies every check that
// does not need a key: markup, the Response root, exactly one Assertion in
// the whole document (a child of the Response), no encrypted parts, unique
// IDs.
func parseResponse(raw []byte) (*parsed, error) {
	if err := checkMarkup(raw, false); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "Response" || root.NamespaceURI() != nsProtocol {
		return nil, fmt.Errorf("%w: root is not a SAML 2.0 protocol Response", ErrMalformed)
	}
	if root.SelectAttrValue("Version", "") != "2.0" {
		return nil, fmt.Errorf("%w: Version is not 2.0", ErrMalformed)
	}
	ids := map[string]bool{}
	var walkErr error
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, a := range el.Attr {
			if a.Space == "" && a.Key == "ID" {
				if ids[a.Value] && walkErr == nil {
					walkErr = fmt.Errorf("%w: duplicate ID %q", ErrMalformed, a.Value)
				}
				ids[a.Value] = true
			}
		}
		if ns := el.NamespaceURI(); ns == nsAssertion && (el.Tag == "EncryptedAssertion" || el.Tag == "EncryptedID" || el.Tag == "EncryptedAttribute") {
			if walkErr == nil {
				walkErr = fmt.Errorf("%w: encrypted assertions are not supported", ErrUnsupported)
			}
		}
		for _, c := range el.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	if walkErr != nil {
		return nil, walkErr
	}
	p := &parsed{doc: doc, root: root}
	n := 0
	err := etreeutils.NSFindIterate(root, nsAssertion, "Assertion", func(ctx etreeutils.NSContext, el *etree.Element) error {
		n++
		p.assertion, p.actx = el, ctx
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if n != 1 {
		return nil, fmt.Errorf("%w: want exactly one Assertion, found %d", ErrMalformed, n)
	}
	if p.assertion.Parent() != root {
		return nil, fmt.Errorf("%w: the Assertion is not a child of the Response", ErrMalformed)
	}
	return p, nil
}

// Verify decodes and verifies a base64 SAMLResponse and returns its
// assertion. The Response or the Assertion (or both) must be signed by one
// of opts.Certificates; a signature on the Assertion is verified whenever
// present. Values are read from the verified element only.
func Verify(samlResponse string, opts Options) (*Assertion, error) {
	raw, err := DecodeResponse(samlResponse)
	if err != nil {
		return nil, err
	}
	return VerifyXML(raw, opts)
}

// VerifyXML is Verify for a decoded response.
func VerifyXML(raw []byte, opts Options) (*Assertion, error) {
	if len(opts.Certificates) == 0 {
		return nil, ErrNoCertificate
	}
	if opts.Skew == 0 {
		opts.Skew = DefaultSkew
	}
	p, err := parseResponse(raw)
	if err != nil {
		return nil, err
	}

	// The response: signed (then everything is read from the verified
	// copy) or not (then the assertion must be signed).
	resp := p.root
	// Only a Signature that is a direct child of the Response is taken as
	// the Response's signature.
	var verifiedResp *etree.Element
	err = dsig.ErrMissingSignature
	if hasSignatureChild(p.root) {
		verifiedResp, err = validate(p.root, opts)
	}
	var assertion *etree.Element
	switch {
	case err == nil:
		resp = verifiedResp
		var actx etreeutils.NSContext
		n := 0
		err := etreeutils.NSFindIterate(resp, nsAssertion, "Assertion", func(ctx etreeutils.NSContext, el *etree.Element) error {
			n++
			assertion, actx = el, ctx
			return nil
		})
		if err != nil || n != 1 || assertion.Parent() != resp {
			return nil, fmt.Errorf("%w: signed response does not hold exactly one Assertion", ErrSignature)
		}
		detached, err := etreeutils.NSDetatch(actx, assertion)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		assertion = detached
		if hasSignatureChild(assertion) {
			va, err := validate(assertion, opts)
			if err != nil {
				return nil, fmt.Errorf("%w: assertion: %w", ErrSignature, err)
			}
			assertion = va
		}
	case errors.Is(err, dsig.ErrMissingSignature):
		detached, err := etreeutils.NSDetatch(p.actx, p.assertion)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		va, err := validate(detached, opts)
		if errors.Is(err, dsig.ErrMissingSignature) {
			return nil, fmt.Errorf("%w: neither the response nor the assertion is signed", ErrSignature)
		} else if err != nil {
			return nil, fmt.Errorf("%w: assertion: %w", ErrSignature, err)
		}
		assertion = va
	default:
		return nil, fmt.Errorf("%w: response: %w", ErrSignature, err)
	}
	if assertion.Tag != "Assertion" || assertion.NamespaceURI() != nsAssertion {
		return nil, fmt.Errorf("%w: signed element is not an Assertion", ErrSignature)
	}

	if err := checkResponse(resp, opts); err != nil {
		return nil, err
	}
	return readAssertion(assertion, opts)
}

// hasSignatureChild reports whether el has a direct ds:Signature child.
func hasSignatureChild(el *etree.Element) bool {
	for _, c := range el.ChildElements() {
		if c.Tag == "Signature" && c.NamespaceURI() == nsDSig {
			return true
		}
	}
	return false
}

// validate verifies the enveloped signature of el and returns the signed
// element as canonicalised by the verifier. Trust comes only from
// opts.Certificates: when the signature names no usable certificate in its
// KeyInfo (none, or only an RSAKeyValue), or names one the provider does
// not have while it has several, KeyInfo is set aside and each trusted
// certificate is tried in turn.
func validate(el *etree.Element, opts Options) (*etree.Element, error) {
	at := opts.CertTime
	if at.IsZero() {
		at = opts.Now
	}
	clock := dsig.NewFakeClockAt(at)
	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: opts.Certificates})
	ctx.Clock = clock
	out, err := ctx.Validate(el)
	if err == nil || errors.Is(err, dsig.ErrMissingSignature) {
		return out, err
	}
	bare := el.Copy()
	for _, sig := range childElements(bare, nsDSig, "Signature") {
		for _, ki := range childElements(sig, nsDSig, "KeyInfo") {
			sig.RemoveChild(ki)
		}
	}
	for _, c := range opts.Certificates {
		one := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{c}})
		one.Clock = clock
		if out, e := one.Validate(bare); e == nil {
			return out, nil
		}
	}
	return nil, err
}

// checkResponse checks the Response's own fields: status, issuer,
// destination.
func checkResponse(resp *etree.Element, opts Options) error {
	status := ""
	for _, s := range childElements(resp, nsProtocol, "Status") {
		for _, c := range childElements(s, nsProtocol, "StatusCode") {
			status = c.SelectAttrValue("Value", "")
		}
	}
	if status != "urn:oasis:names:tc:SAML:2.0:status:Success" {
		return fmt.Errorf("%w: %q", ErrStatus, status)
	}
	issuers := childElements(resp, nsAssertion, "Issuer")
	if len(issuers) > 1 {
		return fmt.Errorf("%w: several response Issuers", ErrMalformed)
	}
	if len(issuers) == 1 {
		v, err := textOnly(issuers[0])
		if err != nil {
			return err
		}
		if v != opts.Issuer {
			return fmt.Errorf("%w: response issuer %q", ErrIssuer, v)
		}
	}
	if d := resp.SelectAttr("Destination"); d != nil && !slices.Contains(opts.Recipients, d.Value) {
		return fmt.Errorf("%w: destination %q", ErrRecipient, d.Value)
	}
	return nil
}

// childElements returns el's direct children with the given namespace and
// local name.
func childElements(el *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// one returns the single child element with the given name, nil when
// absent, and an error when there are several.
func one(el *etree.Element, ns, tag string) (*etree.Element, error) {
	cs := childElements(el, ns, tag)
	switch len(cs) {
	case 0:
		return nil, nil
	case 1:
		return cs[0], nil
	}
	return nil, fmt.Errorf("%w: several %s elements", ErrMalformed, tag)
}

// textOnly returns the text of an element that must hold text only: all
// of its character data (so a comment or split text node cannot truncate
// it), refusing child elements. Surrounding whitespace is trimmed.
func textOnly(el *etree.Element) (string, error) {
	var b strings.Builder
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.CharData:
			b.WriteString(t.Data)
		case *etree.Element:
			return "", fmt.Errorf("%w: element inside %s", ErrMalformed, el.Tag)
		case *etree.Comment, *etree.ProcInst, *etree.Directive:
			return "", fmt.Errorf("%w: markup inside %s", ErrMalformed, el.Tag)
		}
	}
	return strings.TrimSpace(b.String()), nil
}

// readAssertion reads and checks a verified Assertion.
func readAssertion(el *etree.Element, opts Options) (*Assertion, error) {
	now := opts.Now
	a := &Assertion{ID: el.SelectAttrValue("ID", ""), Attributes: map[string][]string{}}
	if a.ID == "" {
		return nil, fmt.Errorf("%w: Assertion has no ID", ErrMalformed)
	}
	if el.SelectAttrValue("Version", "") != "2.0" {
		return nil, fmt.Errorf("%w: Assertion Version is not 2.0", ErrMalformed)
	}
	var err error
	if a.IssueInstant, err = parseTime(el.SelectAttrValue("IssueInstant", "")); err != nil {
		return nil, fmt.Errorf("%w: IssueInstant: %w", ErrMalformed, err)
	}
	if a.IssueInstant.After(now.Add(opts.Skew)) {
		return nil, fmt.Errorf("%w: issued in the future", ErrNotYetValid)
	}
	if now.After(a.IssueInstant.Add(RedeemWithin + opts.Skew)) {
		return nil, ErrRedeemWindow
	}

	// Issuer.
	iss, err := one(el, nsAssertion, "Issuer")
	if err != nil {
		return nil, err
	}
	if iss == nil {
		return nil, fmt.Errorf("%w: Assertion has no Issuer", ErrIssuer)
	}
	if a.Issuer, err = textOnly(iss); err != nil {
		return nil, err
	}
	if a.Issuer != opts.Issuer {
		return nil, fmt.Errorf("%w: %q", ErrIssuer, a.Issuer)
	}

	// Conditions: time window and audience.
	cond, err := one(el, nsAssertion, "Conditions")
	if err != nil {
		return nil, err
	}
	if cond == nil {
		return nil, fmt.Errorf("%w: Assertion has no Conditions", ErrMalformed)
	}
	if v := cond.SelectAttrValue("NotBefore", ""); v != "" {
		t, err := parseTime(v)
		if err != nil {
			return nil, fmt.Errorf("%w: Conditions NotBefore: %w", ErrMalformed, err)
		}
		if now.Add(opts.Skew).Before(t) {
			return nil, fmt.Errorf("%w: Conditions NotBefore %s", ErrNotYetValid, v)
		}
	}
	if v := cond.SelectAttrValue("NotOnOrAfter", ""); v != "" {
		t, err := parseTime(v)
		if err != nil {
			return nil, fmt.Errorf("%w: Conditions NotOnOrAfter: %w", ErrMalformed, err)
		}
		if !now.Add(-opts.Skew).Before(t) {
			return nil, fmt.Errorf("%w: Conditions NotOnOrAfter %s", ErrExpired, v)
		}
		a.NotOnOrAfter = t
	}
	restrictions := childElements(cond, nsAssertion, "AudienceRestriction")
	if len(restrictions) == 0 {
		return nil, fmt.Errorf("%w: no AudienceRestriction", ErrAudience)
	}
	for _, r := range restrictions {
		ok := false
		for _, au := range childElements(r, nsAssertion, "Audience") {
			v, err := textOnly(au)
			if err != nil {
				return nil, err
			}
			a.Audiences = append(a.Audiences, v)
			ok = ok || slices.Contains(opts.Audiences, v)
		}
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrAudience, a.Audiences)
		}
	}

	// Subject: NameID and a usable bearer confirmation.
	subj, err := one(el, nsAssertion, "Subject")
	if err != nil {
		return nil, err
	}
	if subj == nil {
		return nil, fmt.Errorf("%w: no Subject", ErrSubject)
	}
	nid, err := one(subj, nsAssertion, "NameID")
	if err != nil {
		return nil, err
	}
	if nid == nil {
		return nil, fmt.Errorf("%w: no NameID", ErrSubject)
	}
	if a.NameID, err = textOnly(nid); err != nil {
		return nil, err
	}
	if a.NameID == "" {
		return nil, fmt.Errorf("%w: empty NameID", ErrSubject)
	}
	a.NameIDFormat = nid.SelectAttrValue("Format", "")
	var confErr error = fmt.Errorf("%w: no bearer SubjectConfirmation", ErrSubject)
	for _, sc := range childElements(subj, nsAssertion, "SubjectConfirmation") {
		if sc.SelectAttrValue("Method", "") != "urn:oasis:names:tc:SAML:2.0:cm:bearer" {
			continue
		}
		data, err := one(sc, nsAssertion, "SubjectConfirmationData")
		if err != nil {
			return nil, err
		}
		if data == nil {
			confErr = fmt.Errorf("%w: bearer confirmation without SubjectConfirmationData", ErrSubject)
			continue
		}
		t, err := checkConfirmation(data, opts)
		if err != nil {
			confErr = err
			continue
		}
		a.Recipient = data.SelectAttrValue("Recipient", "")
		if a.NotOnOrAfter.IsZero() || t.Before(a.NotOnOrAfter) {
			a.NotOnOrAfter = t
		}
		confErr = nil
		break
	}
	if confErr != nil {
		return nil, confErr
	}

	// AuthnStatement's session end.
	for _, as := range childElements(el, nsAssertion, "AuthnStatement") {
		if v := as.SelectAttrValue("SessionNotOnOrAfter", ""); v != "" {
			t, err := parseTime(v)
			if err != nil {
				return nil, fmt.Errorf("%w: SessionNotOnOrAfter: %w", ErrMalformed, err)
			}
			if a.SessionNotOnOrAfter.IsZero() || t.Before(a.SessionNotOnOrAfter) {
				a.SessionNotOnOrAfter = t
			}
		}
	}

	// Attributes: names unique; values are text (values holding elements,
	// e.g. a NameID inside eduPersonTargetedID, are skipped).
	for _, st := range childElements(el, nsAssertion, "AttributeStatement") {
		for _, at := range childElements(st, nsAssertion, "Attribute") {
			name := at.SelectAttrValue("Name", "")
			if name == "" {
				return nil, fmt.Errorf("%w: Attribute without Name", ErrAttribute)
			}
			if _, dup := a.Attributes[name]; dup {
				return nil, fmt.Errorf("%w: duplicate attribute %q", ErrAttribute, name)
			}
			vals := []string{}
			for _, v := range childElements(at, nsAssertion, "AttributeValue") {
				if len(v.ChildElements()) > 0 {
					continue
				}
				s, err := textOnly(v)
				if err != nil {
					return nil, err
				}
				vals = append(vals, s)
			}
			a.Attributes[name] = vals
		}
	}
	return a, nil
}

// checkConfirmation checks a bearer SubjectConfirmationData and returns
// its NotOnOrAfter.
func checkConfirmation(data *etree.Element, opts Options) (time.Time, error) {
	now := opts.Now
	if r := data.SelectAttrValue("Recipient", ""); !slices.Contains(opts.Recipients, r) {
		return time.Time{}, fmt.Errorf("%w: recipient %q", ErrRecipient, r)
	}
	if v := data.SelectAttrValue("NotBefore", ""); v != "" {
		t, err := parseTime(v)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: SubjectConfirmationData NotBefore: %w", ErrMalformed, err)
		}
		if now.Add(opts.Skew).Before(t) {
			return time.Time{}, fmt.Errorf("%w: SubjectConfirmationData NotBefore %s", ErrNotYetValid, v)
		}
	}
	v := data.SelectAttrValue("NotOnOrAfter", "")
	if v == "" {
		return time.Time{}, fmt.Errorf("%w: SubjectConfirmationData without NotOnOrAfter", ErrSubject)
	}
	t, err := parseTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: SubjectConfirmationData NotOnOrAfter: %w", ErrMalformed, err)
	}
	if !now.Add(-opts.Skew).Before(t) {
		return time.Time{}, fmt.Errorf("%w: SubjectConfirmationData NotOnOrAfter %s", ErrExpired, v)
	}
	return t, nil
}
