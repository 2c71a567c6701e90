package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// translation is a model (java.util.regex) pattern rewritten for RE2.
type translation struct {
	// Expr is the RE2 expression (unanchored; awsquery.NewPattern anchors
	// it, as AWS requires the whole value to match).
	Expr string
	// Forbid lists substrings that a matching value must not contain; it
	// stands in for lookaheads RE2 lacks.
	Forbid []string
}

// rewrites holds hand-translated patterns whose Java constructs have no RE2
// equivalent. Each entry must be exactly equivalent.
var rewrites = map[string]translation{
	// IAM accountAliasType. "-(?!-)" is a hyphen not followed by a hyphen;
	// '-' occurs nowhere else in the pattern and the last character is
	// [a-z0-9], so the pattern equals the lookahead-free one on values
	// without "--".
	`^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`: {
		Expr:   `^[a-z0-9](?:[a-z0-9]|-){1,61}[a-z0-9]$`,
		Forbid: []string{"--"},
	},
}

// translateJava converts a Java regular expression to RE2 syntax with the
// same meaning on valid UTF-8 strings, or fails on constructs it does not
// support (lookaround, possessive quantifiers, backreferences, class
// intersection, ...). Java specifics handled: \uXXXX takes exactly four hex
// digits (so "\u10000" is U+1000 then '0'), \s includes \x0B, '.' excludes
// all Java line terminators, \Q..\E quoting, POSIX \p{Lower}-style classes.
func translateJava(src string) (translation, error) {
	if t, ok := rewrites[src]; ok {
		return t, nil
	}
	t := &javaTranslator{src: src}
	if err := t.run(); err != nil {
		return translation{}, fmt.Errorf("pattern %q: %w", src, err)
	}
	expr := t.out.String()
	if _, err := regexp.Compile(`^(?:` + expr + `)$`); err != nil {
		return translation{}, fmt.Errorf("pattern %q: translation %q does not compile: %w", src, expr, err)
	}
	return translation{Expr: expr}, nil
}

type javaTranslator struct {
	src string
	i   int
	out strings.Builder
}

func (t *javaTranslator) eof() bool { return t.i >= len(t.src) }

func (t *javaTranslator) next() rune {
	r, n := utf8.DecodeRuneInString(t.src[t.i:])
	t.i += n
	return r
}

func (t *javaTranslator) peek() rune {
	if t.eof() {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(t.src[t.i:])
	return r
}

func (t *javaTranslator) run() error {
	for !t.eof() {
		c := t.next()
		switch c {
		case '\\':
			s, err := t.escape(false)
			if err != nil {
				return err
			}
			t.out.WriteString(s)
		case '[':
			if err := t.class(); err != nil {
				return err
			}
		case '(':
			if err := t.group(); err != nil {
				return err
			}
		case '*', '+', '?':
			t.out.WriteRune(c)
			if err := t.quantSuffix(); err != nil {
				return err
			}
		case '{':
			j := strings.IndexByte(t.src[t.i:], '}')
			if j < 0 || !regexp.MustCompile(`^\d+(,\d*)?$`).MatchString(t.src[t.i:t.i+j]) {
				return fmt.Errorf("unsupported '{' at %d", t.i-1)
			}
			t.out.WriteString("{" + t.src[t.i:t.i+j] + "}")
			t.i += j + 1
			if err := t.quantSuffix(); err != nil {
				return err
			}
		case '.':
			// Java's '.' excludes every line terminator, RE2's only '\n'.
			t.out.WriteString(`[^\n\r\x{85}\x{2028}\x{2029}]`)
		case '^', '$', '|', ')':
			t.out.WriteRune(c)
		default:
			t.out.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return nil
}

// quantSuffix handles what may follow a quantifier: '?' (lazy) is kept,
// '+' (possessive) has no RE2 equivalent.
func (t *javaTranslator) quantSuffix() error {
	switch t.peek() {
	case '?':
		t.next()
		t.out.WriteByte('?')
	case '+':
		return fmt.Errorf("possessive quantifier at %d", t.i)
	}
	return nil
}

func (t *javaTranslator) group() error {
	if t.peek() != '?' {
		t.out.WriteByte('(')
		return nil
	}
	rest := t.src[t.i:]
	switch {
	case strings.HasPrefix(rest, "?:"):
		t.i += 2
		t.out.WriteString("(?:")
		return nil
	case strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!"):
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return fmt.Errorf("bad named group at %d", t.i)
		}
		t.out.WriteString("(?P<" + rest[2:j] + ">")
		t.i += j + 1
		return nil
	}
	// Inline flags (?i) (?m) (?s) and (?i:...) map directly; others do not.
	j := 1
	for j < len(rest) && strings.IndexByte("imsx-", rest[j]) >= 0 {
		if rest[j] == 'x' {
			return fmt.Errorf("flag x unsupported at %d", t.i)
		}
		j++
	}
	if j > 1 && j < len(rest) && (rest[j] == ')' || rest[j] == ':') {
		t.out.WriteString("(" + rest[:j+1])
		t.i += j + 1
		return nil
	}
	return fmt.Errorf("unsupported group construct (%s at %d (lookaround, atomic group or flag)", rest[:min(len(rest), 3)], t.i)
}

// posix are Java's POSIX character classes, as RE2 class contents.
var posix = map[string]string{
	"Lower": `a-z`, "Upper": `A-Z`, "ASCII": `\x00-\x7F`, "Alpha": `a-zA-Z`,
	"Digit": `0-9`, "Alnum": `a-zA-Z0-9`, "XDigit": `0-9a-fA-F`,
	"Punct": `!-/:-@\[-` + "`" + `{-~`, "Graph": `!-~`, "Print": ` -~`,
	"Blank": ` \t`, "Cntrl": `\x00-\x1F\x7F`, "Space": ` \t\n\x0B\f\r`,
}

// escape translates the escape after a backslash. In a class the result is
// class content, otherwise a standalone expression.
func (t *javaTranslator) escape(inClass bool) (string, error) {
	if t.eof() {
		return "", fmt.Errorf("trailing backslash")
	}
	c := t.next()
	switch c {
	case 'u':
		r, err := t.hex4()
		if err != nil {
			return "", err
		}
		if utf16IsHigh(r) && strings.HasPrefix(t.src[t.i:], `\u`) {
			save := t.i
			t.i += 2
			lo, err := t.hex4()
			if err == nil && utf16IsLow(lo) {
				r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
			} else {
				t.i = save
			}
		}
		if r >= 0xD800 && r <= 0xDFFF {
			return "", fmt.Errorf("lone surrogate \\u%04X", r)
		}
		return fmt.Sprintf(`\x{%X}`, r), nil
	case 'x':
		if t.peek() == '{' {
			j := strings.IndexByte(t.src[t.i:], '}')
			if j < 0 {
				return "", fmt.Errorf("bad \\x{")
			}
			s := `\x` + t.src[t.i:t.i+j+1]
			t.i += j + 1
			return s, nil
		}
		if t.i+2 > len(t.src) {
			return "", fmt.Errorf("bad \\x")
		}
		s := t.src[t.i : t.i+2]
		if _, err := strconv.ParseUint(s, 16, 8); err != nil {
			return "", fmt.Errorf("bad \\x%s", s)
		}
		t.i += 2
		return `\x` + s, nil
	case 'd', 'D', 'w', 'W':
		// ASCII-only in both Java (without UNICODE_CHARACTER_CLASS) and RE2.
		return `\` + string(c), nil
	case 's':
		if inClass {
			return posix["Space"], nil
		}
		return "[" + posix["Space"] + "]", nil
	case 'S':
		if inClass {
			return "", fmt.Errorf(`\S inside a class`)
		}
		return "[^" + posix["Space"] + "]", nil
	case 't', 'n', 'r', 'f', 'a':
		return `\` + string(c), nil
	case 'e':
		return `\x1B`, nil
	case 'p', 'P':
		return t.property(c == 'P', inClass)
	case 'Q':
		j := strings.Index(t.src[t.i:], `\E`)
		var lit string
		if j < 0 {
			lit, t.i = t.src[t.i:], len(t.src)
		} else {
			lit = t.src[t.i : t.i+j]
			t.i += j + 2
		}
		if inClass {
			var b strings.Builder
			for _, r := range lit {
				b.WriteString(classLiteral(r))
			}
			return b.String(), nil
		}
		return regexp.QuoteMeta(lit), nil
	case 'A', 'z', 'b', 'B':
		if inClass {
			return "", fmt.Errorf(`\%c inside a class`, c)
		}
		return `\` + string(c), nil
	}
	if c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
		return "", fmt.Errorf(`unsupported escape \%c`, c)
	}
	if inClass {
		return classLiteral(c), nil
	}
	return regexp.QuoteMeta(string(c)), nil
}

func (t *javaTranslator) hex4() (rune, error) {
	if t.i+4 > len(t.src) {
		return 0, fmt.Errorf(`short \u escape`)
	}
	v, err := strconv.ParseUint(t.src[t.i:t.i+4], 16, 32)
	if err != nil {
		return 0, fmt.Errorf(`bad \u escape %q`, t.src[t.i:t.i+4])
	}
	t.i += 4
	return rune(v), nil
}

func utf16IsHigh(r rune) bool { return r >= 0xD800 && r <= 0xDBFF }
func utf16IsLow(r rune) bool  { return r >= 0xDC00 && r <= 0xDFFF }

func (t *javaTranslator) property(negated, inClass bool) (string, error) {
	var name string
	if t.peek() == '{' {
		j := strings.IndexByte(t.src[t.i:], '}')
		if j < 0 {
			return "", fmt.Errorf(`bad \p{`)
		}
		name = t.src[t.i+1 : t.i+j]
		t.i += j + 1
	} else {
		if t.eof() {
			return "", fmt.Errorf(`bad \p`)
		}
		name = string(t.next())
	}
	name = strings.TrimPrefix(name, "Is")
	if p, ok := posix[name]; ok {
		switch {
		case !negated && inClass:
			return p, nil
		case !negated:
			return "[" + p + "]", nil
		case !inClass:
			return "[^" + p + "]", nil
		default:
			return "", fmt.Errorf(`negated POSIX class \P{%s} inside a class`, name)
		}
	}
	if _, ok := unicode.Categories[name]; !ok {
		if _, ok := unicode.Scripts[name]; !ok {
			return "", fmt.Errorf(`unsupported property \p{%s}`, name)
		}
	}
	p := "p"
	if negated {
		p = "P"
	}
	return `\` + p + "{" + name + "}", nil
}

// classLiteral writes r as a literal inside an RE2 class.
func classLiteral(r rune) string {
	switch r {
	case '\\', ']', '[', '^', '-':
		return `\` + string(r)
	}
	return string(r)
}

// class translates a character class after its '['.
func (t *javaTranslator) class() error {
	t.out.WriteByte('[')
	if t.peek() == '^' {
		t.next()
		t.out.WriteByte('^')
	}
	if t.peek() == ']' {
		return fmt.Errorf("class starting with ']' at %d", t.i)
	}
	for {
		if t.eof() {
			return fmt.Errorf("unterminated class")
		}
		c := t.next()
		switch c {
		case ']':
			t.out.WriteByte(']')
			return nil
		case '[':
			return fmt.Errorf("nested class (union) at %d", t.i-1)
		case '&':
			if t.peek() == '&' {
				return fmt.Errorf("class intersection at %d", t.i-1)
			}
			t.out.WriteByte('&')
		case '\\':
			s, err := t.escape(true)
			if err != nil {
				return err
			}
			t.out.WriteString(s)
		case '-':
			// A range operator between two items, or a literal at either
			// end: RE2 reads both the same way.
			t.out.WriteByte('-')
		default:
			t.out.WriteString(classLiteral(c))
		}
	}
}
