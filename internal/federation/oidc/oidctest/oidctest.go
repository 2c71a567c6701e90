// Package oidctest runs a real OpenID Connect issuer in process for tests:
// an HTTPS server (self-signed certificate, so it is trusted only through
// its thumbprint) that serves a discovery document and a JWKS, and signs
// tokens with its keys. It is test support; production code must not
// import it.
package oidctest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// Issuer is a running test issuer.
type Issuer struct {
	Server *httptest.Server
	// Cert is the issuer's self-signed TLS certificate.
	Cert *x509.Certificate
	// JWKSFetches counts JWKS requests served.
	JWKSFetches atomic.Int64

	mu   sync.Mutex
	keys map[string]crypto.Signer
	jwks []byte // override of the served JWKS, when set
}

// New starts an issuer on 127.0.0.1 with an RSA-2048 key "rsa1" and a P-256
// key "ec1". Close it when done.
func New() (*Issuer, error) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tlsKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "iamd test issuer"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &tlsKey.PublicKey, tlsKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	is := &Issuer{Cert: cert, keys: map[string]crypto.Signer{"rsa1": rk, "ec1": ek}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": is.URL(), "jwks_uri": is.URL() + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256", "ES256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		is.JWKSFetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(is.JWKS())
	})
	is.Server = httptest.NewUnstartedServer(mux)
	is.Server.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: tlsKey, Leaf: cert}}}
	is.Server.StartTLS()
	return is, nil
}

// Close stops the issuer.
func (is *Issuer) Close() { is.Server.Close() }

// URL is the issuer URL (https://127.0.0.1:PORT), the value of iss.
func (is *Issuer) URL() string { return is.Server.URL }

// Thumbprint is the lower-case hex SHA-1 of the issuer's certificate.
func (is *Issuer) Thumbprint() string {
	s := sha1.Sum(is.Cert.Raw)
	return hex.EncodeToString(s[:])
}

// AddKey adds (or replaces) a signing key: RSA keys sign RS*/PS*, ECDSA
// keys ES*.
func (is *Issuer) AddKey(kid string, k crypto.Signer) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys[kid] = k
}

// RemoveKey stops publishing a key.
func (is *Issuer) RemoveKey(kid string) {
	is.mu.Lock()
	defer is.mu.Unlock()
	delete(is.keys, kid)
}

// SetJWKS makes the issuer serve raw as its JWKS (nil restores the keys).
func (is *Issuer) SetJWKS(raw []byte) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.jwks = raw
}

// JWKS returns the JWK set document served.
func (is *Issuer) JWKS() []byte {
	is.mu.Lock()
	defer is.mu.Unlock()
	if is.jwks != nil {
		return is.jwks
	}
	b64 := base64.RawURLEncoding.EncodeToString
	var keys []map[string]string
	for kid, k := range is.keys {
		switch pub := k.Public().(type) {
		case *rsa.PublicKey:
			keys = append(keys, map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())})
		case *ecdsa.PublicKey:
			size := (pub.Curve.Params().BitSize + 7) / 8
			crv := pub.Curve.Params().Name
			keys = append(keys, map[string]string{"kty": "EC", "kid": kid, "use": "sig", "crv": crv,
				"x": b64(pub.X.FillBytes(make([]byte, size))), "y": b64(pub.Y.FillBytes(make([]byte, size)))})
		}
	}
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

// Sign returns a compact JWS of claims signed with key kid and algorithm
// alg (RS256/384/512, PS256/384/512, ES256/384); kid "" leaves the header
// without a kid, and an unknown kid is named in the header while "rsa1" or
// "ec1" signs.
func (is *Issuer) Sign(alg, kid string, claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	return is.SignRaw(alg, kid, payload)
}

// SignRaw signs an arbitrary payload.
func (is *Issuer) SignRaw(alg, kid string, payload []byte) string {
	hdr := map[string]string{"alg": alg, "typ": "JWT"}
	if kid != "" {
		hdr["kid"] = kid
	}
	h, _ := json.Marshal(hdr)
	b64 := base64.RawURLEncoding.EncodeToString
	input := b64(h) + "." + b64(payload)
	name := kid
	is.mu.Lock()
	_, known := is.keys[name]
	is.mu.Unlock()
	if !known {
		name = "rsa1"
		if alg[0] == 'E' {
			name = "ec1"
		}
	}
	is.mu.Lock()
	key := is.keys[name]
	is.mu.Unlock()
	return input + "." + b64(signWith(key, alg, []byte(input)))
}

func signWith(key crypto.Signer, alg string, msg []byte) []byte {
	var hash crypto.Hash
	var d []byte
	switch alg[2:] {
	case "256":
		s := sha256.Sum256(msg)
		hash, d = crypto.SHA256, s[:]
	case "384":
		s := sha512.Sum384(msg)
		hash, d = crypto.SHA384, s[:]
	default:
		s := sha512.Sum512(msg)
		hash, d = crypto.SHA512, s[:]
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if alg[0] == 'P' {
			sig, _ := rsa.SignPSS(rand.Reader, k, hash, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
			return sig
		}
		sig, _ := rsa.SignPKCS1v15(rand.Reader, k, hash, d)
		return sig
	case *ecdsa.PrivateKey:
		r, s, _ := ecdsa.Sign(rand.Reader, k, d)
		size := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	}
	return nil
}

// Claims returns a typical valid claim set for aud and sub, issued now and
// valid for an hour.
func (is *Issuer) Claims(aud, sub string) map[string]any {
	now := time.Now().Unix()
	return map[string]any{"iss": is.URL(), "aud": aud, "sub": sub, "iat": now, "nbf": now - 5, "exp": now + 3600}
}
