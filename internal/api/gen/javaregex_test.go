package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/api/internal/botomodel"
)

func TestTranslateJava(t *testing.T) {
	tests := []struct {
		java, expr string
		match      []string
		noMatch    []string
	}{
		{java: `[\w+=,.@-]+`, expr: `[\w+=,.@-]+`, match: []string{"a_b+=,.@-"}, noMatch: []string{"", "a b", "a/b", "é"}},
		{java: `[\u0009\u000A\u000D\u0020-\u00FF]+`, expr: `[\x{9}\x{A}\x{D}\x{20}-\x{FF}]+`,
			match: []string{"a\tb\n", "ÿ"}, noMatch: []string{"\x0b", "Ā"}},
		// Java reads \u10000 as U+1000 followed by '0': supplementary
		// characters are outside this class (faithfully).
		{java: `[\u0020-\u007E\u10000-\u10FFFF]+`, expr: `[\x{20}-\x{7E}\x{1000}0-\x{10FF}FF]+`,
			match: []string{"arn:aws", "\u1000"}, noMatch: []string{"\U0001F600"}},
		{java: `\u002F[\u0021-\u007F]*`, expr: `\x{2F}[\x{21}-\x{7F}]*`, match: []string{"/", "/a/b"}, noMatch: []string{"a", "/ a"}},
		{java: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, expr: `(\x{2F})|(\x{2F}[\x{21}-\x{7E}]+\x{2F})`,
			match: []string{"/", "/a/", "/a/b/"}, noMatch: []string{"/a", "a/", "//x"}},
		{java: `[\w+=,.@:\/-]*`, expr: `[\w+=,.@:/-]*`, match: []string{"", "a:b/c"}},
		{java: `[\w+=,.@\:-]*`, expr: `[\w+=,.@:-]*`, match: []string{"a:b"}},
		{java: `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, expr: `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, match: []string{"é 1", "a-b"}, noMatch: []string{"a*b"}},
		{java: `^o-[a-z0-9]{10,32}$`, expr: `^o-[a-z0-9]{10,32}$`, match: []string{"o-abcdefghij"}, noMatch: []string{"o-abc", "o-abcdefghij\n"}},
		{java: `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`, expr: `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`, match: []string{"v1", "v12.a-b"}, noMatch: []string{"v0"}},
		{java: `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, expr: `^[a-z0-9](?:[a-z0-9]|-){1,61}[a-z0-9]$`,
			match: []string{"my-alias", "a-b-c"}, noMatch: []string{"my--alias", "-ab", "ab-"}},
		{java: `a.b`, expr: `a[^\n\r\x{85}\x{2028}\x{2029}]b`, match: []string{"axb"}, noMatch: []string{"a\rb", "a\u2028b"}},
		{java: `\s+`, expr: `[ \t\n\x0B\f\r]+`, match: []string{" \x0b"}},
		{java: `[\s]`, expr: `[ \t\n\x0B\f\r]`, match: []string{"\x0b"}},
		{java: `\Qa.b\E+`, expr: `a\.b+`, match: []string{"a.bb"}, noMatch: []string{"axb"}},
		{java: `[\p{Lower}]+`, expr: `[a-z]+`, match: []string{"abc"}, noMatch: []string{"é"}},
		{java: `(?i)abc`, expr: `(?i)abc`, match: []string{"ABC"}},
		{java: `\uD83D\uDE00`, expr: `\x{1F600}`, match: []string{"\U0001F600"}},
	}
	for _, tt := range tests {
		tr, err := translateJava(tt.java)
		if err != nil {
			t.Errorf("%s: %v", tt.java, err)
			continue
		}
		if tr.Expr != tt.expr {
			t.Errorf("%s: got %s, want %s", tt.java, tr.Expr, tt.expr)
		}
		re := regexp.MustCompile(`^(?:` + tr.Expr + `)$`)
		ok := func(s string) bool {
			for _, f := range tr.Forbid {
				if strings.Contains(s, f) {
					return false
				}
			}
			return re.MatchString(s)
		}
		for _, s := range tt.match {
			if !ok(s) {
				t.Errorf("%s should match %q", tt.java, s)
			}
		}
		for _, s := range tt.noMatch {
			if ok(s) {
				t.Errorf("%s should not match %q", tt.java, s)
			}
		}
	}
}

func TestTranslateJavaRejects(t *testing.T) {
	for _, java := range []string{
		`a(?=b)`, `a(?!b)`, `(?<=a)b`, `(?<!a)b`, `(?>a)`, `a*+`, `a++`, `a{2}+`, `(a)\1`,
		`[a-z&&[^c]]`, `[a[b]]`, `\Z`, `\G`, `\R`, `\h`, `\p{javaLowerCase}`, `[\S]`, `\uD800`, `(?x)a`, `[]a]`,
	} {
		if tr, err := translateJava(java); err == nil {
			t.Errorf("%s: accepted as %s", java, tr.Expr)
		}
	}
}

// TestModelPatterns translates every pattern of both models.
func TestModelPatterns(t *testing.T) {
	for _, path := range []string{"../models/iam/service-2.json", "../models/sts/service-2.json"} {
		m, err := botomodel.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, s := range m.Shapes {
			if s.Pattern == "" {
				continue
			}
			if _, err := translateJava(s.Pattern); err != nil {
				t.Errorf("%s %s: %v", path, name, err)
			}
		}
	}
}
