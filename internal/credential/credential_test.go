package credential

import (
	"errors"
	"strings"
	"testing"
)

func TestAccessKeyIDCarriesAccount(t *testing.T) {
	for _, acct := range []string{"000000000000", "123456789012", "999999999999", "111122223333"} {
		for _, prefix := range []string{PrefixLongTermKey, PrefixTemporaryKey} {
			for i := 0; i < 50; i++ {
				id, err := NewAccessKeyID(prefix, acct)
				if err != nil {
					t.Fatal(err)
				}
				if !ValidAccessKeyID(id) || !strings.HasPrefix(id, prefix) {
					t.Fatalf("bad id %q", id)
				}
				got, err := AccountFromAccessKeyID(id)
				if err != nil || got != acct {
					t.Fatalf("AccountFromAccessKeyID(%q) = %q, %v; want %q", id, got, err, acct)
				}
			}
		}
	}
}

// TestAWSDocumentedKeyIDs checks the decoding against key ids whose accounts
// are publicly known from AWS's own documentation and research write-ups.
func TestAWSDocumentedKeyIDs(t *testing.T) {
	cases := []struct{ id, account string }{
		// From "A short note on AWS KEY ID" (Tal Be'ery) and AWS's own examples.
		{"ASIAY34FZKBOKMUTVV7A", "609629065308"},
	}
	for _, c := range cases {
		got, err := AccountFromAccessKeyID(c.id)
		if err != nil || got != c.account {
			t.Errorf("AccountFromAccessKeyID(%q) = %q, %v; want %q", c.id, got, err, c.account)
		}
	}
}

func TestValidators(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"key ok", ValidAccessKeyID, "AKIAIOSFODNN7EXAMPLE", true},
		{"key short", ValidAccessKeyID, "AKIAIOSFODNN7EXAMPL", false},
		{"key lower", ValidAccessKeyID, "akiaIOSFODNN7EXAMPLE", false},
		{"key digit in prefix", ValidAccessKeyID, "AK1AIOSFODNN7EXAMPLE", false},
		{"key bad digit", ValidAccessKeyID, "AKIAIOSFODNN8EXAMPLE", false},
		{"secret ok", ValidSecretAccessKey, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true},
		{"secret short", ValidSecretAccessKey, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", false},
		{"secret bad char", ValidSecretAccessKey, "wJalrXUtnFEMI-K7MDENG/bPxRfiCYEXAMPLEKEY", false},
		{"account ok", ValidAccountID, "123456789012", true},
		{"account short", ValidAccountID, "12345678901", false},
		{"account alpha", ValidAccountID, "12345678901a", false},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: %q → %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestGenerators(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		s, err := NewSecretAccessKey()
		if err != nil || !ValidSecretAccessKey(s) {
			t.Fatalf("secret %q %v", s, err)
		}
		id, err := NewUniqueID(PrefixUser)
		if err != nil || len(id) != 21 || !strings.HasPrefix(id, "AIDA") {
			t.Fatalf("unique id %q %v", id, err)
		}
		a, err := NewAccountID()
		if err != nil || !ValidAccountID(a) || a[0] == '0' {
			t.Fatalf("account %q %v", a, err)
		}
		if seen[id] {
			t.Fatalf("duplicate %q", id)
		}
		seen[id] = true
	}
	if _, err := NewAccessKeyID("AKIA", "12"); !errors.Is(err, ErrMalformed) {
		t.Fatalf("want ErrMalformed, got %v", err)
	}
	if _, err := AccountFromAccessKeyID("nope"); !errors.Is(err, ErrMalformed) {
		t.Fatalf("want ErrMalformed, got %v", err)
	}
}

func FuzzAccountFromAccessKeyID(f *testing.F) {
	f.Add("AKIAIOSFODNN7EXAMPLE")
	f.Add("ASIAY34FZKBOKMUTVV7A")
	f.Fuzz(func(t *testing.T, id string) {
		acct, err := AccountFromAccessKeyID(id)
		if err == nil && !ValidAccountID(acct) {
			t.Fatalf("invalid account %q from %q", acct, id)
		}
	})
}
