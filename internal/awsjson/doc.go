// Package awsjson is the runtime of the AWS JSON 1.1 protocol
// (awsJson1_1): requests are POSTs whose X-Amz-Target header names
// "<TargetPrefix>.<Operation>" and whose body is a JSON object; responses
// are JSON with Content-Type application/x-amz-json-1.1; errors are
// {"__type": code, "Message": ...} with HTTP 400 (500 for service faults)
// and the x-amzn-RequestId header.
//
// Input validation is driven by the botocore service model itself (loaded
// at run time): members must have their modeled types (a mismatch is a
// SerializationException) and satisfy the model's constraints (required,
// length, range, enum, pattern), reported as a *ConstraintError that the
// service maps to its own exception.
//
// The package knows no service semantics, and must not import domain
// packages.
package awsjson
