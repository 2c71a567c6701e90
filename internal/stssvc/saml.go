package stssvc

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/federation/saml"
	"github.com/iamd/iamd/internal/identity"
)

// SAML endpoints and attribute names AWS defines.
const (
	// AWSSAMLEndpoint is AWS sign-in's SAML endpoint: the Audience and
	// Recipient AWS accepts.
	AWSSAMLEndpoint = "https://signin.aws.amazon.com/saml"
	// awsSAMLAudienceURN is the other audience AWS accepts.
	awsSAMLAudienceURN = "urn:amazon:webservices"

	samlAttrPrefix          = "https://aws.amazon.com/SAML/Attributes/"
	samlAttrRole            = samlAttrPrefix + "Role"
	samlAttrRoleSessionName = samlAttrPrefix + "RoleSessionName"
	samlAttrSourceIdentity  = samlAttrPrefix + "SourceIdentity"
	samlAttrTransitive      = samlAttrPrefix + "TransitiveTagKeys"
	samlAttrPrincipalTag    = samlAttrPrefix + "PrincipalTag:"
)

// samlAttributeKeys maps the attribute names (OIDs) AWS turns into SAML:*
// condition keys in trust policies.
var samlAttributeKeys = map[string][]string{
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":  {"SAML:edupersonaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.2":  {"SAML:edupersonnickname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.3":  {"SAML:edupersonorgdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.4":  {"SAML:edupersonorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.5":  {"SAML:edupersonprimaryaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.6":  {"SAML:edupersonprincipalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.7":  {"SAML:edupersonentitlement"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.8":  {"SAML:edupersonprimaryorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.9":  {"SAML:edupersonscopedaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.10": {"SAML:edupersontargetedid"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.11": {"SAML:edupersonassurance"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.2":  {"SAML:eduorghomepageuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.3":  {"SAML:eduorgidentityauthnpolicyuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.4":  {"SAML:eduorglegalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.5":  {"SAML:eduorgsuperioruri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.6":  {"SAML:eduorgwhitepagesuri"},
	"urn:oid:2.5.4.3":                   {"SAML:cn", "SAML:commonName"},
	"urn:oid:2.5.4.4":                   {"SAML:surname"},
	"urn:oid:2.5.4.41":                  {"SAML:name"},
	"urn:oid:2.5.4.42":                  {"SAML:givenName"},
	"urn:oid:2.5.4.45":                  {"SAML:x500UniqueIdentifier"},
	"urn:oid:0.9.2342.19200300.100.1.1": {"SAML:uid"},
	"urn:oid:0.9.2342.19200300.100.1.3": {"SAML:mail"},
}

// SAMLInput is the domain input of AssumeRoleWithSAML.
type SAMLInput struct {
	RoleARN         string
	PrincipalARN    string
	SAMLAssertion   string
	Policy          string
	PolicyARNs      []string
	DurationSeconds *int32
}

// SAMLOutput is what AssumeRoleWithSAML returns.
type SAMLOutput struct {
	Credentials
	AssumedRoleID    string
	AssumedRoleARN   string
	PackedPolicySize int32
	Subject          string
	SubjectType      string
	Issuer           string
	Audience         string
	NameQualifier    string
	SourceIdentity   string
}

func samlInvalid(msg string) error { return apierr.New("InvalidIdentityToken", msg) }

var (
	errSAMLDenied       = &apierr.Error{Code: "AccessDenied", Message: "Not authorized to perform sts:AssumeRoleWithSAML", Status: http.StatusForbidden}
	errSAMLNoProvider   = samlInvalid("Specified provider doesn't exist.")
	errSAMLSignature    = samlInvalid("Response signature invalid")
	errSAMLSessionName  = samlInvalid("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
	errSAMLNoRole       = samlInvalid("Missing Role attribute in AuthnResponse")
	errSAMLNoSession    = samlInvalid("RoleSessionName is required in AuthnResponse")
	errSAMLRedeemWindow = apierr.New("ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance")
)

var samlNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// SAMLEndpoints returns the Audience/Recipient values AssumeRoleWithSAML
// accepts: AWS's endpoint (and, as audience, urn:amazon:webservices) plus
// this server's own endpoint URLs.
func (s *Service) SAMLEndpoints() (audiences, recipients []string) {
	recipients = append([]string{AWSSAMLEndpoint}, s.samlEndpoints...)
	audiences = append([]string{AWSSAMLEndpoint, awsSAMLAudienceURN}, s.samlEndpoints...)
	return audiences, recipients
}

// samlError maps a verifier error to AWS's.
func samlError(err error) error {
	switch {
	case errors.Is(err, saml.ErrSignature), errors.Is(err, saml.ErrNoCertificate):
		return errSAMLSignature
	case errors.Is(err, saml.ErrRedeemWindow):
		return errSAMLRedeemWindow
	case errors.Is(err, saml.ErrExpired):
		return apierr.New("ExpiredTokenException", "The SAML assertion has expired.")
	case errors.Is(err, saml.ErrNotYetValid):
		return samlInvalid("The SAML assertion is not yet valid.")
	case errors.Is(err, saml.ErrIssuer):
		return samlInvalid("Issuer not present in specified provider")
	case errors.Is(err, saml.ErrAudience):
		return samlInvalid("SAML Assertion audience does not match the SAML endpoint.")
	case errors.Is(err, saml.ErrRecipient):
		return samlInvalid("SAML Assertion recipient or destination does not match the SAML endpoint.")
	case errors.Is(err, saml.ErrStatus):
		return apierr.New("IDPRejectedClaim", "The identity provider reported that authentication failed.")
	case errors.Is(err, saml.ErrUnsupported):
		return samlInvalid("Encrypted SAML assertions are not supported by this server.")
	case errors.Is(err, saml.ErrReplay):
		return samlInvalid("SAML Assertion has already been used.")
	}
	return samlInvalid("Invalid SAML response.")
}

// SubjectType returns the SubjectType of a NameID format, as AWS reports
// it and as SAML:sub_type: the SAML 2.0 nameid-format prefix is removed
// (persistent, transient, ...); no Format or SAML 1.1's unspecified is
// "unspecified"; any other format is returned unchanged.
func SubjectType(format string) string {
	switch {
	case format == "", format == "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified":
		return "unspecified"
	case strings.HasPrefix(format, "urn:oasis:names:tc:SAML:2.0:nameid-format:"):
		return strings.TrimPrefix(format, "urn:oasis:names:tc:SAML:2.0:nameid-format:")
	}
	return format
}

// NameQualifier is AWS's hash identifying the issuer within the account:
// BASE64(SHA1(issuer + account id + "/" + provider name)).
func NameQualifier(issuer, account, providerName string) string {
	h := sha1.Sum([]byte(issuer + account + "/" + providerName))
	return base64.StdEncoding.EncodeToString(h[:])
}

// roleAttributeAllows reports whether the Role attribute holds the pair
// (roleARN, providerARN), in either order.
func roleAttributeAllows(values []string, roleARN, providerARN string) bool {
	for _, v := range values {
		a, b, ok := strings.Cut(v, ",")
		if !ok {
			continue
		}
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		if (a == roleARN && b == providerARN) || (a == providerARN && b == roleARN) {
			return true
		}
	}
	return false
}

// samlTags reads the PrincipalTag:* and TransitiveTagKeys attributes.
func samlTags(attrs map[string][]string) ([]credential.SessionTag, []string, error) {
	var keys []string
	for name := range attrs {
		if strings.HasPrefix(name, samlAttrPrincipalTag) {
			keys = append(keys, name)
		}
	}
	sort.Strings(keys)
	if len(keys) > maxSessionTags {
		return nil, nil, apierr.New("PackedPolicyTooLarge", "Packed size of session policy and tags exceeds the limit.")
	}
	reject := func(msg string) error { return apierr.New("InvalidIdentityToken", msg) }
	seen := map[string]bool{}
	var tags []credential.SessionTag
	for _, name := range keys {
		k, v := strings.TrimPrefix(name, samlAttrPrincipalTag), attrs[name]
		if len(v) != 1 || k == "" || len(k) > 128 || len(v[0]) > 256 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, nil, reject("The PrincipalTag attribute " + k + " in AuthnResponse is invalid.")
		}
		if seen[strings.ToLower(k)] {
			return nil, nil, reject("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(k)] = true
		tags = append(tags, credential.SessionTag{Key: k, Value: v[0]})
	}
	transitive := attrs[samlAttrTransitive]
	for _, k := range transitive {
		if !seen[strings.ToLower(k)] {
			return nil, nil, reject("The specified transitive tag key must be included in the requested tags.")
		}
	}
	return tags, transitive, nil
}

// AssumeRoleWithSAML returns temporary credentials for a role session of a
// SAML identity. The request is unsigned: the SAML response is the
// credential. PrincipalArn must name a SAML provider; the response must be
// signed with one of its metadata's certificates, issued by its entity id,
// addressed to AWS's SAML endpoint (or this server's), within its validity
// window, and used once; its Role attribute must pair RoleArn with
// PrincipalArn; and the role's trust policy must allow
// sts:AssumeRoleWithSAML for the provider with the assertion's SAML:*
// condition keys.
func (s *Service) AssumeRoleWithSAML(ctx context.Context, in *SAMLInput) (*SAMLOutput, error) {
	if !validRoleARN(in.RoleARN) {
		return nil, apierr.ValidationError(in.RoleARN + " is invalid")
	}
	if len(in.PolicyARNs) > 0 {
		return nil, apierr.Newf("InvalidParameterValue", "PolicyArns (managed session policies) are not supported by this server yet.")
	}
	packed, err := packedSessionPolicy(in.Policy)
	if err != nil {
		return nil, err
	}
	prov, ok, err := s.iam.SAMLProviderByARN(ctx, in.PrincipalARN)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if !ok {
		return nil, errSAMLNoProvider
	}
	certs, err := prov.Certificates()
	if err != nil {
		return nil, apierr.Internal(err)
	}
	now := s.now()
	audiences, recipients := s.SAMLEndpoints()
	a, err := saml.Verify(in.SAMLAssertion, saml.Options{Certificates: certs, Issuer: prov.EntityID,
		Audiences: audiences, Recipients: recipients, Now: now})
	if err != nil {
		s.log.Debug("SAML response rejected", "provider", prov.ARN, "reason", err.Error())
		return nil, samlError(err)
	}
	roles, ok := a.Attributes[samlAttrRole]
	if !ok || len(roles) == 0 {
		return nil, errSAMLNoRole
	}
	names, ok := a.Attributes[samlAttrRoleSessionName]
	if !ok || len(names) == 0 {
		return nil, errSAMLNoSession
	}
	if len(names) != 1 || !samlNamePattern.MatchString(names[0]) {
		return nil, errSAMLSessionName
	}
	sessionName := names[0]
	var sourceIdentity string
	if v, ok := a.Attributes[samlAttrSourceIdentity]; ok {
		if len(v) != 1 || !sourceIdentityPattern.MatchString(v[0]) {
			return nil, samlInvalid("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
		}
		sourceIdentity = v[0]
	}
	tags, transitive, err := samlTags(a.Attributes)
	if err != nil {
		return nil, err
	}
	if n := int32(len(tags) * 100 / maxSessionTags); n > packed {
		packed = n
	}
	if !roleAttributeAllows(roles, in.RoleARN, in.PrincipalARN) {
		return nil, errSAMLDenied
	}

	ro, roleAccount, ok, err := s.iam.RoleByARN(ctx, in.RoleARN)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if !ok {
		return nil, errSAMLDenied
	}
	d := defaultRoleSession
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
		if d > time.Duration(ro.MaxSessionDuration)*time.Second {
			return nil, apierr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}
	// The session ends no later than the IdP's SessionNotOnOrAfter.
	if !a.SessionNotOnOrAfter.IsZero() {
		left := a.SessionNotOnOrAfter.Sub(now.UTC().Truncate(time.Second))
		if left <= 0 {
			return nil, apierr.New("ExpiredTokenException", "The SAML session (SessionNotOnOrAfter) has expired.")
		}
		d = min(d, left)
	}

	// The condition keys of the trust decision.
	provAccount := strings.SplitN(prov.ARN, ":", 6)[4]
	nameQualifier := NameQualifier(a.Issuer, provAccount, prov.Name)
	subType := SubjectType(a.NameIDFormat)
	keys := map[string][]string{
		"sts:RoleSessionName": {sessionName},
		"SAML:aud":            {a.Recipient},
		"SAML:iss":            {a.Issuer},
		"SAML:sub":            {a.NameID},
		"SAML:sub_type":       {subType},
		"SAML:namequalifier":  {nameQualifier},
		"SAML:doc":            {provAccount + "/" + prov.Name},
	}
	session := []credential.SessionTag{
		{Key: "SAML:aud", Value: a.Recipient}, {Key: "SAML:doc", Value: provAccount + "/" + prov.Name},
		{Key: "SAML:iss", Value: a.Issuer}, {Key: "SAML:namequalifier", Value: nameQualifier},
		{Key: "SAML:sub", Value: a.NameID}, {Key: "SAML:sub_type", Value: subType},
	}
	for name, vals := range a.Attributes {
		for _, k := range samlAttributeKeys[name] {
			if len(vals) > 0 {
				keys[k] = vals
			}
		}
	}
	if sourceIdentity != "" {
		keys["sts:SourceIdentity"] = []string{sourceIdentity}
	}
	if len(tags) > 0 {
		tk := make([]string, 0, len(tags))
		for _, t := range tags {
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tk = append(tk, t.Key)
		}
		keys["aws:TagKeys"] = tk
	}
	if len(transitive) > 0 {
		keys["sts:TransitiveTagKeys"] = transitive
	}
	if err := s.authorizeFederated(ctx, identity.SAMLUser, prov.ARN, ro, roleAccount, keys, "sts:AssumeRoleWithSAML", errSAMLDenied, len(tags) > 0, sourceIdentity != ""); err != nil {
		return nil, err
	}

	// The assertion is consumed only now, once everything else holds, so
	// that a refused attempt does not burn it.
	if err := s.samlReplay.Use(ctx, a.Issuer, a.ID, a.NotOnOrAfter, now); err != nil {
		if errors.Is(err, saml.ErrReplay) {
			return nil, samlError(err)
		}
		return nil, apierr.Internal(err)
	}

	sess := &credential.Session{
		Type: credential.SessionAssumedRole, Account: roleAccount, PrincipalARN: ro.ARN, PrincipalID: ro.RoleID,
		SessionName: sessionName, Tags: tags, TransitiveKeys: transitive, SourceIdentity: sourceIdentity,
		ChainDepth: 1, ProviderKeys: session,
	}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	cr, err := s.issue(sess, d)
	if err != nil {
		return nil, err
	}
	out := &SAMLOutput{
		Credentials:    *cr,
		AssumedRoleID:  ro.RoleID + ":" + sessionName,
		AssumedRoleARN: "arn:aws:sts::" + roleAccount + ":assumed-role/" + ro.RoleName + "/" + sessionName,
		Subject:        a.NameID,
		SubjectType:    subType,
		Issuer:         a.Issuer,
		Audience:       a.Recipient,
		NameQualifier:  nameQualifier,
		SourceIdentity: sourceIdentity,
	}
	if in.Policy != "" || len(tags) > 0 {
		out.PackedPolicySize = packed
	}
	return out, nil
}
