package policy

import "errors"

// ErrMalformedPolicyDocument is the sentinel every *ValidationError wraps:
// errors.Is(err, ErrMalformedPolicyDocument) tells a caller to answer with
// AWS's MalformedPolicyDocument error code.
var ErrMalformedPolicyDocument = errors.New("MalformedPolicyDocument")

// ValidationError is a policy document AWS would reject. Message is AWS's
// exact MalformedPolicyDocument message (for example "Syntax errors in
// policy.").
type ValidationError struct {
	Message string
}

// Error returns the AWS message.
func (e *ValidationError) Error() string { return e.Message }

// Unwrap returns ErrMalformedPolicyDocument.
func (e *ValidationError) Unwrap() error { return ErrMalformedPolicyDocument }

func malformed(msg string) *ValidationError { return &ValidationError{Message: msg} }
