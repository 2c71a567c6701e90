package sigv4

import "time"

// AWS error codes returned by this package. They are the codes IAM and STS
// put in an ErrorResponse for authentication failures.
const (
	// CodeIncompleteSignature: the request's authentication information is
	// malformed or incomplete (HTTP 400).
	CodeIncompleteSignature = "IncompleteSignature"
	// CodeSignatureDoesNotMatch: the signature, its scope or its time is
	// wrong (HTTP 403).
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
	// CodeMissingAuthenticationToken: the request carries no SigV4
	// authentication at all (HTTP 403).
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	// CodeRequestExpired: a presigned request is used after its
	// X-Amz-Expires elapsed; only returned when Verifier.EnforceExpires is
	// set (HTTP 400).
	CodeRequestExpired = "RequestExpired"
)

// Messages AWS uses verbatim.
const (
	msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMissingAuthToken      = "Request is missing Authentication Token"
	msgHostNotSigned         = "'Host' must be a 'SignedHeader' in the AWS Authorization."
	msgFoundBoth             = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
	msgRequestExpired        = "Request has expired."
)

// Error is an authentication failure with the exact AWS code, message and
// HTTP status. The server writes it to the wire as is.
type Error struct {
	Code    string // AWS error code, e.g. "SignatureDoesNotMatch"
	Message string // AWS's message wording
	Status  int    // HTTP status code
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, sigv4.ErrSignatureDoesNotMatch) works whatever the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is; only their Code is compared.
var (
	// ErrIncompleteSignature matches every IncompleteSignature error.
	ErrIncompleteSignature = &Error{Code: CodeIncompleteSignature, Status: 400}
	// ErrSignatureDoesNotMatch matches every SignatureDoesNotMatch error,
	// including clock skew and credential-scope errors.
	ErrSignatureDoesNotMatch = &Error{Code: CodeSignatureDoesNotMatch, Status: 403}
	// ErrMissingAuthenticationToken matches a request without authentication.
	ErrMissingAuthenticationToken = &Error{Code: CodeMissingAuthenticationToken, Status: 403}
	// ErrRequestExpired matches an expired presigned request (EnforceExpires).
	ErrRequestExpired = &Error{Code: CodeRequestExpired, Status: 400}
)

func incomplete(msg string) *Error {
	return &Error{Code: CodeIncompleteSignature, Message: msg, Status: 400}
}

func mismatch(msg string) *Error {
	return &Error{Code: CodeSignatureDoesNotMatch, Message: msg, Status: 403}
}

// errSignature is the error of every plain signature mismatch.
func errSignature() *Error { return mismatch(msgSignatureDoesNotMatch) }

// WrongServiceError is the error AWS returns when the credential scope names
// another service than the one the request was sent to, e.g. service "sts"
// gives "Credential should be scoped to correct service: 'sts'. ". The
// verifier accepts any service; the server, which routes by service, uses
// this when it refuses one.
func WrongServiceError(service string) *Error {
	return mismatch("Credential should be scoped to correct service: '" + service + "'. ")
}

// skewError builds AWS's clock-skew message. t is the request time, now the
// server time (both truncated to seconds).
func skewError(t, now time.Time, expired bool) *Error {
	if expired {
		return mismatch("Signature expired: " + t.Format(amzDateLayout) +
			" is now earlier than " + now.Add(-MaxSkew).Format(amzDateLayout) +
			" (" + now.Format(amzDateLayout) + " - 15 min.)")
	}
	return mismatch("Signature not yet current: " + t.Format(amzDateLayout) +
		" is still later than " + now.Add(MaxSkew).Format(amzDateLayout) +
		" (" + now.Format(amzDateLayout) + " + 15 min.)")
}
