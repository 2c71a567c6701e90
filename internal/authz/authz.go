package authz

import "github.com/iamd/iamd/internal/policy"

// Principal is the caller of a request (see policy.Principal).
type Principal = policy.Principal

// PrincipalType is the kind of caller (see policy.PrincipalType).
type PrincipalType = policy.PrincipalType

// Principal types, re-exported from internal/policy.
const (
	Anonymous     = policy.Anonymous
	Root          = policy.Root
	User          = policy.User
	AssumedRole   = policy.AssumedRole
	FederatedUser = policy.FederatedUser
	Service       = policy.Service
	WebIdentity   = policy.WebIdentity
	SAML          = policy.SAML
)

// Request is one authorization question: may Principal perform Action on
// Resource with these condition keys?
type Request struct {
	// Principal is the caller.
	Principal
	// Action is "service:Operation", e.g. "iam:CreateRole".
	Action string
	// Resource is the resource ARN, or "*".
	Resource string
	// ResourceAccount is the account that owns the resource ("" means the
	// principal's account). It decides same-account vs cross-account
	// evaluation and fills aws:ResourceAccount when the caller did not.
	ResourceAccount string
	// Context holds the request's condition keys. Evaluate fills the
	// principal-derived keys (aws:PrincipalArn, aws:PrincipalAccount,
	// aws:PrincipalType, aws:userid, aws:username, aws:ResourceAccount) when
	// they are not set. Reuse a Request (Context.Reset) to avoid allocations.
	Context policy.Context
}

// PolicyRef is one policy in a PolicySet.
type PolicyRef struct {
	// ID names the policy in explanations, access denied messages and
	// simulation results: a managed policy ARN, or an inline policy name.
	ID string
	// Kind is the policy's kind (informational; the slot in PolicySet
	// decides how it is evaluated).
	Kind policy.Kind
	// Policy is the compiled policy; a nil Policy is skipped.
	Policy *policy.Policy
}

// PolicySet holds every policy that applies to a request.
type PolicySet struct {
	// Identity holds the principal's identity-based policies (user, group
	// and role; inline and managed).
	Identity []PolicyRef
	// Boundary is the principal's permissions boundary, nil if none.
	Boundary *PolicyRef
	// Session holds the session policies of a role or federated user
	// session (inline session policy and policy ARNs); empty if none.
	// Non-empty means session policies apply.
	Session []PolicyRef
	// Resource is the resource-based policy (a role's trust policy for
	// sts:AssumeRole*), nil if none. Give it Kind policy.Trust when it must
	// allow on its own even in the same account (role trust policies; KMS
	// key policies behave the same way).
	Resource *PolicyRef
	// SCP holds the service control policies of the principal's
	// organization, one slice per level (root, each OU, the account);
	// nil when SCPs do not apply (no organization, management account,
	// service-linked role).
	SCP [][]PolicyRef
	// RCP holds the resource control policies of the resource owner's
	// organization, one slice per level; nil when RCPs do not apply.
	RCP [][]PolicyRef
}

// Effect is the final decision.
type Effect uint8

// Decisions.
const (
	// ImplicitDeny: nothing allowed the request (the zero value).
	ImplicitDeny Effect = iota
	// Allowed: the request is allowed.
	Allowed
	// ExplicitDeny: a Deny statement matched.
	ExplicitDeny
)

// String returns the SimulatePolicy EvalDecision spelling: "allowed",
// "explicitDeny" or "implicitDeny".
func (e Effect) String() string {
	switch e {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// Source is a policy type in the evaluation logic.
type Source uint8

// Policy types, in the order AWS evaluates them.
const (
	SourceNone Source = iota
	SourceRCP
	SourceSCP
	SourceResource
	SourceIdentity
	SourceBoundary
	SourceSession
)

var sourceNames = [...]string{"", "resource control policy", "service control policy", "resource-based policy", "identity-based policy", "permissions boundary", "session policy"}

// String returns the policy type as AWS's access denied messages word it,
// e.g. "identity-based policy".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return ""
}

// Sources is a set of policy types.
type Sources uint8

// Has reports whether s is in the set.
func (ss Sources) Has(s Source) bool { return ss&(1<<s) != 0 }

func (ss *Sources) add(s Source) { *ss |= 1 << s }

// StatementRef identifies one statement of one policy.
type StatementRef struct {
	// Source is the policy type.
	Source Source
	// PolicyID is the PolicyRef.ID.
	PolicyID string
	// Index is the statement's 0-based index in the policy.
	Index int
	// Sid is the statement's Sid ("" if none).
	Sid string
	// Start and End are the statement's position in the document.
	Start, End policy.Position
}

// Decision is the outcome of Evaluate with its explanation.
type Decision struct {
	// Effect is the final decision.
	Effect Effect
	// Reason is, for ExplicitDeny, the type of the policy whose statement
	// denied; for ImplicitDeny, the first policy type (in AWS's order) that
	// had no allow; for Allowed, the type whose allow granted access
	// (SourceIdentity or SourceResource), or SourceNone for the root user
	// and actions that need no permission.
	Reason Source
	// Statement is the deciding statement: the Deny statement for
	// ExplicitDeny, the granting Allow statement for Allowed (Index -1 when
	// none, e.g. for ImplicitDeny).
	Statement StatementRef
	// NoAllow is the set of evaluated policy types that had no matching
	// Allow statement.
	NoAllow Sources
	// Evaluated is the set of policy types that applied to the request.
	Evaluated Sources
	// AllowedByBoundary is SimulatePolicy's
	// PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary (true
	// when no boundary applies).
	AllowedByBoundary bool
	// AllowedByOrganizations is SimulatePolicy's
	// OrganizationsDecisionDetail.AllowedByOrganizations (true when no SCP
	// applies).
	AllowedByOrganizations bool
}
