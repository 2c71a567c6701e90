package authz

import (
	"reflect"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

func TestNames(t *testing.T) {
	for e, want := range map[Effect]string{Allowed: "allowed", ExplicitDeny: "explicitDeny", ImplicitDeny: "implicitDeny"} {
		if e.String() != want {
			t.Errorf("%d: %s", e, e)
		}
	}
	for s, want := range map[Source]string{SourceNone: "", SourceRCP: "resource control policy", SourceSCP: "service control policy",
		SourceResource: "resource-based policy", SourceIdentity: "identity-based policy", SourceBoundary: "permissions boundary",
		SourceSession: "session policy", Source(99): ""} {
		if s.String() != want {
			t.Errorf("%d: %q", s, s)
		}
	}
	var ss Sources
	ss.add(SourceSCP)
	if !ss.Has(SourceSCP) || ss.Has(SourceRCP) {
		t.Error("Sources")
	}
	if User != policy.User || Root.String() != "Account" {
		t.Error("re-exported principal types")
	}
}

func TestNilsAndTrace(t *testing.T) {
	allow := mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"x"}}}}`, policy.Identity)
	allow2 := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"x*","aws:SourceVpc":"v"}}}}`, policy.Identity)
	req := &Request{Principal: principalFromARN(t, "arn:aws:iam::111122223333:user/a"), Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	if d := Evaluate(req, nil); d.Effect != ImplicitDeny || d.Reason != SourceIdentity || d.Allowed() {
		t.Errorf("nil set: %+v", d)
	}
	set := &PolicySet{Identity: []PolicyRef{{ID: "nil"}, {ID: "a", Policy: allow}, {ID: "b", Policy: allow2}}, Boundary: &PolicyRef{ID: "nil boundary"}, Resource: &PolicyRef{}}
	var tr Trace
	d := EvaluateTrace(req, set, &tr)
	if d.Effect != ImplicitDeny || !d.AllowedByBoundary || !d.AllowedByOrganizations {
		t.Errorf("decision %+v", d)
	}
	if !reflect.DeepEqual(tr.Missing, []string{"s3:prefix", "aws:SourceVpc"}) || len(tr.Matched) != 0 {
		t.Errorf("trace %+v", tr)
	}
	req.Context.SetNamed("s3:prefix", "x")
	tr = Trace{}
	d = EvaluateTrace(req, set, &tr)
	if !d.Allowed() || d.Statement.PolicyID != "a" || d.Statement.Sid != "A" || len(tr.Matched) != 1 || tr.Matched[0] != d.Statement {
		t.Errorf("decision %+v trace %+v", d, tr)
	}
	if d.Statement.Start != (policy.Position{Line: 1, Column: 37}) {
		t.Errorf("position %+v", d.Statement.Start)
	}
	if !d.Evaluated.Has(SourceIdentity) || d.NoAllow.Has(SourceIdentity) || d.Evaluated.Has(SourceBoundary) {
		t.Errorf("sources evaluated=%b noallow=%b", d.Evaluated, d.NoAllow)
	}
}

func TestSimulationDetails(t *testing.T) {
	c := loadCorpus(t)
	req := &Request{Principal: principalFromARN(t, "arn:aws:iam::111122223333:user/alice"), Action: "iam:CreateUser", Resource: "*"}
	set := &PolicySet{Identity: []PolicyRef{c.ref(t, "allow-all")}, Boundary: &PolicyRef{ID: "b", Policy: c.ref(t, "bnd-s3").Policy}, SCP: [][]PolicyRef{{c.ref(t, "scp-ec2")}}}
	d := Evaluate(req, set)
	if d.AllowedByBoundary || d.AllowedByOrganizations || d.Reason != SourceSCP {
		t.Errorf("%+v", d)
	}
	if !d.NoAllow.Has(SourceBoundary) || !d.NoAllow.Has(SourceSCP) || d.NoAllow.Has(SourceIdentity) {
		t.Errorf("NoAllow %b", d.NoAllow)
	}
}

func TestFillContext(t *testing.T) {
	cases := []struct {
		arn  string
		want map[string]string
	}{
		{"arn:aws:iam::111122223333:user/dev/alice", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:user/dev/alice", "aws:PrincipalAccount": "111122223333", "aws:PrincipalType": "User", "aws:username": "alice", "aws:userid": "AIDAEXAMPLEALICE", "aws:PrincipalIsAWSService": "false", "aws:ResourceAccount": "111122223333"}},
		{"arn:aws:sts::111122223333:assumed-role/R/s|arn:aws:iam::111122223333:role/p/R", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:role/p/R", "aws:PrincipalType": "AssumedRole", "aws:userid": "AROAEXAMPLE:s", "aws:username": ""}},
		{"arn:aws:iam::111122223333:root", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:root", "aws:PrincipalType": "Account", "aws:userid": "111122223333"}},
		{"sns.amazonaws.com", map[string]string{"aws:PrincipalServiceName": "sns.amazonaws.com", "aws:PrincipalIsAWSService": "true", "aws:PrincipalArn": ""}},
		{"", map[string]string{"aws:PrincipalArn": "", "aws:PrincipalType": "", "aws:ResourceAccount": "999988887777"}},
	}
	for _, c := range cases {
		req := &Request{Principal: principalFromARN(t, c.arn), ResourceAccount: "999988887777"}
		if c.arn != "" {
			req.ResourceAccount = ""
		}
		if c.arn == "arn:aws:iam::111122223333:root" {
			req.Context.Set(policy.KeyPrincipalType, "preset")
			c.want["aws:PrincipalType"] = "preset"
		}
		FillContext(req)
		for k, want := range c.want {
			v := req.Context.Lookup(k)
			got, _ := v.Single()
			if got != want || v.Present() != (want != "") {
				t.Errorf("%s: %s = %q, want %q", c.arn, k, got, want)
			}
		}
	}
}
