package credential

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Prefixes of AWS unique identifiers
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
const (
	PrefixLongTermKey     = "AKIA"
	PrefixTemporaryKey    = "ASIA"
	PrefixUser            = "AIDA"
	PrefixRole            = "AROA"
	PrefixGroup           = "AGPA"
	PrefixManagedPolicy   = "ANPA"
	PrefixInstanceProfile = "AIPA"
	PrefixFederatedUser   = "AIDA" // federated users have no id of their own; AWS shows ACCOUNT:name
)

// ErrMalformed is returned for values that are not well-formed credentials.
var ErrMalformed = errors.New("credential: malformed")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// accountMask selects the 40 bits that hold the account id inside the first
// six bytes of a decoded key id (bits 7..46), as in AWS's key ids.
const accountMask = 0x7fffffffff80

// NewAccessKeyID returns a fresh 20-character key id with prefix (AKIA or
// ASIA) whose payload encodes account.
func NewAccessKeyID(prefix, account string) (string, error) {
	acct, err := parseAccount(account)
	if err != nil {
		return "", err
	}
	var buf [10]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	var six [8]byte
	copy(six[2:], buf[:6])
	v := binary.BigEndian.Uint64(six[:])
	v = (v &^ accountMask) | (acct << 7 & accountMask)
	v &^= 1 << 47 // the top bit of the 48 stays clear, as in AWS's ids
	binary.BigEndian.PutUint64(six[:], v)
	copy(buf[:6], six[2:])
	return prefix + b32.EncodeToString(buf[:]), nil
}

// AccountFromAccessKeyID returns the 12-digit account id encoded in a key id
// made by NewAccessKeyID (or by AWS since 2019).
func AccountFromAccessKeyID(id string) (string, error) {
	if !ValidAccessKeyID(id) {
		return "", ErrMalformed
	}
	raw, err := b32.DecodeString(id[4:])
	if err != nil || len(raw) < 6 {
		return "", ErrMalformed
	}
	var six [8]byte
	copy(six[2:], raw[:6])
	v := (binary.BigEndian.Uint64(six[:]) & accountMask) >> 7
	if v > 999999999999 {
		return "", ErrMalformed
	}
	return fmt.Sprintf("%012d", v), nil
}

// ValidAccessKeyID reports whether id has the AWS access key id shape: four
// prefix letters followed by 16 base32 characters (A-Z, 2-7).
func ValidAccessKeyID(id string) bool {
	if len(id) != 20 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || i >= 4 && c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// IsTemporary reports whether id is a temporary (ASIA) access key id.
func IsTemporary(id string) bool { return strings.HasPrefix(id, PrefixTemporaryKey) }

const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// NewSecretAccessKey returns a fresh 40-character secret access key.
func NewSecretAccessKey() (string, error) {
	var buf [40]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	for i, b := range buf {
		buf[i] = secretAlphabet[b&63]
	}
	return string(buf[:]), nil
}

// ValidSecretAccessKey reports whether s has the shape of an AWS secret
// access key: 40 characters of base64's alphabet.
func ValidSecretAccessKey(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(secretAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// NewUniqueID returns a 21-character unique id with prefix (AIDA, AROA, ...)
// as IAM shows in UserId, RoleId, PolicyId.
func NewUniqueID(prefix string) (string, error) {
	var buf [11]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	return prefix + b32.EncodeToString(buf[:])[:17], nil
}

// NewAccountID returns a random 12-digit account id that does not start
// with 0 (so it never looks like a padded number).
func NewAccountID() (string, error) {
	var buf [8]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("credential: random: %w", err)
	}
	n := binary.BigEndian.Uint64(buf[:])%900000000000 + 100000000000
	return fmt.Sprintf("%012d", n), nil
}

// ValidAccountID reports whether s is a 12-digit account id.
func ValidAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseAccount(account string) (uint64, error) {
	if !ValidAccountID(account) {
		return 0, fmt.Errorf("%w: account id %q", ErrMalformed, account)
	}
	var v uint64
	for i := 0; i < len(account); i++ {
		v = v*10 + uint64(account[i]-'0')
	}
	return v, nil
}
