package oidc

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

type wpFile struct {
	TestGroups []struct {
		Comment string          `json:"comment"`
		Public  json.RawMessage `json:"public"`
		Private json.RawMessage `json:"private"`
		Tests   []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			JWS     string   `json:"jws"`
			Result  string   `json:"result"`
			Flags   []string `json:"flags"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// wpKeySet turns a group's key (a JWK or a JWK set; private members are
// ignored by the parser) into a key set, or nil when no key is usable.
func wpKeySet(t *testing.T, pub, priv json.RawMessage) *KeySet {
	raw := pub
	if raw == nil {
		raw = priv
	}
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		t.Fatal(err)
	}
	if probe.Keys == nil {
		raw = []byte(`{"keys":[` + string(raw) + `]}`)
	}
	ks, err := ParseKeySet(raw)
	if err != nil {
		return nil
	}
	return ks
}

// verifyVector parses and verifies a compact JWS against ks.
func verifyVector(ks *KeySet, jws string) error {
	tok, err := ParseCompact(jws)
	if err != nil {
		return err
	}
	if ks == nil {
		return ErrUnknownKey
	}
	return tok.Verify(ks)
}

// stricter lists valid vectors iamd refuses on purpose.
var stricter = map[string]bool{"Figure20/rfc7520": true, "Figure20/rfc7520WithKeyOps": true}

// headerAlg decodes a vector's header leniently (dropping characters
// outside the base64url alphabet) to learn its algorithm.
func headerAlg(jws string) string {
	h, _, _ := strings.Cut(jws, ".")
	h = strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, h)
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return ""
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	json.Unmarshal(b, &hdr)
	return hdr.Alg
}

func runWycheproof(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f wpFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var accepted, refused, policy int
	for _, g := range f.TestGroups {
		ks := wpKeySet(t, g.Public, g.Private)
		for _, tc := range g.Tests {
			err := verifyVector(ks, tc.JWS)
			switch tc.Result {
			case "valid":
				// Valid vectors of algorithms iamd never accepts (HS*, ES512)
				// must still be refused; so must the two RFC 7520 vectors that
				// sign with PS384 under a JWK declaring "alg":"PS256" (iamd
				// holds a key to its declared algorithm, RFC 7517 §4.4).
				if !Allowed(headerAlg(tc.JWS)) || stricter[tc.Comment+"/"+g.Comment] {
					if err == nil {
						t.Errorf("tc %d (%s %s): accepted a vector iamd must refuse", tc.TcID, g.Comment, tc.Comment)
					}
					policy++
					continue
				}
				if err != nil {
					t.Errorf("tc %d (%s %s): valid vector refused: %v", tc.TcID, g.Comment, tc.Comment, err)
					continue
				}
				accepted++
			default:
				if err == nil {
					t.Errorf("tc %d (%s %s, %v): invalid vector accepted", tc.TcID, g.Comment, tc.Comment, tc.Flags)
					continue
				}
				refused++
			}
		}
	}
	t.Logf("%s: %d valid accepted, %d invalid refused, %d valid refused by algorithm policy", file, accepted, refused, policy)
}

func TestWycheproofJWS(t *testing.T) {
	runWycheproof(t, "testdata/wycheproof/json_web_signature_test.json")
}

func TestWycheproofJWK(t *testing.T) {
	runWycheproof(t, "testdata/wycheproof/json_web_key_test.json")
}
