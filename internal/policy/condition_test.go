package policy

import (
	"strings"
	"testing"
)

// ctxVal describes one context entry: nil values means absent; multi marks
// a list-valued (multivalued) key.
type ctxVal struct {
	vals  []string
	multi bool
}

func one(v string) *ctxVal     { return &ctxVal{vals: []string{v}} }
func many(v ...string) *ctxVal { return &ctxVal{vals: v, multi: true} }
func cond(op, key string, vals ...string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = `"` + v + `"`
	}
	return `{"` + op + `":{"` + key + `":[` + strings.Join(q, ",") + `]}}`
}

func evalCond(t *testing.T, version, condition, key string, cv *ctxVal, extra map[string]string) bool {
	t.Helper()
	v := ""
	if version != "" {
		v = `"Version":"` + version + `",`
	}
	doc := `{` + v + `"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":` + condition + `}}`
	p := mustParse(t, doc, Inline)
	var c Context
	if cv != nil {
		if cv.multi {
			c.SetNamedMulti(key, cv.vals)
		} else {
			c.SetNamed(key, cv.vals[0])
		}
	}
	for k, v := range extra {
		c.SetNamed(k, v)
	}
	r := p.Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: &c})
	return r.Allow == 0
}

func TestConditionOperators(t *testing.T) {
	const ts = "aws:SecureTransport"
	cases := []struct {
		cond string
		key  string
		cv   *ctxVal
		want bool
	}{
		// String operators.
		{cond("StringEquals", "s3:prefix", "a"), "s3:prefix", one("a"), true},
		{cond("StringEquals", "s3:prefix", "a"), "s3:prefix", one("A"), false},
		{cond("StringEquals", "s3:prefix", "a"), "s3:prefix", nil, false},
		{cond("StringEquals", "s3:prefix", "a", "b"), "s3:prefix", one("b"), true},
		{cond("StringEquals", "s3:prefix", "a*"), "s3:prefix", one("abc"), false},
		{cond("StringNotEquals", "s3:prefix", "a"), "s3:prefix", one("a"), false},
		{cond("StringNotEquals", "s3:prefix", "a"), "s3:prefix", one("b"), true},
		{cond("StringNotEquals", "s3:prefix", "a"), "s3:prefix", nil, true},
		{cond("StringNotEquals", "s3:prefix", "a", "b"), "s3:prefix", one("b"), false},
		{cond("StringEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", one("abc"), true},
		{cond("StringEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", one("abd"), false},
		{cond("StringEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", nil, false},
		{cond("StringNotEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", one("abc"), false},
		{cond("StringNotEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", one("x"), true},
		{cond("StringNotEqualsIgnoreCase", "s3:prefix", "ABC"), "s3:prefix", nil, true},
		{cond("StringLike", "s3:prefix", "a*c", "x?z"), "s3:prefix", one("abbc"), true},
		{cond("StringLike", "s3:prefix", "a*c", "x?z"), "s3:prefix", one("xyz"), true},
		{cond("StringLike", "s3:prefix", "a*c", "x?z"), "s3:prefix", one("xz"), false},
		{cond("StringLike", "s3:prefix", "a*c"), "s3:prefix", one("ABC"), false},
		{cond("StringLike", "s3:prefix", "a*c"), "s3:prefix", nil, false},
		{cond("StringLike", "s3:prefix", "*"), "s3:prefix", one(""), true},
		{cond("StringNotLike", "s3:prefix", "a*"), "s3:prefix", one("abc"), false},
		{cond("StringNotLike", "s3:prefix", "a*"), "s3:prefix", one("b"), true},
		{cond("StringNotLike", "s3:prefix", "a*"), "s3:prefix", nil, true},
		{cond("StringEqualsIfExists", "s3:prefix", "a"), "s3:prefix", nil, true},
		{cond("StringEqualsIfExists", "s3:prefix", "a"), "s3:prefix", one("b"), false},
		{cond("StringEqualsIfExists", "s3:prefix", "a"), "s3:prefix", one("a"), true},
		{cond("StringNotLikeIfExists", "s3:prefix", "a*"), "s3:prefix", one("ab"), false},
		// Numeric operators.
		{cond("NumericEquals", "s3:max-keys", "10"), "s3:max-keys", one("10"), true},
		{cond("NumericEquals", "s3:max-keys", "10"), "s3:max-keys", one("10.0"), true},
		{cond("NumericEquals", "s3:max-keys", "10"), "s3:max-keys", one("11"), false},
		{cond("NumericEquals", "s3:max-keys", "10"), "s3:max-keys", one("abc"), false},
		{cond("NumericEquals", "s3:max-keys", "abc"), "s3:max-keys", one("10"), false},
		{cond("NumericEquals", "s3:max-keys", "10"), "s3:max-keys", nil, false},
		{cond("NumericNotEquals", "s3:max-keys", "10"), "s3:max-keys", one("11"), true},
		{cond("NumericNotEquals", "s3:max-keys", "10"), "s3:max-keys", one("10"), false},
		{cond("NumericNotEquals", "s3:max-keys", "10"), "s3:max-keys", nil, true},
		{cond("NumericLessThan", "s3:max-keys", "10"), "s3:max-keys", one("9"), true},
		{cond("NumericLessThan", "s3:max-keys", "10"), "s3:max-keys", one("10"), false},
		{cond("NumericLessThanEquals", "s3:max-keys", "10"), "s3:max-keys", one("10"), true},
		{cond("NumericLessThanEquals", "s3:max-keys", "10"), "s3:max-keys", one("11"), false},
		{cond("NumericGreaterThan", "s3:max-keys", "10"), "s3:max-keys", one("11"), true},
		{cond("NumericGreaterThan", "s3:max-keys", "10"), "s3:max-keys", one("10"), false},
		{cond("NumericGreaterThanEquals", "s3:max-keys", "10"), "s3:max-keys", one("10"), true},
		{cond("NumericGreaterThanEquals", "s3:max-keys", "10"), "s3:max-keys", one("9"), false},
		{cond("NumericGreaterThanEquals", "s3:max-keys", "-1.5"), "s3:max-keys", one("-1"), true},
		{cond("NumericLessThanIfExists", "s3:max-keys", "10"), "s3:max-keys", nil, true},
		// Date operators.
		{cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("2019-12-31T23:59:59Z"), true},
		{cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("2020-01-01T00:00:00Z"), false},
		{cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("1577836799"), true},
		{cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("not-a-date"), false},
		{cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", nil, false},
		{cond("DateLessThanEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("2020-01-01T00:00:00Z"), true},
		{cond("DateGreaterThan", "aws:CurrentTime", "1577836800"), "aws:CurrentTime", one("2020-01-02T00:00:00Z"), true},
		{cond("DateGreaterThan", "aws:CurrentTime", "1577836800"), "aws:CurrentTime", one("2019-01-02T00:00:00Z"), false},
		{cond("DateGreaterThanEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("2020-01-01T00:00:00Z"), true},
		{cond("DateEquals", "aws:CurrentTime", "2020-01-01"), "aws:CurrentTime", one("2020-01-01T00:00:00Z"), true},
		{cond("DateEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"), "aws:CurrentTime", one("2020-01-01T01:00:00+01:00"), true},
		{cond("DateEquals", "aws:CurrentTime", "2020-01-01t00:00:00z"), "aws:CurrentTime", one("2020-01-01T00:00:00.000Z"), true},
		{cond("DateEquals", "aws:CurrentTime", "2020-01-01T01:00:00+01"), "aws:CurrentTime", one("2020-01-01T00:00:00Z"), true},
		{cond("DateEquals", "aws:CurrentTime", "2020"), "aws:CurrentTime", one("1970-01-01T00:33:40Z"), true}, // digits only: epoch seconds
		{cond("DateNotEquals", "aws:CurrentTime", "2020-01-01"), "aws:CurrentTime", nil, true},
		{cond("DateNotEquals", "aws:CurrentTime", "2020-01-01"), "aws:CurrentTime", one("2020-01-02"), true},
		{cond("DateGreaterThan", "aws:TokenIssueTime", "1577836800"), "aws:TokenIssueTime", one("1577836800.5"), true},
		// Bool.
		{cond("Bool", ts, "true"), ts, one("true"), true},
		{cond("Bool", ts, "true"), ts, one("TRUE"), true},
		{cond("Bool", ts, "true"), ts, one("false"), false},
		{cond("Bool", ts, "true"), ts, one("yes"), false},
		{cond("Bool", ts, "true"), ts, nil, false},
		{cond("Bool", ts, "false"), ts, nil, false},
		{cond("Bool", ts, "false"), ts, one("false"), true},
		{cond("BoolIfExists", ts, "false"), ts, nil, true},
		{`{"Bool":{"aws:SecureTransport":false}}`, ts, one("false"), true},
		{`{"Bool":{"aws:SecureTransport":"maybe"}}`, ts, one("false"), false},
		// Binary.
		{cond("BinaryEquals", "k:bin", "QmluYXJ5"), "k:bin", one("QmluYXJ5"), true},
		{cond("BinaryEquals", "k:bin", "QmluYXJ5"), "k:bin", one("QmluYXJ6"), false},
		{cond("BinaryEquals", "k:bin", "QmluYXJ5"), "k:bin", nil, false},
		// IP addresses.
		{cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"), "aws:SourceIp", one("203.0.113.5"), true},
		{cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"), "aws:SourceIp", one("203.0.114.1"), false},
		{cond("IpAddress", "aws:SourceIp", "203.0.113.7/24"), "aws:SourceIp", one("203.0.113.200"), true},
		{cond("IpAddress", "aws:SourceIp", "2001:db8::/32"), "aws:SourceIp", one("2001:db8::1"), true},
		{cond("IpAddress", "aws:SourceIp", "2001:db8::/32"), "aws:SourceIp", one("2001:db9::1"), false},
		{cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"), "aws:SourceIp", one("::ffff:203.0.113.5"), true},
		{cond("IpAddress", "aws:SourceIp", "10.0.0.1"), "aws:SourceIp", one("10.0.0.1"), true},
		{cond("IpAddress", "aws:SourceIp", "10.0.0.1"), "aws:SourceIp", one("10.0.0.2"), false},
		{cond("IpAddress", "aws:SourceIp", "bad"), "aws:SourceIp", one("10.0.0.2"), false},
		{cond("IpAddress", "aws:SourceIp", "10.0.0.0/99"), "aws:SourceIp", one("10.0.0.2"), false},
		{cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), "aws:SourceIp", one("not-ip"), false},
		{cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), "aws:SourceIp", nil, false},
		{cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), "aws:SourceIp", one("10.1.1.1"), false},
		{cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), "aws:SourceIp", one("11.0.0.1"), true},
		{cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), "aws:SourceIp", nil, true},
		{cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "192.168.0.0/16"), "aws:SourceIp", one("192.168.1.1"), false},
		// ARN operators.
		{cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-*"), "aws:SourceArn", one("arn:aws:s3:::bucket-1"), true},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-*"), "aws:SourceArn", one("arn:aws:s3:::other"), false},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::bucket-*"), "aws:SourceArn", one("foo"), false},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:iam::*:role/x"), "aws:SourceArn", one("arn:aws:iam::123456789012:role/x"), true},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:*:role/x"), "aws:SourceArn", one("arn:aws:iam::1:role/x"), true},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:iam::1*:role/x"), "aws:SourceArn", one("arn:aws:iam::12:role/x"), true},
		{cond("ArnLike", "aws:SourceArn", "arn:aws:iam::*:role/x"), "aws:SourceArn", one("arn:aws:iam::1:2:role/x"), false},
		{cond("ArnEquals", "aws:SourceArn", "arn:aws:iam::*:role/x"), "aws:SourceArn", one("arn:aws:iam::123456789012:role/x"), true},
		{cond("ArnEquals", "aws:SourceArn", "arn:aws:iam::1:role/x"), "aws:SourceArn", one("arn:aws:iam::1:role/X"), false},
		{cond("ArnEquals", "aws:SourceArn", "arn:aws:iam::1:role/x"), "aws:SourceArn", nil, false},
		{cond("ArnNotEquals", "aws:SourceArn", "arn:aws:iam::1:role/x"), "aws:SourceArn", nil, true},
		{cond("ArnNotEquals", "aws:SourceArn", "arn:aws:iam::1:role/x"), "aws:SourceArn", one("arn:aws:iam::1:role/x"), false},
		{cond("ArnNotLike", "aws:SourceArn", "arn:aws:iam::1:role/*"), "aws:SourceArn", one("arn:aws:iam::1:role/x"), false},
		{cond("ArnNotLike", "aws:SourceArn", "arn:aws:iam::1:role/*"), "aws:SourceArn", one("arn:aws:iam::1:user/x"), true},
		{cond("ArnLikeIfExists", "aws:SourceArn", "arn:aws:iam::1:role/*"), "aws:SourceArn", nil, true},
		{cond("ArnLike", "aws:SourceArn", "*"), "aws:SourceArn", one("anything"), true},
		// Null.
		{cond("Null", "aws:TokenIssueTime", "true"), "aws:TokenIssueTime", nil, true},
		{cond("Null", "aws:TokenIssueTime", "true"), "aws:TokenIssueTime", one("x"), false},
		{cond("Null", "aws:TokenIssueTime", "false"), "aws:TokenIssueTime", one("x"), true},
		{cond("Null", "aws:TokenIssueTime", "false"), "aws:TokenIssueTime", nil, false},
		{cond("Null", "aws:TagKeys", "true"), "aws:TagKeys", many(), true},
		{cond("Null", "aws:TokenIssueTime", "maybe"), "aws:TokenIssueTime", nil, false},
		// Set operators.
		{cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many("b", "c"), true},
		{cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many("c"), false},
		{cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many(), false},
		{cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", nil, false},
		{cond("ForAnyValue:StringEquals", "aws:TagKeys", "a"), "aws:TagKeys", one("a"), true},
		{cond("ForAnyValue:StringLikeIfExists", "aws:TagKeys", "a*"), "aws:TagKeys", nil, true},
		{cond("ForAnyValue:StringNotEquals", "aws:TagKeys", "a"), "aws:TagKeys", many("a"), false},
		{cond("ForAnyValue:StringNotEquals", "aws:TagKeys", "a"), "aws:TagKeys", many("a", "b"), true},
		{cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many("a", "b"), true},
		{cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many("a", "c"), false},
		{cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", many(), true},
		{cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"), "aws:TagKeys", nil, true},
		{cond("ForAllValues:StringNotLike", "aws:TagKeys", "x*"), "aws:TagKeys", many("a", "b"), true},
		{cond("ForAllValues:StringNotLike", "aws:TagKeys", "x*"), "aws:TagKeys", many("a", "xy"), false},
		{cond("ForAllValues:StringEqualsIgnoreCase", "aws:TagKeys", "A"), "aws:TagKeys", many("a"), true},
		{cond("ForAnyValue:NumericLessThan", "k:nums", "5"), "k:nums", many("9", "3"), true},
		{cond("ForAllValues:NumericLessThan", "k:nums", "5"), "k:nums", many("9", "3"), false},
		{cond("ForAnyValue:IpAddress", "k:ips", "10.0.0.0/8"), "k:ips", many("1.1.1.1", "10.1.1.1"), true},
		{cond("ForAnyValue:ArnLike", "aws:CalledVia", "arn:aws:*:*:*:*"), "aws:CalledVia", many("x"), false},
		{cond("ForAnyValue:DateGreaterThan", "k:d", "2020-01-01"), "k:d", many("2021-01-01"), true},
		{cond("ForAnyValue:Bool", "k:b", "true"), "k:b", many("false", "true"), true},
		{cond("ForAnyValue:BinaryEquals", "k:b", "QQ=="), "k:b", many("QQ=="), true},
		// A list-valued key under an operator without a set qualifier.
		{cond("StringEquals", "aws:TagKeys", "a"), "aws:TagKeys", many("a"), false},
		{cond("StringNotEquals", "aws:TagKeys", "a"), "aws:TagKeys", many("a"), true},
		{cond("StringLike", "ec2:InstanceType", "t2.*"), "ec2:InstanceType", many("t2.micro"), false},
		// Condition key names are case-insensitive.
		{cond("StringEquals", "S3:PREFIX", "a"), "s3:Prefix", one("a"), true},
		{cond("IpAddress", "AWS:SOURCEIP", "10.0.0.0/8"), "aws:SourceIp", one("10.0.0.1"), true},
		{cond("StringEquals", "aws:principaltag/Team", "x"), "aws:PrincipalTag/team", one("x"), true},
	}
	for _, c := range cases {
		got := evalCond(t, Version2012, c.cond, c.key, c.cv, nil)
		if got != c.want {
			t.Errorf("%s with %s=%v: got %v, want %v", c.cond, c.key, c.cv, got, c.want)
		}
	}
}

func TestMultipleKeysAndOperators(t *testing.T) {
	c := `{"StringEquals":{"s3:prefix":"a","s3:delimiter":"/"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`
	all := map[string]string{"s3:prefix": "a", "s3:delimiter": "/", "aws:SourceIp": "10.0.0.1"}
	if !evalCond(t, Version2012, c, "", nil, all) {
		t.Error("all conditions true should allow")
	}
	for k := range all {
		m := map[string]string{}
		for k2, v := range all {
			if k2 != k {
				m[k2] = v
			}
		}
		if evalCond(t, Version2012, c, "", nil, m) {
			t.Errorf("missing %s should not allow", k)
		}
	}
}

func TestConditionVariables(t *testing.T) {
	cases := []struct {
		version, cond string
		ctx           map[string]string
		want          bool
	}{
		{Version2012, cond("StringEquals", "aws:PrincipalTag/team", "${aws:username}"), map[string]string{"aws:username": "alice", "aws:PrincipalTag/team": "alice"}, true},
		{Version2012, cond("StringEquals", "aws:PrincipalTag/team", "${aws:username}"), map[string]string{"aws:PrincipalTag/team": "alice"}, false},
		{Version2012, cond("StringEquals", "aws:PrincipalTag/team", "${aws:username, 'bob'}"), map[string]string{"aws:PrincipalTag/team": "bob"}, true},
		{Version2012, cond("StringEquals", "aws:PrincipalTag/team", "team-${aws:PrincipalTag/dept}"), map[string]string{"aws:PrincipalTag/dept": "x", "aws:PrincipalTag/team": "team-x"}, true},
		{Version2012, cond("StringLike", "s3:prefix", "home/${aws:username}/*"), map[string]string{"aws:username": "al*ce", "s3:prefix": "home/alXce/x"}, false},
		{Version2012, cond("StringLike", "s3:prefix", "home/${aws:username}/*"), map[string]string{"aws:username": "al*ce", "s3:prefix": "home/al*ce/x"}, true},
		{Version2012, cond("StringLike", "s3:prefix", "a${*}b"), map[string]string{"s3:prefix": "a*b"}, true},
		{Version2012, cond("StringLike", "s3:prefix", "a${*}b"), map[string]string{"s3:prefix": "aXb"}, false},
		{Version2012, cond("StringLike", "s3:prefix", "a${?}b${$}"), map[string]string{"s3:prefix": "a?b$"}, true},
		{Version2012, cond("StringEqualsIgnoreCase", "s3:prefix", "HOME/${aws:username}"), map[string]string{"aws:username": "Alice", "s3:prefix": "home/alice"}, true},
		{Version2012, cond("StringEqualsIgnoreCase", "s3:prefix", "HOME/${aws:username}"), map[string]string{"aws:username": "Alice", "s3:prefix": "home/alicex"}, false},
		{Version2012, cond("StringEqualsIgnoreCase", "s3:prefix", "HOME/${aws:username}"), map[string]string{"s3:prefix": "home/alice"}, false},
		{Version2012, cond("StringEqualsIgnoreCase", "s3:prefix", "HOME/${aws:username}"), map[string]string{"aws:username": "Alice", "s3:prefix": "x"}, false},
		{Version2012, cond("ArnLike", "aws:SourceArn", "arn:aws:iam::${aws:PrincipalAccount}:role/*"), map[string]string{"aws:PrincipalAccount": "123456789012", "aws:SourceArn": "arn:aws:iam::123456789012:role/r"}, true},
		{Version2012, cond("ArnLike", "aws:SourceArn", "arn:aws:iam::${aws:PrincipalAccount}:role/*"), map[string]string{"aws:PrincipalAccount": "1", "aws:SourceArn": "arn:aws:iam::123456789012:role/r"}, false},
		{Version2012, cond("StringNotEquals", "s3:prefix", "${aws:username}"), map[string]string{"s3:prefix": "x"}, true},
		// Under 2008-10-17 (or no Version) variables are literal text.
		{Version2008, cond("StringEquals", "s3:prefix", "${aws:username}"), map[string]string{"aws:username": "alice", "s3:prefix": "${aws:username}"}, true},
		{"", cond("StringEquals", "s3:prefix", "${aws:username}"), map[string]string{"aws:username": "alice", "s3:prefix": "alice"}, false},
		// Malformed variables are literal text.
		{Version2012, cond("StringEquals", "s3:prefix", "${aws:username"), map[string]string{"s3:prefix": "${aws:username"}, true},
		{Version2012, cond("StringEquals", "s3:prefix", "${}"), map[string]string{"s3:prefix": "${}"}, true},
		{Version2012, cond("StringEquals", "s3:prefix", "${a, b}"), map[string]string{"s3:prefix": "${a, b}"}, true},
		{Version2012, cond("StringEquals", "s3:prefix", "${a, 'b}"), map[string]string{"s3:prefix": "${a, 'b}"}, true},
	}
	for _, c := range cases {
		if got := evalCond(t, c.version, c.cond, "", nil, c.ctx); got != c.want {
			t.Errorf("%s %s %v: got %v, want %v", c.version, c.cond, c.ctx, got, c.want)
		}
	}
}
