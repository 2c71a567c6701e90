package policy

import "strings"

// glob is a compiled wildcard pattern without policy variables: '*'
// matches any run of characters (including none), '?' exactly one. It is
// split at the stars into segments; the first segment is anchored at the
// start, the last at the end, and the ones between are found leftmost in
// order, which is correct for '*'-patterns and needs no backtracking, so a
// match costs O(len(s)) string searches (strings.Index) — linear time, no
// regexp, no recursion.
type glob struct {
	raw   string
	segs  []string // segments between stars; len(segs) == stars+1
	star  bool     // pattern contains '*'
	qmark bool     // some segment contains '?'
}

func compileGlob(raw string) glob {
	g := glob{raw: raw}
	if strings.IndexByte(raw, '*') >= 0 {
		g.star = true
		g.segs = strings.Split(raw, "*")
	}
	g.qmark = strings.IndexByte(raw, '?') >= 0
	return g
}

// match reports whether s matches the pattern (case-sensitive).
func (g *glob) match(s string) bool {
	if !g.star {
		if !g.qmark {
			return g.raw == s
		}
		return len(s) == len(g.raw) && segEq(g.raw, s)
	}
	segs := g.segs
	first, last := segs[0], segs[len(segs)-1]
	if len(s) < len(first)+len(last) {
		return false
	}
	if !segEq(first, s[:len(first)]) || !segEq(last, s[len(s)-len(last):]) {
		return false
	}
	rest := s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		if seg == "" {
			continue
		}
		i := segIndex(rest, seg, g.qmark)
		if i < 0 {
			return false
		}
		rest = rest[i+len(seg):]
	}
	return true
}

// segEq compares a segment with '?' wildcards to a string of the same
// length (callers guarantee it).
func segEq(seg, s string) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] != '?' && seg[i] != s[i] {
			return false
		}
	}
	return true
}

// segIndex finds the leftmost occurrence of seg (which may hold '?') in s.
func segIndex(s, seg string, qmark bool) int {
	if !qmark || strings.IndexByte(seg, '?') < 0 {
		return strings.Index(s, seg)
	}
	// Anchor the search on the longest '?'-free run of the segment.
	for i := 0; i+len(seg) <= len(s); i++ {
		if segEq(seg, s[i:i+len(seg)]) {
			return i
		}
	}
	return -1
}

// matchFold is match with ASCII case folding; the pattern must be lower
// case. It is used for actions, which AWS matches case-insensitively.
func (g *glob) matchFold(s string) bool {
	if !g.star {
		return len(s) == len(g.raw) && segEqFold(g.raw, s)
	}
	segs := g.segs
	first, last := segs[0], segs[len(segs)-1]
	if len(s) < len(first)+len(last) {
		return false
	}
	if !segEqFold(first, s[:len(first)]) || !segEqFold(last, s[len(s)-len(last):]) {
		return false
	}
	rest := s[len(first) : len(s)-len(last)]
	for _, seg := range segs[1 : len(segs)-1] {
		if seg == "" {
			continue
		}
		i := -1
		for j := 0; j+len(seg) <= len(rest); j++ {
			if segEqFold(seg, rest[j:j+len(seg)]) {
				i = j
				break
			}
		}
		if i < 0 {
			return false
		}
		rest = rest[i+len(seg):]
	}
	return true
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// segEqFold is segEq with ASCII case folding of s.
func segEqFold(seg, s string) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] != '?' && seg[i] != lowerByte(s[i]) {
			return false
		}
	}
	return true
}

// ---- patterns with policy variables ----

type tokKind uint8

const (
	tokLit  tokKind = iota // literal text in which '*' and '?' are wildcards
	tokVar                 // ${key} or ${key, 'default'}
	tokChar                // ${*}, ${?}, ${$}: one literal character
)

type ptok struct {
	kind   tokKind
	s      string // literal text, variable key, or the character
	def    string
	hasDef bool
	key    Key
}

// tokenize splits a policy string into literal text and variables.
func tokenize(raw string) ([]ptok, bool) {
	var toks []ptok
	hasVar := false
	lit := 0
	for i := 0; i+1 < len(raw); {
		if raw[i] != '$' || raw[i+1] != '{' {
			i++
			continue
		}
		end := strings.IndexByte(raw[i+2:], '}')
		if end < 0 {
			break
		}
		body := raw[i+2 : i+2+end]
		var t ptok
		switch body {
		case "*", "?", "$":
			t = ptok{kind: tokChar, s: body}
		default:
			key, def, hasDef := strings.Cut(body, ",")
			key = strings.TrimSpace(key)
			if hasDef {
				def = strings.TrimSpace(def)
				if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
					i++
					continue
				}
				def = def[1 : len(def)-1]
			}
			if key == "" {
				i++
				continue
			}
			t = ptok{kind: tokVar, s: key, def: def, hasDef: hasDef, key: LookupKey(key)}
		}
		if i > lit {
			toks = append(toks, ptok{kind: tokLit, s: raw[lit:i]})
		}
		toks = append(toks, t)
		hasVar = true
		i += 3 + end
		lit = i
	}
	if lit < len(raw) {
		toks = append(toks, ptok{kind: tokLit, s: raw[lit:]})
	}
	return toks, hasVar
}

// resolve returns the value a variable token stands for.
func (t *ptok) resolve(ctx *Context) (string, bool) {
	if ctx != nil {
		var v Value
		if t.key != KeyNone {
			v = ctx.fixed[t.key]
		} else {
			v = ctx.lookupExtra(t.s)
		}
		if s, ok := v.Single(); ok {
			return s, true
		}
	}
	if t.hasDef {
		return t.def, true
	}
	return "", false
}

// pattern is a string pattern that may hold policy variables.
type pattern struct {
	g    glob   // used when toks is nil
	toks []ptok // non-nil when the pattern has variables
	wild bool   // '*'/'?' are wildcards (Like operators, Resource, Action)
}

func compilePattern(raw string, vars, wild bool) pattern {
	if vars {
		if toks, ok := tokenize(raw); ok {
			return pattern{toks: toks, wild: wild}
		}
	}
	if !wild {
		return pattern{g: glob{raw: raw}}
	}
	return pattern{g: compileGlob(raw), wild: true}
}

// keys appends the variable keys the pattern references.
func (p *pattern) varKeys(dst []string) []string {
	for _, t := range p.toks {
		if t.kind == tokVar {
			dst = append(dst, t.s)
		}
	}
	return dst
}

const maxExpand = 512

// match reports whether s matches; resolved is false when a variable
// could not be resolved (the pattern then matches nothing).
func (p *pattern) match(s string, ctx *Context) (matched, resolved bool) {
	if p.toks == nil {
		if !p.wild {
			return p.g.raw == s, true
		}
		return p.g.match(s), true
	}
	// Expand into a stack buffer; mark which bytes are wildcards.
	var buf [maxExpand]byte
	var wildMask [maxExpand]bool
	n := 0
	put := func(str string, wild bool) bool {
		if n+len(str) > maxExpand {
			return false
		}
		copy(buf[n:], str)
		for i := 0; i < len(str); i++ {
			wildMask[n+i] = wild && (str[i] == '*' || str[i] == '?')
		}
		n += len(str)
		return true
	}
	for i := range p.toks {
		t := &p.toks[i]
		var ok bool
		switch t.kind {
		case tokLit:
			ok = put(t.s, p.wild)
		case tokChar:
			ok = put(t.s, false)
		case tokVar:
			var v string
			if v, ok = t.resolve(ctx); !ok {
				return false, false
			}
			ok = put(v, false)
		}
		if !ok {
			return false, true
		}
	}
	return maskedGlob(buf[:n], wildMask[:n], s), true
}

// maskedGlob is the classic greedy wildcard match (one backtrack point, the
// last star) over a pattern whose wildcard bytes are marked in mask.
func maskedGlob(pat []byte, mask []bool, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && mask[p] && pat[p] == '*':
			starP, starI = p, i
			p++
		case p < len(pat) && ((mask[p] && pat[p] == '?') || pat[p] == s[i]):
			p++
			i++
		case starP >= 0:
			p = starP + 1
			starI++
			i = starI
		default:
			return false
		}
	}
	for p < len(pat) && mask[p] && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// ---- ARN patterns ----

// arnPattern matches an ARN field by field: a wildcard in one of the first
// five fields does not cross ':'; the sixth (resource) field takes the rest
// of the ARN, colons included. A pattern that is not ARN-shaped (fewer than
// six fields) is matched as a whole string.
type arnPattern struct {
	all    bool
	whole  pattern
	fields [6]pattern
	isARN  bool
	// prefix is "f0:f1:f2:f3:f4:" when those five fields are literal, so
	// a match is a prefix test plus the resource field.
	prefix string
}

func compileARNPattern(raw string, vars bool) arnPattern {
	if raw == "*" {
		return arnPattern{all: true}
	}
	var ap arnPattern
	var parts [6]string
	if splitARN(raw, &parts) && (!vars || !colonInVar(raw)) {
		ap.isARN = true
		literal := true
		for i := range parts {
			ap.fields[i] = compilePattern(parts[i], vars, true)
			if i < 5 && (ap.fields[i].toks != nil || ap.fields[i].g.star || ap.fields[i].g.qmark) {
				literal = false
			}
		}
		if literal {
			ap.prefix = strings.Join(parts[:5], ":") + ":"
		}
		return ap
	}
	ap.whole = compilePattern(raw, vars, true)
	return ap
}

// colonInVar reports whether a "${...}" in raw holds a ':' among the first
// five separators, in which case the pattern is matched whole after
// substitution.
func colonInVar(raw string) bool {
	colons := 0
	for i := 0; i < len(raw) && colons < 5; i++ {
		if raw[i] == ':' {
			colons++
		}
		if raw[i] == '$' && i+1 < len(raw) && raw[i+1] == '{' {
			end := strings.IndexByte(raw[i:], '}')
			if end > 0 && strings.IndexByte(raw[i:i+end], ':') >= 0 {
				return true
			}
		}
	}
	return false
}

// splitARN splits s at its first five colons.
func splitARN(s string, out *[6]string) bool {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return false
		}
		out[i] = s[:j]
		s = s[j+1:]
	}
	out[5] = s
	return true
}

func (ap *arnPattern) match(s string, ctx *Context) (matched, resolved bool) {
	if ap.all {
		return true, true
	}
	if !ap.isARN {
		return ap.whole.match(s, ctx)
	}
	var parts [6]string
	return ap.matchParts(s, &parts, splitARN(s, &parts), ctx)
}

// matchPrepared matches the request's resource, split once per request.
func (ap *arnPattern) matchPrepared(pp *prepared, ctx *Context) (matched, resolved bool) {
	if ap.all {
		return true, true
	}
	if !ap.isARN {
		return ap.whole.match(pp.resource, ctx)
	}
	if ap.prefix != "" {
		if !strings.HasPrefix(pp.resource, ap.prefix) {
			if ap.fields[5].toks != nil {
				// Resolve variables so an unresolvable one is reported.
				_, ok := ap.fields[5].match("", ctx)
				return false, ok
			}
			return false, true
		}
		return ap.fields[5].match(pp.resource[len(ap.prefix):], ctx)
	}
	return ap.matchParts(pp.resource, &pp.parts, pp.isARN, ctx)
}

func (ap *arnPattern) matchParts(s string, parts *[6]string, isARN bool, ctx *Context) (matched, resolved bool) {
	if !isARN {
		// Still resolve variables so an unresolvable one is reported.
		for i := range ap.fields {
			if ap.fields[i].toks != nil {
				if _, ok := ap.fields[i].match("", ctx); !ok {
					return false, false
				}
			}
		}
		return false, true
	}
	for i := range ap.fields {
		m, ok := ap.fields[i].match(parts[i], ctx)
		if !ok {
			return false, false
		}
		if !m {
			return false, true
		}
	}
	return true, true
}
