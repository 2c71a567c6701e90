package oidc

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"
)

// Claims are the claims of a web identity token that STS reads.
type Claims struct {
	Issuer   string
	Subject  string
	Audience []string
	// AuthorizedParty is "azp" ("" when absent).
	AuthorizedParty string
	Expiry          time.Time
	NotBefore       time.Time // zero when absent
	IssuedAt        time.Time // zero when absent
	// AMR is "amr" (a string or a list of strings in the token).
	AMR []string
	// Strings holds every other top-level claim whose value is a string or
	// a number, as text (email, GitHub's repository, actor, ...).
	Strings map[string]string
	// Tags is the "https://aws.amazon.com/tags" claim, when present.
	Tags *TagsClaim
	// SourceIdentity is the "https://aws.amazon.com/source_identity" claim.
	SourceIdentity string
}

// TagsClaim is AWS's session-tag claim: principal_tags maps a tag key to a
// one-element list of values; transitive_tag_keys lists keys that pass on
// through role chaining.
type TagsClaim struct {
	PrincipalTags     map[string][]string `json:"principal_tags"`
	TransitiveTagKeys []string            `json:"transitive_tag_keys"`
}

// Claim names AWS gives a meaning to.
const (
	TagsClaimName           = "https://aws.amazon.com/tags"
	SourceIdentityClaimName = "https://aws.amazon.com/source_identity"
)

// ErrClaims: the payload is not a JSON object with the required claims of
// the right types (iss, sub, aud, exp).
var ErrClaims = errors.New("oidc: invalid claims")

// ParseClaims decodes a JWT payload strictly: a JSON object without
// duplicate members; iss, sub (non-empty strings), aud (a string or a
// non-empty list of strings), exp (a number) are required; nbf and iat,
// when present, are numbers; azp, email are strings.
func ParseClaims(payload []byte) (*Claims, error) {
	var raw map[string]json.RawMessage
	if err := strictUnmarshal(payload, &raw); err != nil || raw == nil {
		return nil, ErrClaims
	}
	c := &Claims{Strings: map[string]string{}}
	str := func(name string, dst *string, required bool) bool {
		v, ok := raw[name]
		if !ok {
			return !required
		}
		if json.Unmarshal(v, dst) != nil {
			return false
		}
		return !required || *dst != ""
	}
	date := func(name string, dst *time.Time, required bool) bool {
		v, ok := raw[name]
		if !ok {
			return !required
		}
		var f float64
		if json.Unmarshal(v, &f) != nil || math.IsNaN(f) || f < 0 || f > 1<<40 {
			return false
		}
		*dst = time.Unix(int64(f), 0).UTC()
		return true
	}
	if !str("iss", &c.Issuer, true) || !str("sub", &c.Subject, true) || !str("azp", &c.AuthorizedParty, false) ||
		!date("exp", &c.Expiry, true) || !date("nbf", &c.NotBefore, false) || !date("iat", &c.IssuedAt, false) {
		return nil, ErrClaims
	}
	var ok bool
	if c.Audience, ok = stringOrList(raw["aud"]); !ok || len(c.Audience) == 0 {
		return nil, ErrClaims
	}
	if v, has := raw["amr"]; has {
		if c.AMR, ok = stringOrList(v); !ok {
			return nil, ErrClaims
		}
	}
	if v, has := raw[TagsClaimName]; has {
		c.Tags = new(TagsClaim)
		if strictUnmarshal(v, c.Tags) != nil {
			return nil, ErrClaims
		}
	}
	if v, has := raw[SourceIdentityClaimName]; has && json.Unmarshal(v, &c.SourceIdentity) != nil {
		return nil, ErrClaims
	}
	for k, v := range raw {
		switch k {
		case "iss", "sub", "aud", "azp", "exp", "nbf", "iat", "amr", TagsClaimName, SourceIdentityClaimName:
			continue
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			c.Strings[k] = s
			continue
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			c.Strings[k] = n.String()
			continue
		}
		if b := strings.TrimSpace(string(v)); b == "true" || b == "false" {
			c.Strings[k] = b
		}
	}
	return c, nil
}

// stringOrList decodes a JSON string or list of strings.
func stringOrList(v json.RawMessage) ([]string, bool) {
	if v == nil {
		return nil, false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return []string{s}, true
	}
	var l []string
	if json.Unmarshal(v, &l) == nil {
		return l, true
	}
	return nil, false
}

// Unverified returns the issuer a token claims, without verifying anything,
// so the caller can find the registered provider to verify it with.
func Unverified(token string) (*JWS, *Claims, error) {
	t, err := ParseCompact(token)
	if err != nil {
		return nil, nil, err
	}
	c, err := ParseClaims(t.Payload)
	if err != nil {
		return nil, nil, err
	}
	return t, c, nil
}
