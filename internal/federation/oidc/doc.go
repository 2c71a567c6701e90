// Package oidc verifies OpenID Connect web identity tokens for
// AssumeRoleWithWebIdentity: compact JWS parsing and signature verification
// (RS256/384/512, PS256/384/512, ES256/384 only; never "none", never HMAC),
// JWK set parsing, JWT claim decoding with strict rules, and the fetching of
// an issuer's discovery document and JWKS over HTTPS with a bounded cache.
//
// TLS to an issuer is trusted through the system CA pool or, as AWS does
// for issuers outside its trusted CAs, through a registered thumbprint: the
// SHA-1 of the top certificate the issuer presents, which then acts as the
// trust anchor for the rest of the chain (host name still checked).
//
// The package fetches only the URLs it is given (the caller resolves a
// token's issuer to a registered provider first), over HTTPS only, without
// following redirects, with bounded response sizes and timeouts.
//
// It uses the standard library only. It must not import the store, the
// IAM/STS services or net/http handlers of the server.
package oidc
