package credential

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func testSession() *Session {
	now := time.Date(2026, 11, 22, 21, 0, 0, 123000, time.UTC)
	return &Session{
		Type: SessionAssumedRole, AccessKeyID: "ASIAY34FZKBOKMUTVV7A", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Account: "123456789012", PrincipalARN: "arn:aws:iam::123456789012:role/admin", PrincipalID: "AROAEXAMPLEEXAMPLE12",
		SessionName: "s1", IssuedAt: now, Expires: now.Add(time.Hour),
		Policies:   []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
		PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		Tags:       []SessionTag{{"team", "blue"}, {"env", ""}}, TransitiveKeys: []string{"team"},
		SourceIdentity: "alice", MFA: true, ChainDepth: 2, MFAAuthTime: now.Add(-time.Minute),
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	k1, _ := NewRingKey(1)
	ring, err := NewKeyRing(k1)
	if err != nil {
		t.Fatal(err)
	}
	web := testSession()
	web.ProviderKeys = []SessionTag{{"aws:FederatedProvider", "arn:aws:iam::123456789012:oidc-provider/idp.example.com"},
		{"idp.example.com:sub", "alice"}, {"idp.example.com:amr", "pwd"}, {"idp.example.com:amr", "mfa"}}
	noAge := testSession()
	noAge.MFAAuthTime = time.Time{}
	webNoMFA := testSession()
	webNoMFA.MFA, webNoMFA.MFAAuthTime, webNoMFA.ProviderKeys = false, time.Time{}, web.ProviderKeys
	for _, s := range []*Session{testSession(), web, noAge, webNoMFA, {Type: SessionToken, AccessKeyID: "ASIA", IssuedAt: time.Unix(0, 0).UTC(), Expires: time.Unix(900, 0).UTC()}} {
		tok, err := ring.Seal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ring.Open(tok)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
		}
		if strings.Contains(tok, s.SecretAccessKey) && s.SecretAccessKey != "" {
			t.Fatal("secret visible in token")
		}
	}
}

func TestRotationAndTampering(t *testing.T) {
	k1, _ := NewRingKey(1)
	k2, _ := NewRingKey(2)
	old, _ := NewKeyRing(k1)
	tok, _ := old.Seal(testSession())
	// After rotation, tokens sealed with the previous key still open.
	rotated, _ := NewKeyRing(k2, k1)
	if _, err := rotated.Open(tok); err != nil {
		t.Fatalf("previous key: %v", err)
	}
	// Once the previous key is dropped they do not.
	dropped, _ := NewKeyRing(k2)
	if _, err := dropped.Open(tok); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("dropped key: %v", err)
	}
	// Any changed byte is refused.
	raw := []byte(tok)
	// Every position, including the last characters whose low bits carry
	// no data: strict decoding refuses non-canonical encodings.
	for i := range raw {
		mut := append([]byte(nil), raw...)
		if mut[i] == 'A' {
			mut[i] = 'B'
		} else {
			mut[i] = 'A'
		}
		if _, err := rotated.Open(string(mut)); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("tampered at %d accepted", i)
		}
	}
	for _, bad := range []string{"", "!!!", "AAAA", strings.Repeat("A", 200)} {
		if _, err := rotated.Open(bad); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func FuzzOpenSessionToken(f *testing.F) {
	k1 := RingKey{ID: 7}
	ring, _ := NewKeyRing(k1)
	tok, _ := ring.Seal(testSession())
	f.Add(tok)
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		s, err := ring.Open(token)
		if err == nil && s == nil {
			t.Fatal("nil session without error")
		}
	})
}

// FuzzDecodeSession feeds arbitrary plaintext bodies to the decoder (as if
// a key had leaked): it must never panic and must round-trip what it
// accepts.
func FuzzDecodeSession(f *testing.F) {
	f.Add(testSession().appendBinary(nil))
	f.Fuzz(func(t *testing.T, body []byte) {
		var s Session
		if s.decodeBinary(body) != nil {
			return
		}
		var again Session
		if err := again.decodeBinary(s.appendBinary(nil)); err != nil || !reflect.DeepEqual(s, again) {
			t.Fatalf("re-encode mismatch: %v", err)
		}
	})
}

func BenchmarkSealSession(b *testing.B) {
	k, _ := NewRingKey(1)
	ring, _ := NewKeyRing(k)
	s := testSession()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ring.Seal(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenSession(b *testing.B) {
	k, _ := NewRingKey(1)
	ring, _ := NewKeyRing(k)
	tok, _ := ring.Seal(testSession())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ring.Open(tok); err != nil {
			b.Fatal(err)
		}
	}
}
