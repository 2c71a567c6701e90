package stssvc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/federation/oidc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/policy"
)

// WebIdentityInput is the domain input of AssumeRoleWithWebIdentity.
type WebIdentityInput struct {
	RoleARN          string
	RoleSessionName  string
	WebIdentityToken string
	// ProviderID is only meaningful for OAuth 2.0 access tokens of
	// built-in providers; it is ignored for OIDC ID tokens, as AWS does.
	ProviderID      string
	Policy          string
	PolicyARNs      []string
	DurationSeconds *int32
}

// WebIdentityOutput is what AssumeRoleWithWebIdentity returns.
type WebIdentityOutput struct {
	Credentials
	AssumedRoleID               string
	AssumedRoleARN              string
	PackedPolicySize            int32
	SubjectFromWebIdentityToken string
	Audience                    string
	Provider                    string
	SourceIdentity              string
}

// webIdentityClaimKeys are the claims AWS exposes as HOST/PATH:claim
// condition keys in trust policies besides sub, aud, azp, amr and email:
// GitHub Actions' claims (AWS's provider-specific claim keys). They are
// not carried into the session.
var webIdentityClaimKeys = []string{"actor", "actor_id", "job_workflow_ref", "repository", "repository_id",
	"workflow", "ref", "environment", "enterprise_id"}

// Errors of AssumeRoleWithWebIdentity, with AWS's codes and wording.
func invalidIdentityToken(msg string) error { return apierr.New("InvalidIdentityToken", msg) }

var (
	errWebIdentityDenied = &apierr.Error{Code: "AccessDenied", Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity", Status: http.StatusForbidden}
	errNotAJWT           = invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	errNotValidated      = invalidIdentityToken("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.")
	errIDPCommunication  = apierr.New("IDPCommunicationError", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	errThumbprint        = invalidIdentityToken("OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint")
	errAudience          = invalidIdentityToken("Incorrect token audience")
	errNotYetValid       = invalidIdentityToken("Token is not yet valid (nbf or iat is in the future)")
)

var sourceIdentityPattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// AssumeRoleWithWebIdentity returns temporary credentials for a role
// session of an OIDC identity. The request is unsigned: the web identity
// token is the credential. The token's signature is verified with the
// issuer's JWKS (discovery, cached), iss must name an OIDC provider
// registered in the role's account, aud (or azp) must be one of its client
// ids, exp/nbf/iat must hold (one minute of skew), and the role's trust
// policy must allow sts:AssumeRoleWithWebIdentity for the provider with
// the token's claims as condition keys.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, in *WebIdentityInput) (*WebIdentityOutput, error) {
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
	tok, claims, err := oidc.Unverified(in.WebIdentityToken)
	if err != nil {
		return nil, errNotAJWT
	}
	account := strings.SplitN(in.RoleARN, ":", 6)[4]
	prov, ok, err := s.iam.OIDCProviderByIssuer(ctx, account, claims.Issuer)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if !ok {
		return nil, invalidIdentityToken("No OpenIDConnect provider found in your account for " + claims.Issuer)
	}
	now := s.now()
	if err := s.oidc.Verify(ctx, tok, oidc.Provider{URL: prov.URL(), Thumbprints: prov.Thumbprints}); err != nil {
		switch {
		case errors.Is(err, oidc.ErrThumbprint):
			return nil, errThumbprint
		case errors.Is(err, oidc.ErrCommunication):
			return nil, errIDPCommunication
		}
		return nil, errNotValidated
	}
	switch err := claims.CheckTime(now, oidc.DefaultSkew); {
	case errors.Is(err, oidc.ErrExpired):
		return nil, apierr.New("ExpiredTokenException", fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time%d", now.Unix(), claims.Expiry.Unix()))
	case err != nil:
		return nil, errNotYetValid
	}
	audience := ""
	if claims.AuthorizedParty != "" && slices.Contains(prov.ClientIDs, claims.AuthorizedParty) {
		audience = claims.AuthorizedParty
	} else {
		for _, a := range claims.Audience {
			if slices.Contains(prov.ClientIDs, a) {
				audience = a
				break
			}
		}
	}
	if audience == "" {
		return nil, errAudience
	}
	tags, transitive, err := webIdentityTags(claims.Tags)
	if err != nil {
		return nil, err
	}
	if n := int32(len(tags) * 100 / maxSessionTags); n > packed {
		packed = n
	}
	if claims.SourceIdentity != "" && !sourceIdentityPattern.MatchString(claims.SourceIdentity) {
		return nil, apierr.New("IDPRejectedClaim", "The source identity claim in the web identity token is invalid.")
	}

	ro, roleAccount, ok, err := s.iam.RoleByARN(ctx, in.RoleARN)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if !ok {
		return nil, errWebIdentityDenied
	}
	d := defaultRoleSession
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
		if d > time.Duration(ro.MaxSessionDuration)*time.Second {
			return nil, apierr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}

	// The condition keys of the trust decision.
	prefix := prov.Name
	keys := map[string][]string{
		"sts:RoleSessionName":   {in.RoleSessionName},
		"aws:FederatedProvider": {prov.ARN},
		prefix + ":sub":         {claims.Subject},
		prefix + ":aud":         {audience},
	}
	session := []credential.SessionTag{{Key: "aws:FederatedProvider", Value: prov.ARN},
		{Key: prefix + ":sub", Value: claims.Subject}, {Key: prefix + ":aud", Value: audience}}
	if claims.AuthorizedParty != "" {
		keys[prefix+":azp"] = []string{claims.AuthorizedParty}
		if audience == claims.AuthorizedParty {
			keys[prefix+":oaud"] = claims.Audience
		}
	}
	if len(claims.AMR) > 0 {
		keys[prefix+":amr"] = claims.AMR
		for _, v := range claims.AMR {
			session = append(session, credential.SessionTag{Key: prefix + ":amr", Value: v})
		}
	}
	if v, ok := claims.Strings["email"]; ok {
		keys[prefix+":email"] = []string{v}
	}
	for _, k := range webIdentityClaimKeys {
		if v, ok := claims.Strings[k]; ok {
			keys[prefix+":"+k] = []string{v}
		}
	}
	if claims.SourceIdentity != "" {
		keys["sts:SourceIdentity"] = []string{claims.SourceIdentity}
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
	if err := s.authorizeFederated(ctx, identity.WebIdentity, prov.ARN, ro, roleAccount, keys, "sts:AssumeRoleWithWebIdentity", errWebIdentityDenied, len(tags) > 0, claims.SourceIdentity != ""); err != nil {
		return nil, err
	}

	sess := &credential.Session{
		Type: credential.SessionAssumedRole, Account: roleAccount, PrincipalARN: ro.ARN, PrincipalID: ro.RoleID,
		SessionName: in.RoleSessionName, Tags: tags, TransitiveKeys: transitive, SourceIdentity: claims.SourceIdentity,
		ChainDepth: 1, ProviderKeys: session,
	}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	cr, err := s.issue(sess, d)
	if err != nil {
		return nil, err
	}
	out := &WebIdentityOutput{
		Credentials:                 *cr,
		AssumedRoleID:               ro.RoleID + ":" + in.RoleSessionName,
		AssumedRoleARN:              "arn:aws:sts::" + roleAccount + ":assumed-role/" + ro.RoleName + "/" + in.RoleSessionName,
		SubjectFromWebIdentityToken: claims.Subject,
		Audience:                    audience,
		Provider:                    claims.Issuer,
		SourceIdentity:              claims.SourceIdentity,
	}
	if in.Policy != "" || len(tags) > 0 {
		out.PackedPolicySize = packed
	}
	return out, nil
}

// packedSessionPolicy validates an inline session policy and returns its
// packed size in percent of the limit.
func packedSessionPolicy(doc string) (int32, error) {
	if doc == "" {
		return 0, nil
	}
	p, err := policy.Parse(doc, policy.Session)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return 0, apierr.New("MalformedPolicyDocument", ve.Message)
		}
		return 0, apierr.New("MalformedPolicyDocument", "Syntax errors in policy.")
	}
	if p.Size > maxSessionPolicyChars {
		return 0, apierr.New("PackedPolicyTooLarge", "Packed size of session policy and tags exceeds the limit.")
	}
	return int32(p.Size * 100 / maxSessionPolicyChars), nil
}

// webIdentityTags turns the https://aws.amazon.com/tags claim into session
// tags: each principal tag holds exactly one value; keys are unique
// case-insensitively; transitive keys must be among the tags.
func webIdentityTags(tc *oidc.TagsClaim) ([]credential.SessionTag, []string, error) {
	if tc == nil {
		return nil, nil, nil
	}
	reject := func(msg string) error { return apierr.New("IDPRejectedClaim", msg) }
	keys := make([]string, 0, len(tc.PrincipalTags))
	for k := range tc.PrincipalTags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > maxSessionTags {
		return nil, nil, apierr.New("PackedPolicyTooLarge", "Packed size of session policy and tags exceeds the limit.")
	}
	seen := map[string]bool{}
	tags := make([]credential.SessionTag, 0, len(keys))
	for _, k := range keys {
		v := tc.PrincipalTags[k]
		if len(v) != 1 || k == "" || len(k) > 128 || len(v[0]) > 256 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, nil, reject("The session tags claim in the web identity token is invalid.")
		}
		if seen[strings.ToLower(k)] {
			return nil, nil, reject("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(k)] = true
		tags = append(tags, credential.SessionTag{Key: k, Value: v[0]})
	}
	for _, k := range tc.TransitiveTagKeys {
		if !seen[strings.ToLower(k)] {
			return nil, nil, reject("The specified transitive tag key must be included in the requested tags.")
		}
	}
	return tags, tc.TransitiveTagKeys, nil
}
