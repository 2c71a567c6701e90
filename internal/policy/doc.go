// Package policy owns the IAM policy language: it parses policy documents
// as AWS accepts them (Version 2012-10-17 and 2008-10-17, Statement as
// object or array, string-or-array elements, Principal/NotPrincipal,
// Action/NotAction, Resource/NotResource, Condition blocks), validates them
// with AWS's exact MalformedPolicyDocument messages for each Kind, and
// compiles them once into an evaluation form.
//
// Evaluation of one policy (Policy.Evaluate) answers which Allow and Deny
// statements match a request: actions are matched case-insensitively with
// '*' and '?' wildcards, Resource ARNs field by field (a wildcard does not
// cross ':' except in the resource part), conditions with every AWS
// operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress,
// NotIpAddress, Arn*, Null, the IfExists suffix and the ForAnyValue: /
// ForAllValues: set operators), and policy variables (${aws:username},
// ${aws:PrincipalTag/k}, any request key, ${*}, ${?}, ${$}, defaults) in
// Resource and condition values under Version 2012-10-17. Statements are
// indexed by service prefix so statements for other services cost
// nothing. Combining policy types (SCPs, RCPs, resource-based policies,
// boundaries, session policies) is internal/authz's job.
//
// Context carries a request's condition keys with fixed slots for the
// global keys iamd fills and a reusable slice for the rest; a decision
// allocates nothing.
//
// The package is pure: standard library only, no I/O, no clock, no logging.
package policy
