package policy

import (
	"unicode/utf8"
)

// MarshalJSON writes the policy in canonical form: Version (when present),
// Id (when present) and Statement as an array; in each statement Sid,
// Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource
// and Condition in that order; every string-or-array element as an array;
// Principal "*" as the string "*", otherwise an object with AWS,
// CanonicalUser, Federated and Service keys; condition values as strings.
// Parsing the output yields the same statements (positions aside).
func (p *Policy) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	sep := false
	field := func(name string) {
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = appendString(b, name)
		b = append(b, ':')
	}
	if p.Version != "" {
		field("Version")
		b = appendString(b, p.Version)
	}
	if p.ID != "" {
		field("Id")
		b = appendString(b, p.ID)
	}
	field("Statement")
	b = append(b, '[')
	for i := range p.Statements {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.Statements[i].appendJSON(b)
	}
	b = append(b, ']', '}')
	return b, nil
}

func (st *Statement) appendJSON(b []byte) []byte {
	b = append(b, '{')
	sep := false
	field := func(name string) {
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = appendString(b, name)
		b = append(b, ':')
	}
	if st.Sid != "" {
		field("Sid")
		b = appendString(b, st.Sid)
	}
	field("Effect")
	b = appendString(b, st.Effect.String())
	if st.Principal != nil {
		if st.NotPrincipal {
			field("NotPrincipal")
		} else {
			field("Principal")
		}
		b = st.Principal.appendJSON(b)
	}
	if st.Action != nil {
		if st.NotAction {
			field("NotAction")
		} else {
			field("Action")
		}
		b = appendStrings(b, st.Action)
	}
	if st.Resource != nil {
		if st.NotResource {
			field("NotResource")
		} else {
			field("Resource")
		}
		b = appendStrings(b, st.Resource)
	}
	if len(st.Conditions) > 0 {
		field("Condition")
		b = append(b, '{')
		for i := 0; i < len(st.Conditions); {
			op := st.Conditions[i].Operator
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, op)
			b = append(b, ':', '{')
			for first := i; i < len(st.Conditions) && st.Conditions[i].Operator == op; i++ {
				if i > first {
					b = append(b, ',')
				}
				b = appendString(b, st.Conditions[i].Key)
				b = append(b, ':')
				b = appendStrings(b, st.Conditions[i].Values)
			}
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

func (ps *Principals) appendJSON(b []byte) []byte {
	if ps.All {
		return appendString(b, "*")
	}
	b = append(b, '{')
	sep := false
	for _, kv := range []struct {
		k string
		v []string
	}{{"AWS", ps.AWS}, {"CanonicalUser", ps.CanonicalUser}, {"Federated", ps.Federated}, {"Service", ps.Service}} {
		if kv.v == nil {
			continue
		}
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = appendString(b, kv.k)
		b = append(b, ':')
		b = appendStrings(b, kv.v)
	}
	return append(b, '}')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// String returns the canonical JSON form.
func (p *Policy) String() string {
	b, _ := p.MarshalJSON()
	return string(b)
}
