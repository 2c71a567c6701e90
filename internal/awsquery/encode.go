package awsquery

import (
	"encoding/base64"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Encoder appends AWS Query response XML to a buffer. Generated encoders
// call it; element names are trusted (they come from the service model),
// text is escaped. Methods write unconditionally: generated code decides
// which members are absent.
type Encoder struct {
	buf []byte
}

var encoderPool = sync.Pool{New: func() any { return &Encoder{buf: make([]byte, 0, 2048)} }}

func getEncoder() *Encoder { return encoderPool.Get().(*Encoder) }

func putEncoder(e *Encoder) {
	if cap(e.buf) > 64<<10 {
		return // let oversized buffers go
	}
	e.buf = e.buf[:0]
	encoderPool.Put(e)
}

// Bytes returns the XML written so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the encoder, keeping its buffer.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

func (e *Encoder) raw(s string) { e.buf = append(e.buf, s...) }

// Start writes the start tag <name>.
func (e *Encoder) Start(name string) {
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
}

// StartNS writes a start tag declaring an XML namespace: <name xmlns="uri">,
// or <name xmlns:prefix="uri"> when prefix is not empty.
func (e *Encoder) StartNS(name, prefix, uri string) {
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, " xmlns"...)
	if prefix != "" {
		e.buf = append(e.buf, ':')
		e.buf = append(e.buf, prefix...)
	}
	e.buf = append(e.buf, `="`...)
	e.text(uri)
	e.buf = append(e.buf, `">`...)
}

// End writes the end tag </name>.
func (e *Encoder) End(name string) {
	e.buf = append(e.buf, '<', '/')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
}

// Empty writes an empty element <name/>.
func (e *Encoder) Empty(name string) {
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '/', '>')
}

// String writes <name>v</name> with v escaped.
func (e *Encoder) String(name, v string) {
	e.Start(name)
	e.text(v)
	e.End(name)
}

// Text writes escaped character data (the content of an element opened with
// Start or StartNS).
func (e *Encoder) Text(v string) { e.text(v) }

// Int writes <name>v</name> for an integer or long member.
func (e *Encoder) Int(name string, v int64) {
	e.Start(name)
	e.buf = strconv.AppendInt(e.buf, v, 10)
	e.End(name)
}

// Bool writes <name>true</name> or <name>false</name>.
func (e *Encoder) Bool(name string, v bool) {
	e.Start(name)
	e.buf = strconv.AppendBool(e.buf, v)
	e.End(name)
}

// Float writes a float or double member; NaN and infinities use the AWS
// spellings NaN, Infinity and -Infinity. bits is 32 or 64.
func (e *Encoder) Float(name string, v float64, bits int) {
	e.Start(name)
	switch {
	case math.IsNaN(v):
		e.raw("NaN")
	case math.IsInf(v, 1):
		e.raw("Infinity")
	case math.IsInf(v, -1):
		e.raw("-Infinity")
	default:
		e.buf = strconv.AppendFloat(e.buf, v, 'f', -1, bits)
	}
	e.End(name)
}

// Blob writes b base64-encoded (standard alphabet, padded).
func (e *Encoder) Blob(name string, b []byte) {
	e.Start(name)
	e.buf = base64.StdEncoding.AppendEncode(e.buf, b)
	e.End(name)
}

// Timestamp formats.
const (
	// TimeISO8601 is the Query protocol default: 2006-01-02T15:04:05Z in
	// UTC, with milliseconds (.000) only when the time has a sub-second part.
	TimeISO8601 = iota
	// TimeEpochSeconds is seconds since the Unix epoch, fractional when
	// needed (timestampFormat unixTimestamp).
	TimeEpochSeconds
	// TimeHTTPDate is the RFC 7231 IMF-fixdate (timestampFormat rfc822).
	TimeHTTPDate
)

// Time writes t in format (TimeISO8601, TimeEpochSeconds or TimeHTTPDate).
func (e *Encoder) Time(name string, t time.Time, format int) {
	e.Start(name)
	e.buf = AppendTime(e.buf, t, format)
	e.End(name)
}

// AppendTime appends t in format (see Encoder.Time).
func AppendTime(b []byte, t time.Time, format int) []byte {
	t = t.UTC()
	switch format {
	case TimeEpochSeconds:
		if ms := t.Nanosecond() / 1e6; ms != 0 {
			return strconv.AppendFloat(b, float64(t.Unix())+float64(ms)/1000, 'f', -1, 64)
		}
		return strconv.AppendInt(b, t.Unix(), 10)
	case TimeHTTPDate:
		return t.AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
	default:
		if t.Nanosecond()/1e6 != 0 {
			return t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
		}
		return t.AppendFormat(b, "2006-01-02T15:04:05Z")
	}
}

// text appends s escaped for XML character data and (double-quoted)
// attribute values: &, <, > and " become entities, as AWS writes them.
// Characters not allowed in XML 1.0 become U+FFFD; '\r' is written as a
// character reference so that XML line-end normalization keeps it.
func (e *Encoder) text(s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			var esc string
			switch c {
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '&':
				esc = "&amp;"
			case '"':
				esc = "&quot;"
			case '\r':
				esc = "&#xD;"
			case '\t', '\n':
			default:
				if c < 0x20 {
					esc = "\uFFFD"
				}
			}
			if esc != "" {
				e.buf = append(e.buf, s[last:i]...)
				e.buf = append(e.buf, esc...)
				last = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			e.buf = append(e.buf, s[last:i]...)
			e.buf = append(e.buf, "\uFFFD"...)
			last = i + size
		}
		i += size
	}
	e.buf = append(e.buf, s[last:]...)
}
