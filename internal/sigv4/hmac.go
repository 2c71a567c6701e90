package sigv4

import "crypto/sha256"

// HMAC-SHA256 without allocation. crypto/hmac allocates two hash states per
// key; SigV4 keys change at every step of the derivation, so this computes
// HMAC(K, m) = H((K^opad) || H((K^ipad) || m)) with one-shot sha256.Sum256
// over a caller-provided buffer instead.

const blockSize = 64

// padKey returns key as an HMAC block (hashed first when longer).
func padKey(key []byte) (k [blockSize]byte) {
	if len(key) > blockSize {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	return k
}

// hmacStart appends the inner pad of key to buf[:0]; the caller appends the
// message and calls hmacFinish.
func hmacStart(buf []byte, k *[blockSize]byte) []byte {
	buf = buf[:0]
	for _, c := range k {
		buf = append(buf, c^0x36)
	}
	return buf
}

// hmacFinish completes the MAC over buf = inner pad || message.
func hmacFinish(buf []byte, k *[blockSize]byte) [sha256.Size]byte {
	inner := sha256.Sum256(buf)
	var outer [blockSize + sha256.Size]byte
	for i, c := range k {
		outer[i] = c ^ 0x5c
	}
	copy(outer[blockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// hmacSHA256 returns HMAC-SHA256(key, msg), using buf as scratch space.
func hmacSHA256(buf, key []byte, msg string) ([sha256.Size]byte, []byte) {
	k := padKey(key)
	buf = hmacStart(buf, &k)
	buf = append(buf, msg...)
	return hmacFinish(buf, &k), buf
}

// deriveKey computes the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func deriveKey(secret string, sc *Scope) [sha256.Size]byte {
	var kbuf [blockSize]byte
	key := append(kbuf[:0], "AWS4"...)
	key = append(key, secret...)
	var mbuf [2 * blockSize]byte
	buf := mbuf[:0]
	var k [sha256.Size]byte
	k, buf = hmacSHA256(buf, key, sc.Date)
	k, buf = hmacSHA256(buf, k[:], sc.Region)
	k, buf = hmacSHA256(buf, k[:], sc.Service)
	k, _ = hmacSHA256(buf, k[:], terminator)
	for i := range kbuf {
		kbuf[i] = 0
	}
	return k
}
