package sigv4

import (
	"net/http"
	"net/url"
	"testing"
)

func TestCanonicalURI(t *testing.T) {
	for _, c := range []struct {
		path string
		o    canonOpts
		want string
	}{
		{path: "", o: optsFor("iam"), want: "/"},
		{path: "/", o: optsFor("iam"), want: "/"},
		{path: "//a//b//", o: optsFor("iam"), want: "/a/b/"},
		{path: "/a/./b/../c", o: optsFor("iam"), want: "/a/c"},
		{path: "/a/..", o: optsFor("iam"), want: "/"},
		{path: "/a/.", o: optsFor("iam"), want: "/a/"},
		{path: "/../../a", o: optsFor("iam"), want: "/a"},
		{path: "/a%20b/%2F", o: optsFor("iam"), want: "/a%2520b/%252F"}, // encoded once more
		{path: "/a b/$", o: optsFor("iam"), want: "/a%20b/%24"},
		{path: "//a/./%2e/", o: optsFor("s3"), want: "//a/././"}, // S3: no normalisation, single encoding
		{path: "/a%20b/%2F", o: optsFor("s3"), want: "/a%20b/%2F"},
	} {
		var s scratch
		if got := string(s.appendCanonicalURI(nil, c.path, c.o)); got != c.want {
			t.Errorf("%q %+v: got %q, want %q", c.path, c.o, got, c.want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	for _, c := range []struct {
		query     string
		presigned bool
		want      string
	}{
		{"", false, ""},
		{"b=2&a=1", false, "a=1&b=2"},
		{"a=2&a=10&a=1", false, "a=1&a=10&a=2"},
		{"Param-3=x&Param=y", false, "Param=y&Param-3=x"}, // by key first, then value
		{"k=a+b&k2=a%20b&k3=a%2Bb", false, "k=a%20b&k2=a%20b&k3=a%2Bb"},
		{"flag&x=", false, "flag=&x="},
		{"a=%zz&b=%4", false, "a=%25zz&b=%254"}, // invalid escapes stay literal
		{"a=%7e%41", false, "a=~A"},
		{"&&a=1&", false, "a=1"},
		{"%E1%88%B4=%e1%88%b4", false, "%E1%88%B4=%E1%88%B4"},
		{"X-Amz-Signature=abc&X-Amz-Date=1", true, "X-Amz-Date=1"},
		{"X-Amz-Signature=abc&X-Amz-Date=1", false, "X-Amz-Date=1&X-Amz-Signature=abc"},
	} {
		var s scratch
		if got := string(s.appendCanonicalQuery(nil, c.query, c.presigned, false)); got != c.want {
			t.Errorf("%q: got %q, want %q", c.query, got, c.want)
		}
	}
}

func TestCanonicalHeaderValues(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"a", "a"},
		{" \ta  b   c \t", "a b c"},
		{"a\t\tb", "a\t\tb"}, // only spaces are collapsed
		{`"a   b"`, `"a b"`},
	} {
		if got := string(appendTrimmed(nil, c.in)); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}

	r := &http.Request{Host: "iam.amazonaws.com", URL: &url.URL{Path: "/"}, ContentLength: 42,
		Header: http.Header{"X-Multi": {"a", " b ", "c  d"}, "x_raw": {"v"}}}
	for name, want := range map[string]string{
		"host":           "iam.amazonaws.com",
		"x-multi":        "a,b,c d",
		"content-length": "42", // net/http clients keep it out of Header
		"x_raw":          "v",  // a key net/textproto could not canonicalise
		"x-absent":       "",
	} {
		if got := string(appendHeaderValue(nil, r, name)); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestRequestTarget(t *testing.T) {
	for _, c := range []struct {
		uri, path, query string
	}{
		{"/a%20b/?x=1&y", "/a%20b/", "x=1&y"},
		{"http://iam.amazonaws.com/p?q", "/p", "q"},
		{"https://iam.amazonaws.com", "/", ""},
		{"*", "*", ""},
	} {
		r := &http.Request{RequestURI: c.uri, URL: &url.URL{Path: "/other"}}
		if p, q := requestTarget(r); p != c.path || q != c.query {
			t.Errorf("%q: got %q %q", c.uri, p, q)
		}
	}
	r := &http.Request{URL: &url.URL{Path: "/a b", RawQuery: "q=1"}}
	if p, q := requestTarget(r); p != "/a%20b" || q != "q=1" {
		t.Errorf("client request: got %q %q", p, q)
	}
}
