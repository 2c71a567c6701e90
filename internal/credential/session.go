package credential

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"
)

// SessionType is the kind of temporary credentials.
type SessionType uint8

// Session types.
const (
	// SessionAssumedRole comes from AssumeRole and its siblings.
	SessionAssumedRole SessionType = 1
	// SessionFederatedUser comes from GetFederationToken.
	SessionFederatedUser SessionType = 2
	// SessionToken comes from GetSessionToken (a user's or root's own
	// permissions, with MFA).
	SessionToken SessionType = 3
)

// SessionTag is a session tag.
type SessionTag struct{ Key, Value string }

// Session is everything a node needs to authenticate and authorize a
// request signed with temporary credentials, sealed into the session token
// so that no store read is needed.
type Session struct {
	Type            SessionType
	AccessKeyID     string // ASIA...
	SecretAccessKey string
	Account         string
	// PrincipalARN is the role ARN (with path) for role sessions, the user
	// ARN for GetSessionToken/GetFederationToken.
	PrincipalARN string
	// PrincipalID is the role's AROA... or the user's AIDA... id (or the
	// account id for root).
	PrincipalID string
	// SessionName is the role session name or federated user name.
	SessionName    string
	IssuedAt       time.Time
	Expires        time.Time
	Policies       []string // inline session policies
	PolicyARNs     []string // managed session policies
	Tags           []SessionTag
	TransitiveKeys []string
	SourceIdentity string
	MFA            bool
	ChainDepth     uint8
	// ProviderKeys are the web identity condition keys of an
	// AssumeRoleWithWebIdentity session (HOST/PATH:sub, :aud, :amr,
	// aws:FederatedProvider), available to the session's policies.
	ProviderKeys []SessionTag
	// MFAAuthTime is when the MFA code behind an MFA session was checked
	// (aws:MultiFactorAuthAge); zero unless MFA is set. It is encoded as an
	// optional trailer, so tokens sealed before it existed still open.
	MFAAuthTime time.Time
}

// Token format: base64(version | keyID(4) | nonce(12) | AES-256-GCM(body)),
// with version and key id as additional authenticated data.
const (
	tokenVersion = 1
	headerLen    = 1 + 4
	nonceLen     = 12
)

// ErrInvalidToken is returned for tokens that are malformed, sealed with an
// unknown key, or tampered with.
var ErrInvalidToken = errors.New("credential: invalid session token")

// RingKey is one AES-256 key of a KeyRing.
type RingKey struct {
	ID  uint32
	Key [32]byte
	// NotAfter is when the key may be forgotten: after the longest session
	// it sealed has expired. Zero means unset.
	NotAfter time.Time
}

// NewRingKey returns a fresh random key with id.
func NewRingKey(id uint32) (RingKey, error) {
	k := RingKey{ID: id}
	if _, err := rand.Read(k.Key[:]); err != nil {
		return k, fmt.Errorf("credential: random: %w", err)
	}
	return k, nil
}

// KeyRing seals with its current key and opens with any key it holds, so
// keys can rotate while older sessions stay valid. It is safe for
// concurrent use.
type KeyRing struct {
	mu      sync.RWMutex
	current uint32
	aeads   map[uint32]cipher.AEAD
}

// NewKeyRing returns a ring that seals with current and opens with current
// and others.
func NewKeyRing(current RingKey, others ...RingKey) (*KeyRing, error) {
	r := &KeyRing{}
	if err := r.Set(current, others...); err != nil {
		return nil, err
	}
	return r, nil
}

// Set replaces the ring's keys (after a rotation).
func (r *KeyRing) Set(current RingKey, others ...RingKey) error {
	aeads := make(map[uint32]cipher.AEAD, 1+len(others))
	for _, k := range append([]RingKey{current}, others...) {
		block, err := aes.NewCipher(k.Key[:])
		if err != nil {
			return err
		}
		a, err := cipher.NewGCM(block)
		if err != nil {
			return err
		}
		aeads[k.ID] = a
	}
	r.mu.Lock()
	r.current, r.aeads = current.ID, aeads
	r.mu.Unlock()
	return nil
}

// Seal encodes and encrypts s into a session token.
func (r *KeyRing) Seal(s *Session) (string, error) {
	r.mu.RLock()
	id, a := r.current, r.aeads[r.current]
	r.mu.RUnlock()
	body := s.appendBinary(make([]byte, 0, 256))
	out := make([]byte, headerLen+nonceLen, headerLen+nonceLen+len(body)+a.Overhead())
	out[0] = tokenVersion
	binary.BigEndian.PutUint32(out[1:5], id)
	if _, err := rand.Read(out[headerLen : headerLen+nonceLen]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	out = a.Seal(out, out[headerLen:headerLen+nonceLen], body, out[:headerLen])
	return base64.StdEncoding.EncodeToString(out), nil
}

// Open decrypts and decodes a session token. It does not check expiry.
func (r *KeyRing) Open(token string) (*Session, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) < headerLen+nonceLen+16 || raw[0] != tokenVersion {
		return nil, ErrInvalidToken
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	r.mu.RLock()
	a, ok := r.aeads[id]
	r.mu.RUnlock()
	if !ok {
		return nil, ErrInvalidToken
	}
	body, err := a.Open(nil, raw[headerLen:headerLen+nonceLen], raw[headerLen+nonceLen:], raw[:headerLen])
	if err != nil {
		return nil, ErrInvalidToken
	}
	s := new(Session)
	if err := s.decodeBinary(body); err != nil {
		return nil, ErrInvalidToken
	}
	return s, nil
}

// appendBinary encodes s: fixed fields, then length-prefixed strings.
func (s *Session) appendBinary(b []byte) []byte {
	b = append(b, byte(s.Type), s.ChainDepth)
	if s.MFA {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(s.IssuedAt.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Expires.UnixMicro()))
	for _, f := range []string{s.AccessKeyID, s.SecretAccessKey, s.Account, s.PrincipalARN, s.PrincipalID, s.SessionName, s.SourceIdentity} {
		b = appendStr(b, f)
	}
	b = appendList(b, s.Policies)
	b = appendList(b, s.PolicyARNs)
	b = binary.AppendUvarint(b, uint64(len(s.Tags)))
	for _, t := range s.Tags {
		b = appendStr(appendStr(b, t.Key), t.Value)
	}
	b = appendList(b, s.TransitiveKeys)
	// Optional trailing fields, each introduced by its tag byte, in tag
	// order; tokens without them stay valid.
	if s.MFA && !s.MFAAuthTime.IsZero() {
		b = append(b, trailerMFAAuthTime)
		b = binary.BigEndian.AppendUint64(b, uint64(s.MFAAuthTime.UnixMicro()))
	}
	if len(s.ProviderKeys) > 0 {
		b = append(b, trailerProviderKeys)
		b = binary.AppendUvarint(b, uint64(len(s.ProviderKeys)))
		for _, t := range s.ProviderKeys {
			b = appendStr(appendStr(b, t.Key), t.Value)
		}
	}
	return b
}

// Tags of the optional trailing fields of a session record.
const (
	trailerMFAAuthTime  byte = 1
	trailerProviderKeys byte = 2
)

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendList(b []byte, l []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, s := range l {
		b = appendStr(b, s)
	}
	return b
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) str() string {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)-k) {
		r.err = ErrInvalidToken
		r.b = nil
		return ""
	}
	s := string(r.b[k : k+int(n)])
	r.b = r.b[k+int(n):]
	return s
}

func (r *reader) count() int {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)) {
		r.err = ErrInvalidToken
		r.b = nil
		return 0
	}
	r.b = r.b[k:]
	return int(n)
}

func (r *reader) list() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, r.str())
	}
	return out
}

func (s *Session) decodeBinary(b []byte) error {
	if len(b) < 19 {
		return ErrInvalidToken
	}
	s.Type, s.ChainDepth, s.MFA = SessionType(b[0]), b[1], b[2] == 1
	s.IssuedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(b[3:11]))).UTC()
	s.Expires = time.UnixMicro(int64(binary.BigEndian.Uint64(b[11:19]))).UTC()
	r := &reader{b: b[19:]}
	for _, f := range []*string{&s.AccessKeyID, &s.SecretAccessKey, &s.Account, &s.PrincipalARN, &s.PrincipalID, &s.SessionName, &s.SourceIdentity} {
		*f = r.str()
	}
	s.Policies = r.list()
	s.PolicyARNs = r.list()
	if n := r.count(); n > 0 {
		s.Tags = make([]SessionTag, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			s.Tags = append(s.Tags, SessionTag{Key: r.str(), Value: r.str()})
		}
	}
	s.TransitiveKeys = r.list()
	last := byte(0)
	for r.err == nil && len(r.b) > 0 {
		tag := r.b[0]
		r.b = r.b[1:]
		if tag <= last {
			return ErrInvalidToken // each trailer once, in tag order
		}
		last = tag
		switch tag {
		case trailerMFAAuthTime:
			if !s.MFA || len(r.b) < 8 {
				return ErrInvalidToken
			}
			s.MFAAuthTime = time.UnixMicro(int64(binary.BigEndian.Uint64(r.b))).UTC()
			r.b = r.b[8:]
		case trailerProviderKeys:
			n := r.count()
			if n == 0 {
				return ErrInvalidToken // written only when non-empty
			}
			s.ProviderKeys = make([]SessionTag, 0, n)
			for i := 0; i < n && r.err == nil; i++ {
				s.ProviderKeys = append(s.ProviderKeys, SessionTag{Key: r.str(), Value: r.str()})
			}
		default:
			return ErrInvalidToken
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return ErrInvalidToken
	}
	return nil
}
