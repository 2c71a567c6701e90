package arn

import (
	"errors"
	"go/build"
	"strings"
	"testing"
)

func TestParseString(t *testing.T) {
	cases := []struct {
		in      string
		want    ARN
		wantErr bool
	}{
		{"arn:aws:iam::123456789012:user/path/alice", ARN{"aws", "iam", "", "123456789012", "user/path/alice"}, false},
		{"arn:aws:s3:::bucket/key:with:colons", ARN{"aws", "s3", "", "", "bucket/key:with:colons"}, false},
		{"arn:aws-cn:sts::123456789012:assumed-role/r/s", ARN{"aws-cn", "sts", "", "123456789012", "assumed-role/r/s"}, false},
		{"arn:aws:iam::123456789012", ARN{}, true},
		{"notarn:aws:iam::1:x", ARN{}, true},
		{"arn::iam::1:x", ARN{}, true},
		{"arn:aws:iam::1:", ARN{}, true},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Parse(%q) err = %v, want ErrMalformed", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
			continue
		}
		if got.String() != c.in {
			t.Errorf("String() = %q, want %q", got.String(), c.in)
		}
	}
}

func TestResourceType(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:iam::1:user/alice":           "user",
		"arn:aws:s3:::bucket":                 "",
		"arn:aws:ec2:r:1:instance/i-1":        "instance",
		"arn:aws:lambda:r:1:function:f":       "function",
		"arn:aws:iam::1:policy/a/b/PolicyOne": "policy",
	} {
		a, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.ResourceType(); got != want {
			t.Errorf("%s: got %q want %q", in, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"*", "anything", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a", false},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/x", true},
		{"arn:aws:iam::*", "arn:aws:iam::123456789012:role/x", true}, // not ARN-shaped: whole-string glob
		{"arn:aws:*:us-east-1:*:*", "arn:aws:ec2:us-east-1:1:instance/i", true},
		{"arn:aws:*", "arn:aws:ec2:us-east-1:1:instance/i", true},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b:with:colon", true},
		{"arn:aws:e?2:*:*:*", "arn:aws:ec2:r:1:x", true},
		{"arn:aws:ec2*:*:*", "arn:aws:ec2:r:1:x", true}, // five fields: whole-string glob
		{"arn:aws:ec2:*:*:*", "not-an-arn", false},
		{"arn:aws:iam::1:user/*", "arn:aws:iam::12:user/a", false},
	}
	for _, c := range cases {
		if got := Match(c.p, c.s); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"", "", true}, {"*", "", true}, {"a*", "a", true}, {"a?c", "abc", true},
		{"a?c", "ac", false}, {"*b*", "abc", true}, {"a*b*c", "aXbYbZc", true},
		{"a*b", "aXbYc", false}, {"**", "x", true}, {"x", "", false},
	}
	for _, c := range cases {
		if got := Glob(c.p, c.s); got != c.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

// TestPure fails if the package imports anything outside the standard
// library.
func TestPure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			t.Errorf("non-standard import %q", imp)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::123456789012:user/a", "arn:aws:s3:::b/k", "x", "arn:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("round trip %q -> %q", s, a.String())
		}
		if !Match(s, s) && !strings.ContainsAny(s, "*?") {
			t.Fatalf("%q does not match itself", s)
		}
	})
}
