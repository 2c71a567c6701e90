// Package credential owns the shapes of iamd's credentials: long-term access
// key ids (AKIA...), temporary key ids (ASIA...), secret access keys, the
// unique ids of IAM entities (AIDA..., AROA..., ANPA...), and 12-digit account
// ids.
//
// Access key ids carry their account id the way AWS's do, so
// sts:GetAccessKeyInfo answers for any key, long-term or temporary, without a
// store read. Randomness always comes from crypto/rand.
//
// This package does no I/O and never logs; it must not import the store or
// the HTTP server.
package credential
