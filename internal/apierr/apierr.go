package apierr

import (
	"errors"
	"fmt"
)

// Error is an AWS API error: the Code and Message a client sees.
type Error struct {
	// Code is the exact AWS error code, e.g. "NoSuchEntity".
	Code string
	// Message is AWS's wording for this instance of the error.
	Message string
	// Receiver marks faults of the service (Type "Receiver" in the
	// ErrorResponse); false means the sender's fault ("Sender").
	Receiver bool
	// Status overrides the HTTP status the adapter's table gives Code
	// (0 keeps the table's). Used where AWS returns one code with different
	// statuses.
	Status int
	// Cause is an internal error kept for logs; it is never shown to
	// clients.
	Cause error
	// Reason is the Reason member some JSON-protocol exceptions carry
	// (Organizations' InvalidInputException and
	// ConstraintViolationException); "" when none.
	Reason string
}

// Error implements error. It never includes Cause.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the internal cause, so errors.Is can see through it.
func (e *Error) Unwrap() error { return e.Cause }

// New returns a sender-fault error with code and message.
func New(code, message string) *Error { return &Error{Code: code, Message: message} }

// Newf returns a sender-fault error with a formatted message.
func Newf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure: clients see only InternalFailure
// with no detail, logs see cause.
func Internal(cause error) *Error {
	return &Error{Code: "InternalFailure", Message: "An internal error occurred.", Receiver: true, Cause: cause}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Common constructors with AWS's wording.

// NoSuchEntity reports a missing IAM entity.
func NoSuchEntity(format string, args ...any) *Error {
	return Newf("NoSuchEntity", format, args...)
}

// EntityAlreadyExists reports a name collision.
func EntityAlreadyExists(format string, args ...any) *Error {
	return Newf("EntityAlreadyExists", format, args...)
}

// LimitExceeded reports a quota violation.
func LimitExceeded(format string, args ...any) *Error {
	return Newf("LimitExceeded", format, args...)
}

// InvalidInput reports a semantically invalid parameter.
func InvalidInput(format string, args ...any) *Error {
	return Newf("InvalidInput", format, args...)
}

// ValidationError reports a constraint violation (AWS's "1 validation error
// detected: ..." wording is built by the caller).
func ValidationError(message string) *Error { return New("ValidationError", message) }

// AccessDenied reports an authorization failure.
func AccessDenied(message string) *Error { return New("AccessDenied", message) }
