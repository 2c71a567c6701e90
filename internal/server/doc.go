// Package server is iamd's HTTP front: one listener for every service. For
// each request it assigns a request id, recovers panics as InternalFailure,
// reads the body (bounded), authenticates the SigV4 signature
// (internal/sigv4) against the caller's secret, puts the caller into the
// context (internal/identity), and routes by service and Action to the
// generated Query-protocol operations (internal/api), whose handlers here
// are thin: they map wire types to domain inputs and back.
//
// Domain decisions live in iamsvc and stssvc; this package holds no
// business rules beyond authentication and routing, and never logs secrets,
// signatures or tokens.
package server
