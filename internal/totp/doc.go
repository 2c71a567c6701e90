// Package totp implements time-based one-time passwords as AWS virtual MFA
// devices use them: RFC 6238 over RFC 4226 with HMAC-SHA-1, 30-second
// steps and 6 digits, plus the seed, its Base32 form and the otpauth URI a
// QR code carries.
//
// It is pure: no I/O, no clock (callers pass the time), standard library
// only.
package totp
