package policy

// PrincipalType is the kind of identity making a request. Its String form is
// the aws:PrincipalType condition key value.
type PrincipalType uint8

// Principal types.
const (
	// Anonymous is an unauthenticated caller.
	Anonymous PrincipalType = iota
	// Root is an account's root user (aws:PrincipalType "Account").
	Root
	// User is an IAM user.
	User
	// AssumedRole is a role session (from AssumeRole*, an instance profile,
	// and so on).
	AssumedRole
	// FederatedUser is a GetFederationToken session.
	FederatedUser
	// Service is an AWS service principal (e.g. ec2.amazonaws.com).
	Service
	// WebIdentity is an OIDC identity calling AssumeRoleWithWebIdentity;
	// Principal.ARN is the provider (the trust policy's Federated value).
	WebIdentity
	// SAML is a SAML identity calling AssumeRoleWithSAML; Principal.ARN is
	// the saml-provider ARN.
	SAML
)

// String returns the aws:PrincipalType value: "Account", "User",
// "AssumedRole", "FederatedUser", "Anonymous"; "Service", "WebIdentity" and
// "SAML" for the others.
func (t PrincipalType) String() string {
	switch t {
	case Root:
		return "Account"
	case User:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	case Service:
		return "Service"
	case WebIdentity:
		return "WebIdentity"
	case SAML:
		return "SAML"
	}
	return "Anonymous"
}

// Principal is the identity making a request, as the Principal and
// NotPrincipal elements match it.
type Principal struct {
	// ARN is the principal's ARN: arn:aws:iam::111122223333:root,
	// arn:aws:iam::111122223333:user/path/name,
	// arn:aws:sts::111122223333:assumed-role/name/session,
	// arn:aws:sts::111122223333:federated-user/name; for Service the service
	// name (ec2.amazonaws.com); for WebIdentity the provider
	// (accounts.google.com or an oidc-provider ARN); for SAML the
	// saml-provider ARN; "" for Anonymous.
	ARN string
	// Account is the principal's 12-digit account id ("" for services and
	// anonymous callers).
	Account string
	// Type is the kind of principal.
	Type PrincipalType
	// UserID is the aws:userid value (AIDA..., AROA...:session, account id
	// for root, ...).
	UserID string
	// Username is the aws:username value (IAM users only).
	Username string
	// RoleARN is the identity a session derives from: for an AssumedRole
	// session the role's ARN including its path
	// (arn:aws:iam::111122223333:role/path/name); for a FederatedUser
	// session the ARN of the IAM user who called GetFederationToken. A
	// resource-based policy naming it matches the session (MatchRole).
	RoleARN string
	// CanonicalUser is the S3 canonical user id, when known.
	CanonicalUser string
}

// PrincipalMatch tells how a statement's Principal element matched the
// request's principal. Larger values are more specific.
type PrincipalMatch uint8

// Principal match kinds.
const (
	// MatchNone: the statement has no Principal element or did not match.
	MatchNone PrincipalMatch = iota
	// MatchAccount: matched through the principal's account ("123456789012"
	// or arn:aws:iam::123456789012:root); in the same account this only
	// delegates to identity-based policies.
	MatchAccount
	// MatchWildcard: matched through "*" (everyone).
	MatchWildcard
	// MatchRole: matched a role session through the role's ARN.
	MatchRole
	// MatchExact: matched the principal itself (user ARN, role session ARN,
	// federated user ARN, service, federated provider, canonical user, or a
	// NotPrincipal that excluded it).
	MatchExact
)
