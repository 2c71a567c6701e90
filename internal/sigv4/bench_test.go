package sigv4

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Benchmarks for BENCHMARKS.md. Every figure is a ratio against a baseline
// measured in the same run:
//
//	go test -run '^$' -bench . -benchmem ./internal/sigv4 ./bench/sigv4bench
//
// The BenchmarkRatio* benchmarks run subject and baseline in alternating
// batches and report subject/baseline as "ratio" (robust to a machine whose
// speed drifts, e.g. shared cores); the plain benchmarks give absolute ns/op
// and allocations.
//
//   - VerifyCached / ParseVerifyCached vs BaselineHMACChain (target ≤ 2x):
//     the bare SigV4 HMAC chain, four derivation steps plus the HMAC of the
//     string to sign, allocation-free and nothing else.
//   - VerifyCold vs VerifyNaive (target ≤ 1.1x): a key-cache miss on every
//     request against deriving the key with four HMACs and verifying with no
//     cache at all.

// benchmarkRatio runs base and subject in alternating batches over the same
// iteration numbers, swapping which goes first at every batch so that
// neither profits from data the other brought into the CPU caches, and
// reports their time ratio and each one's ns/op.
func benchmarkRatio(b *testing.B, base, subject func(i int)) {
	const batch = 32
	var tb, ts time.Duration
	run := func(f func(int), n int) time.Duration {
		t0 := time.Now()
		for i := 0; i < batch; i++ {
			f(n + i)
		}
		return time.Since(t0)
	}
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	for ; n < b.N; n += batch {
		if n/batch%2 == 0 {
			tb += run(base, n)
			ts += run(subject, n)
		} else {
			ts += run(subject, n)
			tb += run(base, n)
		}
	}
	b.ReportMetric(float64(ts)/float64(tb), "ratio")
	b.ReportMetric(float64(ts.Nanoseconds())/float64(n), "subject-ns/op")
	b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "baseline-ns/op")
}

// benchRequest is an SDK-shaped STS GetCallerIdentity request and its auth.
func benchRequest(b testing.TB, secret string) (*http.Request, []byte, *Auth) {
	r, body := stsRequest(testDate).build(b)
	signHeader(b, r, body, testAKID, secret, testScope, "content-length;content-type;host;x-amz-date")
	return r, body, mustParse(b, r)
}

// bareHMAC is HMAC-SHA256 written out with one-shot hashing over a reused
// buffer: the cheapest correct HMAC, independent of the package's own.
func bareHMAC(buf []byte, key []byte, msg []byte) ([32]byte, []byte) {
	var k [64]byte
	copy(k[:], key) // keys here are at most 64 bytes
	buf = buf[:0]
	for _, c := range k {
		buf = append(buf, c^0x36)
	}
	buf = append(buf, msg...)
	inner := sha256.Sum256(buf)
	var outer [96]byte
	for i, c := range k {
		outer[i] = c ^ 0x5c
	}
	copy(outer[64:], inner[:])
	return sha256.Sum256(outer[:]), buf
}

// hmacChain returns the baseline: the SigV4 HMAC chain over the string to
// sign of the benchmark request.
func hmacChain(b testing.TB) func(int) {
	r, body, a := benchRequest(b, testSecret)
	var s scratch
	var ph [64]byte
	p, _ := payloadHash(&ph, a, body)
	sts := appendStringToSign(nil, a, s.canonicalRequest(a, r, p, optsFor("sts")))
	secret := []byte("AWS4" + testSecret)
	date, region, service, term := []byte("20150830"), []byte("us-east-1"), []byte("sts"), []byte("aws4_request")
	buf := make([]byte, 0, 512)
	var k [32]byte
	return func(int) {
		k, buf = bareHMAC(buf, secret, date)
		k, buf = bareHMAC(buf, k[:], region)
		k, buf = bareHMAC(buf, k[:], service)
		k, buf = bareHMAC(buf, k[:], term)
		k, buf = bareHMAC(buf, k[:], sts)
	}
}

func BenchmarkBaselineHMACChain(b *testing.B) {
	chain := hmacChain(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		chain(i)
	}
}

// verifier returns a function verifying r with v.
func verifyFunc(b testing.TB, v *Verifier, parse bool) func(int) {
	r, body, a := benchRequest(b, testSecret)
	return func(int) {
		if parse {
			var err error
			if a, err = Parse(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRatioVerifyCachedVsHMACChain(b *testing.B) {
	benchmarkRatio(b, hmacChain(b), verifyFunc(b, NewVerifier(1024), false))
}

func BenchmarkRatioParseVerifyCachedVsHMACChain(b *testing.B) {
	benchmarkRatio(b, hmacChain(b), verifyFunc(b, NewVerifier(1024), true))
}

func BenchmarkRatioVerifyColdVsNaive(b *testing.B) {
	set := coldSet(b)
	cold, naive := NewVerifier(64), NewVerifier(0)
	run := func(v *Verifier) func(int) {
		return func(i int) {
			c := &set[i%len(set)]
			if err := v.Verify(c.a, c.r, c.body, c.secret, suiteTime); err != nil {
				b.Fatal(err)
			}
		}
	}
	benchmarkRatio(b, run(naive), run(cold))
}

func BenchmarkVerifyCached(b *testing.B) {
	r, body, a := benchRequest(b, testSecret)
	v := NewVerifier(1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyCached(b *testing.B) {
	r, body, _ := benchRequest(b, testSecret)
	v := NewVerifier(1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
			b.Fatal(err)
		}
	}
}

// coldSet is a set of requests signed with distinct secrets, many more than
// the cache of the cold benchmark holds, so every Verify misses.
type coldReq struct {
	r      *http.Request
	body   []byte
	a      *Auth
	secret string
}

func coldSet(b *testing.B) []coldReq {
	set := make([]coldReq, 4096)
	for i := range set {
		secret := fmt.Sprintf("%040d", i)
		r, body, a := benchRequest(b, secret)
		set[i] = coldReq{r, body, a, secret}
	}
	return set
}

func benchmarkVerifySet(b *testing.B, v *Verifier, set []coldReq) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &set[i%len(set)]
		if err := v.Verify(c.a, c.r, c.body, c.secret, suiteTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCold(b *testing.B) {
	benchmarkVerifySet(b, NewVerifier(64), coldSet(b))
}

func BenchmarkVerifyNaive(b *testing.B) {
	benchmarkVerifySet(b, NewVerifier(0), coldSet(b))
}

func BenchmarkParseHeader(b *testing.B) {
	r, _, _ := benchRequest(b, testSecret)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyPresigned(b *testing.B) {
	r, body := presignedSTS(b, 60, "FQoGZXIvYXdzEXAMPLE+token/value==")
	v := NewVerifier(1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
			b.Fatal(err)
		}
	}
}
