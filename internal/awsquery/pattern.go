package awsquery

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Pattern is a model pattern constraint. AWS requires the whole value to
// match. Source is the model's (Java) pattern, printed in messages; the
// matcher is its RE2 translation, made by the generator.
type Pattern struct {
	// Source is the pattern as written in the service model.
	Source string
	re     *regexp.Regexp
	class  *classMatcher
	forbid []string
	custom string
}

// NewPattern returns the constraint for the model pattern source, matched
// with the RE2 expression expr (not anchored; NewPattern anchors it). It
// panics if expr does not compile: patterns are generated code.
func NewPattern(source, expr string) *Pattern {
	anchored := `^(?:` + expr + `)$`
	p := &Pattern{Source: source, re: regexp.MustCompile(anchored)}
	p.class = newClassMatcher(anchored)
	return p
}

// Forbid adds substrings a matching value must not contain. The generator
// uses it to express Java lookaheads RE2 lacks (e.g. "-(?!-)" forbids
// "--"). It returns p.
func (p *Pattern) Forbid(subs ...string) *Pattern {
	p.forbid = append(p.forbid, subs...)
	return p
}

// Message sets a service-specific message that replaces the generic
// "Member must satisfy regular expression pattern" violation (IAM's
// "The specified value for userName is invalid. ..."); %s in format is the
// member name. It returns p.
func (p *Pattern) Message(format string) *Pattern {
	p.custom = format
	return p
}

// MatchString reports whether the whole of s matches.
func (p *Pattern) MatchString(s string) bool {
	for _, f := range p.forbid {
		if strings.Contains(s, f) {
			return false
		}
	}
	if p.class != nil {
		return p.class.match(s)
	}
	return p.re.MatchString(s)
}

// classMatcher matches the common model patterns of the form
// ^[class]{min,max}$ (including * and +) without the regexp engine.
type classMatcher struct {
	ascii    [128]bool
	ranges   []rune // pairs lo, hi for runes >= 128
	min, max int    // max < 0: unbounded
}

func newClassMatcher(expr string) *classMatcher {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	for re.Op == syntax.OpCapture && len(re.Sub) == 1 {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat || len(re.Sub) != 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[2].Op != syntax.OpEndText {
		return nil
	}
	body := re.Sub[1]
	for body.Op == syntax.OpCapture && len(body.Sub) == 1 {
		body = body.Sub[0]
	}
	m := &classMatcher{}
	var class *syntax.Regexp
	switch body.Op {
	case syntax.OpStar:
		m.min, m.max, class = 0, -1, body.Sub[0]
	case syntax.OpPlus:
		m.min, m.max, class = 1, -1, body.Sub[0]
	case syntax.OpRepeat:
		m.min, m.max, class = body.Min, body.Max, body.Sub[0]
	default:
		return nil
	}
	if class.Op != syntax.OpCharClass || class.Flags&syntax.FoldCase != 0 {
		return nil
	}
	for i := 0; i+1 < len(class.Rune); i += 2 {
		lo, hi := class.Rune[i], class.Rune[i+1]
		for r := lo; r <= hi && r < 128; r++ {
			m.ascii[r] = true
		}
		if hi >= 128 {
			m.ranges = append(m.ranges, max(lo, 128), hi)
		}
	}
	return m
}

func (m *classMatcher) match(s string) bool {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !m.ascii[c] {
				return false
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			if !m.inRanges(r) {
				return false
			}
			i += size
		}
		n++
		if m.max >= 0 && n > m.max {
			return false
		}
	}
	return n >= m.min
}

func (m *classMatcher) inRanges(r rune) bool {
	// Binary search over the sorted, disjoint (lo, hi) pairs.
	lo, hi := 0, len(m.ranges)/2
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch {
		case r < m.ranges[2*mid]:
			hi = mid
		case r > m.ranges[2*mid+1]:
			lo = mid + 1
		default:
			return true
		}
	}
	return false
}

// Enum is a model enum constraint.
type Enum struct {
	values []string
	set    string
}

// NewEnum returns the constraint allowing exactly values.
func NewEnum(values ...string) *Enum {
	return &Enum{values: values, set: "[" + strings.Join(values, ", ") + "]"}
}

// Contains reports whether s is one of the enum's values.
func (e *Enum) Contains(s string) bool {
	for _, v := range e.values {
		if v == s {
			return true
		}
	}
	return false
}

// Values returns the allowed values in model order.
func (e *Enum) Values() []string { return e.values }
