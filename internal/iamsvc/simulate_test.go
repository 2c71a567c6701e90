package iamsvc

import (
	"reflect"
	"testing"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/policy"
)

const (
	tAllowS3  = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	tDenyPut  = `{"Version":"2012-10-17","Statement":[{"Sid":"NoPut","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`
	tBoundGet = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`
	tDate     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}`
	tIP       = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"NumericLessThan":{"s3:max-keys":"10"}}}}`
	tBucket   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}}`
	tSCPDeny  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`
	tSCPAllow = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
)

func boolp(b bool) *bool { return &b }

func pos(l, c int) policy.Position { return policy.Position{Line: l, Column: c} }

// TestSimulateDecisionMapping checks how evaluation outcomes map onto
// EvaluationResult fields: decision, contributing statements, missing
// keys, boundary and organization details, resource-specific results.
func TestSimulateDecisionMapping(t *testing.T) {
	tests := []struct {
		name string
		in   SimulateInput
		want []EvaluationResult
	}{
		{
			name: "allow, explicit deny, implicit deny",
			in:   SimulateInput{PolicyInputList: []string{tAllowS3, tDenyPut}, ActionNames: []string{"s3:GetObject", "s3:PutObject", "ec2:RunInstances"}},
			want: []EvaluationResult{
				{Action: "s3:GetObject", Resource: "*", Decision: "allowed", Missing: []string{},
					Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)}}},
				{Action: "s3:PutObject", Resource: "*", Decision: "explicitDeny", Missing: []string{},
					Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.2", SourcePolicyType: "IAM Policy", Sid: "NoPut", Start: pos(1, 39), End: pos(1, 108)}}},
				{Action: "ec2:RunInstances", Resource: "*", Decision: "implicitDeny", Missing: []string{}, Matched: []MatchedStatement{}},
			},
		},
		{
			name: "AWS CLI example: date condition satisfied",
			in: SimulateInput{PolicyInputList: []string{tDate}, ActionNames: []string{"dynamodb:CreateBackup"},
				ContextEntries: []ContextEntry{{Name: "aws:CurrentTime", Values: []string{"2019-04-25T11:00:00Z"}, Type: "date"}}},
			want: []EvaluationResult{{Action: "dynamodb:CreateBackup", Resource: "*", Decision: "allowed", Missing: []string{},
				Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 167)}}}},
		},
		{
			name: "missing context key",
			in:   SimulateInput{PolicyInputList: []string{tDate}, ActionNames: []string{"dynamodb:CreateBackup"}},
			want: []EvaluationResult{{Action: "dynamodb:CreateBackup", Resource: "*", Decision: "implicitDeny", Missing: []string{"aws:CurrentTime"}, Matched: []MatchedStatement{}}},
		},
		{
			name: "ip and numeric context entries",
			in: SimulateInput{PolicyInputList: []string{tIP}, ActionNames: []string{"s3:ListBucket"},
				ContextEntries: []ContextEntry{{Name: "aws:SourceIp", Values: []string{"10.1.2.3"}, Type: "ip"}, {Name: "s3:max-keys", Values: []string{"5"}, Type: "numeric"}}},
			want: []EvaluationResult{{Action: "s3:ListBucket", Resource: "*", Decision: "allowed", Missing: []string{},
				Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 181)}}}},
		},
		{
			name: "boundary caps identity policy, with resource",
			in: SimulateInput{PolicyInputList: []string{tAllowS3}, PermissionsBoundaryPolicyInputList: []string{tBoundGet},
				ActionNames: []string{"s3:GetObject", "s3:PutObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"}},
			want: []EvaluationResult{
				{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Decision: "allowed", Missing: []string{}, BoundaryAllowed: boolp(true), DecisionDetails: map[string]string{},
					Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)}},
					Resources: []ResourceResult{{Resource: "arn:aws:s3:::b/k", Decision: "allowed", Missing: []string{}, BoundaryAllowed: boolp(true), DecisionDetails: map[string]string{},
						Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)}}}}},
				{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", Decision: "implicitDeny", Missing: []string{}, BoundaryAllowed: boolp(false), DecisionDetails: map[string]string{},
					Matched:   []MatchedStatement{},
					Resources: []ResourceResult{{Resource: "arn:aws:s3:::b/k", Decision: "implicitDeny", Missing: []string{}, BoundaryAllowed: boolp(false), DecisionDetails: map[string]string{}, Matched: []MatchedStatement{}}}},
			},
		},
		{
			name: "aggregate over resources is the most restrictive",
			in: SimulateInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}}`},
				ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::a/1", "arn:aws:s3:::b/1"}},
			want: []EvaluationResult{{Action: "s3:GetObject", Resource: "*", Decision: "implicitDeny", Missing: []string{}, Matched: []MatchedStatement{}, DecisionDetails: map[string]string{},
				Resources: []ResourceResult{
					{Resource: "arn:aws:s3:::a/1", Decision: "allowed", Missing: []string{}, DecisionDetails: map[string]string{},
						Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 109)}}},
					{Resource: "arn:aws:s3:::b/1", Decision: "implicitDeny", Missing: []string{}, DecisionDetails: map[string]string{}, Matched: []MatchedStatement{}},
				}}},
		},
		{
			name: "cross-account resource policy",
			in: SimulateInput{PolicyInputList: []string{tAllowS3}, ResourcePolicy: tBucket, CallerArn: "arn:aws:iam::111122223333:user/bob",
				ResourceOwner: "arn:aws:iam::444455556666:root", ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::shared/x"}},
			want: []EvaluationResult{{Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/x", Decision: "allowed", Missing: []string{},
				DecisionDetails: map[string]string{"IAM Policy": "allowed", "Resource Policy": "allowed"},
				Matched: []MatchedStatement{
					{SourcePolicyID: "ResourcePolicy", SourcePolicyType: "Resource Policy", Start: pos(1, 38), End: pos(1, 171)},
					{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)},
				},
				Resources: []ResourceResult{{Resource: "arn:aws:s3:::shared/x", Decision: "allowed", Missing: []string{},
					DecisionDetails: map[string]string{"IAM Policy": "allowed", "Resource Policy": "allowed"},
					Matched: []MatchedStatement{
						{SourcePolicyID: "ResourcePolicy", SourcePolicyType: "Resource Policy", Start: pos(1, 38), End: pos(1, 171)},
						{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)},
					}}}}},
		},
		{
			name: "service control policies",
			in: SimulateInput{PolicyInputList: []string{tAllowS3}, SCPs: [][]string{{tSCPAllow}, {tSCPDeny}},
				ActionNames: []string{"s3:GetObject", "s3:DeleteObject"}},
			want: []EvaluationResult{
				{Action: "s3:GetObject", Resource: "*", Decision: "allowed", Missing: []string{}, OrganizationsAllowed: boolp(true),
					Matched: []MatchedStatement{{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)}}},
				{Action: "s3:DeleteObject", Resource: "*", Decision: "explicitDeny", Missing: []string{}, OrganizationsAllowed: boolp(false), Matched: []MatchedStatement{}},
			},
		},
		{
			name: "keys only SCPs reference are not reported missing",
			in: SimulateInput{PolicyInputList: []string{tDate}, SCPs: [][]string{{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}}`}},
				ActionNames: []string{"dynamodb:Scan"}},
			want: []EvaluationResult{{Action: "dynamodb:Scan", Resource: "*", Decision: "implicitDeny", Missing: []string{"aws:CurrentTime"}, OrganizationsAllowed: boolp(false), Matched: []MatchedStatement{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, err := tt.in.simulation("123456789012")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Simulate(sim)
			if err != nil {
				t.Fatal(err)
			}
			stripDeciders(got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// stripDeciders clears the CLI-only Decider fields (TestSimulateDecider
// checks them).
func stripDeciders(rs []EvaluationResult) {
	for i := range rs {
		rs[i].Decider = nil
		for j := range rs[i].Resources {
			rs[i].Resources[j].Decider = nil
		}
	}
}

// TestSimulateDecider checks the deciding statement kept for the CLI,
// including SCP statements that MatchedStatements leaves out.
func TestSimulateDecider(t *testing.T) {
	in := SimulateInput{PolicyInputList: []string{tAllowS3}, SCPs: [][]string{{tSCPDeny}}, ActionNames: []string{"s3:DeleteObject", "s3:GetObject", "ec2:RunInstances"}}
	sim, _ := in.simulation("123456789012")
	got, err := Simulate(sim)
	if err != nil {
		t.Fatal(err)
	}
	want := []*MatchedStatement{
		{SourcePolicyID: "OrderedOrganizationPolicyInputList.1.ServiceControlPolicyInputList.1", SourcePolicyType: "SCP", Start: pos(1, 86), End: pos(1, 144)},
		{SourcePolicyID: "PolicyInputList.1", SourcePolicyType: "IAM Policy", Start: pos(1, 38), End: pos(1, 86)},
		nil,
	}
	for i, w := range want {
		if !reflect.DeepEqual(got[i].Decider, w) {
			t.Errorf("%s: decider %+v, want %+v", got[i].Action, got[i].Decider, w)
		}
	}
}

// TestSimulateErrors checks the error codes of bad simulation inputs.
func TestSimulateErrors(t *testing.T) {
	tests := []struct {
		name string
		in   SimulateInput
		code string
		msg  string
	}{
		{"malformed policy", SimulateInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":`}, ActionNames: []string{"s3:GetObject"}}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"malformed boundary", SimulateInput{PolicyInputList: []string{tAllowS3}, PermissionsBoundaryPolicyInputList: []string{`[]`}, ActionNames: []string{"s3:GetObject"}}, "MalformedPolicyDocument", ""},
		{"two boundaries", SimulateInput{PolicyInputList: []string{tAllowS3}, PermissionsBoundaryPolicyInputList: []string{tBoundGet, tBoundGet}, ActionNames: []string{"s3:GetObject"}}, "InvalidInput", ""},
		{"bad date", SimulateInput{PolicyInputList: []string{tDate}, ActionNames: []string{"dynamodb:Scan"}, ContextEntries: []ContextEntry{{Name: "aws:CurrentTime", Values: []string{"soon"}, Type: "date"}}}, "InvalidInput", "Invalid value soon for context key aws:CurrentTime of type date."},
		{"bad type", SimulateInput{PolicyInputList: []string{tDate}, ActionNames: []string{"dynamodb:Scan"}, ContextEntries: []ContextEntry{{Name: "aws:CurrentTime", Values: []string{"1"}, Type: "float"}}}, "InvalidInput", ""},
		{"single type with two values", SimulateInput{PolicyInputList: []string{tDate}, ActionNames: []string{"dynamodb:Scan"}, ContextEntries: []ContextEntry{{Name: "aws:SourceIp", Values: []string{"1.2.3.4", "1.2.3.5"}, Type: "ip"}}}, "InvalidInput", ""},
		{"wildcard action", SimulateInput{PolicyInputList: []string{tAllowS3}, ActionNames: []string{"s3:*"}}, "InvalidInput", ""},
		{"resource policy without caller", SimulateInput{PolicyInputList: []string{tAllowS3}, ResourcePolicy: tBucket, ActionNames: []string{"s3:GetObject"}}, "InvalidInput", ""},
		{"bad caller", SimulateInput{PolicyInputList: []string{tAllowS3}, CallerArn: "arn:aws:sts::123456789012:assumed-role/r/s", ActionNames: []string{"s3:GetObject"}}, "InvalidInput", ""},
		{"bad owner", SimulateInput{PolicyInputList: []string{tAllowS3}, ResourceOwner: "me", ActionNames: []string{"s3:GetObject"}}, "InvalidInput", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := func() ([]EvaluationResult, error) {
				sim, err := tt.in.simulation("123456789012")
				if err != nil {
					return nil, err
				}
				return Simulate(sim)
			}()
			ae, ok := apierr.As(err)
			if !ok || ae.Code != tt.code || (tt.msg != "" && ae.Message != tt.msg) {
				t.Fatalf("err = %v, want %s %q", err, tt.code, tt.msg)
			}
		})
	}
}

// TestSimulatePagination pages over actions with MaxItems and Marker.
func TestSimulatePagination(t *testing.T) {
	in := SimulateInput{PolicyInputList: []string{tAllowS3}, ActionNames: []string{"s3:A1", "s3:A2", "s3:A3"}}
	sim, _ := in.simulation("123456789012")
	two := int32(2)
	p, err := runPaged(sim, "", &two)
	if err != nil || len(p.Items) != 2 || !p.IsTruncated || p.Marker == "" {
		t.Fatalf("page 1: %+v %v", p, err)
	}
	p, err = runPaged(sim, p.Marker, &two)
	if err != nil || len(p.Items) != 1 || p.IsTruncated || p.Items[0].Action != "s3:A3" {
		t.Fatalf("page 2: %+v %v", p, err)
	}
	if _, err := runPaged(sim, "x", nil); err == nil {
		t.Fatal("bad marker accepted")
	}
}

// TestContextKeys checks GetContextKeysForCustomPolicy's answer: policy
// variables and condition keys, deduplicated case-insensitively across
// policies in the spelling of their first occurrence (AWS CLI example).
func TestContextKeys(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}`
	got, err := ContextKeys(inputDocs("PolicyInputList", SourceTypeIAMPolicy, []string{doc, tDate, tIP}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aws:username", "aws:CurrentTime", "aws:SourceIp", "s3:max-keys"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got, err = ContextKeys(nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
}

// TestParseContextValue checks each ContextKeyType's value syntax.
func TestParseContextValue(t *testing.T) {
	tests := []struct {
		typ, in, out string
		ok           bool
	}{
		{"string", "anything", "anything", true},
		{"stringList", "", "", true},
		{"numeric", "-1.5e3", "-1.5e3", true},
		{"numeric", "0x10", "", false},
		{"numeric", "NaN", "", false},
		{"numericList", "12", "12", true},
		{"boolean", "TRUE", "true", true},
		{"boolean", "yes", "", false},
		{"ip", "203.0.113.7", "203.0.113.7", true},
		{"ip", "2001:db8::/32", "2001:db8::/32", true},
		{"ipList", "300.1.1.1", "", false},
		{"binary", "QmluYXJ5", "QmluYXJ5", true},
		{"binary", "not base64!", "", false},
		{"date", "2019-04-25T11:00:00Z", "2019-04-25T11:00:00Z", true},
		{"date", "2019-04-25", "2019-04-25", true},
		{"date", "1556190000", "1556190000", true},
		{"dateList", "25/04/2019", "", false},
		{"duration", "1", "", false},
	}
	for _, tt := range tests {
		got, err := ParseContextValue(tt.typ, tt.in)
		if (err == nil) != tt.ok || got != tt.out {
			t.Errorf("ParseContextValue(%q, %q) = %q, %v; want %q ok=%v", tt.typ, tt.in, got, err, tt.out, tt.ok)
		}
	}
}

// FuzzParseContextValue checks that the context value parser never panics
// and that an accepted value is accepted again unchanged (idempotence).
func FuzzParseContextValue(f *testing.F) {
	for _, s := range []string{"string|x", "numeric|1.5", "boolean|True", "ip|10.0.0.0/8", "binary|QQ==", "date|2019-04-25T11:00:00Z", "dateList|0", "numeric|1e", "x|y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, val := s, ""
		for i := 0; i < len(s); i++ {
			if s[i] == '|' {
				typ, val = s[:i], s[i+1:]
				break
			}
		}
		out, err := ParseContextValue(typ, val)
		if err != nil {
			if _, ok := apierr.As(err); !ok {
				t.Fatalf("non-API error %v", err)
			}
			return
		}
		again, err := ParseContextValue(typ, out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", val, out, again, err)
		}
	})
}

// TestApplyExclusions checks PolicyExclusionList matching by type, ARN
// (with wildcards) and inline identifier, and its validation.
func TestApplyExclusions(t *testing.T) {
	pp := &PrincipalPolicies{
		Identity: []PolicyDoc{
			{ID: "inline1", Type: "user"},
			{ID: "arn:aws:iam::aws:policy/ReadOnlyAccess", Type: SourceTypeIAMPolicy},
			{ID: "arn:aws:iam::123456789012:policy/team/deploy-prod", Type: SourceTypeIAMPolicy},
		},
		Boundary: &PolicyDoc{ID: "arn:aws:iam::123456789012:policy/boundary", Type: SourceTypeBoundary},
	}
	ids := func(p *PrincipalPolicies) []string {
		var out []string
		for _, d := range p.Identity {
			out = append(out, d.ID)
		}
		if p.Boundary != nil {
			out = append(out, "boundary")
		}
		return out
	}
	tests := []struct {
		name string
		xs   []PolicyExclusion
		want []string
		err  bool
	}{
		{"none", nil, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"inline type", []PolicyExclusion{{PolicyType: "inline"}}, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"aws-managed", []PolicyExclusion{{PolicyType: "aws-managed"}}, []string{"inline1", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"user-managed", []PolicyExclusion{{PolicyType: "user-managed"}}, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "boundary"}, false},
		{"boundary", []PolicyExclusion{{PolicyType: "permission-boundary"}}, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod"}, false},
		{"scp is a no-op", []PolicyExclusion{{PolicyType: "scp"}}, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"arn wildcard", []PolicyExclusion{{PolicyARN: "arn:aws:iam::123456789012:policy/team/deploy-*"}}, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "boundary"}, false},
		{"arn question marks", []PolicyExclusion{{PolicyARN: "arn:aws:iam::aws:policy/ReadOnly??????"}}, []string{"inline1", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"inline identifier", []PolicyExclusion{{PolicyName: "inline1", AttachmentType: "user", AttachmentName: "al*"}}, []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"inline identifier other entity", []PolicyExclusion{{PolicyName: "inline1", AttachmentType: "user", AttachmentName: "bob"}}, []string{"inline1", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:policy/team/deploy-prod", "boundary"}, false},
		{"two kinds set", []PolicyExclusion{{PolicyType: "inline", PolicyARN: "arn:aws:iam::aws:policy/X"}}, nil, true},
		{"bad type", []PolicyExclusion{{PolicyType: "session"}}, nil, true},
		{"two stars", []PolicyExclusion{{PolicyARN: "arn:aws:iam::aws:policy/*a*"}}, nil, true},
		{"malformed arn", []PolicyExclusion{{PolicyARN: "arn:aws:s3:::bucket"}}, nil, true},
		{"incomplete inline", []PolicyExclusion{{PolicyName: "inline1"}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyExclusions(pp, tt.xs, "alice")
			if tt.err {
				if ae, ok := apierr.As(err); !ok || ae.Code != "InvalidInput" {
					t.Fatalf("err = %v, want InvalidInput", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("got %v, want %v", ids(got), tt.want)
			}
		})
	}
}

// TestSimulateUnreadableBoundary checks that a stored boundary whose
// document is missing (PrincipalPolicies gives it an empty document)
// allows nothing instead of failing the simulation.
func TestSimulateUnreadableBoundary(t *testing.T) {
	sim := &Simulation{Identity: inputDocs("PolicyInputList", SourceTypeIAMPolicy, []string{tAllowS3}),
		Boundary: &PolicyDoc{ID: "arn:aws:iam::123456789012:policy/gone", Type: SourceTypeIAMPolicy},
		Actions:  []string{"s3:GetObject"}, Account: "123456789012"}
	got, err := Simulate(sim)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Decision != "implicitDeny" || got[0].BoundaryAllowed == nil || *got[0].BoundaryAllowed {
		t.Fatalf("got %+v", got[0])
	}
}
