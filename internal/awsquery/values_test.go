package awsquery

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/apierr"
)

func pairsOf(v Values) map[string]string {
	m := map[string]string{}
	for k, x := range v.All() {
		m[k] = x
	}
	return m
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		name        string
		method, url string
		ctype, body string
		want        map[string]string
		wantErr     bool
	}{
		{name: "post form", method: "POST", url: "/", ctype: "application/x-www-form-urlencoded",
			body: "Action=CreateUser&Version=2010-05-08&UserName=bob",
			want: map[string]string{"Action": "CreateUser", "Version": "2010-05-08", "UserName": "bob"}},
		{name: "charset parameter", method: "POST", url: "/", ctype: "application/x-www-form-urlencoded; charset=utf-8",
			body: "Action=GetUser", want: map[string]string{"Action": "GetUser"}},
		{name: "content type case and spaces", method: "POST", url: "/", ctype: " Application/X-WWW-Form-URLEncoded ;charset=UTF-8",
			body: "Action=GetUser", want: map[string]string{"Action": "GetUser"}},
		{name: "no content type", method: "POST", url: "/", body: "Action=GetUser", want: map[string]string{"Action": "GetUser"}},
		{name: "other content type ignores body", method: "POST", url: "/?Action=A", ctype: "application/json",
			body: "Action=B", want: map[string]string{"Action": "A"}},
		{name: "get query", method: "GET", url: "/?Action=ListUsers&Version=2010-05-08&MaxItems=10",
			want: map[string]string{"Action": "ListUsers", "Version": "2010-05-08", "MaxItems": "10"}},
		{name: "get ignores body", method: "GET", url: "/?Action=A", body: "UserName=x", want: map[string]string{"Action": "A"}},
		{name: "merge, body wins", method: "POST", url: "/?X-Amz-Date=1&Action=Q", ctype: formContentType,
			body: "Action=B&UserName=u", want: map[string]string{"Action": "B", "UserName": "u", "X-Amz-Date": "1"}},
		{name: "first occurrence wins", method: "POST", url: "/", ctype: formContentType,
			body: "UserName=a&UserName=b", want: map[string]string{"UserName": "a"}},
		{name: "escapes", method: "POST", url: "/", ctype: formContentType,
			body: "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&P=a+b%2Bc&E=&K&&", want: map[string]string{
				"RoleArn": "arn:aws:iam::1:role/r", "P": "a b+c", "E": "", "K": ""}},
		{name: "utf-8", method: "POST", url: "/", ctype: formContentType,
			body: "V=%E2%82%AC", want: map[string]string{"V": "€"}},
		{name: "bad escape", method: "POST", url: "/", ctype: formContentType, body: "A=%zz", wantErr: true},
		{name: "truncated escape", method: "POST", url: "/", ctype: formContentType, body: "A=%4", wantErr: true},
		{name: "bad escape in key", method: "POST", url: "/", ctype: formContentType, body: "%g1=x", wantErr: true},
		{name: "bad escape in query", method: "GET", url: "/?A=%", wantErr: true},
		{name: "invalid utf-8", method: "POST", url: "/", ctype: formContentType, body: "A=%FF", wantErr: true},
		{name: "empty", method: "POST", url: "/", ctype: formContentType, want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, nil)
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			v, err := ParseForm(r, []byte(tt.body))
			if tt.wantErr {
				e, ok := apierr.As(err)
				if !ok || e.Code != CodeMalformedQueryString {
					t.Fatalf("err = %v, want MalformedQueryString", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := pairsOf(v); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValuesLookup(t *testing.T) {
	v, err := ParseQuery("Tags-x=1&Tags.member.1.Key=k&Tags.member.1.Value=v&TagsX=2&UserName=&Policy=p")
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := v.Lookup("UserName"); !ok || s != "" {
		t.Errorf("UserName = %q, %v", s, ok)
	}
	if _, ok := v.Lookup("Missing"); ok {
		t.Error("Missing present")
	}
	if v.Get("Policy") != "p" || v.Len() != 6 {
		t.Errorf("Get/Len wrong: %q %d", v.Get("Policy"), v.Len())
	}
	for key, want := range map[string]bool{
		"Tags": true, "Tags.member": true, "Tags.member.1": true, "Tags.member.2": false,
		"Tag": false, "TagsX": true, "Tags-x": true, "Policy": true, "Polic": false, "Z": false,
	} {
		if got := v.hasPrefixBytes([]byte(key)); got != want {
			t.Errorf("exists(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestLessDotted(t *testing.T) {
	for _, k := range []string{"", "a", "a-", "a.", "a.b", "a/", "ab", "a.\x00", "b", "A"} {
		want := k < "a."
		if got := lessDotted(k, []byte("a")); got != want {
			t.Errorf("lessDotted(%q, a) = %v, want %v", k, got, want)
		}
	}
}

// FuzzParseForm checks ParseQuery against net/url.ParseQuery (first value
// wins) and that its keys are sorted and unique.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=s",
		"Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=c",
		"a=1&a=2&b", "%zz", "a=%E2%82%AC+b", "&&=&=x", "k=%FF",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseQuery(s)
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("Content-Type", formContentType)
		v2, err2 := ParseForm(r, []byte(s))
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(v, v2) {
			t.Fatalf("ParseForm and ParseQuery disagree on %q", s)
		}
		ref, refErr := url.ParseQuery(s)
		if err != nil {
			if _, ok := apierr.As(err); !ok {
				t.Fatalf("error is not an *apierr.Error: %v", err)
			}
			if refErr == nil && utf8.ValidString(s) && !strings.Contains(s, ";") && allValidUTF8(ref) {
				t.Fatalf("rejected %q that net/url accepts", s)
			}
			return
		}
		for i := 1; i < len(v.pairs); i++ {
			if v.pairs[i-1].k >= v.pairs[i].k {
				t.Fatalf("keys not sorted/unique: %q", s)
			}
		}
		for _, p := range v.pairs {
			if !utf8.ValidString(p.k) || !utf8.ValidString(p.v) {
				t.Fatalf("invalid UTF-8 accepted in %q", s)
			}
		}
		if refErr != nil {
			return // e.g. ';' which net/url rejects
		}
		if len(ref) != v.Len() {
			t.Fatalf("%q: %d keys, net/url %d", s, v.Len(), len(ref))
		}
		for k, vs := range ref {
			if got, ok := v.Lookup(k); !ok || got != vs[0] {
				t.Fatalf("%q: %s=%q, net/url %q", s, k, got, vs[0])
			}
		}
	})
}

func allValidUTF8(v url.Values) bool {
	for k, vs := range v {
		if !utf8.ValidString(k) {
			return false
		}
		for _, x := range vs {
			if !utf8.ValidString(x) {
				return false
			}
		}
	}
	return true
}
