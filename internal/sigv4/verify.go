package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"net/http"
	"sync"
	"time"
)

// Verifier checks SigV4 signatures. It caches derived signing keys per
// (secret, date, region, service) in a bounded, two-way set-associative
// table that is safe for concurrent use and never allocates. An entry is
// found only by the exact secret it was derived from, so one key id's signing
// key is never used for another secret.
type Verifier struct {
	// EnforceExpires makes presigned requests fail with RequestExpired once
	// X-Amz-Date + X-Amz-Expires has passed. AWS STS and IAM ignore
	// X-Amz-Expires and accept a presigned request for MaxSkew after its
	// X-Amz-Date (clients such as aws-iam-authenticator rely on that), so it
	// is off by default. Set it before first use.
	EnforceExpires bool

	seed maphash.Seed
	sets []cacheSet // len is a power of two; nil disables the cache
}

// scopeCap bounds the date, region and service an entry stores inline;
// longer scopes are not cached.
const scopeCap = 48

type cacheEntry struct {
	secret                      string
	scope                       [scopeCap]byte // date, region, service
	dateLen, regionLen, servLen uint8
	used                        bool
	key                         [sha256.Size]byte
}

func (e *cacheEntry) matches(secret string, sc *Scope) bool {
	d, r, s := int(e.dateLen), int(e.regionLen), int(e.servLen)
	return e.used && d == len(sc.Date) && r == len(sc.Region) && s == len(sc.Service) &&
		string(e.scope[:d]) == sc.Date && string(e.scope[d:d+r]) == sc.Region &&
		string(e.scope[d+r:d+r+s]) == sc.Service && constantTimeEqual(e.secret, secret)
}

type cacheSet struct {
	mu     sync.Mutex
	ways   [2]cacheEntry
	victim uint8 // next way to replace once both are used
}

// NewVerifier returns a Verifier whose key cache holds at most cacheSize
// derived keys (rounded up to a power of two); cacheSize <= 0 disables the
// cache.
func NewVerifier(cacheSize int) *Verifier {
	v := &Verifier{seed: maphash.MakeSeed()}
	if cacheSize > 0 {
		n := 1
		for 2*n < cacheSize {
			n <<= 1
		}
		v.sets = make([]cacheSet, n)
	}
	return v
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		creq: make([]byte, 0, 1024),
		q:    make([]byte, 0, 512),
		mac:  make([]byte, 0, 512),
	}
}}

// Verify checks the signature of r, whose body is body, against secret (the
// secret access key of a.AccessKeyID) at time now. It returns nil or an
// *Error: SignatureDoesNotMatch for a wrong signature or a request time
// outside MaxSkew, RequestExpired for an expired presigned request when
// EnforceExpires is set.
//
// The payload hash is SHA-256 of body. A signed X-Amz-Content-Sha256 must
// equal it, except UNSIGNED-PAYLOAD, which only presigned requests may use.
func (v *Verifier) Verify(a *Auth, r *http.Request, body []byte, secret string, now time.Time) error {
	if err := a.CheckTime(now); err != nil {
		return err
	}
	if v.EnforceExpires && a.Presigned && now.UTC().Truncate(time.Second).After(a.Date.Add(a.Expires)) {
		return &Error{Code: CodeRequestExpired, Message: msgRequestExpired, Status: 400}
	}
	if a.Signature == nil {
		return errSignature()
	}
	var phBuf [2 * sha256.Size]byte
	ph, ok := payloadHash(&phBuf, a, body)
	if !ok {
		return errSignature()
	}
	key := v.signingKey(secret, &a.Scope)
	if !verifyWithKey(a, r, ph, &key) {
		return errSignature()
	}
	return nil
}

var unsignedBodyBytes = []byte(unsignedBody)

// payloadHash returns the last line of the canonical request.
func payloadHash(dst *[2 * sha256.Size]byte, a *Auth, body []byte) ([]byte, bool) {
	sum := sha256.Sum256(body)
	hex.Encode(dst[:], sum[:])
	switch declared := a.contentSHA256; {
	case declared == "":
	case declared == unsignedBody:
		if !a.Presigned {
			return nil, false
		}
		return unsignedBodyBytes, true
	case declared != string(dst[:]):
		return nil, false
	}
	return dst[:], true
}

// verifyWithKey recomputes the signature with the signing key and compares
// it in constant time. A presigned request whose token is in the query is
// also tried without the token in the canonical query, for clients that add
// the token after signing.
func verifyWithKey(a *Auth, r *http.Request, payloadHash []byte, key *[sha256.Size]byte) bool {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	o := optsFor(a.Scope.Service)
	if s.signatureMatches(a, r, payloadHash, key, o) {
		return true
	}
	if a.Presigned && a.tokenInQuery {
		o.omitToken = true
		return s.signatureMatches(a, r, payloadHash, key, o)
	}
	return false
}

func (s *scratch) signatureMatches(a *Auth, r *http.Request, payloadHash []byte, key *[sha256.Size]byte, o canonOpts) bool {
	sig := s.signature(a, r, payloadHash, key, o)
	return hmac.Equal(sig[:], a.Signature)
}

// signature computes the request signature: the canonical request, the
// string to sign, and its HMAC under the signing key.
func (s *scratch) signature(a *Auth, r *http.Request, payloadHash []byte, key *[sha256.Size]byte, o canonOpts) [sha256.Size]byte {
	creq := s.canonicalRequest(a, r, payloadHash, o)
	k := padKey(key[:])
	b := hmacStart(s.mac, &k)
	b = appendStringToSign(b, a, creq)
	s.mac = b
	return hmacFinish(b, &k)
}

// signingKey returns the derived key for secret and scope, from the cache
// when possible.
func (v *Verifier) signingKey(secret string, sc *Scope) [sha256.Size]byte {
	if v.sets == nil {
		return deriveKey(secret, sc)
	}
	set := &v.sets[v.hash(secret, sc)&uint64(len(v.sets)-1)]
	set.mu.Lock()
	for i := range set.ways {
		if e := &set.ways[i]; e.matches(secret, sc) {
			k := e.key
			set.mu.Unlock()
			return k
		}
	}
	set.mu.Unlock()

	k := deriveKey(secret, sc)
	if len(sc.Date)+len(sc.Region)+len(sc.Service) > scopeCap {
		return k
	}
	set.mu.Lock()
	e := &set.ways[set.victim]
	if !set.ways[0].used {
		e = &set.ways[0]
	} else if !set.ways[1].used {
		e = &set.ways[1]
	} else {
		set.victim ^= 1
	}
	e.secret, e.key, e.used = secret, k, true
	e.dateLen, e.regionLen, e.servLen = uint8(len(sc.Date)), uint8(len(sc.Region)), uint8(len(sc.Service))
	n := copy(e.scope[:], sc.Date)
	n += copy(e.scope[n:], sc.Region)
	copy(e.scope[n:], sc.Service)
	set.mu.Unlock()
	return k
}

// hash mixes the cache key into a table index.
func (v *Verifier) hash(secret string, sc *Scope) uint64 {
	h := maphash.String(v.seed, secret)
	h ^= maphash.String(v.seed, sc.Date) * 0x9e3779b97f4a7c15
	h ^= maphash.String(v.seed, sc.Region) * 0xc2b2ae3d27d4eb4f
	h ^= maphash.String(v.seed, sc.Service) * 0x165667b19e3779f9
	return h ^ h>>29
}

// constantTimeEqual compares two secrets without an early exit on the first
// differing byte.
func constantTimeEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var d byte
	for i := 0; i < len(a); i++ {
		d |= a[i] ^ b[i]
	}
	return d == 0
}
