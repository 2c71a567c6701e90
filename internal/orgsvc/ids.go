package orgsvc

import (
	"crypto/rand"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n characters of [a-z0-9] from crypto/rand.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		// 252 = 7*36: reject the tail to keep the distribution uniform.
		for b[i] >= 252 {
			var one [1]byte
			_, _ = rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// ID shapes as AWS issues them.
func newOrgID() string             { return "o-" + randomID(10) }
func newRootID() string            { return "r-" + randomID(4) }
func newOUID(rootID string) string { return "ou-" + rootID[2:] + "-" + randomID(8) }
func newPolicyID() string          { return "p-" + randomID(10) }
func newRequestID() string         { return "car-" + randomID(32) }
