package policy

import (
	"reflect"
	"testing"
)

func TestContextAPI(t *testing.T) {
	var c Context
	if c.Has(KeySourceIP) || c.Get(KeySourceIP).Present() || c.Lookup("aws:SourceIp").Present() {
		t.Fatal("empty context has a key")
	}
	c.Set(KeySourceIP, "10.0.0.1")
	c.SetMulti(KeyTagKeys, []string{"a", "b"})
	c.SetNamed("aws:USERNAME", "alice")
	c.SetNamed("s3:prefix", "p")
	c.SetNamed("S3:Prefix", "q") // replaces, case-insensitively
	c.SetNamedMulti("ec2:Tags", []string{"x"})
	c.Set(KeyNone, "ignored")
	c.SetMulti(numKeys, nil)
	if !c.Has(KeySourceIP) || c.Has(KeyNone) || c.Get(numKeys).Present() {
		t.Error("Has/Get")
	}
	if v := c.Lookup("aws:sourceip"); !v.Present() || v.Len() != 1 || v.At(0) != "10.0.0.1" || v.Multi() {
		t.Errorf("Lookup SourceIp = %+v", v)
	}
	if v := c.Lookup("aws:TagKeys"); v.Len() != 2 || v.At(1) != "b" || !v.Multi() {
		t.Errorf("TagKeys = %+v", v)
	}
	if s, ok := c.Lookup("aws:TagKeys").Single(); ok || s != "" {
		t.Error("two values are not single")
	}
	c.SetMulti(KeyCalledVia, []string{"one"})
	if s, ok := c.Get(KeyCalledVia).Single(); !ok || s != "one" {
		t.Error("one-element list is single")
	}
	if s, ok := (Value{}).Single(); ok || s != "" || (Value{}).Len() != 0 {
		t.Error("absent value")
	}
	if v := c.Lookup("s3:PREFIX"); v.At(0) != "q" {
		t.Errorf("s3:prefix = %+v", v)
	}
	if v := c.Lookup("aws:username"); v.At(0) != "alice" || !c.Has(KeyUsername) {
		t.Error("SetNamed of a well-known key")
	}
	var names []string
	c.Each(func(name string, v Value) { names = append(names, name) })
	want := []string{"aws:username", "aws:SourceIp", "aws:TagKeys", "aws:CalledVia", "s3:prefix", "ec2:Tags"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("Each = %v, want %v", names, want)
	}
	c.Unset(KeySourceIP)
	c.Unset(KeyNone)
	if c.Has(KeySourceIP) {
		t.Error("Unset")
	}
	c.Reset()
	n := 0
	c.Each(func(string, Value) { n++ })
	if n != 0 {
		t.Error("Reset")
	}
	for k := KeyNone + 1; k < numKeys; k++ {
		if LookupKey(k.String()) != k {
			t.Errorf("LookupKey(%s)", k)
		}
	}
	if LookupKey("s3:prefix") != KeyNone || LookupKey("aws:NoSuchKey") != KeyNone || Key(200).String() != "" {
		t.Error("LookupKey of unknown keys")
	}
}

func TestPrincipalTypeString(t *testing.T) {
	for pt, want := range map[PrincipalType]string{Anonymous: "Anonymous", Root: "Account", User: "User", AssumedRole: "AssumedRole", FederatedUser: "FederatedUser", Service: "Service", WebIdentity: "WebIdentity", SAML: "SAML"} {
		if pt.String() != want {
			t.Errorf("%d: %s", pt, pt)
		}
	}
}

func TestPrincipalMatching(t *testing.T) {
	const acct = "111122223333"
	user := &Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: acct, Type: User}
	session := &Principal{ARN: "arn:aws:sts::111122223333:assumed-role/R/s", Account: acct, Type: AssumedRole, RoleARN: "arn:aws:iam::111122223333:role/p/R"}
	root := &Principal{ARN: "arn:aws:iam::111122223333:root", Account: acct, Type: Root}
	svc := &Principal{ARN: "ec2.amazonaws.com", Type: Service}
	oidc := &Principal{ARN: "accounts.google.com", Type: WebIdentity}
	canon := &Principal{ARN: "arn:aws:iam::111122223333:user/c", Account: acct, Type: User, CanonicalUser: "79a59df900b949e55d96a1e698fbaced"}
	anon := &Principal{}
	cases := []struct {
		principal string
		pr        *Principal
		want      PrincipalMatch
	}{
		{`"*"`, anon, MatchWildcard},
		{`{"AWS":"*"}`, user, MatchWildcard},
		{`{"AWS":"*"}`, anon, MatchWildcard},
		{`{"AWS":"111122223333"}`, user, MatchAccount},
		{`{"AWS":"111122223333"}`, root, MatchExact},
		{`{"AWS":"arn:aws:iam::111122223333:root"}`, session, MatchAccount},
		{`{"AWS":"arn:aws:iam::444455556666:root"}`, session, MatchNone},
		{`{"AWS":"arn:aws:iam::111122223333:user/alice"}`, user, MatchExact},
		{`{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/p/R"]}`, session, MatchRole},
		{`{"AWS":["arn:aws:iam::111122223333:role/p/R","arn:aws:sts::111122223333:assumed-role/R/s"]}`, session, MatchExact},
		{`{"AWS":"arn:aws:iam::111122223333:role/R"}`, session, MatchNone},
		{`{"AWS":"111122223333"}`, svc, MatchNone},
		{`{"AWS":"11112222333x"}`, user, MatchNone},
		{`{"AWS":"arn:aws:sts::111122223333:root"}`, user, MatchNone},
		{`{"Service":"EC2.amazonaws.com"}`, svc, MatchExact},
		{`{"Service":"ec2.amazonaws.com"}`, user, MatchNone},
		{`{"Federated":"accounts.google.com"}`, oidc, MatchExact},
		{`{"Federated":"accounts.google.com"}`, svc, MatchNone},
		{`{"CanonicalUser":"79a59df900b949e55d96a1e698fbaced"}`, canon, MatchExact},
		{`{"CanonicalUser":"79a59df900b949e55d96a1e698fbaced"}`, user, MatchNone},
	}
	for _, c := range cases {
		p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":`+c.principal+`,"Action":"s3:GetObject","Resource":"*"}}`, Resource)
		r := p.Evaluate(&Request{Principal: c.pr, Action: "s3:GetObject", Resource: "arn:aws:s3:::b"})
		if r.AllowMatch != c.want || (r.Allow == 0) != (c.want != MatchNone) {
			t.Errorf("%s vs %s: %+v, want %v", c.principal, c.pr.ARN, r, c.want)
		}
	}
	// A nil principal matches only "*".
	p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, Resource)
	if r := p.Evaluate(&Request{Action: "s3:GetObject", Resource: "*"}); r.Allow != -1 {
		t.Error("nil principal matched an account")
	}
}

func TestNotPrincipal(t *testing.T) {
	const acct = "111122223333"
	user := &Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: acct, Type: User}
	session := &Principal{ARN: "arn:aws:sts::111122223333:assumed-role/R/s", Account: acct, Type: AssumedRole, RoleARN: "arn:aws:iam::111122223333:role/R"}
	root := &Principal{ARN: "arn:aws:iam::111122223333:root", Account: acct, Type: Root}
	svc := &Principal{ARN: "ec2.amazonaws.com", Type: Service}
	cases := []struct {
		np      string
		pr      *Principal
		applies bool
	}{
		{`"*"`, user, false},
		{`{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]}`, user, false},
		{`{"AWS":["arn:aws:iam::111122223333:user/alice"]}`, user, true},
		{`{"AWS":["111122223333"]}`, user, true},
		{`{"AWS":["111122223333"]}`, root, false},
		{`{"AWS":["arn:aws:iam::111122223333:role/R","arn:aws:sts::111122223333:assumed-role/R/s","111122223333"]}`, session, false},
		{`{"AWS":["arn:aws:sts::111122223333:assumed-role/R/s","111122223333"]}`, session, true},
		{`{"Service":"ec2.amazonaws.com"}`, svc, false},
		{`{"Service":"sns.amazonaws.com"}`, svc, true},
		{`{"AWS":"*"}`, &Principal{}, true},
	}
	for _, c := range cases {
		p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":`+c.np+`,"Action":"s3:*","Resource":"*"}}`, Resource)
		r := p.Evaluate(&Request{Principal: c.pr, Action: "s3:GetObject", Resource: "*"})
		if (r.Deny == 0) != c.applies {
			t.Errorf("NotPrincipal %s vs %s: deny=%d, want applies=%v", c.np, c.pr.ARN, r.Deny, c.applies)
		}
	}
	p := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, Resource)
	if r := p.Evaluate(&Request{Action: "s3:GetObject", Resource: "*"}); r.Deny != 0 {
		t.Error("NotPrincipal with nil principal should apply")
	}
}

func TestContextKeysAndTrace(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/dept}","s3:prefix":"x"},"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}},
	 {"Sid":"B","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"AWS:USERNAME":"x"}}},
	 {"Sid":"C","Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:::${aws:userid}","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}
	]}`
	p := mustParse(t, doc, Identity)
	want := []string{"aws:username", "aws:PrincipalTag/team", "aws:PrincipalTag/dept", "s3:prefix", "aws:SourceArn", "aws:PrincipalAccount", "aws:SecureTransport", "aws:userid", "aws:SourceIp"}
	if got := p.ContextKeys(); !reflect.DeepEqual(got, want) {
		t.Errorf("ContextKeys = %v\nwant %v", got, want)
	}
	var c Context
	c.SetNamed("aws:username", "alice")
	c.SetNamed("aws:SecureTransport", "false")
	var tr Trace
	r := p.EvaluateTrace(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", Context: &c}, &tr)
	if r.Deny != -1 || r.Allow != -1 {
		t.Errorf("result %+v", r)
	}
	if !reflect.DeepEqual(tr.Matched, []int(nil)) {
		t.Errorf("Matched = %v", tr.Matched)
	}
	wantMissing := []string{"aws:PrincipalTag/team", "s3:prefix", "aws:SourceArn"}
	if !reflect.DeepEqual(tr.Missing, wantMissing) {
		t.Errorf("Missing = %v, want %v", tr.Missing, wantMissing)
	}
	c.SetNamed("aws:username", "x")
	tr = Trace{}
	r = p.EvaluateTrace(&Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/x/k", Context: &c}, &tr)
	if r.Deny != 1 || !reflect.DeepEqual(tr.Matched, []int{1}) {
		t.Errorf("result %+v, matched %v", r, tr.Matched)
	}
	var nilPolicy *Policy
	if r := nilPolicy.Evaluate(&Request{}); r.Allow != -1 || r.Deny != -1 {
		t.Error("nil policy")
	}
}

func TestRequestReuse(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a/*"},{"Effect":"Allow","Action":"EC2:Describe*","Resource":"*"}]}`, Identity)
	r := &Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::a/k"}
	if p.Evaluate(r).Allow != 0 {
		t.Fatal("first")
	}
	r.Resource = "arn:aws:s3:::b/k"
	if p.Evaluate(r).Allow != -1 {
		t.Fatal("changed resource not seen")
	}
	r.Action, r.Resource = "ec2:DescribeInstances", "*"
	if p.Evaluate(r).Allow != 1 {
		t.Fatal("changed action not seen")
	}
	r.Action = "Ec2:describeinstances"
	if p.Evaluate(r).Allow != 1 {
		t.Fatal("service prefix is case-insensitive")
	}
}

func TestGlobs(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"", "", true}, {"a", "a", true}, {"a", "b", false}, {"a?", "ab", true}, {"a?", "a", false},
		{"*", "", true}, {"a*", "a", true}, {"*a", "ba", true}, {"*a", "b", false},
		{"a*b*c", "abc", true}, {"a*b*c", "aXbXc", true}, {"a*b*c", "aXcXb", false},
		{"a*?b*c", "aXbc", true}, {"a*x?z*c", "aaxyzc", true}, {"a*x?z*c", "aaxyc", false},
		{"a**b", "ab", true}, {"ab*cd", "abc", false}, {"*x?y*", "xxzy", true},
	}
	for _, c := range cases {
		g := compileGlob(c.p)
		if got := g.match(c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v", c.p, c.s, got)
		}
		if got := g.matchFold(c.s); got != c.want {
			t.Errorf("globFold(%q, %q) = %v", c.p, c.s, got)
		}
		mask := make([]bool, len(c.p))
		for i := range c.p {
			mask[i] = c.p[i] == '*' || c.p[i] == '?'
		}
		if got := maskedGlob([]byte(c.p), mask, c.s); got != c.want {
			t.Errorf("maskedGlob(%q, %q) = %v", c.p, c.s, got)
		}
	}
	g := compileGlob("s3:get*object")
	if !g.matchFold("S3:GetBucketObject") || g.matchFold("S3:PutObject") {
		t.Error("matchFold")
	}
	g = compileGlob("a?c")
	if g.matchFold("abcd") || !g.matchFold("ABC") {
		t.Error("matchFold no star")
	}
}

func TestResourcePatterns(t *testing.T) {
	var c Context
	c.SetNamed("aws:username", "alice")
	c.SetNamed("aws:PrincipalAccount", "111122223333")
	c.SetNamed("x:region", "us-east-1")
	cases := []struct {
		pattern, resource string
		match, resolved   bool
	}{
		{"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/k", true, true},
		{"arn:aws:s3:::b/${aws:username}/*", "short", false, true},
		{"arn:aws:s3:::b/${aws:userid}/*", "short", false, false},
		{"arn:aws:s3:::b/${aws:userid}/*", "arn:aws:s3:::c/k", false, false},
		{"arn:aws:sqs:${x:region}:${aws:PrincipalAccount}:q", "arn:aws:sqs:us-east-1:111122223333:q", true, true},
		{"arn:aws:sqs:${x:region}:*:q", "arn:aws:sqs:us-east-1:1:q", true, true},
		{"arn:aws:sqs:${x:nothing}:*:q", "arn:aws:sqs:us-east-1:1:q", false, false},
		{"arn:aws:sqs:${x:nothing}:*:q", "not-arn", false, false},
		{"arn:aws:sqs:${x:region}:*:q", "not-arn", false, true},
		{"arn:aws:sqs:*:*:q", "arn:aws:sqs:r:1:q2", false, true},
		{"arn:aws:sqs:*:*:q", "arn:aws:sqs:r:1", false, true},
		{"prefix-${aws:username}", "prefix-alice", true, true},
		{"prefix-${aws:nothing}", "prefix-alice", false, false},
		{"arn:aws:${aws:username}", "arn:aws:alice", true, true},
	}
	for _, tc := range cases {
		ap := compileARNPattern(tc.pattern, true)
		m, ok := ap.match(tc.resource, &c)
		if m != tc.match || ok != tc.resolved {
			t.Errorf("match(%q, %q) = %v,%v want %v,%v", tc.pattern, tc.resource, m, ok, tc.match, tc.resolved)
		}
		var pp prepared
		r := Request{Resource: tc.resource}
		pp = *r.prepare()
		m, ok = ap.matchPrepared(&pp, &c)
		if m != tc.match || ok != tc.resolved {
			t.Errorf("matchPrepared(%q, %q) = %v,%v want %v,%v", tc.pattern, tc.resource, m, ok, tc.match, tc.resolved)
		}
	}
	// Oversized substitution fails to match instead of overflowing.
	c.SetNamed("x:big", string(make([]byte, maxExpand)))
	ap := compileARNPattern("a${x:big}", true)
	if m, ok := ap.match("a", &c); m || !ok {
		t.Error("oversized expansion")
	}
	p := compilePattern("${x:big}", true, false)
	if m, ok := p.match("a", &c); m || !ok {
		t.Error("oversized expansion of a variable token")
	}
	if m, ok := p.match("a", nil); m || ok {
		t.Error("nil context cannot resolve")
	}
}

func TestEvaluateOrderAndIndex(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:userid}"},
		{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::secret"},
		{"Effect":"Allow","Action":["s3:Get*","S3:GetObject"],"Resource":"*"},
		{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret"},
		{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::x/${aws:userid}"}
	]}`, Identity)
	r := p.Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::secret"})
	if r.Allow != 0 || r.Deny != 2 {
		t.Errorf("first allow/deny: %+v", r)
	}
	var tr Trace
	r = p.EvaluateTrace(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::secret"}, &tr)
	if r.Allow != 0 || r.Deny != 2 || !reflect.DeepEqual(tr.Matched, []int{0, 2, 3, 4}) {
		t.Errorf("trace: %+v %v", r, tr.Matched)
	}
	r = p.Evaluate(&Request{Action: "iam:GetUser", Resource: "*"})
	if r.Allow != -1 || r.Deny != -1 {
		t.Errorf("iam: %+v", r)
	}
}

func TestMissingKeysOnce(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"a"}}},
		{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"b*"}}}
	]}`, Identity)
	var tr Trace
	p.EvaluateTrace(&Request{Action: "s3:ListBucket", Resource: "*"}, &tr)
	if !reflect.DeepEqual(tr.Missing, []string{"s3:prefix"}) {
		t.Errorf("Missing = %v", tr.Missing)
	}
}

func TestMoreParsing(t *testing.T) {
	bad := []string{`{"a` + "\x01" + `":1}`, `{"a":1`, `[1`, "\"\\n\x01\"", `"\ud800\uzzzz"`}
	for _, s := range bad {
		if _, err := parseJSON(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if got := maskVars("arn:aws:s3:::${abc"); got != "arn:aws:s3:::${abc" {
		t.Errorf("maskVars = %q", got)
	}
	if _, ok := parseDate("99999999999999999999"); ok {
		t.Error("epoch overflow accepted")
	}
	if _, ok := parseDate("9999999999999999"); ok {
		t.Error("epoch seconds overflowing nanoseconds accepted")
	}
	if _, ok := parseDate(""); ok {
		t.Error("empty date accepted")
	}
	ap := compileARNPattern("*", true)
	if m, ok := ap.match("anything", nil); !m || !ok {
		t.Error("* pattern")
	}
	var c Context
	c.SetNamed("aws:username", "alice")
	ap = compileARNPattern("arn:aws:s3:::b/${aws:username}", true)
	r := Request{Resource: "arn:aws:sqs:::x"}
	if m, ok := ap.matchPrepared(r.prepare(), &c); m || !ok {
		t.Error("prefix mismatch with resolvable variable")
	}
}
