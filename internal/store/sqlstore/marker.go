package sqlstore

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/store"
)

// markerVersion is the first byte of every decoded marker, so the format can
// change without misreading old markers.
const markerVersion = 1

// maxMarkerLen bounds the encoded marker we are willing to decode.
const maxMarkerLen = 4096

// encodeMarker returns the opaque marker for the position just after the
// entity with the given folded parent and name: base64url (no padding) of
// a version byte, uvarint len(parent), parent, name.
func encodeMarker(parentLower, nameLower string) string {
	buf := make([]byte, 0, 1+binary.MaxVarintLen64+len(parentLower)+len(nameLower))
	buf = append(buf, markerVersion)
	buf = binary.AppendUvarint(buf, uint64(len(parentLower)))
	buf = append(buf, parentLower...)
	buf = append(buf, nameLower...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// decodeMarker parses a marker made by encodeMarker. Every failure wraps
// store.ErrInvalidMarker.
func decodeMarker(marker string) (parentLower, nameLower string, err error) {
	if len(marker) > maxMarkerLen {
		return "", "", fmt.Errorf("%w: too long", store.ErrInvalidMarker)
	}
	buf, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil {
		return "", "", fmt.Errorf("%w: not base64url", store.ErrInvalidMarker)
	}
	if len(buf) == 0 || buf[0] != markerVersion {
		return "", "", fmt.Errorf("%w: unknown format", store.ErrInvalidMarker)
	}
	buf = buf[1:]
	n, size := binary.Uvarint(buf)
	if size <= 0 || n > uint64(len(buf)-size) {
		return "", "", fmt.Errorf("%w: bad length", store.ErrInvalidMarker)
	}
	buf = buf[size:]
	parentLower, nameLower = string(buf[:n]), string(buf[n:])
	if !utf8.ValidString(parentLower) || !utf8.ValidString(nameLower) {
		return "", "", fmt.Errorf("%w: not UTF-8", store.ErrInvalidMarker)
	}
	return parentLower, nameLower, nil
}
