package sigv4

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestDeriveKeyAWSExample(t *testing.T) {
	// The signing key of AWS's documented example (secret
	// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830/us-east-1/iam).
	key := deriveKey(suiteSecret, &Scope{"20150830", "us-east-1", "iam"})
	if got := fmt.Sprintf("%x", key); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("signing key %s", got)
	}
}

func TestCacheSeparatesSecrets(t *testing.T) {
	v := NewVerifier(64)
	r, body := signedSTS(t, nil)
	a := mustParse(t, r)
	// Another key id with another secret and the same scope is cached first.
	other := testSecret[:len(testSecret)-1] + "Z"
	if k1, k2 := v.signingKey(other, &a.Scope), v.signingKey(testSecret, &a.Scope); k1 == k2 {
		t.Fatal("two secrets share a derived key")
	}
	if err := v.Verify(a, r, body, other, suiteTime); !errors.Is(err, ErrSignatureDoesNotMatch) {
		t.Fatalf("other secret accepted: %v", err)
	}
	if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(a, r, body, other, suiteTime); !errors.Is(err, ErrSignatureDoesNotMatch) {
		t.Fatalf("other secret accepted once the right key is cached: %v", err)
	}
}

func TestCacheBoundedAndCorrect(t *testing.T) {
	for _, size := range []int{0, 1, 3, 64} {
		v := NewVerifier(size)
		for i := 0; i < 500; i++ {
			sc := Scope{"20150830", fmt.Sprintf("region-%d", i%97), "sts"}
			secret := fmt.Sprintf("secret-%d", i%13)
			if got, want := v.signingKey(secret, &sc), deriveKey(secret, &sc); got != want {
				t.Fatalf("size %d: wrong key for %s %+v", size, secret, sc)
			}
		}
		n := 0
		for i := range v.sets {
			for j := range v.sets[i].ways {
				if v.sets[i].ways[j].used {
					n++
				}
			}
		}
		if limit := max(2*len(v.sets), 0); n > limit || (size > 0 && limit > 2*size) {
			t.Errorf("size %d: %d entries in %d slots", size, n, limit)
		}
	}
}

func TestCacheConcurrent(t *testing.T) {
	v := NewVerifier(4) // small, so entries are replaced while others read them
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				sc := Scope{"20150830", fmt.Sprintf("r%d", (g+i)%7), "iam"}
				secret := fmt.Sprintf("s%d", (g*i)%5)
				if v.signingKey(secret, &sc) != deriveKey(secret, &sc) {
					t.Errorf("wrong key")
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestVerifyConcurrent(t *testing.T) {
	v := NewVerifier(16)
	r, body := signedSTS(t, nil)
	a := mustParse(t, r)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if err := v.Verify(a, r, body, testSecret, suiteTime); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
