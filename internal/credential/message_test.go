package credential

import (
	"bytes"
	"testing"
)

func TestSealMessage(t *testing.T) {
	k1, _ := NewRingKey(1)
	ring, _ := NewKeyRing(k1)
	msg := []byte(`{"allowed":false}`)
	s, err := ring.SealMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ring.OpenMessage(s)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("round trip: %q %v", got, err)
	}
	// A session token is not a message, and a message is not a token.
	tok, _ := ring.Seal(testSession())
	if _, err := ring.OpenMessage(tok); err == nil {
		t.Fatal("token opened as message")
	}
	if _, err := ring.Open(s); err == nil {
		t.Fatal("message opened as token")
	}
	// Tampering anywhere fails.
	for i := range s {
		b := []byte(s)
		b[i] ^= 1
		if _, err := ring.OpenMessage(string(b)); err == nil {
			t.Fatalf("tampered message at %d opened", i)
		}
	}
	// A rotated-out key cannot open it.
	k2, _ := NewRingKey(2)
	other, _ := NewKeyRing(k2)
	if _, err := other.OpenMessage(s); err == nil {
		t.Fatal("opened with another ring")
	}
}

func FuzzOpenMessage(f *testing.F) {
	k1, _ := NewRingKey(1)
	ring, _ := NewKeyRing(k1)
	s, _ := ring.SealMessage([]byte("x"))
	f.Add(s)
	f.Add("")
	f.Add("AgAAAAE")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ring.OpenMessage(s)
	})
}
