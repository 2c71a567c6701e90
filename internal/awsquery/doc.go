// Package awsquery is the AWS Query protocol wire codec shared by the IAM and
// STS adapters: form parsing (Values, ParseForm), the runtime the generated
// decoders and encoders of internal/api/iamapi and internal/api/stsapi drive
// (Decoder, Encoder, Pattern, Enum), the ErrorResponse format, the one table
// from error code to HTTP status, and a small Router that runs an Action:
// decode, call the domain handler, encode the result or the error.
//
// Decoding follows AWS: parameters the model does not know are ignored, and
// a list ends at its first missing index (member.1, member.2, ...). Type
// errors (a non-numeric integer, a boolean other than true/false, a bad
// timestamp or base64) are InvalidParameterValue; constraint violations are
// all collected, in member order, into one ValidationError.
//
// Validation messages follow AWS's wording ("1 validation error detected:
// Value 'x' at 'userName' failed to satisfy constraint: ..."); services that
// redact values (IAM) say so in their Style.
//
// The package owns wire details only. It must not authenticate or authorize,
// hold domain rules, log (callers log the errors ServeAction returns), or
// reflect over types on the request path; it never shows a client the detail
// of an error that is not an *apierr.Error.
package awsquery
