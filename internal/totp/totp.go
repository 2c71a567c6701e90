package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Parameters of AWS virtual MFA devices.
const (
	// Step is the TOTP time step.
	Step = 30 * time.Second
	// Digits is the code length.
	Digits = 6
	// SeedLen is the seed length in bytes; its Base32 form is 64
	// characters, like the Base32StringSeed AWS returns.
	SeedLen = 40
)

// Encoding is the Base32 alphabet of RFC 4648 without padding (a 40-byte
// seed needs none).
var Encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrCode is returned by ParseCode for anything but exactly six ASCII
// digits.
var ErrCode = errors.New("totp: code must be 6 digits")

// NewSeed returns a fresh random seed.
func NewSeed() ([]byte, error) {
	b := make([]byte, SeedLen)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("totp: random: %w", err)
	}
	return b, nil
}

// Counter returns the time step that t falls in.
func Counter(t time.Time) int64 { return t.Unix() / int64(Step/time.Second) }

// Code returns the code of seed for time step counter.
func Code(seed []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, seed)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	v %= 1000000
	var out [Digits]byte
	for i := Digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out[:])
}

// ParseCode checks that s is a well-formed code (six ASCII digits).
func ParseCode(s string) error {
	if len(s) != Digits {
		return ErrCode
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ErrCode
		}
	}
	return nil
}

// Match looks for code among the steps from counter-window to
// counter+window, comparing in constant time and examining every
// candidate, and returns the matching step. Steps at or below notAfter
// (the last step already accepted for the device) never match, so a code
// cannot be replayed.
func Match(seed []byte, code string, counter int64, window int, notAfter int64) (int64, bool) {
	if ParseCode(code) != nil {
		return 0, false
	}
	var found int64
	ok := 0
	for d := -int64(window); d <= int64(window); d++ {
		c := counter + d
		eq := subtle.ConstantTimeCompare([]byte(Code(seed, c)), []byte(code))
		if eq == 1 && c > notAfter && ok == 0 {
			found, ok = c, 1
		}
	}
	return found, ok == 1
}

// URI returns the otpauth URI of a device, in the form AWS documents for
// the QR code: otpauth://totp/NAME@ACCOUNT?secret=BASE32.
func URI(name, account string, seed []byte) string {
	return "otpauth://totp/" + url.PathEscape(name+"@"+account) + "?secret=" + Encoding.EncodeToString(seed)
}
