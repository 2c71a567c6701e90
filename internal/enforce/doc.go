// Package enforce authorizes every API call with the policy engine: it
// gathers the caller's identity-based policies and permissions boundary
// (through iamsvc), the request's global condition keys (principal, source
// IP, transport, time, region, tags) and the action's own keys, compiles
// policies once (cached by document), and asks internal/authz for AWS's
// decision. A denial becomes AccessDenied with AWS's message built from the
// engine's explanation.
//
// It implements iamsvc.Authorizer; it holds no policies of its own and does
// no HTTP.
package enforce
