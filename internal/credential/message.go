package credential

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// messageVersion marks sealed messages (encoded authorization messages);
// it differs from tokenVersion, so a session token never opens as a
// message nor a message as a session token.
const messageVersion = 2

// ErrInvalidMessage is returned for sealed messages that are malformed,
// sealed with an unknown key, or tampered with.
var ErrInvalidMessage = errors.New("credential: invalid sealed message")

// SealMessage encrypts b with the ring's current key into URL-safe text:
// base64url(version | keyID(4) | nonce(12) | AES-256-GCM(b)), version and
// key id authenticated.
func (r *KeyRing) SealMessage(b []byte) (string, error) {
	r.mu.RLock()
	id, a := r.current, r.aeads[r.current]
	r.mu.RUnlock()
	out := make([]byte, headerLen+nonceLen, headerLen+nonceLen+len(b)+a.Overhead())
	out[0] = messageVersion
	binary.BigEndian.PutUint32(out[1:5], id)
	if _, err := rand.Read(out[headerLen : headerLen+nonceLen]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	out = a.Seal(out, out[headerLen:headerLen+nonceLen], b, out[:headerLen])
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// OpenMessage decrypts a message sealed by SealMessage with any key of the
// ring.
func (r *KeyRing) OpenMessage(s string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) < headerLen+nonceLen+16 || raw[0] != messageVersion {
		return nil, ErrInvalidMessage
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	r.mu.RLock()
	a, ok := r.aeads[id]
	r.mu.RUnlock()
	if !ok {
		return nil, ErrInvalidMessage
	}
	b, err := a.Open(nil, raw[headerLen:headerLen+nonceLen], raw[headerLen+nonceLen:], raw[:headerLen])
	if err != nil {
		return nil, ErrInvalidMessage
	}
	return b, nil
}
