package oidc_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/oidc"
	"github.com/iamd/iamd/internal/federation/oidc/oidctest"
)

func newIssuer(t *testing.T) *oidctest.Issuer {
	t.Helper()
	is, err := oidctest.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(is.Close)
	return is
}

// verify parses tok and verifies it against the issuer through f.
func verify(f *oidc.Fetcher, p oidc.Provider, tok string) error {
	jws, _, err := oidc.Unverified(tok)
	if err != nil {
		return err
	}
	return (&oidc.Verifier{Fetcher: f}).Verify(context.Background(), jws, p)
}

func TestVerifyTokens(t *testing.T) {
	is := newIssuer(t)
	f := oidc.NewFetcher(oidc.FetcherOptions{})
	p := oidc.Provider{URL: is.URL(), Thumbprints: []string{is.Thumbprint()}}
	claims := is.Claims("app", "alice")
	good := is.Sign("RS256", "rsa1", claims)
	tampered := good[:len(good)-4] + "AAAA"
	parts := strings.Split(good, ".")
	otherPayload := is.Sign("RS256", "rsa1", is.Claims("app", "mallory"))
	swapped := parts[0] + "." + strings.Split(otherPayload, ".")[1] + "." + parts[2]
	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"RS256", good, nil},
		{"RS384", is.Sign("RS384", "rsa1", claims), nil},
		{"RS512", is.Sign("RS512", "rsa1", claims), nil},
		{"PS256", is.Sign("PS256", "rsa1", claims), nil},
		{"PS512", is.Sign("PS512", "rsa1", claims), nil},
		{"ES256", is.Sign("ES256", "ec1", claims), nil},
		{"no kid", is.Sign("ES256", "", claims), nil},
		{"tampered signature", tampered, oidc.ErrSignature},
		{"swapped payload", swapped, oidc.ErrSignature},
		{"ES256 header with RSA key", is.Sign("ES256", "rsa1", claims), oidc.ErrSignature},
		{"ES384 with P-256 key", is.Sign("ES384", "ec1", claims), oidc.ErrSignature},
		{"alg none", parts[0][:0] + "eyJhbGciOiJub25lIn0." + parts[1] + ".", oidc.ErrMalformed},
		{"HS256", "eyJhbGciOiJIUzI1NiJ9." + parts[1] + ".c2ln", oidc.ErrAlgorithm},
		{"unknown kid", is.Sign("RS256", "nope", claims), oidc.ErrUnknownKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := verify(f, p, tc.tok)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestThumbprintTrust(t *testing.T) {
	is := newIssuer(t)
	tok := is.Sign("RS256", "rsa1", is.Claims("app", "alice"))
	// Without a thumbprint the self-signed certificate is not trusted.
	f := oidc.NewFetcher(oidc.FetcherOptions{})
	if err := verify(f, oidc.Provider{URL: is.URL()}, tok); !errors.Is(err, oidc.ErrThumbprint) {
		t.Fatalf("no thumbprint: %v", err)
	}
	if err := verify(f, oidc.Provider{URL: is.URL(), Thumbprints: []string{strings.Repeat("ab", 20)}}, tok); !errors.Is(err, oidc.ErrThumbprint) {
		t.Fatalf("wrong thumbprint: %v", err)
	}
	if err := verify(f, oidc.Provider{URL: is.URL(), Thumbprints: []string{strings.Repeat("ab", 20), is.Thumbprint()}}, tok); err != nil {
		t.Fatalf("right thumbprint: %v", err)
	}
	// Through a CA pool that holds the certificate, no thumbprint is needed.
	pool := is.Server.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	f2 := oidc.NewFetcher(oidc.FetcherOptions{RootCAs: pool})
	if err := verify(f2, oidc.Provider{URL: is.URL()}, tok); err != nil {
		t.Fatalf("CA pool: %v", err)
	}
}

func TestKeyRotationAndCache(t *testing.T) {
	is := newIssuer(t)
	now := time.Unix(1_700_000_000, 0)
	f := oidc.NewFetcher(oidc.FetcherOptions{Now: func() time.Time { return now }})
	p := oidc.Provider{URL: is.URL(), Thumbprints: []string{is.Thumbprint()}}
	tok := is.Sign("RS256", "rsa1", is.Claims("app", "alice"))
	for range 5 {
		if err := verify(f, p, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := is.JWKSFetches.Load(); n != 1 {
		t.Fatalf("JWKS fetched %d times, want 1 (cached)", n)
	}
	// The issuer rotates: a token with a new kid triggers one refetch
	// (unknown kids refetch at most every 30 s).
	now = now.Add(31 * time.Second)
	k2, _ := rsa.GenerateKey(rand.Reader, 2048)
	is.AddKey("rsa2", k2)
	tok2 := is.Sign("RS256", "rsa2", is.Claims("app", "alice"))
	if err := verify(f, p, tok2); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if n := is.JWKSFetches.Load(); n != 2 {
		t.Fatalf("JWKS fetched %d times, want 2", n)
	}
	// Unknown kids do not make the fetcher hammer the issuer.
	for range 10 {
		if err := verify(f, p, is.Sign("RS256", "ghost", is.Claims("app", "a"))); !errors.Is(err, oidc.ErrUnknownKey) {
			t.Fatal(err)
		}
	}
	if n := is.JWKSFetches.Load(); n != 2 {
		t.Fatalf("JWKS fetched %d times after unknown kids, want 2 (bounded)", n)
	}
	// After the bound, an unknown kid refetches once.
	now = now.Add(31 * time.Second)
	verify(f, p, is.Sign("RS256", "ghost", is.Claims("app", "a")))
	if n := is.JWKSFetches.Load(); n != 3 {
		t.Fatalf("JWKS fetched %d times, want 3", n)
	}
	// After the TTL the set is fetched again; when the issuer is down, the
	// stale set is still used.
	now = now.Add(2 * time.Hour)
	is.Close()
	if err := verify(f, p, tok); err != nil {
		t.Fatalf("stale keys while issuer down: %v", err)
	}
}

func TestFetchBounds(t *testing.T) {
	is := newIssuer(t)
	p := oidc.Provider{URL: is.URL(), Thumbprints: []string{is.Thumbprint()}}
	tok := is.Sign("RS256", "rsa1", is.Claims("app", "alice"))
	// An oversized JWKS is refused.
	is.SetJWKS([]byte(`{"keys":[],"pad":"` + strings.Repeat("x", 600<<10) + `"}`))
	f := oidc.NewFetcher(oidc.FetcherOptions{})
	if err := verify(f, p, tok); !errors.Is(err, oidc.ErrCommunication) {
		t.Fatalf("oversized JWKS: %v", err)
	}
	// Plain HTTP and redirects are refused.
	plain := httptest.NewServer(http.RedirectHandler("https://example.com", http.StatusFound))
	defer plain.Close()
	f = oidc.NewFetcher(oidc.FetcherOptions{Timeout: time.Second})
	if err := verify(f, oidc.Provider{URL: plain.URL}, tok); !errors.Is(err, oidc.ErrCommunication) {
		t.Fatalf("plain http: %v", err)
	}
	redir := httptest.NewTLSServer(http.RedirectHandler("https://127.0.0.1:1/", http.StatusFound))
	defer redir.Close()
	pool := redir.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	f = oidc.NewFetcher(oidc.FetcherOptions{RootCAs: pool})
	if err := verify(f, oidc.Provider{URL: redir.URL}, tok); !errors.Is(err, oidc.ErrCommunication) {
		t.Fatalf("redirect: %v", err)
	}
	// A slow issuer runs into the timeout.
	block := make(chan struct{})
	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer slow.Close()
	defer close(block)
	f = oidc.NewFetcher(oidc.FetcherOptions{RootCAs: slow.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs, Timeout: 200 * time.Millisecond})
	if err := verify(f, oidc.Provider{URL: slow.URL}, tok); !errors.Is(err, oidc.ErrCommunication) {
		t.Fatalf("slow issuer: %v", err)
	}
}
