package saml_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/federation/saml"
)

// crewjamCase is one case of testdata/crewjam/manifest.json.
type crewjamCase struct {
	Test        string   `json:"upstream_test"`
	Response    []string `json:"response_file"`
	Metadata    []string `json:"idp_metadata_file"`
	ClockNow    *string  `json:"clock_now"`
	ACS         []string `json:"acs_url"`
	Audience    []string `json:"audience_sp_metadata_url"`
	RawXML      bool     `json:"response_file_is_raw_xml_needing_base64"`
	Expected    string   `json:"expected"`
	UpstreamErr []string `json:"upstream_error"`
	CertClock   *string  `json:"signature_cert_validity_clock"`
}

// crewjamWant is what our verifier must do with each upstream case, and
// why when it differs from crewjam's own expectation: nil means accept.
var crewjamWant = map[string]error{
	// Real IdP output, accepted.
	"TestSPCanHandleOneloginResponse":                      nil,
	"TestSPCanHandlePlaintextResponse":                     nil,
	"TestServiceProviderCanHandleSignedAssertionsResponse": nil,
	// Encrypted assertions are refused (not implemented).
	"TestSPCanHandleOktaSignedResponseEncryptedAssertion":     saml.ErrUnsupported,
	"TestSPCanHandleOktaResponseEncryptedSignedAssertion":     saml.ErrUnsupported,
	"TestSPCanHandleOktaResponseEncryptedAssertionBothSigned": saml.ErrUnsupported,
	// A comment injected into the NameID: refused before any signature
	// check (comments are not allowed at all).
	"TestSPRejectsInjectedComment": saml.ErrMalformed,
	// The file is the valid original; the test changes a signed value.
	"TestSPRejectsMalformedResponse": saml.ErrSignature,
	// The nine signature-wrapping permutations.
	"TestXswPermutationOneIsRejected":   nil,
	"TestXswPermutationTwoIsRejected":   nil,
	"TestXswPermutationThreeIsRejected": nil,
	"TestXswPermutationFourIsRejected":  nil,
	"TestXswPermutationFiveIsRejected":  nil,
	"TestXswPermutationSixIsRejected":   nil,
	"TestXswPermutationSevenIsRejected": nil,
	"TestXswPermutationEightIsRejected": nil,
	"TestXswPermutationNineIsRejected":  nil,
	// KeyInfo holds an RSAKeyValue, not a certificate: verified with the
	// provider's certificate.
	"TestSPRealWorldKeyInfoHasRSAPublicKeyNotX509Cert": nil,
	"TestSPRealWorldAssertionSignedNotResponse":        nil,
	// Two assertions, one signed: refused (exactly one Assertion allowed).
	"TestMultipleAssertions": saml.ErrMalformed,
}

func parseClock(s string) time.Time {
	for _, layout := range []string{time.UnixDate, "Mon Jan _2 15:04:05 MST 2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func TestCrewjamFixtures(t *testing.T) {
	raw, err := os.ReadFile("testdata/crewjam/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Cases []crewjamCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range m.Cases {
		name := c.Test[strings.LastIndex(c.Test, "::")+2:]
		want, known := crewjamWant[name]
		if !known || c.ClockNow == nil || len(c.Metadata) == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			md, err := os.ReadFile(filepath.Join("testdata/crewjam", c.Metadata[0]))
			if err != nil {
				t.Fatal(err)
			}
			meta, err := saml.ParseMetadata(md)
			if err != nil {
				t.Fatalf("metadata: %v", err)
			}
			resp, err := os.ReadFile(filepath.Join("testdata/crewjam", c.Response[0]))
			if err != nil {
				t.Fatal(err)
			}
			s := string(resp)
			if c.RawXML {
				s = base64.StdEncoding.EncodeToString(resp)
			}
			switch name {
			case "TestSPRejectsInjectedComment":
				s = tamperB64(t, s, "ross@octolabs.io", "ross@<!-- and a comment -->octolabs.io")
			case "TestSPRejectsMalformedResponse":
				s = tamperB64(t, s, "ross@octolabs.io", "root@octolabs.io")
			}
			now := parseClock(*c.ClockNow)
			if now.IsZero() {
				t.Fatalf("clock %q", *c.ClockNow)
			}
			opts := saml.Options{Certificates: meta.Certificates, Issuer: meta.EntityID, Audiences: c.Audience,
				Recipients: c.ACS, Now: now, Skew: 10 * time.Minute}
			if c.CertClock != nil {
				opts.CertTime = parseClock(*c.CertClock)
			}
			a, err := saml.Verify(s, opts)
			shouldReject := strings.HasPrefix(c.Expected, "reject") || want != nil
			switch {
			case shouldReject && err == nil:
				t.Fatalf("accepted (%s): %+v", c.Expected, a)
			case shouldReject && want != nil && !errors.Is(err, want):
				t.Fatalf("got %v, want %v", err, want)
			case !shouldReject && err != nil:
				t.Fatalf("rejected: %v", err)
			}
		})
		ran++
	}
	if ran < 15 {
		t.Fatalf("only %d cases ran", ran)
	}
}

// tamperB64 replaces old with new inside a base64 response.
func tamperB64(t *testing.T, s, old, new string) string {
	t.Helper()
	raw, err := saml.DecodeResponse(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), old) {
		t.Fatalf("%q not in response", old)
	}
	return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), old, new, 1)))
}
