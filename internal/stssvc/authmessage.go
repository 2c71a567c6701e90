package stssvc

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"io"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/identity"
)

// Encoded authorization messages: the decision details of an AccessDenied,
// compressed and sealed with the session key ring, so only iamd can read
// them (DecodeAuthorizationMessage). The sealed body is the owning
// account id (12 bytes) followed by the DEFLATE-compressed JSON.

// maxEncodedMessage is DecodeAuthorizationMessage's input limit (AWS's).
const maxEncodedMessage = 10240

// maxDecodedMessage bounds decompression.
const maxDecodedMessage = 1 << 20

var errInvalidMessage = apierr.New("InvalidAuthorizationMessageException", "The authorization message is invalid.")

// EncodeAuthorizationMessage seals the JSON decision document js of a
// request in account. It implements enforce.MessageSealer.
func (k *Keys) EncodeAuthorizationMessage(account string, js []byte) (string, error) {
	var buf bytes.Buffer
	buf.WriteString(account)
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(js); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return k.ring.SealMessage(buf.Bytes())
}

// openMessage opens a sealed message, reloading the ring once when another
// node may have rotated in the key that sealed it.
func (k *Keys) openMessage(ctx context.Context, s string) ([]byte, error) {
	b, err := k.ring.OpenMessage(s)
	if err == nil {
		return b, nil
	}
	k.mu.Lock()
	if k.now().Sub(k.lastReload) < time.Second {
		k.mu.Unlock()
		return nil, err
	}
	k.lastReload = k.now()
	k.mu.Unlock()
	if rerr := k.Reload(ctx); rerr != nil {
		return nil, err
	}
	return k.ring.OpenMessage(s)
}

// DecodeAuthorizationMessage returns the JSON decision document sealed in
// an encoded authorization message. The caller needs
// sts:DecodeAuthorizationMessage, and the message must come from a request
// in the caller's account.
func (s *Service) DecodeAuthorizationMessage(ctx context.Context, encoded string) (string, error) {
	c := identity.From(ctx)
	if c == nil {
		return "", apierr.Internal(errors.New("stssvc: no caller"))
	}
	if err := s.iam.Authorize(ctx, "sts:DecodeAuthorizationMessage", "*", nil); err != nil {
		return "", err
	}
	if s.keys == nil || len(encoded) > maxEncodedMessage {
		return "", errInvalidMessage
	}
	b, err := s.keys.openMessage(ctx, encoded)
	if errors.Is(err, credential.ErrInvalidMessage) || (err == nil && len(b) < 12) {
		return "", errInvalidMessage
	}
	if err != nil {
		return "", apierr.Internal(err)
	}
	if string(b[:12]) != c.Account {
		return "", errInvalidMessage
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(b[12:])), maxDecodedMessage))
	if err != nil {
		return "", errInvalidMessage
	}
	return string(js), nil
}
