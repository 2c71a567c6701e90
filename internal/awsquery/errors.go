package awsquery

import (
	"net/http"
	"strconv"

	"github.com/iamd/iamd/internal/apierr"
)

// Error codes produced by this package, and common codes the server uses.
const (
	// CodeMissingAction: the request has no Action parameter.
	CodeMissingAction = "MissingAction"
	// CodeInvalidAction: the Action is not an operation of the service at
	// the requested Version.
	CodeInvalidAction = "InvalidAction"
	// CodeNotImplemented: the Action is an operation of the service that
	// this server does not implement.
	CodeNotImplemented = "NotImplemented"
	// CodeValidationError: parameters failed the model's constraints.
	CodeValidationError = "ValidationError"
	// CodeInvalidParameterValue: a parameter is not of its type (e.g. a
	// non-numeric integer).
	CodeInvalidParameterValue = "InvalidParameterValue"
	// CodeMalformedQueryString: the form body or URL query is not valid
	// application/x-www-form-urlencoded UTF-8.
	CodeMalformedQueryString = "MalformedQueryString"
	// CodeInternalFailure: an unexpected server-side failure.
	CodeInternalFailure = "InternalFailure"
)

// statusByCode is the one table from AWS error code to HTTP status. It holds
// the common Query-protocol errors (AWS "Common Errors" pages, authentication
// errors as AWS returns them) and every error modeled in the IAM 2010-05-08
// and STS 2011-06-15 service models with its httpStatusCode (shapes without
// an error code use the shape name and 400); a test checks the models against
// it.
var statusByCode = map[string]int{
	// Common errors.
	"AccessDenied":                http.StatusForbidden,
	"AccessDeniedException":       http.StatusBadRequest,
	"ExpiredToken":                http.StatusForbidden,
	"IncompleteSignature":         http.StatusBadRequest,
	"InternalFailure":             http.StatusInternalServerError,
	"InvalidAction":               http.StatusBadRequest,
	"InvalidClientTokenId":        http.StatusForbidden,
	"InvalidParameterCombination": http.StatusBadRequest,
	"InvalidParameterValue":       http.StatusBadRequest,
	"InvalidQueryParameter":       http.StatusBadRequest,
	"MalformedQueryString":        http.StatusNotFound,
	"MissingAction":               http.StatusBadRequest,
	"MissingAuthenticationToken":  http.StatusForbidden,
	"MissingParameter":            http.StatusBadRequest,
	"NotAuthorized":               http.StatusBadRequest,
	"NotImplemented":              http.StatusNotImplemented,
	"OptInRequired":               http.StatusForbidden,
	"RequestExpired":              http.StatusBadRequest,
	"ServiceUnavailable":          http.StatusServiceUnavailable,
	"SignatureDoesNotMatch":       http.StatusForbidden,
	"Throttling":                  http.StatusBadRequest,
	"ThrottlingException":         http.StatusBadRequest,
	"ValidationError":             http.StatusBadRequest,

	// IAM 2010-05-08 modeled errors.
	"AccountNotManagementOrDelegatedAdministratorException": http.StatusBadRequest,
	"CallerIsNotManagementAccountException":                 http.StatusBadRequest,
	"ConcurrentModification":                                http.StatusConflict,
	"DeleteConflict":                                        http.StatusConflict,
	"DuplicateCertificate":                                  http.StatusConflict,
	"DuplicateSSHPublicKey":                                 http.StatusBadRequest,
	"EntityAlreadyExists":                                   http.StatusConflict,
	"EntityTemporarilyUnmodifiable":                         http.StatusConflict,
	"FeatureDisabled":                                       http.StatusNotFound,
	"FeatureEnabled":                                        http.StatusConflict,
	"InvalidAuthenticationCode":                             http.StatusForbidden,
	"InvalidCertificate":                                    http.StatusBadRequest,
	"InvalidInput":                                          http.StatusBadRequest,
	"InvalidPublicKey":                                      http.StatusBadRequest,
	"InvalidUserType":                                       http.StatusBadRequest,
	"KeyPairMismatch":                                       http.StatusBadRequest,
	"LimitExceeded":                                         http.StatusConflict,
	"MalformedCertificate":                                  http.StatusBadRequest,
	"MalformedPolicyDocument":                               http.StatusBadRequest,
	"NoSuchEntity":                                          http.StatusNotFound,
	"NotSupportedService":                                   http.StatusNotFound,
	"OpenIdIdpCommunicationError":                           http.StatusBadRequest,
	"OrganizationNotFoundException":                         http.StatusBadRequest,
	"OrganizationNotInAllFeaturesModeException":             http.StatusBadRequest,
	"PasswordPolicyViolation":                               http.StatusBadRequest,
	"PolicyEvaluation":                                      http.StatusInternalServerError,
	"PolicyNotAttachable":                                   http.StatusBadRequest,
	"ReportExpired":                                         http.StatusGone,
	"ReportGenerationLimitExceeded":                         http.StatusConflict,
	"ReportInProgress":                                      http.StatusNotFound,
	"ReportNotPresent":                                      http.StatusGone,
	"ServiceAccessNotEnabledException":                      http.StatusBadRequest,
	"ServiceFailure":                                        http.StatusInternalServerError,
	"UnmodifiableEntity":                                    http.StatusBadRequest,
	"UnrecognizedPublicKeyEncoding":                         http.StatusBadRequest,

	// STS 2011-06-15 modeled errors.
	"ExpiredTokenException":                          http.StatusBadRequest,
	"ExpiredTradeInTokenException":                   http.StatusBadRequest,
	"IDPCommunicationError":                          http.StatusBadRequest,
	"IDPRejectedClaim":                               http.StatusForbidden,
	"InvalidAuthorizationMessageException":           http.StatusBadRequest,
	"InvalidIdentityToken":                           http.StatusBadRequest,
	"JWTPayloadSizeExceededException":                http.StatusBadRequest,
	"OutboundWebIdentityFederationDisabledException": http.StatusForbidden,
	"PackedPolicyTooLarge":                           http.StatusBadRequest,
	"RegionDisabledException":                        http.StatusForbidden,
	"SessionDurationEscalationException":             http.StatusForbidden,
}

// StatusCode returns the HTTP status AWS uses for error code: the table's
// entry, else 500 for receiver faults and 400 for sender faults.
func StatusCode(code string, receiver bool) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	if receiver {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// ToAPIError returns the error a client sees for err: the *apierr.Error in
// err's chain, or InternalFailure (no detail) for anything else.
func ToAPIError(err error) *apierr.Error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	return apierr.Internal(err)
}

// Status returns the HTTP status for e: e.Status when set, else the table's.
func Status(e *apierr.Error) int {
	if e.Status != 0 {
		return e.Status
	}
	return StatusCode(e.Code, e.Receiver)
}

// WriteError writes err as an AWS Query ErrorResponse in XML namespace ns:
//
//	<ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>..</Code>
//	<Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
//
// with the status from the table (or apierr.Error.Status), Content-Type
// text/xml and the x-amzn-RequestId header. Errors that are not
// *apierr.Error are written as InternalFailure without detail; the caller
// logs them.
func WriteError(w http.ResponseWriter, ns string, err error, requestID string) {
	e := ToAPIError(err)
	enc := getEncoder()
	enc.raw(`<ErrorResponse xmlns="`)
	enc.text(ns)
	enc.raw(`"><Error><Type>`)
	if e.Receiver {
		enc.raw("Receiver")
	} else {
		enc.raw("Sender")
	}
	enc.raw("</Type>")
	enc.String("Code", e.Code)
	if e.Message != "" {
		enc.String("Message", e.Message)
	}
	enc.raw("</Error>")
	enc.String("RequestId", requestID)
	enc.raw("</ErrorResponse>")
	writeXML(w, Status(e), enc.buf, requestID)
	putEncoder(enc)
}

func writeXML(w http.ResponseWriter, status int, body []byte, requestID string) {
	h := w.Header()
	h["Content-Type"] = []string{"text/xml"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if requestID != "" {
		h["X-Amzn-Requestid"] = []string{requestID}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
