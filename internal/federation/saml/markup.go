package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"

	rtvalidator "github.com/mattermost/xml-roundtrip-validator"
)

// checkMarkup refuses what a SAML message never needs and attackers use:
// DTDs and entity declarations (entity expansion, external entities),
// processing instructions other than the XML declaration, and — unless
// allowComments — comments (the NameID comment-truncation attack). It then
// runs the encoding/xml round-trip check, which refuses documents whose
// meaning would change when parsed and re-serialised (namespace and
// directive tricks against encoding/xml).
func checkMarkup(doc []byte, allowComments bool) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	first := true
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errors.New("DTDs and directives are not allowed")
		case xml.ProcInst:
			if !first || t.Target != "xml" {
				return errors.New("processing instructions are not allowed")
			}
		case xml.Comment:
			if !allowComments {
				return errors.New("comments are not allowed")
			}
		}
		if _, ws := tok.(xml.CharData); !ws {
			first = false
		}
	}
	if err := rtvalidator.Validate(bytes.NewReader(doc)); err != nil {
		return errors.New("document does not round-trip through encoding/xml")
	}
	return nil
}
