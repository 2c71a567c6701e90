package identity

import (
	"context"
	"time"
)

// Type is the kind of principal that made a request, with the values AWS
// uses for aws:PrincipalType.
type Type string

// Principal types.
const (
	Root          Type = "Account"
	User          Type = "User"
	AssumedRole   Type = "AssumedRole"
	FederatedUser Type = "FederatedUser"
	// WebIdentity is an OIDC identity calling AssumeRoleWithWebIdentity
	// (ARN is the oidc-provider ARN); it only appears in trust decisions.
	WebIdentity Type = "WebIdentity"
	// SAMLUser is a SAML identity calling AssumeRoleWithSAML (ARN is the
	// saml-provider ARN); it only appears in trust decisions.
	SAMLUser  Type = "SAML"
	Anonymous Type = "Anonymous"
)

// Tag is a key/value pair attached to a principal or a session.
type Tag struct {
	Key   string
	Value string
}

// Caller is the authenticated principal of one request.
type Caller struct {
	// Type is the principal type.
	Type Type
	// Account is the 12-digit id of the caller's account.
	Account string
	// ARN is the caller's ARN as GetCallerIdentity returns it
	// (arn:aws:iam::ACCT:root, ...:user/path/name,
	// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION, ...).
	ARN string
	// UserID is the caller's id as GetCallerIdentity returns it: the account
	// id for root, AIDA... for users, AROA...:session for role sessions.
	UserID string
	// Name is the user name (users), role name (role sessions) or federated
	// user name.
	Name string
	// Path is the IAM path of the user or role.
	Path string
	// PrincipalARN is the ARN policies see as aws:PrincipalArn: the user or
	// root ARN, or the role ARN for a role session.
	PrincipalARN string
	// SessionName is the role session or federated user name, if any.
	SessionName string
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string
	// Temporary is true for session credentials (ASIA keys).
	Temporary bool
	// SessionKind names the STS call that issued temporary credentials:
	// "AssumeRole", "GetFederationToken" or "GetSessionToken" ("" for
	// long-term keys).
	SessionKind string
	// Tags are the principal's tags (for sessions: role tags merged with
	// session tags).
	Tags []Tag
	// MFAAuthenticated reports aws:MultiFactorAuthPresent.
	MFAAuthenticated bool
	// MFAAuthTime is when the MFA code behind MFAAuthenticated was checked
	// (aws:MultiFactorAuthAge).
	MFAAuthTime time.Time
	// TokenIssueTime is the session's issue time (temporary credentials).
	TokenIssueTime time.Time
	// SourceIdentity is the session's source identity, if set.
	SourceIdentity string
	// SessionPolicies are the inline session policies of a session; they
	// limit its permissions.
	SessionPolicies []string
	// SessionPolicyARNs are the managed session policies (PolicyArns) of a
	// session, resolved to their current default version when evaluated.
	SessionPolicyARNs []string
	// TransitiveTagKeys are the session tags that pass on when this
	// session assumes another role.
	TransitiveTagKeys []string
	// ProviderKeys are web identity condition keys that stay available to
	// a session's policies (HOST/PATH:sub, :aud, :amr, aws:FederatedProvider);
	// a key may repeat for a multivalued claim.
	ProviderKeys []Tag
	// ChainDepth counts role sessions that led to this one (0 for long-term
	// credentials, 1 for a role assumed with them, 2+ for chaining).
	ChainDepth int
}

// IsRoot reports whether the caller is an account's root user.
func (c *Caller) IsRoot() bool { return c != nil && c.Type == Root }

type ctxKey struct{}

// With returns a context that carries c.
func With(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// From returns the caller carried by ctx, or nil.
func From(ctx context.Context) *Caller {
	c, _ := ctx.Value(ctxKey{}).(*Caller)
	return c
}

// RootARN returns the ARN of an account's root user.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// Request holds facts about the HTTP request that policies see as global
// condition keys.
type Request struct {
	// SourceIP is the client's IP address (aws:SourceIp).
	SourceIP string
	// Secure reports TLS (aws:SecureTransport).
	Secure bool
	// Region is the region the request was signed for
	// (aws:RequestedRegion).
	Region string
	// UserAgent is the client's User-Agent (aws:UserAgent).
	UserAgent string
	// Time is when the request arrived (aws:CurrentTime, aws:EpochTime).
	Time time.Time
	// RequestID is the request's id.
	RequestID string
}

type reqKey struct{}

// WithRequest returns a context that carries r.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, reqKey{}, r)
}

// RequestFrom returns the request facts carried by ctx, or nil.
func RequestFrom(ctx context.Context) *Request {
	r, _ := ctx.Value(reqKey{}).(*Request)
	return r
}
