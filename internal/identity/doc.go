// Package identity holds the authenticated caller of a request — who signed
// it, in which account, with which kind of credential — and carries it
// through a context.Context from the server's authentication step to the
// domain services.
//
// It holds no secrets: the server verifies signatures and session tokens
// before it builds a Caller. It must not import the store or the server.
package identity
