package botomodel

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Node is a parsed XML element (namespaces dropped, as botocore does).
type Node struct {
	Name     string
	Children []*Node
	Text     string
}

// Child returns the first child named name, or nil.
func (n *Node) Child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (n *Node) all(name string) []*Node {
	var out []*Node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// ParseXML parses an XML document into its root Node.
func ParseXML(data []byte) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*Node
	var root *Node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			} else {
				return nil, fmt.Errorf("several root elements")
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// Parser turns XML nodes into generic values following a model's shapes,
// the way botocore's Query response parser does: structures become
// map[string]any (absent members omitted), lists []any, maps
// map[string]any, integers int64, floats float64 (NaN and infinities as
// the strings "NaN", "Infinity", "-Infinity"), booleans bool, timestamps
// float64 seconds since the epoch, blobs their decoded bytes as a string.
type Parser struct {
	Shapes map[string]*Shape
}

// Structure parses n as the structure shape name.
func (p *Parser) Structure(name string, n *Node) (any, error) {
	return p.value(&Ref{Shape: name}, n)
}

func (p *Parser) shape(name string) (*Shape, error) {
	s, ok := p.Shapes[name]
	if !ok {
		return nil, fmt.Errorf("unknown shape %s", name)
	}
	return s, nil
}

// memberKey is botocore's _member_key_name.
func memberKey(m Member, s *Shape) string {
	if s.Type == "list" && (m.Flattened || s.Flattened) && s.Member.LocationName != "" {
		return s.Member.LocationName
	}
	if m.LocationName != "" {
		return m.LocationName
	}
	return m.Name
}

func (p *Parser) value(r *Ref, n *Node) (any, error) {
	s, err := p.shape(r.Shape)
	if err != nil {
		return nil, err
	}
	switch s.Type {
	case "structure":
		out := map[string]any{}
		for _, m := range s.Members {
			ms, err := p.shape(m.Shape)
			if err != nil {
				return nil, err
			}
			key := memberKey(m, ms)
			if ms.Type == "list" && (m.Flattened || ms.Flattened) {
				nodes := n.all(key)
				if len(nodes) == 0 {
					continue
				}
				var l []any
				for _, c := range nodes {
					v, err := p.value(ms.Member, c)
					if err != nil {
						return nil, err
					}
					l = append(l, v)
				}
				out[m.Name] = l
				continue
			}
			if ms.Type == "map" && (m.Flattened || ms.Flattened) {
				nodes := n.all(key)
				if len(nodes) == 0 {
					continue
				}
				mp, err := p.entries(ms, nodes)
				if err != nil {
					return nil, err
				}
				out[m.Name] = mp
				continue
			}
			c := n.Child(key)
			if c == nil {
				continue
			}
			v, err := p.value(m.Ref, c)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Name, err)
			}
			out[m.Name] = v
		}
		return out, nil
	case "list":
		name := "member"
		if s.Member.LocationName != "" {
			name = s.Member.LocationName
		}
		l := []any{}
		for _, c := range n.all(name) {
			v, err := p.value(s.Member, c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case "map":
		return p.entries(s, n.all("entry"))
	}
	return scalar(r, s, strings.TrimSpace(n.Text))
}

func (p *Parser) entries(s *Shape, nodes []*Node) (map[string]any, error) {
	kn, vn := "key", "value"
	if s.Key.LocationName != "" {
		kn = s.Key.LocationName
	}
	if s.Value.LocationName != "" {
		vn = s.Value.LocationName
	}
	out := map[string]any{}
	for _, e := range nodes {
		k, v := e.Child(kn), e.Child(vn)
		if k == nil || v == nil {
			return nil, fmt.Errorf("map entry without %s or %s", kn, vn)
		}
		val, err := p.value(s.Value, v)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSpace(k.Text)] = val
	}
	return out, nil
}

func scalar(r *Ref, s *Shape, text string) (any, error) {
	switch s.Type {
	case "string", "character":
		return text, nil
	case "integer", "long":
		return strconv.ParseInt(text, 10, 64)
	case "float", "double":
		switch text {
		case "NaN", "Infinity", "-Infinity":
			return text, nil
		}
		return strconv.ParseFloat(text, 64)
	case "boolean":
		return strconv.ParseBool(text)
	case "blob":
		b, err := base64.StdEncoding.DecodeString(text)
		return string(b), err
	case "timestamp":
		t, err := ParseTimestamp(text)
		if err != nil {
			return nil, err
		}
		return EpochSeconds(t), nil
	}
	return nil, fmt.Errorf("unsupported shape type %s", s.Type)
}

// ParseTimestamp accepts the timestamp spellings botocore accepts in
// responses: ISO 8601 (with fraction or offset), epoch seconds, HTTP date.
func ParseTimestamp(s string) (time.Time, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", http.TimeFormat} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad timestamp %q", s)
}

// EpochSeconds returns t as float seconds, to the millisecond.
func EpochSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond()/1e6)/1000
}

// ParseResponse parses a Query response to operation op of m as botocore
// does: the result wrapper's content as the output structure (an empty map
// when the operation has no output), and ResponseMetadata/RequestId.
func ParseResponse(m *Model, op string, body []byte) (result map[string]any, requestID string, err error) {
	o, ok := m.Operations[op]
	if !ok {
		return nil, "", fmt.Errorf("unknown operation %s", op)
	}
	root, err := ParseXML(body)
	if err != nil {
		return nil, "", err
	}
	if root.Name != op+"Response" {
		return nil, "", fmt.Errorf("root element %s, want %sResponse", root.Name, op)
	}
	if md := root.Child("ResponseMetadata"); md != nil && md.Child("RequestId") != nil {
		requestID = md.Child("RequestId").Text
	}
	result = map[string]any{}
	if o.Output == nil {
		return result, requestID, nil
	}
	wrapper := o.Output.ResultWrapper
	if wrapper == "" {
		wrapper = op + "Result"
	}
	res := root.Child(wrapper)
	if res == nil {
		return nil, "", fmt.Errorf("no %s element", wrapper)
	}
	v, err := (&Parser{Shapes: m.Shapes}).Structure(o.Output.Shape, res)
	if err != nil {
		return nil, "", err
	}
	return v.(map[string]any), requestID, nil
}

// ParseError parses a Query ErrorResponse into botocore's Error dict (Type,
// Code, Message) and the request id.
func ParseError(body []byte) (map[string]any, string, error) {
	root, err := ParseXML(body)
	if err != nil {
		return nil, "", err
	}
	e := root.Child("Error")
	if root.Name != "ErrorResponse" || e == nil {
		return nil, "", fmt.Errorf("not an ErrorResponse")
	}
	out := map[string]any{}
	for _, c := range e.Children {
		out[c.Name] = c.Text
	}
	rid := ""
	if r := root.Child("RequestId"); r != nil {
		rid = r.Text
	}
	return out, rid, nil
}
