package policy

// Kind is the type of a policy document. It selects the validation rules
// (whether Principal is required or prohibited, size limits, which fields are
// allowed) and, in internal/authz, the place of the policy in AWS's
// evaluation logic.
type Kind int

// Policy kinds.
const (
	// Identity is an identity-based policy (managed or inline) attached to a
	// user, group or role. It must not carry Principal or NotPrincipal.
	Identity Kind = iota + 1
	// Resource is a resource-based policy other than a role trust policy
	// (for example a bucket or key policy). It must carry Principal or
	// NotPrincipal.
	Resource
	// Trust is a role trust (assume role) policy: a resource-based policy
	// whose resource is the role. It must carry Principal and must not carry
	// Resource or NotResource.
	Trust
	// Boundary is a permissions boundary; it follows the Identity rules.
	Boundary
	// Session is a session policy passed to AssumeRole* or
	// GetFederationToken; it follows the Identity rules.
	Session
	// SCP is an AWS Organizations service control policy.
	SCP
	// RCP is an AWS Organizations resource control policy.
	RCP
	// Inline is an inline identity policy (PutUserPolicy, PutRolePolicy,
	// PutGroupPolicy): the Identity rules, except that, as AWS allows for
	// inline policies, Version may be 2008-10-17 or absent.
	Inline
)

var kindNames = [...]string{"", "Identity", "Resource", "Trust", "Boundary", "Session", "SCP", "RCP", "Inline"}

// String returns the kind's name ("Identity", "Resource", ...).
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Unknown"
}

// Effect is a statement's effect.
type Effect uint8

// Effects.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return ""
}
