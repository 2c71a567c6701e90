package oidc

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// Limits on key material.
const (
	minRSABits = 2048
	maxRSABits = 8192
	maxKeys    = 100
)

// Key is one public verification key from a JWK set.
type Key struct {
	// ID is the key's "kid" ("" when absent).
	ID string
	// Alg is the key's "alg" ("" when absent): when set, a token must use
	// exactly this algorithm with the key.
	Alg string
	// Public is *rsa.PublicKey or *ecdsa.PublicKey.
	Public any
}

// KeySet is a parsed JWK set: the usable signature keys of an issuer.
type KeySet struct {
	Keys []Key
	// ambiguous holds key ids that occur more than once among usable keys;
	// a token naming one is refused (no guessing between keys).
	ambiguous map[string]bool
}

// jwk is the wire form of a key; only public members are read.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Alg    string   `json:"alg"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	Crv    string   `json:"crv"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
}

// ParseKeySet parses a JWK set document ({"keys": [...]}). Keys that are
// not usable for signature verification with an allowed algorithm (other
// key types or curves, "use" other than "sig", key_ops without "verify",
// RSA keys under 2,048 bits or with a bad exponent, EC points off the
// curve) are skipped; malformed JSON is an error. A set without any usable
// key is an error.
func ParseKeySet(data []byte) (*KeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := strictUnmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("oidc: jwks: %w", err)
	}
	if len(doc.Keys) > maxKeys {
		return nil, fmt.Errorf("oidc: jwks: more than %d keys", maxKeys)
	}
	ks := &KeySet{}
	seen := map[string]int{}
	for _, raw := range doc.Keys {
		k, err := ParseKey(raw)
		if err != nil {
			continue
		}
		seen[k.ID]++
		ks.Keys = append(ks.Keys, *k)
	}
	if len(ks.Keys) == 0 {
		return nil, errors.New("oidc: jwks: no usable signature key")
	}
	for id, n := range seen {
		if n > 1 && id != "" {
			if ks.ambiguous == nil {
				ks.ambiguous = map[string]bool{}
			}
			ks.ambiguous[id] = true
		}
	}
	return ks, nil
}

// ParseKey parses one JWK into a verification key, with the rules of
// ParseKeySet.
func ParseKey(data []byte) (*Key, error) {
	var j jwk
	if err := strictUnmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("oidc: jwk: %w", err)
	}
	if j.Use != "" && j.Use != "sig" {
		return nil, errors.New("oidc: jwk: not a signature key")
	}
	if j.KeyOps != nil {
		ok := false
		for _, op := range j.KeyOps {
			if op == "verify" {
				ok = true
			}
		}
		if !ok {
			return nil, errors.New("oidc: jwk: key_ops lacks verify")
		}
	}
	k := &Key{ID: j.Kid, Alg: j.Alg}
	switch j.Kty {
	case "RSA":
		if j.Alg != "" && !isRSAAlg(j.Alg) {
			return nil, errors.New("oidc: jwk: alg does not fit an RSA key")
		}
		n, err := b64Int(j.N)
		if err != nil {
			return nil, err
		}
		e, err := b64Int(j.E)
		if err != nil {
			return nil, err
		}
		if n.BitLen() < minRSABits || n.BitLen() > maxRSABits || n.Bit(0) == 0 {
			return nil, errors.New("oidc: jwk: unsupported RSA modulus")
		}
		if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
			return nil, errors.New("oidc: jwk: unsupported RSA exponent")
		}
		if rocaFingerprint(n) {
			return nil, errors.New("oidc: jwk: RSA modulus has the ROCA (CVE-2017-15361) structure")
		}
		k.Public = &rsa.PublicKey{N: n, E: int(e.Int64())}
	case "EC":
		var curve elliptic.Curve
		var alg string
		switch j.Crv {
		case "P-256":
			curve, alg = elliptic.P256(), "ES256"
		case "P-384":
			curve, alg = elliptic.P384(), "ES384"
		default:
			return nil, errors.New("oidc: jwk: unsupported curve")
		}
		if j.Alg != "" && j.Alg != alg {
			return nil, errors.New("oidc: jwk: alg does not fit the curve")
		}
		size := (curve.Params().BitSize + 7) / 8
		x, err := b64Fixed(j.X, size)
		if err != nil {
			return nil, err
		}
		y, err := b64Fixed(j.Y, size)
		if err != nil {
			return nil, err
		}
		// Uncompressed SEC 1 point; ParseUncompressedPublicKey checks it is
		// on the curve.
		pt := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(curve, pt)
		if err != nil {
			return nil, errors.New("oidc: jwk: invalid EC point")
		}
		k.Public = pub
	default:
		return nil, errors.New("oidc: jwk: unsupported key type")
	}
	return k, nil
}

func isRSAAlg(a string) bool {
	switch a {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		return true
	}
	return false
}

// b64 decodes unpadded base64url strictly (no padding, no stray bits).
func b64(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, errors.New("oidc: invalid base64url")
	}
	return b, nil
}

func b64Int(s string) (*big.Int, error) {
	b, err := b64(s)
	if err != nil || len(b) == 0 || b[0] == 0 {
		return nil, errors.New("oidc: jwk: invalid integer")
	}
	return new(big.Int).SetBytes(b), nil
}

func b64Fixed(s string, size int) ([]byte, error) {
	b, err := b64(s)
	if err != nil || len(b) != size {
		return nil, errors.New("oidc: jwk: invalid coordinate")
	}
	return b, nil
}

// strictUnmarshal decodes one JSON value into v, refusing trailing data
// and duplicate object member names at the top level.
func strictUnmarshal(data []byte, v any) error {
	if err := noDuplicateKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("trailing data")
	}
	return nil
}

// noDuplicateKeys reports an error when any JSON object in data repeats a
// member name (which encoding/json would silently resolve to the last).
func noDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(depth int) error
	walk = func(depth int) error {
		if depth > 32 {
			return errors.New("nesting too deep")
		}
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if seen[k] {
					return fmt.Errorf("duplicate member %q", k)
				}
				seen[k] = true
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	return walk(0)
}

// rocaPrimes are the small primes whose product divides the modulus M of
// ROCA-generated primes (CVE-2017-15361): such primes are k·M + 65537^a mod
// M, so a modulus built from two of them is, modulo each of these primes, a
// power of 65537.
var rocaPrimes = []int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
	101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}

// rocaFingerprint reports whether n mod p lies in the subgroup generated
// by 65537 for every prime of rocaPrimes: true for ROCA moduli, with a
// negligible false-positive rate for others.
func rocaFingerprint(n *big.Int) bool {
	m := new(big.Int)
	for _, p := range rocaPrimes {
		r := m.Mod(n, big.NewInt(p)).Int64()
		g := int64(65537) % p
		x, in := int64(1), false
		for range p {
			if x == r {
				in = true
				break
			}
			x = x * g % p
			if x == 1 {
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}
