package policy

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

type motoFile struct {
	Cases []struct {
		ID              string          `json:"id"`
		Document        json.RawMessage `json:"document"`
		ExpectedMessage string          `json:"expected_message"`
	} `json:"cases"`
}

// motoDoc turns a case's document into the PolicyDocument string the
// upstream test sends (json.dumps of the value).
func motoDoc(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return string(raw)
}

func loadMoto(t *testing.T, name string) motoFile {
	t.Helper()
	b, err := os.ReadFile("testdata/moto/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var f motoFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMotoInvalidPolicies(t *testing.T) {
	f := loadMoto(t, "invalid_policy_documents.json")
	if len(f.Cases) != 78 {
		t.Fatalf("got %d cases, want 78", len(f.Cases))
	}
	for _, c := range f.Cases {
		doc := motoDoc(t, c.Document)
		_, err := Parse(doc, Identity)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: accepted, want %q\n%s", c.ID, c.ExpectedMessage, doc)
			continue
		}
		if !errors.Is(err, ErrMalformedPolicyDocument) {
			t.Errorf("%s: error does not wrap ErrMalformedPolicyDocument", c.ID)
		}
		if ve.Message != c.ExpectedMessage {
			t.Errorf("%s: got %q, want %q\n%s", c.ID, ve.Message, c.ExpectedMessage, doc)
		}
	}
}

func TestMotoValidPolicies(t *testing.T) {
	f := loadMoto(t, "valid_policy_documents.json")
	if len(f.Cases) != 54 {
		t.Fatalf("got %d cases, want 54", len(f.Cases))
	}
	for _, c := range f.Cases {
		doc := motoDoc(t, c.Document)
		if _, err := Parse(doc, Identity); err != nil {
			t.Errorf("%s: %v\n%s", c.ID, err, doc)
		}
	}
}
