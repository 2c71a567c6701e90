// Package authz implements AWS's policy evaluation logic across policy
// types: resource control policies and service control policies (an allow
// needed at every level of the organization), resource-based policies
// (with the same-account rules that depend on how the principal is named),
// identity-based policies, permissions boundaries and session policies,
// cross-account evaluation, the root user, and actions that need no
// permission (sts:GetCallerIdentity).
//
// # Use
//
//	req := &authz.Request{Principal: p, Action: "iam:CreateRole", Resource: arn}
//	req.Context.Set(policy.KeySourceIP, ip)          // caller fills global keys
//	req.Context.SetNamed("aws:PrincipalTag/team", v) // and any other key
//	d := authz.Evaluate(req, &authz.PolicySet{Identity: refs, Boundary: b, SCP: levels})
//	if !d.Allowed() { msg := d.AccessDeniedMessage(req) }
//
// Evaluate fills the principal-derived keys (FillContext) and allocates
// nothing; reuse a Request (Context.Reset) across decisions.
//
// # Explanations and simulation
//
// A Decision carries the final Effect (its String is SimulatePolicy's
// EvalDecision: "allowed", "explicitDeny", "implicitDeny"), the deciding
// policy type (Reason) and statement (Statement: policy id, index, Sid,
// start/end position), the policy types evaluated and those without an
// allow (Evaluated, NoAllow), AllowedByBoundary
// (PermissionsBoundaryDecisionDetail) and AllowedByOrganizations
// (OrganizationsDecisionDetail). EvaluateTrace also fills a Trace with every
// matched statement (MatchedStatements) and the condition keys referenced
// by statements matching the action and resource but absent from the
// context (MissingContextValues). policy.Policy.ContextKeys answers
// GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy.
//
// The package is pure: standard library and internal/policy only; no I/O,
// no clock (the caller fills aws:CurrentTime), no logging. It does not
// fetch policies: the caller assembles the PolicySet (and leaves SCP/RCP
// nil where they do not apply: no organization, the management account,
// service-linked roles).
package authz
