package policy

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jnode is one JSON value with its byte span in the document. The parser
// keeps object members in document order (duplicate names kept; lookups
// take the last, as most JSON readers do).
type jnode struct {
	kind       byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	str        string
	keys       []string
	kids       []*jnode
	start, end int
}

var errJSON = errors.New("invalid JSON")

type jparser struct {
	s     string
	i     int
	depth int
}

func parseJSON(s string) (*jnode, error) {
	p := &jparser{s: s}
	p.ws()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, errJSON
	}
	return n, nil
}

func (p *jparser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

const maxDepth = 64

func (p *jparser) value() (*jnode, error) {
	if p.i >= len(p.s) {
		return nil, errJSON
	}
	start := p.i
	switch c := p.s[p.i]; {
	case c == '{':
		if p.depth++; p.depth > maxDepth {
			return nil, errJSON
		}
		p.i++
		n := &jnode{kind: 'o', start: start}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			n.end = p.i
			p.depth--
			return n, nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return nil, errJSON
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, errJSON
			}
			p.i++
			p.ws()
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k)
			n.kids = append(n.kids, v)
			p.ws()
			if p.i >= len(p.s) {
				return nil, errJSON
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == '}' {
				p.i++
				n.end = p.i
				p.depth--
				return n, nil
			}
			return nil, errJSON
		}
	case c == '[':
		if p.depth++; p.depth > maxDepth {
			return nil, errJSON
		}
		p.i++
		n := &jnode{kind: 'a', start: start}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			n.end = p.i
			p.depth--
			return n, nil
		}
		for {
			p.ws()
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, v)
			p.ws()
			if p.i >= len(p.s) {
				return nil, errJSON
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == ']' {
				p.i++
				n.end = p.i
				p.depth--
				return n, nil
			}
			return nil, errJSON
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: 's', str: s, start: start, end: p.i}, nil
	case c == 't':
		return p.lit("true", 'b', start)
	case c == 'f':
		return p.lit("false", 'b', start)
	case c == 'n':
		return p.lit("null", 'z', start)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.num(start)
	}
	return nil, errJSON
}

func (p *jparser) lit(word string, kind byte, start int) (*jnode, error) {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return nil, errJSON
	}
	p.i += len(word)
	return &jnode{kind: kind, str: word, start: start, end: p.i}, nil
}

func (p *jparser) num(start int) (*jnode, error) {
	i := p.i
	if p.s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(p.s) && p.s[i] >= '0' && p.s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(p.s) && p.s[i] == '0' {
		i++
	} else if digits() == 0 {
		return nil, errJSON
	}
	if i < len(p.s) && p.s[i] == '.' {
		i++
		if digits() == 0 {
			return nil, errJSON
		}
	}
	if i < len(p.s) && (p.s[i] == 'e' || p.s[i] == 'E') {
		i++
		if i < len(p.s) && (p.s[i] == '+' || p.s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, errJSON
		}
	}
	p.i = i
	return &jnode{kind: 'n', str: p.s[start:i], start: start, end: i}, nil
}

// str reads a JSON string at p.i (which is a quote).
func (p *jparser) str() (string, error) {
	p.i++
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if !utf8.ValidString(s) {
				return "", errJSON
			}
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", errJSON
		}
		p.i++
	}
	buf := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", errJSON
			}
			return string(buf), nil
		case c < 0x20:
			return "", errJSON
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			return "", errJSON
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errJSON
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(utf8.RuneError)
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if x, ok := p.hex4(); ok {
						r2 = x
					} else {
						p.i = save
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", errJSON
		}
	}
	return "", errJSON
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
