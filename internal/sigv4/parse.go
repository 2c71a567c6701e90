package sigv4

import (
	"net/http"
	"strings"
	"time"
)

const (
	// Algorithm is the only signing algorithm this package accepts.
	Algorithm = "AWS4-HMAC-SHA256"
	// MaxSkew is how far the request time may be from the server's clock,
	// either way, as AWS allows.
	MaxSkew = 15 * time.Minute
	// MaxExpires is the largest X-Amz-Expires a presigned request may carry
	// (seven days, the lifetime of a signing key).
	MaxExpires = 7 * 24 * time.Hour

	amzDateLayout = "20060102T150405Z"
	terminator    = "aws4_request"
	unsignedBody  = "UNSIGNED-PAYLOAD"
)

// Scope is the credential scope of a signature: the day, region and
// service the signing key was derived for.
type Scope struct {
	Date    string // YYYYMMDD
	Region  string // any region the client signed with, e.g. "us-east-1"
	Service string // e.g. "iam", "sts"
}

// String returns the scope as it appears in the string to sign, e.g.
// "20150830/us-east-1/iam/aws4_request".
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + terminator
}

// Auth is the authentication information of one request, as Parse found it.
// Its strings share memory with the request; it holds no secret.
type Auth struct {
	// AccessKeyID is the key id from the credential (AKIA…, ASIA…).
	AccessKeyID string
	// Date is the request time (X-Amz-Date, or the Date header), in UTC.
	Date time.Time
	// Scope is the credential scope.
	Scope Scope
	// SignedHeaders is the signed header list exactly as sent: lowercase
	// names separated by ';'.
	SignedHeaders string
	// Signature is the decoded signature the client sent; nil when it is not
	// 64 hexadecimal digits (such a request can only fail to verify).
	Signature []byte
	// SecurityToken is X-Amz-Security-Token (header or query), or "".
	SecurityToken string
	// Presigned reports query-string (presigned URL) authentication.
	Presigned bool
	// Expires is X-Amz-Expires of a presigned request (0 when absent).
	Expires time.Duration

	amzDate       string // request time as it enters the string to sign
	contentSHA256 string // X-Amz-Content-Sha256 as sent, or ""
	tokenInQuery  bool   // SecurityToken came from the query string
	sig           [32]byte
}

// Parse extracts the authentication parameters of r, from the Authorization
// header or from the query string of a presigned URL. It does no
// cryptography and needs no secret; the errors it returns are *Error with
// AWS's code and wording: MissingAuthenticationToken when r carries no SigV4
// authentication, IncompleteSignature when parts are missing or malformed,
// SignatureDoesNotMatch when the credential scope is wrong.
func Parse(r *http.Request) (*Auth, error) {
	_, query := requestTarget(r)
	authz, hasAuthz := headerValue(r.Header, "Authorization")
	_, hasQueryAuth := queryParam(query, "X-Amz-Algorithm")
	switch {
	case hasQueryAuth && hasAuthz && authz != "":
		return nil, mismatch(msgFoundBoth)
	case hasQueryAuth:
		return parseQuery(r, query)
	case !strings.HasPrefix(strings.TrimLeft(authz, " "), "AWS4-"):
		return nil, &Error{Code: CodeMissingAuthenticationToken, Message: msgMissingAuthToken, Status: 403}
	}
	return parseHeader(r, authz)
}

// parseHeader parses header authentication:
//
//	Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=…
func parseHeader(r *http.Request, authz string) (*Auth, error) {
	alg, params, _ := strings.Cut(strings.TrimLeft(authz, " "), " ")
	var cred, signed, sig string
	var haveSigned bool
	for params != "" {
		// Parameters are separated by commas and/or spaces.
		i := strings.IndexByte(params, ',')
		if j := strings.IndexByte(params, ' '); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		tok := params
		if i >= 0 {
			tok, params = params[:i], params[i+1:]
		} else {
			params = ""
		}
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return nil, incomplete("'" + tok + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + authz + "'.")
		}
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed, haveSigned = v, true
		case "Signature":
			sig = v
		}
	}
	amzDate, _ := headerValue(r.Header, "X-Amz-Date")
	var httpDate string
	if amzDate == "" {
		httpDate, _ = headerValue(r.Header, "Date")
	}
	if cred == "" || sig == "" || !haveSigned || (amzDate == "" && httpDate == "") {
		var msg strings.Builder
		if cred == "" {
			msg.WriteString("Authorization header requires 'Credential' parameter. ")
		}
		if sig == "" {
			msg.WriteString("Authorization header requires 'Signature' parameter. ")
		}
		if !haveSigned {
			msg.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
		}
		if amzDate == "" && httpDate == "" {
			msg.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		msg.WriteString("Authorization=")
		msg.WriteString(authz)
		return nil, incomplete(msg.String())
	}

	a := &Auth{SignedHeaders: signed}
	if amzDate != "" {
		t, ok := parseAmzDate(amzDate)
		if !ok {
			return nil, badDate(amzDate)
		}
		a.Date, a.amzDate = t, amzDate
	} else {
		t, err := http.ParseTime(httpDate)
		if err != nil {
			return nil, badDate(httpDate)
		}
		a.Date = t.UTC()
		a.amzDate = a.Date.Format(amzDateLayout)
	}
	if err := a.finish(alg, cred, sig); err != nil {
		return nil, err
	}
	a.SecurityToken, _ = headerValue(r.Header, "X-Amz-Security-Token")
	a.contentSHA256, _ = headerValue(r.Header, "X-Amz-Content-Sha256")
	return a, nil
}

// queryAuth holds the raw (still percent-encoded) authentication parameters
// of a presigned URL.
type queryAuth struct {
	alg, cred, date, expires, signed, sig, token, sha string
	haveExpires, haveToken, haveSHA                   bool
}

// parseQuery parses presigned-URL authentication (X-Amz-* query parameters).
func parseQuery(r *http.Request, query string) (*Auth, error) {
	var q queryAuth
	for rest := query; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			k = unescape(k)
		}
		if len(k) < 6 || k[:6] != "X-Amz-" {
			continue
		}
		// The first occurrence of each parameter wins.
		switch k[6:] {
		case "Algorithm":
			q.alg = first(q.alg, v)
		case "Credential":
			q.cred = first(q.cred, v)
		case "Date":
			q.date = first(q.date, v)
		case "Expires":
			q.expires, q.haveExpires = first(q.expires, v), true
		case "SignedHeaders":
			q.signed = first(q.signed, v)
		case "Signature":
			q.sig = first(q.sig, v)
		case "Security-Token":
			q.token, q.haveToken = first(q.token, v), true
		case "Content-Sha256":
			q.sha, q.haveSHA = first(q.sha, v), true
		}
	}
	if q.alg == "" || q.cred == "" || q.sig == "" || q.signed == "" || q.date == "" {
		var msg strings.Builder
		for _, p := range [...]struct{ name, v string }{
			{"X-Amz-Algorithm", q.alg}, {"X-Amz-Credential", q.cred}, {"X-Amz-Signature", q.sig},
			{"X-Amz-SignedHeaders", q.signed}, {"X-Amz-Date", q.date},
		} {
			if p.v == "" {
				msg.WriteString("AWS query-string parameters must include '" + p.name + "'. ")
			}
		}
		msg.WriteString("Re-examine the query-string parameters.")
		return nil, incomplete(msg.String())
	}

	a := &Auth{Presigned: true, SignedHeaders: unescape(q.signed)}
	date := unescape(q.date)
	t, ok := parseAmzDate(date)
	if !ok {
		return nil, badDate(date)
	}
	a.Date, a.amzDate = t, date
	if err := a.finish(unescape(q.alg), unescape(q.cred), unescape(q.sig)); err != nil {
		return nil, err
	}
	if q.haveExpires {
		d, err := parseExpires(unescape(q.expires))
		if err != nil {
			return nil, err
		}
		a.Expires = d
	}
	if q.haveToken {
		a.SecurityToken, a.tokenInQuery = unescape(q.token), true
	} else {
		a.SecurityToken, _ = headerValue(r.Header, "X-Amz-Security-Token")
	}
	if q.haveSHA {
		a.contentSHA256 = unescape(q.sha)
	} else {
		a.contentSHA256, _ = headerValue(r.Header, "X-Amz-Content-Sha256")
	}
	return a, nil
}

// finish checks what header and query authentication have in common, in
// AWS's order: host signed, algorithm, credential shape, credential scope;
// then it decodes the signature.
func (a *Auth) finish(alg, cred, sig string) error {
	if !hasSignedHeader(a.SignedHeaders, "host") {
		return mismatch(msgHostNotSigned)
	}
	if alg != Algorithm {
		return incomplete("Unsupported AWS 'algorithm': '" + alg + "' (only AWS4-HMAC-SHA256 for now). ")
	}
	// Trailing slashes are ignored, as AWS does.
	c := strings.TrimRight(cred, "/")
	var parts [5]string
	n := 0
	for {
		i := strings.IndexByte(c, '/')
		if i < 0 {
			if n < len(parts) {
				parts[n] = c
			}
			n++
			break
		}
		if n < len(parts) {
			parts[n] = c[:i]
		}
		n++
		c = c[i+1:]
	}
	if n != len(parts) {
		return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	a.AccessKeyID = parts[0]
	a.Scope = Scope{Date: parts[1], Region: parts[2], Service: parts[3]}

	var msg string
	if a.Scope.Region == "" {
		msg += "Credential should be scoped to a valid region. "
	}
	if parts[4] != terminator {
		msg += "Credential should be scoped with a valid terminator: 'aws4_request', not '" + parts[4] + "'. "
	}
	if a.Scope.Date != a.amzDate[:8] {
		msg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			a.Scope.Date + "' != '" + a.amzDate[:8] + "', from '" + a.amzDate + "'."
	}
	if msg != "" {
		return mismatch(msg)
	}

	if decodeHex(a.sig[:], sig) {
		a.Signature = a.sig[:]
	}
	return nil
}

// CheckTime reports whether the request time lies within MaxSkew of now,
// with AWS's "Signature expired" / "Signature not yet current" errors
// (SignatureDoesNotMatch). Verify calls it first; a server that wants AWS's
// order of errors calls it before looking the access key up.
func (a *Auth) CheckTime(now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	if a.Date.Before(now.Add(-MaxSkew)) {
		return skewError(a.Date, now, true)
	}
	if a.Date.After(now.Add(MaxSkew)) {
		return skewError(a.Date, now, false)
	}
	return nil
}

func badDate(v string) *Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '" + v + "'. See http://en.wikipedia.org/wiki/ISO_8601")
}

// parseExpires parses X-Amz-Expires: whole seconds, 0 to seven days. The
// wording is S3's; IAM and STS document none of their own.
func parseExpires(v string) (time.Duration, error) {
	if v == "" {
		return 0, incomplete("X-Amz-Expires should be a number")
	}
	if v[0] == '-' && len(v) > 1 && allDigits(v[1:]) {
		return 0, incomplete("X-Amz-Expires must be non-negative")
	}
	if !allDigits(v) {
		return 0, incomplete("X-Amz-Expires should be a number")
	}
	var n int64
	for i := 0; i < len(v); i++ {
		n = n*10 + int64(v[i]-'0')
		if n > int64(MaxExpires/time.Second) {
			return 0, incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
	}
	return time.Duration(n) * time.Second, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseAmzDate parses the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' || !allDigits(s[:8]) || !allDigits(s[9:15]) {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for ; n > 0; i, n = i+1, n-1 {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, mo, d := num(0, 4), num(4, 2), num(6, 2)
	h, mi, sec := num(9, 2), num(11, 2), num(13, 2)
	if mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // e.g. February 30
		return time.Time{}, false
	}
	return t, true
}

// hasSignedHeader reports whether the ';'-separated list contains name,
// ignoring case.
func hasSignedHeader(list, name string) bool {
	for list != "" {
		var h string
		h, list, _ = strings.Cut(list, ";")
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// headerValue returns the first value of header name, given in canonical
// MIME form as net/http stores it, and whether the header is present.
func headerValue(h http.Header, name string) (string, bool) {
	v, ok := h[name]
	if len(v) == 0 {
		return "", ok
	}
	return v[0], true
}

// queryParam returns the raw value of the first query parameter named name.
func queryParam(query, name string) (string, bool) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k == name || (strings.ContainsAny(k, "%+") && unescape(k) == name) {
			return v, true
		}
	}
	return "", false
}

func first(have, v string) string {
	if have != "" {
		return have
	}
	return v
}

// unescape decodes a query component the way form decoding does ('+' is a
// space); an invalid escape is kept literally. It allocates only when s
// contains something to decode.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		b = append(b, c)
	}
	return string(b)
}

// hexVal maps a byte to its value as a hexadecimal digit, or 0xff.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range []byte("0123456789abcdef") {
		t[c] = byte(i)
	}
	for i, c := range []byte("ABCDEF") {
		t[c] = byte(10 + i)
	}
	return t
}()

func ishex(c byte) bool { return hexVal[c] != 0xff }

func unhex(c byte) byte { return hexVal[c] }

// decodeHex decodes s, which must be exactly 2*len(dst) hexadecimal digits,
// into dst.
func decodeHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := hexVal[s[2*i]], hexVal[s[2*i+1]]
		if hi|lo > 0x0f {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}
