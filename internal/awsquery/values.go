package awsquery

import (
	"bytes"
	"iter"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/apierr"
)

// Values are the decoded parameters of one Query request: the URL query
// string and, for form POSTs, the body, merged. Keys are unique: when a key
// repeats, the first occurrence wins (body before URL query, then
// left to right). The zero Values is empty and ready to use.
type Values struct {
	// pairs are sorted by key (byte order), unique.
	pairs []pair
}

type pair struct{ k, v string }

// formContentType is the media type of Query POST bodies.
const formContentType = "application/x-www-form-urlencoded"

// errMalformed is the error for bodies and query strings that are not valid
// application/x-www-form-urlencoded data (bad percent escapes, invalid
// UTF-8). AWS documents MalformedQueryString for "The query string contains
// a syntax error".
func errMalformed() *apierr.Error {
	return apierr.New(CodeMalformedQueryString, "The query string contains a syntax error.")
}

// ParseForm parses the parameters of a Query request: r's URL query string
// and, when r is a POST whose Content-Type is
// application/x-www-form-urlencoded (any parameters, e.g. charset, are
// ignored) or absent, body. The caller has already read body (it is needed
// for signature verification); r.Body is not touched. Other content types
// contribute no parameters. Parameters from body win over URL parameters of
// the same name. A malformed percent escape or a value that is not UTF-8
// after decoding yields an *apierr.Error with code MalformedQueryString.
func ParseForm(r *http.Request, body []byte) (Values, error) {
	var query string
	if r.URL != nil {
		query = r.URL.RawQuery
	}
	if r.Method != http.MethodPost || !isFormContentType(r.Header.Get("Content-Type")) {
		body = nil
	}
	return parse(body, query)
}

// ParseQuery parses s, an application/x-www-form-urlencoded string such as a
// request body or URL query, with the rules of ParseForm.
func ParseQuery(s string) (Values, error) { return parse(nil, s) }

func isFormContentType(ct string) bool {
	if ct == "" {
		return true
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), formContentType)
}

// span locates a decoded key or value in the arena.
type span struct{ ks, ke, vs, ve int32 }

// parse decodes both sources into one arena so that all keys and values of a
// request share a single string allocation.
func parse(body []byte, query string) (Values, error) {
	n := countPairs(body) + strings.Count(query, "&")
	if len(query) > 0 {
		n++
	}
	if n == 0 {
		return Values{}, nil
	}
	arena := make([]byte, 0, len(body)+len(query))
	spans := make([]span, 0, n)
	var err error
	if arena, spans, err = decodeInto(arena, spans, body); err != nil {
		return Values{}, err
	}
	if len(query) > 0 {
		if arena, spans, err = decodeInto(arena, spans, []byte(query)); err != nil {
			return Values{}, err
		}
	}
	all := string(arena)
	pairs := make([]pair, len(spans))
	for i, s := range spans {
		pairs[i] = pair{k: all[s.ks:s.ke], v: all[s.vs:s.ve]}
	}
	// Stable: among equal keys the first occurrence stays first.
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	pairs = slices.CompactFunc(pairs, func(a, b pair) bool { return a.k == b.k })
	return Values{pairs: pairs}, nil
}

func countPairs(s []byte) int {
	if len(s) == 0 {
		return 0
	}
	return bytes.Count(s, []byte{'&'}) + 1
}

func decodeInto(arena []byte, spans []span, s []byte) ([]byte, []span, error) {
	for len(s) > 0 {
		var seg []byte
		if i := bytes.IndexByte(s, '&'); i >= 0 {
			seg, s = s[:i], s[i+1:]
		} else {
			seg, s = s, nil
		}
		if len(seg) == 0 {
			continue
		}
		k, v := seg, seg[len(seg):]
		if i := bytes.IndexByte(seg, '='); i >= 0 {
			k, v = seg[:i], seg[i+1:]
		}
		var sp span
		var ok bool
		sp.ks = int32(len(arena))
		if arena, ok = unescape(arena, k); !ok {
			return nil, nil, errMalformed()
		}
		sp.ke = int32(len(arena))
		sp.vs = sp.ke
		if arena, ok = unescape(arena, v); !ok {
			return nil, nil, errMalformed()
		}
		sp.ve = int32(len(arena))
		// Each key and value on its own: bytes of neighbours must not
		// complete a sequence.
		if !utf8.Valid(arena[sp.ks:sp.ke]) || !utf8.Valid(arena[sp.vs:sp.ve]) {
			return nil, nil, errMalformed()
		}
		spans = append(spans, sp)
	}
	return arena, spans, nil
}

// unescape appends the form-decoding of s ('+' is a space, %XX a byte) to
// dst. It reports false for a '%' not followed by two hex digits.
func unescape(dst, s []byte) ([]byte, bool) {
	for len(s) > 0 {
		i := bytes.IndexAny(s, "%+")
		if i < 0 {
			return append(dst, s...), true
		}
		dst = append(dst, s[:i]...)
		if s[i] == '+' {
			dst = append(dst, ' ')
			s = s[i+1:]
			continue
		}
		if i+2 >= len(s) {
			return dst, false
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return dst, false
		}
		dst = append(dst, hi<<4|lo)
		s = s[i+3:]
	}
	return dst, true
}

// Len returns the number of distinct parameters.
func (v Values) Len() int { return len(v.pairs) }

// Get returns the value of key, or "" when it is absent.
func (v Values) Get(key string) string {
	s, _ := v.Lookup(key)
	return s
}

// Lookup returns the value of key and whether it is present (a present
// parameter may have an empty value).
func (v Values) Lookup(key string) (string, bool) {
	i, ok := v.search(key)
	if !ok {
		return "", false
	}
	return v.pairs[i].v, true
}

// All iterates over the parameters in key order.
func (v Values) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, p := range v.pairs {
			if !yield(p.k, p.v) {
				return
			}
		}
	}
}

// search returns the index of the first key >= key and whether it equals
// key.
func (v Values) search(key string) (int, bool) {
	lo, hi := 0, len(v.pairs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.pairs[m].k < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(v.pairs) && v.pairs[lo].k == key
}

// lookupBytes is Lookup for a key held in a byte slice; the string
// conversions in comparisons do not allocate.
func (v Values) lookupBytes(key []byte) (string, bool) {
	lo, hi := 0, len(v.pairs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.pairs[m].k < string(key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(v.pairs) && v.pairs[lo].k == string(key) {
		return v.pairs[lo].v, true
	}
	return "", false
}

// hasPrefixBytes reports whether some key equals key or starts with key
// followed by '.'. Both checks are binary searches.
func (v Values) hasPrefixBytes(key []byte) bool {
	if _, ok := v.lookupBytes(key); ok {
		return true
	}
	// First key >= key+".".
	lo, hi := 0, len(v.pairs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if lessDotted(v.pairs[m].k, key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(v.pairs) {
		return false
	}
	k := v.pairs[lo].k
	return len(k) > len(key) && k[len(key)] == '.' && k[:len(key)] == string(key)
}

// lessDotted reports whether k < key+"." in byte order.
func lessDotted(k string, key []byte) bool {
	n := min(len(k), len(key))
	for i := 0; i < n; i++ {
		if k[i] != key[i] {
			return k[i] < key[i]
		}
	}
	if len(k) < len(key) {
		return true
	}
	if len(k) == len(key) {
		return true // k == key < key+"."
	}
	return k[len(key)] < '.'
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
