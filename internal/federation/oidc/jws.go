package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"math/big"
	"strings"
)

// MaxTokenSize bounds a compact JWS (AWS accepts web identity tokens of up
// to 20,000 characters).
const MaxTokenSize = 20000

// Errors of JWS verification. Callers map them to AWS's error codes.
var (
	// ErrMalformed: not a well-formed compact JWS / JWT.
	ErrMalformed = errors.New("oidc: malformed token")
	// ErrAlgorithm: the header names an algorithm that is not allowed.
	ErrAlgorithm = errors.New("oidc: algorithm not allowed")
	// ErrUnknownKey: no key in the set matches the token's kid.
	ErrUnknownKey = errors.New("oidc: no matching key")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("oidc: signature verification failed")
)

// Header is the protected header of a JWS.
type Header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
	// Crit lists extensions the verifier must understand; none are
	// supported, so any entry makes the token invalid.
	Crit []string `json:"crit"`
	// JWK, JKU, X5U and X5C would let a token bring its own key; they are
	// read only to refuse such tokens.
	JWK any    `json:"jwk"`
	JKU string `json:"jku"`
	X5U string `json:"x5u"`
	X5C any    `json:"x5c"`
}

// JWS is a parsed compact JWS whose signature is not verified yet.
type JWS struct {
	Header    Header
	Payload   []byte
	signature []byte
	// signingInput is "base64(header).base64(payload)".
	signingInput string
}

// ParseCompact parses a compact-serialized JWS strictly: three base64url
// parts without padding, a JSON header without duplicate members that names
// an allowed algorithm and no critical extensions or embedded keys.
func ParseCompact(token string) (*JWS, error) {
	if len(token) == 0 || len(token) > MaxTokenSize {
		return nil, ErrMalformed
	}
	i := strings.IndexByte(token, '.')
	if i <= 0 {
		return nil, ErrMalformed
	}
	j := strings.IndexByte(token[i+1:], '.')
	if j < 0 {
		return nil, ErrMalformed
	}
	j += i + 1
	if strings.IndexByte(token[j+1:], '.') >= 0 {
		return nil, ErrMalformed
	}
	hdr, err := b64(token[:i])
	if err != nil {
		return nil, ErrMalformed
	}
	payload, err := b64(token[i+1 : j])
	if err != nil {
		return nil, ErrMalformed
	}
	sig, err := b64(token[j+1:])
	if err != nil || len(sig) == 0 {
		return nil, ErrMalformed
	}
	out := &JWS{Payload: payload, signature: sig, signingInput: token[:j]}
	if err := strictUnmarshal(hdr, &out.Header); err != nil {
		return nil, ErrMalformed
	}
	if !Allowed(out.Header.Alg) {
		return nil, ErrAlgorithm
	}
	if out.Header.Crit != nil || out.Header.JWK != nil || out.Header.JKU != "" || out.Header.X5U != "" || out.Header.X5C != nil {
		return nil, ErrMalformed
	}
	return out, nil
}

// Allowed reports whether alg is an accepted signature algorithm: RS256,
// RS384, RS512, PS256, PS384, PS512, ES256, ES384. "none" and the HMAC
// algorithms never are.
func Allowed(alg string) bool {
	switch alg {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384":
		return true
	}
	return false
}

// Verify checks the signature with the key of ks the header's kid names
// (or, without a kid, with the set's only key that fits the algorithm).
func (t *JWS) Verify(ks *KeySet) error {
	var key *Key
	if t.Header.Kid != "" {
		if ks.ambiguous[t.Header.Kid] {
			return ErrUnknownKey
		}
		for i := range ks.Keys {
			if ks.Keys[i].ID == t.Header.Kid {
				key = &ks.Keys[i]
				break
			}
		}
	} else {
		for i := range ks.Keys {
			if keyFits(&ks.Keys[i], t.Header.Alg) {
				if key != nil {
					return ErrUnknownKey // several candidates: refuse to guess
				}
				key = &ks.Keys[i]
			}
		}
	}
	if key == nil {
		return ErrUnknownKey
	}
	if !keyFits(key, t.Header.Alg) {
		return ErrSignature
	}
	return verifySignature(key.Public, t.Header.Alg, []byte(t.signingInput), t.signature)
}

// keyFits reports whether key may verify alg: the key type must match and
// a key's own alg, when set, must equal it.
func keyFits(key *Key, alg string) bool {
	if key.Alg != "" && key.Alg != alg {
		return false
	}
	switch pub := key.Public.(type) {
	case *rsa.PublicKey:
		return alg[0] == 'R' || alg[0] == 'P'
	case *ecdsa.PublicKey:
		switch alg {
		case "ES256":
			return pub.Curve.Params().Name == "P-256"
		case "ES384":
			return pub.Curve.Params().Name == "P-384"
		}
	}
	return false
}

func digest(alg string, msg []byte) (crypto.Hash, []byte) {
	switch alg[2:] {
	case "256":
		h := sha256.Sum256(msg)
		return crypto.SHA256, h[:]
	case "384":
		h := sha512.Sum384(msg)
		return crypto.SHA384, h[:]
	default:
		h := sha512.Sum512(msg)
		return crypto.SHA512, h[:]
	}
}

func verifySignature(pub any, alg string, msg, sig []byte) error {
	hash, d := digest(alg, msg)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if len(sig) != k.Size() {
			return ErrSignature
		}
		var err error
		if alg[0] == 'P' {
			err = rsa.VerifyPSS(k, hash, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			err = rsa.VerifyPKCS1v15(k, hash, d, sig)
		}
		if err != nil {
			return ErrSignature
		}
		return nil
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return ErrSignature
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, d, r, s) {
			return ErrSignature
		}
		return nil
	}
	return ErrSignature
}
