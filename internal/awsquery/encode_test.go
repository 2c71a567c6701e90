package awsquery

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"
	"time"
)

func TestEncoderText(t *testing.T) {
	var e Encoder
	in := "a<b>&\"c'\r\n\td\x01\xff\uFFFE€"
	e.String("V", in)
	want := "<V>a&lt;b&gt;&amp;&quot;c'&#xD;\n\td\uFFFD\uFFFD\uFFFD€</V>"
	if got := string(e.Bytes()); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	var v struct {
		V string `xml:"V"`
	}
	if err := xml.Unmarshal([]byte("<R>"+strings.TrimPrefix(string(e.Bytes()), "")+"</R>"), &v); err != nil {
		t.Fatal(err)
	}
	if v.V != "a<b>&\"c'\r\n\td\uFFFD\uFFFD\uFFFD€" {
		t.Errorf("round trip %q", v.V)
	}
}

func TestEncoderScalars(t *testing.T) {
	var e Encoder
	e.Int("I", -5)
	e.Bool("B", true)
	e.Float("F", 1.5, 64)
	e.Float("N", math.NaN(), 64)
	e.Float("P", math.Inf(1), 32)
	e.Float("M", math.Inf(-1), 32)
	e.Blob("X", []byte("value"))
	e.Empty("E")
	e.StartNS("S", "baz", "http://baz.com")
	e.End("S")
	want := `<I>-5</I><B>true</B><F>1.5</F><N>NaN</N><P>Infinity</P><M>-Infinity</M><X>dmFsdWU=</X><E/><S xmlns:baz="http://baz.com"></S>`
	if got := string(e.Bytes()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAppendTime(t *testing.T) {
	sec := time.Date(2026, 11, 22, 20, 4, 5, 0, time.FixedZone("x", 3600))
	ms := sec.Add(123456789 * time.Nanosecond)
	for _, tt := range []struct {
		t      time.Time
		format int
		want   string
	}{
		{sec, TimeISO8601, "2026-11-22T19:04:05Z"},
		{ms, TimeISO8601, "2026-11-22T19:04:05.123Z"},
		{sec, TimeEpochSeconds, "1795374245"},
		{ms, TimeEpochSeconds, "1795374245.123"},
		{sec, TimeHTTPDate, "Sun, 22 Nov 2026 19:04:05 GMT"},
	} {
		if got := string(AppendTime(nil, tt.t, tt.format)); got != tt.want {
			t.Errorf("AppendTime(%v, %d) = %s, want %s", tt.t, tt.format, got, tt.want)
		}
	}
}
