// Package sigv4bench holds tests only: it checks internal/sigv4 against the
// AWS SDK for Go v2's own SigV4 signer (requests the SDK signs, and presigns,
// verify through a real net/http server) and benchmarks verification against
// the SDK's v4.Signer.SignHTTP on the same request.
//
// It is the one place allowed to import the SDK signer for this purpose;
// internal/sigv4 itself stays standard library only and never verifies by
// re-signing.
package sigv4bench
