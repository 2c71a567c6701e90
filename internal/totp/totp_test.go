package totp

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B vectors for HMAC-SHA-1 (8 digits there; the low six
// digits are the 6-digit code).
func TestRFC6238(t *testing.T) {
	seed := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		got := Code(seed, Counter(time.Unix(tc.unix, 0)))
		if got != tc.want[2:] {
			t.Errorf("T=%d: got %s, want %s", tc.unix, got, tc.want[2:])
		}
	}
}

func TestMatch(t *testing.T) {
	seed := []byte("12345678901234567890")
	now := Counter(time.Unix(1111111111, 0))
	for _, tc := range []struct {
		name     string
		code     string
		notAfter int64
		want     int64
		ok       bool
	}{
		{"current", Code(seed, now), 0, now, true},
		{"previous step", Code(seed, now-1), 0, now - 1, true},
		{"next step", Code(seed, now+1), 0, now + 1, true},
		{"two steps old", Code(seed, now-2), 0, 0, false},
		{"replayed", Code(seed, now), now, 0, false},
		{"older than last use", Code(seed, now-1), now, 0, false},
		{"not digits", "12a456", 0, 0, false},
		{"short", "12345", 0, 0, false},
	} {
		got, ok := Match(seed, tc.code, now, 1, tc.notAfter)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: got (%d,%v), want (%d,%v)", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestURI(t *testing.T) {
	u := URI("alice", "123456789012", make([]byte, SeedLen))
	if u != "otpauth://totp/alice@123456789012?secret="+strings.Repeat("A", 64) {
		t.Fatal(u)
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"123456", "", "12345a", "1234567", "٠١٢٣٤٥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ParseCode(s) == nil {
			if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
				t.Fatalf("accepted %q", s)
			}
			if _, ok := Match([]byte("k"), s, 0, 1, -10); !ok && Code([]byte("k"), 0) == s {
				t.Fatal("own code rejected")
			}
		}
	})
}
