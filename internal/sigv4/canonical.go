package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// canonOpts selects the variants of the canonical request.
type canonOpts struct {
	// normalize removes dot segments and empty segments from the path, as
	// SigV4 does for every service but S3.
	normalize bool
	// singleEncode decodes the path before encoding it (S3); otherwise the
	// path as sent is encoded once more ("double encoding").
	singleEncode bool
	// omitToken leaves X-Amz-Security-Token out of a presigned request's
	// canonical query (clients that add the token after signing).
	omitToken bool
}

// optsFor returns the canonicalisation rules of a service.
func optsFor(service string) canonOpts {
	if service == "s3" {
		return canonOpts{singleEncode: true}
	}
	return canonOpts{normalize: true}
}

// qpair locates one encoded query parameter in scratch.q: the key is
// q[k0:k1], the value q[k1:v1].
type qpair struct{ k0, k1, v1 int }

// scratch holds the buffers one verification needs; it is pooled.
type scratch struct {
	creq  []byte  // canonical request
	q     []byte  // encoded query keys and values
	pairs []qpair // query parameters, sorted in place
	mac   []byte  // HMAC input: inner pad, then the string to sign
	stack []int   // path segment offsets while normalising
}

// appendCanonicalRequest appends the canonical request of r, as described by
// a, to s.creq and returns it. payloadHash is the last line.
func (s *scratch) canonicalRequest(a *Auth, r *http.Request, payloadHash []byte, o canonOpts) []byte {
	path, query := requestTarget(r)
	b := append(s.creq[:0], r.Method...)
	b = append(b, '\n')
	b = s.appendCanonicalURI(b, path, o)
	b = append(b, '\n')
	b = s.appendCanonicalQuery(b, query, a.Presigned, o.omitToken)
	b = append(b, '\n')
	for list := a.SignedHeaders; list != ""; {
		var name string
		name, list, _ = strings.Cut(list, ";")
		b = append(b, name...)
		b = append(b, ':')
		b = appendHeaderValue(b, r, name)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = append(b, a.SignedHeaders...)
	b = append(b, '\n')
	b = append(b, payloadHash...)
	s.creq = b
	return b
}

// stringToSign appends the string to sign for a canonical request to b.
func appendStringToSign(b []byte, a *Auth, creq []byte) []byte {
	b = append(b, Algorithm+"\n"...)
	b = append(b, a.amzDate...)
	b = append(b, '\n')
	b = append(b, a.Scope.Date...)
	b = append(b, '/')
	b = append(b, a.Scope.Region...)
	b = append(b, '/')
	b = append(b, a.Scope.Service...)
	b = append(b, "/"+terminator+"\n"...)
	sum := sha256.Sum256(creq)
	var hx [2 * sha256.Size]byte
	hex.Encode(hx[:], sum[:])
	return append(b, hx[:]...)
}

// requestTarget returns the path and the raw query exactly as the client
// sent them: from RequestURI on the server side, from URL otherwise.
func requestTarget(r *http.Request) (path, query string) {
	if uri := r.RequestURI; uri != "" {
		path, query, _ = strings.Cut(uri, "?")
		if path != "" && path[0] != '/' { // absolute-form: scheme://authority/path
			if i := strings.Index(path, "://"); i >= 0 {
				rest := path[i+3:]
				if j := strings.IndexByte(rest, '/'); j >= 0 {
					path = rest[j:]
				} else {
					path = "/"
				}
			}
		}
		return path, query
	}
	if r.URL == nil {
		return "/", ""
	}
	return r.URL.EscapedPath(), r.URL.RawQuery
}

// appendCanonicalURI appends the canonical URI of path (the path as sent on
// the wire) to b.
func (s *scratch) appendCanonicalURI(b []byte, path string, o canonOpts) []byte {
	if path == "" {
		return append(b, '/')
	}
	if !o.normalize {
		return appendEscapedPath(b, path, o.singleEncode)
	}
	// Remove "." and ".." segments (RFC 3986 §5.2.4) and empty segments.
	// stack holds, for every segment written, the length of b before it.
	start := len(b)
	stack := s.stack[:0]
	trailing := false
	for rest := path; ; {
		seg, more, found := strings.Cut(rest, "/")
		switch seg {
		case "", ".":
			trailing = true
		case "..":
			if len(stack) > 0 {
				b = b[:stack[len(stack)-1]]
				stack = stack[:len(stack)-1]
			}
			trailing = true
		default:
			stack = append(stack, len(b))
			b = append(b, '/')
			b = appendEscapedPath(b, seg, o.singleEncode)
			trailing = false
		}
		if !found {
			break
		}
		rest = more
		if rest == "" {
			trailing = true
		}
	}
	s.stack = stack
	if len(b) == start || trailing {
		b = append(b, '/')
	}
	return b
}

// appendEscapedPath URI-encodes every byte of p except unreserved
// characters and '/'. With decodeFirst, percent escapes are decoded first.
func appendEscapedPath(b []byte, p string, decodeFirst bool) []byte {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if decodeFirst && c == '%' && i+2 < len(p) && ishex(p[i+1]) && ishex(p[i+2]) {
			c = unhex(p[i+1])<<4 | unhex(p[i+2])
			i += 2
		} else if c == '/' {
			b = append(b, c)
			continue
		}
		b = appendEscaped(b, c)
	}
	return b
}

const upperhex = "0123456789ABCDEF"

// appendEscaped appends c, percent-encoded unless it is unreserved
// (A-Z a-z 0-9 - . _ ~).
func appendEscaped(b []byte, c byte) []byte {
	if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' {
		return append(b, c)
	}
	return append(b, '%', upperhex[c>>4], upperhex[c&15])
}

// appendQueryComponent decodes a raw query key or value ('+' is a space, an
// invalid escape stays literal) and appends its canonical encoding.
func appendQueryComponent(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(v) && ishex(v[i+1]) && ishex(v[i+2]):
			c = unhex(v[i+1])<<4 | unhex(v[i+2])
			i += 2
		}
		b = appendEscaped(b, c)
	}
	return b
}

// appendCanonicalQuery appends the canonical query string: every parameter
// decoded and re-encoded, sorted by key then value. A presigned request's
// X-Amz-Signature is left out, and X-Amz-Security-Token with omitToken.
func (s *scratch) appendCanonicalQuery(b []byte, query string, presigned, omitToken bool) []byte {
	if query == "" {
		return b
	}
	q, pairs := s.q[:0], s.pairs[:0]
	for rest := query; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k0 := len(q)
		q = appendQueryComponent(q, k)
		k1 := len(q)
		if presigned {
			key := q[k0:k1]
			if string(key) == "X-Amz-Signature" || omitToken && string(key) == "X-Amz-Security-Token" {
				q = q[:k0]
				continue
			}
		}
		q = appendQueryComponent(q, v)
		pairs = append(pairs, qpair{k0, k1, len(q)})
	}
	slices.SortFunc(pairs, func(x, y qpair) int {
		if c := bytes.Compare(q[x.k0:x.k1], q[y.k0:y.k1]); c != 0 {
			return c
		}
		return bytes.Compare(q[x.k1:x.v1], q[y.k1:y.v1])
	})
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, q[p.k0:p.k1]...)
		b = append(b, '=')
		b = append(b, q[p.k1:p.v1]...)
	}
	s.q, s.pairs = q, pairs
	return b
}

// appendHeaderValue appends the canonical value of the signed header name:
// every value trimmed, runs of spaces collapsed, values joined with ','.
func appendHeaderValue(b []byte, r *http.Request, name string) []byte {
	if strings.EqualFold(name, "host") {
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return appendTrimmed(b, host)
	}
	vals := lookupHeader(r.Header, name)
	if vals == nil && strings.EqualFold(name, "content-length") && r.ContentLength >= 0 {
		return strconv.AppendInt(b, r.ContentLength, 10)
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// appendTrimmed appends v without leading and trailing blanks and with
// every run of spaces replaced by one space.
func appendTrimmed(b []byte, v string) []byte {
	i, j := 0, len(v)
	for i < j && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	for j > i && (v[j-1] == ' ' || v[j-1] == '\t') {
		j--
	}
	v = v[i:j]
	for {
		k := strings.Index(v, "  ")
		if k < 0 {
			return append(b, v...)
		}
		b = append(b, v[:k+1]...)
		v = strings.TrimLeft(v[k+1:], " ")
	}
}

// lookupHeader returns the values of the header whose lowercase name is
// name. net/http stores names in canonical MIME form; the form is built on
// the stack so the lookup does not allocate.
func lookupHeader(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) <= len(buf) {
		k := buf[:len(name)]
		upper := true
		for i := 0; i < len(name); i++ {
			c := name[i]
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			k[i] = c
			upper = c == '-'
		}
		if v, ok := h[string(k)]; ok {
			return v
		}
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}
