package awsquery

import (
	"testing"

	"github.com/iamd/iamd/internal/apierr"
)

// tag and input are a hand-written stand-in for generated code.
type tag struct{ Key, Value string }

type input struct {
	UserName string
	MaxItems *int32
	Tags     []tag
	Keys     []string
	Status   string
}

var (
	patName  = NewPattern(`[\w+=,.@-]+`, `[\w+=,.@-]+`)
	patIAM   = NewPattern(`[\w+=,.@-]+`, `[\w+=,.@-]+`).Message("The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
	enumStat = NewEnum("Active", "Inactive")
)

func decodeTag(d *Decoder, v *tag) {
	n := d.Push("Key")
	if s, ok := d.Value(); ok {
		d.MinLength(s, 1, false)
		d.MaxLength(s, 3, false)
		v.Key = s
	} else {
		d.Required()
	}
	d.Pop(n)
	n = d.Push("Value")
	if s, ok := d.Value(); ok {
		d.MaxLength(s, 3, true)
		v.Value = s
	} else {
		d.Required()
	}
	d.Pop(n)
}

func decodeInput(pat *Pattern) func(d *Decoder, v *input) {
	return func(d *Decoder, v *input) {
		n := d.Push("UserName")
		if s, ok := d.Value(); ok {
			d.MinLength(s, 1, false)
			d.MaxLength(s, 8, false)
			d.Match(s, pat, false)
			v.UserName = s
		} else {
			d.Required()
		}
		d.Pop(n)
		n = d.Push("MaxItems")
		if s, ok := d.Value(); ok {
			if x, ok := d.Int32(s); ok {
				d.MinValue(int64(x), 1)
				d.MaxValue(int64(x), 1000)
				v.MaxItems = &x
			}
		}
		d.Pop(n)
		n = d.Push("Tags")
		if d.Exists() {
			m := d.Push("member")
			cnt := d.Count()
			mark := d.Mark()
			l := make([]tag, cnt)
			for i := range l {
				k := d.PushIndex(i + 1)
				decodeTag(d, &l[i])
				d.Pop(k)
			}
			d.Pop(m)
			d.MaxItems(mark, cnt, 2, nil)
			v.Tags = l
		}
		d.Pop(n)
		n = d.Push("Keys")
		if d.Exists() {
			m := d.Push("member")
			cnt := d.Count()
			mark := d.Mark()
			l := make([]string, cnt)
			for i := range l {
				k := d.PushIndex(i + 1)
				if s, ok := d.Value(); ok {
					l[i] = s
				} else {
					d.Required()
				}
				d.Pop(k)
			}
			d.Pop(m)
			d.MinItems(mark, cnt, 1, l)
			d.MaxItems(mark, cnt, 2, l)
			v.Keys = l
		}
		d.Pop(n)
		n = d.Push("Status")
		if s, ok := d.Value(); ok {
			d.OneOf(s, enumStat, false)
			v.Status = s
		}
		d.Pop(n)
	}
}

func TestDecoderMessages(t *testing.T) {
	iam := &Style{RedactValues: true}
	sts := &Style{}
	tests := []struct {
		name     string
		query    string
		style    *Style
		pat      *Pattern
		code     string
		message  string
		wantOK   func(*input) bool
		wantNone bool
	}{
		{name: "ok", query: "UserName=bob&MaxItems=5&Tags.member.1.Key=a&Tags.member.1.Value=b&Keys.member.1=x&Status=Active",
			style: sts, pat: patName, wantNone: true, wantOK: func(in *input) bool {
				return in.UserName == "bob" && *in.MaxItems == 5 && len(in.Tags) == 1 && in.Tags[0] == (tag{"a", "b"}) &&
					len(in.Keys) == 1 && in.Status == "Active"
			}},
		{name: "null, quoted", query: "", style: sts, pat: patName, code: CodeValidationError,
			message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{name: "null, redacted", query: "", style: iam, pat: patName, code: CodeValidationError,
			message: "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must not be null"},
		{name: "pattern quoted", query: "UserName=a:b", style: sts, pat: patName, code: CodeValidationError,
			message: `1 validation error detected: Value 'a:b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{name: "length and pattern, in order", query: "UserName=&MaxItems=0", style: sts, pat: patName, code: CodeValidationError,
			message: `3 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; ` +
				`Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; ` +
				`Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`},
		{name: "nested paths, list before elements, sensitive value hidden", style: sts, pat: patName, code: CodeValidationError,
			query: "UserName=u&Tags.member.1.Key=long&Tags.member.1.Value=toolong&Tags.member.2.Value=v&Tags.member.3.Key=k&Tags.member.3.Value=v",
			message: "4 validation errors detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2; " +
				"Value 'long' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 3; " +
				"Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 3; " +
				"Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"},
		{name: "string list value", style: sts, pat: patName, code: CodeValidationError,
			query:   "UserName=u&Keys.member.1=a&Keys.member.2=b&Keys.member.3=c",
			message: "1 validation error detected: Value '[a, b, c]' at 'keys' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{name: "empty list", style: sts, pat: patName, code: CodeValidationError,
			query:   "UserName=u&Keys=",
			message: "1 validation error detected: Value '[]' at 'keys' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "gap ends the list", style: sts, pat: patName, query: "UserName=u&Keys.member.1=a&Keys.member.3=c",
			wantNone: true, wantOK: func(in *input) bool { return len(in.Keys) == 1 }},
		{name: "enum with set", style: sts, pat: patName, code: CodeValidationError, query: "UserName=u&Status=On",
			message: "1 validation error detected: Value 'On' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"},
		{name: "enum redacted", style: iam, pat: patName, code: CodeValidationError, query: "UserName=u&Status=On",
			message: "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"},
		{name: "custom pattern message alone", style: iam, pat: patIAM, code: CodeValidationError, query: "UserName=a/b",
			message: "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{name: "other violations win over custom", style: iam, pat: patIAM, code: CodeValidationError, query: "UserName=a/b/c/d/e&MaxItems=0",
			message: "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 8; " +
				"Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "bad integer", style: sts, pat: patName, code: CodeInvalidParameterValue, query: "UserName=u&MaxItems=ten",
			message: "The value for parameter MaxItems is not a valid integer."},
		{name: "integer overflow", style: sts, pat: patName, code: CodeInvalidParameterValue, query: "UserName=u&MaxItems=4294967296",
			message: "The value for parameter MaxItems is not a valid integer."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			in, err := DecodeInput(v, tt.style, decodeInput(tt.pat))
			if tt.wantNone {
				if err != nil {
					t.Fatal(err)
				}
				if !tt.wantOK(in) {
					t.Errorf("decoded %+v", in)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			if e.Code != tt.code || e.Message != tt.message {
				t.Errorf("got  %s: %s\nwant %s: %s", e.Code, e.Message, tt.code, tt.message)
			}
		})
	}
}

func TestMemberPath(t *testing.T) {
	for key, want := range map[string]string{
		"UserName":                   "userName",
		"Tags.member.1.Key":          "tags.1.member.key",
		"PolicyArns.member.10.arn":   "policyArns.10.member.arn",
		"SAMLAssertion":              "sAMLAssertion",
		"TransitiveTagKeys.member.2": "transitiveTagKeys.2.member",
		"Attrs.entry.1.value":        "attrs.1.entry.value",
		"ContextEntries.member.1.ContextKeyValues.member.2": "contextEntries.1.member.contextKeyValues.2.member",
	} {
		if got := memberPath(key); got != want {
			t.Errorf("memberPath(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestDecoderScalars(t *testing.T) {
	d := NewDecoder(Values{}, &Style{})
	if f, ok := d.Float("1.5", 64); !ok || f != 1.5 {
		t.Error("float")
	}
	for _, bad := range []string{"", "0x10", "inf", "1_0", "abc"} {
		d := NewDecoder(Values{}, &Style{})
		if _, ok := d.Float(bad, 64); ok || d.Err() == nil {
			t.Errorf("Float(%q) accepted", bad)
		}
	}
	for s, want := range map[string]bool{"true": true, "FALSE": false, "True": true} {
		if b, ok := d.Bool(s); !ok || b != want {
			t.Errorf("Bool(%q)", s)
		}
	}
	for _, bad := range []string{"1", "yes", ""} {
		d := NewDecoder(Values{}, &Style{})
		if _, ok := d.Bool(bad); ok {
			t.Errorf("Bool(%q) accepted", bad)
		}
	}
	if tm, ok := d.Time("2015-01-25T08:00:00.5+01:00", TimeISO8601); !ok || tm.Unix() != 1422169200 {
		t.Errorf("iso time %v", tm)
	}
	if tm, ok := d.Time("1422172800.25", TimeEpochSeconds); !ok || tm.UnixMilli() != 1422172800250 {
		t.Errorf("epoch time %v", tm)
	}
	if tm, ok := d.Time("Sun, 25 Jan 2015 08:00:00 GMT", TimeHTTPDate); !ok || tm.Unix() != 1422172800 {
		t.Errorf("http time %v", tm)
	}
	for _, bad := range []string{"2015-01-25", "NaN", "1e400"} {
		d := NewDecoder(Values{}, &Style{})
		if _, ok := d.Time(bad, TimeEpochSeconds); ok {
			t.Errorf("Time(%q) accepted", bad)
		}
		d = NewDecoder(Values{}, &Style{})
		if _, ok := d.Time(bad, TimeISO8601); ok {
			t.Errorf("ISO Time(%q) accepted", bad)
		}
	}
	if b, ok := d.Blob("dmFsdWU="); !ok || string(b) != "value" {
		t.Error("blob")
	}
	if _, ok := d.Blob("!!"); ok {
		t.Error("bad blob accepted")
	}
}
