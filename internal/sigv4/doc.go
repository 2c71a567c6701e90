// Package sigv4 verifies AWS Signature Version 4 (HMAC-SHA256) requests, the
// way IAM and STS do, for iamd's HTTP server.
//
// It owns: parsing header authentication (Authorization: AWS4-HMAC-SHA256
// Credential=…, SignedHeaders=…, Signature=…) and presigned-URL
// authentication (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature, X-Amz-Security-Token);
// the canonical request (only the headers named in SignedHeaders; the path
// normalised for every service but S3; the query decoded, re-encoded and
// sorted), the string to sign, and the constant-time comparison of the
// signature; the ±15 minute clock-skew window; the derived-key cache; and
// AWS's error codes and messages for all of these, as *Error.
//
// Use:
//
//	a, err := sigv4.Parse(r)             // no crypto, no secret
//	err = a.CheckTime(now)               // optional: AWS reports skew before unknown keys
//	secret := lookup(a.AccessKeyID, a.SecurityToken)
//	err = verifier.Verify(a, r, body, secret, now)
//
// The region in the credential scope is whatever the client signed with; the
// service is returned in Auth.Scope for the server to route on (it refuses a
// wrong one with WrongServiceError). For session credentials, the server must
// check that the session token belongs to AccessKeyID: a token sent in a
// header need not be signed, as in AWS.
//
// Presigned requests follow what STS does rather than what S3 does:
// X-Amz-Expires is parsed and exposed but not enforced, the request is valid
// for MaxSkew around X-Amz-Date, unless Verifier.EnforceExpires is set.
//
// It must not: import anything outside the standard library (a test checks
// this), do I/O, keep or log secrets beyond the key cache, or verify by
// re-signing with an SDK signer (those sign headers the client did not).
// SigV4a (AWS4-ECDSA-P256-SHA256) is not supported and is reported as an
// unsupported algorithm.
package sigv4
