package oidc

import (
	"os"
	"testing"
)

// FuzzParseToken feeds arbitrary compact tokens to the JWS and claims
// parsers and verification: no panics, and nothing verifies against a key
// set it was not signed for.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{
		"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2kiLCJzdWIiOiJzIiwiYXVkIjoiYSIsImV4cCI6MTB9.c2ln",
		"eyJhbGciOiJub25lIn0.e30.", "a.b.c", "",
	} {
		f.Add(s)
	}
	ks, err := ParseKeySet([]byte(testJWKS))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		jws, _, err := Unverified(tok)
		if err != nil {
			return
		}
		if jws.Verify(ks) == nil {
			t.Fatalf("forged token verified: %q", tok)
		}
	})
}

// FuzzParseKeySet feeds arbitrary documents to the JWK set parser.
func FuzzParseKeySet(f *testing.F) {
	f.Add([]byte(testJWKS))
	if b, err := os.ReadFile("testdata/wycheproof/json_web_key_test.json"); err == nil && len(b) > 0 {
		f.Add(b[:min(len(b), 4096)])
	}
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"","y":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ks, err := ParseKeySet(data)
		if err != nil {
			return
		}
		if len(ks.Keys) == 0 {
			t.Fatal("empty key set without error")
		}
	})
}

// testJWKS holds one RSA-2048 public key (from RFC 7520 §3.4, kid
// bilbo.baggins@hobbiton.example).
const testJWKS = `{"keys":[{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw","e":"AQAB"}]}`
