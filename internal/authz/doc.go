// Package authz implements AWS's policy evaluation logic across policy
// types: resource control policies and service control policies (an allow
// needed at every level of the organization), resource-based policies
// (with the same-account rules that depend on how the principal is named),
// identity-based policies, permissions boundaries and session policies,
// cross-account evaluation, the root user, and actions that need no
// permission (sts:GetCallerIdentity).
//
// Evaluate returns a Decision that explains itself: the final effect, the
// deciding policy type and statement, and which policy types had no allow.
// AccessDeniedMessage words it as AWS does. EvaluateTrace additionally
// records what SimulatePrincipalPolicy / SimulateCustomPolicy report.
//
// The package is pure: standard library and internal/policy only; no I/O,
// no clock (the caller fills aws:CurrentTime), no logging. It does not
// fetch policies: the caller assembles the PolicySet.
package authz
