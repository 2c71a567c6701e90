package oidc

import (
	"errors"
	"testing"
	"time"
)

func TestParseClaims(t *testing.T) {
	cases := []struct {
		name    string
		payload string
		ok      bool
		check   func(*Claims) bool
	}{
		{"minimal", `{"iss":"https://i","sub":"s","aud":"a","exp":10}`, true, func(c *Claims) bool {
			return c.Issuer == "https://i" && c.Subject == "s" && len(c.Audience) == 1 && c.Expiry.Unix() == 10
		}},
		{"aud list, azp, amr list, float exp", `{"iss":"i","sub":"s","aud":["a","b"],"azp":"a","amr":["pwd","mfa"],"exp":10.5}`, true, func(c *Claims) bool {
			return len(c.Audience) == 2 && c.AuthorizedParty == "a" && len(c.AMR) == 2 && c.Expiry.Unix() == 10
		}},
		{"github claims", `{"iss":"i","sub":"repo:o/r:ref:refs/heads/main","aud":"sts.amazonaws.com","exp":10,"repository":"o/r","repository_id":"123","actor_id":456,"email_verified":true}`, true, func(c *Claims) bool {
			return c.Strings["repository"] == "o/r" && c.Strings["actor_id"] == "456" && c.Strings["email_verified"] == "true"
		}},
		{"tags", `{"iss":"i","sub":"s","aud":"a","exp":10,"https://aws.amazon.com/tags":{"principal_tags":{"team":["blue"]},"transitive_tag_keys":["team"]}}`, true, func(c *Claims) bool {
			return c.Tags != nil && c.Tags.PrincipalTags["team"][0] == "blue" && c.Tags.TransitiveTagKeys[0] == "team"
		}},
		{"duplicate sub", `{"iss":"i","sub":"s","sub":"admin","aud":"a","exp":10}`, false, nil},
		{"duplicate nested", `{"iss":"i","sub":"s","aud":"a","exp":10,"https://aws.amazon.com/tags":{"principal_tags":{"k":["a"],"k":["b"]}}}`, false, nil},
		{"missing iss", `{"sub":"s","aud":"a","exp":10}`, false, nil},
		{"empty sub", `{"iss":"i","sub":"","aud":"a","exp":10}`, false, nil},
		{"missing exp", `{"iss":"i","sub":"s","aud":"a"}`, false, nil},
		{"string exp", `{"iss":"i","sub":"s","aud":"a","exp":"10"}`, false, nil},
		{"negative exp", `{"iss":"i","sub":"s","aud":"a","exp":-1}`, false, nil},
		{"numeric aud", `{"iss":"i","sub":"s","aud":5,"exp":10}`, false, nil},
		{"empty aud list", `{"iss":"i","sub":"s","aud":[],"exp":10}`, false, nil},
		{"not an object", `["iss"]`, false, nil},
		{"trailing data", `{"iss":"i","sub":"s","aud":"a","exp":10} {}`, false, nil},
		{"bad tags", `{"iss":"i","sub":"s","aud":"a","exp":10,"https://aws.amazon.com/tags":{"principal_tags":{"k":"v"}}}`, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseClaims([]byte(tc.payload))
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v", err)
			}
			if tc.ok && !tc.check(c) {
				t.Fatalf("claims = %+v", c)
			}
		})
	}
}

func TestCheckTime(t *testing.T) {
	now := time.Unix(1000, 0)
	c := &Claims{Expiry: time.Unix(2000, 0), NotBefore: time.Unix(900, 0), IssuedAt: time.Unix(900, 0)}
	if err := c.CheckTime(now, DefaultSkew); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    Claims
		want error
	}{
		{Claims{Expiry: time.Unix(999, 0)}, nil}, // within skew
		{Claims{Expiry: time.Unix(940, 0)}, ErrExpired},
		{Claims{Expiry: time.Unix(2000, 0), NotBefore: time.Unix(1061, 0)}, ErrNotYetValid},
		{Claims{Expiry: time.Unix(2000, 0), IssuedAt: time.Unix(1061, 0)}, ErrNotYetValid},
		{Claims{Expiry: time.Unix(2000, 0), IssuedAt: time.Unix(1059, 0)}, nil},
	} {
		if err := tc.c.CheckTime(now, DefaultSkew); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.c, err, tc.want)
		}
	}
}

func TestParseCompactStrict(t *testing.T) {
	for _, tok := range []string{
		"", "a", "a.b", "a.b.c.d", "..", "eyJhbGciOiJSUzI1NiJ9..",
		"eyJhbGciOiJSUzI1NiJ9=.e30.c2ln",                        // padding
		"eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln",       // duplicate alg
		"eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.c2ln",     // crit
		"eyJhbGciOiJSUzI1NiIsImprdSI6Imh0dHBzOi8veCJ9.e30.c2ln", // jku
	} {
		if _, err := ParseCompact(tok); err == nil {
			t.Errorf("%q accepted", tok)
		}
	}
}
