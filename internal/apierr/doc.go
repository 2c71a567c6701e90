// Package apierr holds the one error type that domain services return to the
// wire adapters: an AWS error code, AWS's message wording, and whether the
// fault is the sender's or the service's. The adapters (internal/awsquery)
// map codes to HTTP statuses in a single table; domain packages never pick a
// status themselves.
package apierr
