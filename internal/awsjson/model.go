package awsjson

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Model is the part of a botocore service model the runtime needs.
type Model struct {
	// TargetPrefix is the X-Amz-Target prefix, e.g.
	// "AWSOrganizationsV20161128".
	TargetPrefix string
	ops          map[string]string // operation → input shape ("" if none)
	shapes       map[string]*Shape
}

// Shape is one model shape with its constraints.
type Shape struct {
	Name     string
	Type     string
	Members  map[string]string // member name → shape name
	Required []string
	Min, Max *float64
	Enum     []string
	// Pattern is the model's (Java) pattern; re is its anchored RE2 form.
	Pattern string
	re      *regexp.Regexp
	Member  string // list member shape
	Key     string // map key shape
	Value   string // map value shape
}

type rawModel struct {
	Metadata struct {
		TargetPrefix string `json:"targetPrefix"`
		Protocol     string `json:"protocol"`
	} `json:"metadata"`
	Operations map[string]struct {
		Input *struct {
			Shape string `json:"shape"`
		} `json:"input"`
	} `json:"operations"`
	Shapes map[string]struct {
		Type     string                            `json:"type"`
		Members  map[string]struct{ Shape string } `json:"members"`
		Required []string                          `json:"required"`
		Min      *float64                          `json:"min"`
		Max      *float64                          `json:"max"`
		Enum     []string                          `json:"enum"`
		Pattern  string                            `json:"pattern"`
		Member   *struct{ Shape string }           `json:"member"`
		Key      *struct{ Shape string }           `json:"key"`
		Value    *struct{ Shape string }           `json:"value"`
	} `json:"shapes"`
}

// LoadModel parses a botocore service-2.json of a JSON-protocol service.
func LoadModel(b []byte) (*Model, error) {
	var raw rawModel
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("awsjson: model: %w", err)
	}
	if raw.Metadata.Protocol != "json" || raw.Metadata.TargetPrefix == "" {
		return nil, fmt.Errorf("awsjson: model protocol %q is not json", raw.Metadata.Protocol)
	}
	m := &Model{TargetPrefix: raw.Metadata.TargetPrefix, ops: map[string]string{}, shapes: map[string]*Shape{}}
	for name, op := range raw.Operations {
		in := ""
		if op.Input != nil {
			in = op.Input.Shape
		}
		m.ops[name] = in
	}
	for name, rs := range raw.Shapes {
		s := &Shape{Name: name, Type: rs.Type, Required: rs.Required, Min: rs.Min, Max: rs.Max, Enum: rs.Enum, Pattern: rs.Pattern}
		if len(rs.Members) > 0 {
			s.Members = make(map[string]string, len(rs.Members))
			for mn, mm := range rs.Members {
				s.Members[mn] = mm.Shape
			}
		}
		if rs.Member != nil {
			s.Member = rs.Member.Shape
		}
		if rs.Key != nil {
			s.Key = rs.Key.Shape
		}
		if rs.Value != nil {
			s.Value = rs.Value.Shape
		}
		if rs.Pattern != "" {
			re, err := regexp.Compile(`^(?:` + javaToRE2(rs.Pattern) + `)$`)
			if err != nil {
				return nil, fmt.Errorf("awsjson: shape %s: pattern %q: %w", name, rs.Pattern, err)
			}
			s.re = re
		}
		m.shapes[name] = s
	}
	for op, in := range m.ops {
		if in != "" && m.shapes[in] == nil {
			return nil, fmt.Errorf("awsjson: operation %s: no shape %s", op, in)
		}
	}
	return m, nil
}

// HasOperation reports whether op is an operation of the model.
func (m *Model) HasOperation(op string) bool {
	_, ok := m.ops[op]
	return ok
}

// javaToRE2 rewrites the Java regular-expression syntax botocore patterns
// use that RE2 spells differently: \uXXXX escapes and escaped slashes.
func javaToRE2(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			n := p[i+1]
			switch {
			case n == 'u' && i+5 < len(p):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			case n == '/':
				b.WriteByte('/')
				i++
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
