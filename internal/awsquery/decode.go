package awsquery

import (
	"encoding/base64"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/apierr"
)

// Style holds a service's conventions for validation messages.
type Style struct {
	// RedactValues leaves the offending value out of every violation
	// ("Value at 'userName' failed to satisfy constraint: ...") and the
	// value set out of enum violations, as IAM does. Without it values are
	// quoted ("Value 'x' at 'roleSessionName' ...", "Value null at ...")
	// except for sensitive members, and enum violations list the set.
	RedactValues bool
}

// Decoder reads one operation's input from Values and checks the model's
// constraints while it goes. Generated decoders drive it; its exported
// methods are for them. A Decoder keeps the form key of the member being
// decoded ("Tags.member.1.Key"), from which violation paths
// ("tags.1.member.key") are derived.
type Decoder struct {
	vals  Values
	style *Style
	key   []byte
	viols []violation
	bad   *apierr.Error
}

type violation struct {
	path     string // form key
	value    string
	hasValue bool
	null     bool
	msg      string // "Member must ..."
	custom   string // a whole message replacing the generic form
}

// NewDecoder returns a Decoder over v using style's message conventions.
func NewDecoder(v Values, style *Style) Decoder {
	return Decoder{vals: v, style: style, key: make([]byte, 0, 128)}
}

// Push appends the member name to the current key and returns the length
// to Pop back to.
func (d *Decoder) Push(name string) int {
	n := len(d.key)
	if n > 0 {
		d.key = append(d.key, '.')
	}
	d.key = append(d.key, name...)
	return n
}

// PushIndex appends a 1-based list or map index to the current key.
func (d *Decoder) PushIndex(i int) int {
	n := len(d.key)
	d.key = append(d.key, '.')
	d.key = strconv.AppendInt(d.key, int64(i), 10)
	return n
}

// Pop restores the key to length n (a value returned by Push or PushIndex).
func (d *Decoder) Pop(n int) { d.key = d.key[:n] }

// Value returns the parameter at the current key.
func (d *Decoder) Value() (string, bool) { return d.vals.lookupBytes(d.key) }

// Exists reports whether the current key or any key below it is present.
func (d *Decoder) Exists() bool { return d.vals.hasPrefixBytes(d.key) }

// Count returns the number of list or map elements under the current key:
// the indexes 1, 2, ... that are present, up to the first gap. Elements
// after a gap are ignored like other unknown parameters.
func (d *Decoder) Count() int {
	for i := 1; ; i++ {
		n := d.PushIndex(i)
		ok := d.vals.hasPrefixBytes(d.key)
		d.Pop(n)
		if !ok {
			return i - 1
		}
	}
}

// Mark returns the position at which a later list-level violation is
// inserted, so that it precedes the violations of the list's elements.
func (d *Decoder) Mark() int { return len(d.viols) }

func (d *Decoder) add(at int, v violation) {
	v.path = string(d.key)
	if at < 0 || at >= len(d.viols) {
		d.viols = append(d.viols, v)
		return
	}
	d.viols = slices.Insert(d.viols, at, v)
}

// Required records that the member at the current key is missing.
func (d *Decoder) Required() {
	d.add(-1, violation{null: true, msg: "Member must not be null"})
}

func lengthMsg(op string, n int) string {
	return "Member must have length " + op + " " + strconv.Itoa(n)
}

// MinLength checks a string's length (in characters) against the model's
// min. Sensitive values are never echoed.
func (d *Decoder) MinLength(s string, n int, sensitive bool) {
	if utf8.RuneCountInString(s) < n {
		d.add(-1, violation{value: s, hasValue: !sensitive, msg: lengthMsg("greater than or equal to", n)})
	}
}

// MaxLength checks a string's length (in characters) against the model's
// max.
func (d *Decoder) MaxLength(s string, n int, sensitive bool) {
	if len(s) > n && utf8.RuneCountInString(s) > n {
		d.add(-1, violation{value: s, hasValue: !sensitive, msg: lengthMsg("less than or equal to", n)})
	}
}

// MinBytes and MaxBytes check a blob's length.
func (d *Decoder) MinBytes(b []byte, n int) {
	if len(b) < n {
		d.add(-1, violation{msg: lengthMsg("greater than or equal to", n)})
	}
}

// MaxBytes checks a blob's length against the model's max.
func (d *Decoder) MaxBytes(b []byte, n int) {
	if len(b) > n {
		d.add(-1, violation{msg: lengthMsg("less than or equal to", n)})
	}
}

// Match checks a string against a pattern constraint.
func (d *Decoder) Match(s string, p *Pattern, sensitive bool) {
	if p.MatchString(s) {
		return
	}
	d.add(-1, violation{value: s, hasValue: !sensitive,
		msg: "Member must satisfy regular expression pattern: " + p.Source, custom: p.custom})
}

// OneOf checks a string against an enum constraint.
func (d *Decoder) OneOf(s string, e *Enum, sensitive bool) {
	if e.Contains(s) {
		return
	}
	msg := "Member must satisfy enum value set"
	if !d.style.RedactValues {
		msg += ": " + e.set
	}
	d.add(-1, violation{value: s, hasValue: !sensitive, msg: msg})
}

// MinValue checks a number against the model's min.
func (d *Decoder) MinValue(x, n int64) {
	if x < n {
		d.add(-1, violation{value: strconv.FormatInt(x, 10), hasValue: true,
			msg: "Member must have value greater than or equal to " + strconv.FormatInt(n, 10)})
	}
}

// MaxValue checks a number against the model's max.
func (d *Decoder) MaxValue(x, n int64) {
	if x > n {
		d.add(-1, violation{value: strconv.FormatInt(x, 10), hasValue: true,
			msg: "Member must have value less than or equal to " + strconv.FormatInt(n, 10)})
	}
}

// MinItems checks a list's length against the model's min; the violation
// goes to position at (from Mark). strs, when not nil, is the list's value
// as echoed in messages.
func (d *Decoder) MinItems(at, count, n int, strs []string) {
	if count < n {
		v, ok := listValue(count, strs)
		d.add(at, violation{value: v, hasValue: ok, msg: lengthMsg("greater than or equal to", n)})
	}
}

// MaxItems checks a list's length against the model's max; see MinItems.
func (d *Decoder) MaxItems(at, count, n int, strs []string) {
	if count > n {
		v, ok := listValue(count, strs)
		d.add(at, violation{value: v, hasValue: ok, msg: lengthMsg("less than or equal to", n)})
	}
}

func listValue(count int, strs []string) (string, bool) {
	if count == 0 {
		return "[]", true
	}
	if strs == nil {
		return "", false
	}
	return "[" + strings.Join(strs, ", ") + "]", true
}

// malformed records that the parameter at the current key is not of its
// type. It wins over constraint violations.
func (d *Decoder) malformed(what string) {
	if d.bad == nil {
		d.bad = apierr.New(CodeInvalidParameterValue,
			"The value for parameter "+string(d.key)+" is not a valid "+what+".")
	}
}

// Int32 parses an integer member.
func (d *Decoder) Int32(s string) (int32, bool) {
	x, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		d.malformed("integer")
		return 0, false
	}
	return int32(x), true
}

// Int64 parses a long member.
func (d *Decoder) Int64(s string) (int64, bool) {
	x, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d.malformed("integer")
		return 0, false
	}
	return x, true
}

// Float parses a float (bits 32) or double (bits 64) member, accepting NaN,
// Infinity and -Infinity.
func (d *Decoder) Float(s string, bits int) (float64, bool) {
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if s == "" || strings.ContainsAny(s, "nNiIxX_pP") { // no Go-only spellings
		d.malformed("number")
		return 0, false
	}
	x, err := strconv.ParseFloat(s, bits)
	if err != nil {
		d.malformed("number")
		return 0, false
	}
	return x, true
}

// Bool parses a boolean member: true or false, in any case.
func (d *Decoder) Bool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	d.malformed("boolean")
	return false, false
}

// Time parses a timestamp member in format (TimeISO8601 accepts RFC 3339
// with optional fractional seconds; TimeEpochSeconds accepts fractional
// seconds; TimeHTTPDate accepts IMF-fixdate).
func (d *Decoder) Time(s string, format int) (time.Time, bool) {
	var t time.Time
	var err error
	switch format {
	case TimeEpochSeconds:
		var f float64
		f, err = strconv.ParseFloat(s, 64)
		if err == nil && (math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 ||
			strings.ContainsAny(s, "nNiIxX_pP")) {
			err = strconv.ErrSyntax
		}
		if err == nil {
			sec, frac := math.Modf(f)
			t = time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()
		}
	case TimeHTTPDate:
		t, err = time.Parse(http.TimeFormat, s)
	default:
		t, err = time.Parse(time.RFC3339Nano, s)
		t = t.UTC()
	}
	if err != nil {
		d.malformed("timestamp")
		return time.Time{}, false
	}
	return t, true
}

// Blob parses a base64 blob member.
func (d *Decoder) Blob(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		d.malformed("base64 value")
		return nil, false
	}
	return b, true
}

// Err returns the decoding outcome: nil, the first malformed parameter
// (InvalidParameterValue), or a ValidationError listing every violation in
// member order:
//
//	1 validation error detected: Value 'x' at 'userName' failed to satisfy
//	constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
//
// Violations of patterns with a service-specific message (IAM names and
// paths) are reported, the first one alone, only when there is no other
// violation.
func (d *Decoder) Err() error {
	if d.bad != nil {
		return d.bad
	}
	if len(d.viols) == 0 {
		return nil
	}
	n := 0
	var custom *violation
	for i := range d.viols {
		if d.viols[i].custom != "" {
			if custom == nil {
				custom = &d.viols[i]
			}
			continue
		}
		n++
	}
	if n == 0 {
		return apierr.ValidationError(strings.ReplaceAll(custom.custom, "%s", lastSegment(memberPath(custom.path))))
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	first := true
	for _, v := range d.viols {
		if v.custom != "" {
			continue
		}
		if !first {
			b.WriteString("; ")
		}
		first = false
		b.WriteString("Value ")
		switch {
		case d.style.RedactValues:
		case v.null:
			b.WriteString("null ")
		case v.hasValue:
			b.WriteByte('\'')
			b.WriteString(v.value)
			b.WriteString("' ")
		}
		b.WriteString("at '")
		b.WriteString(memberPath(v.path))
		b.WriteString("' failed to satisfy constraint: ")
		b.WriteString(v.msg)
	}
	return apierr.ValidationError(b.String())
}

// memberPath turns a form key into AWS's member path: member names start
// lower-case and list elements read "<list>.<n>.member"
// ("Tags.member.1.Key" -> "tags.1.member.key").
func memberPath(key string) string {
	segs := strings.Split(key, ".")
	out := make([]string, 0, len(segs))
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if (s == "member" || s == "entry") && i+1 < len(segs) && isDigits(segs[i+1]) {
			out = append(out, segs[i+1], s)
			i++
			continue
		}
		out = append(out, lowerFirst(s))
	}
	return strings.Join(out, ".")
}

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// DecodeInput runs a generated structure decoder over v and returns the
// input or the decoding error (see Decoder.Err).
func DecodeInput[I any](v Values, style *Style, decode func(*Decoder, *I)) (*I, error) {
	d := NewDecoder(v, style)
	in := new(I)
	decode(&d, in)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return in, nil
}
