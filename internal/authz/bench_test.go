package authz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

// benchServices are the services the generated policies cover.
var benchServices = []string{"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "kms", "lambda", "logs", "cloudwatch"}

// BenchPolicyDocs returns nPolicies identity policies of nStmts statements
// each (statement j of policy i covers service benchServices[(i*nStmts+j)
// % 10]), plus one Deny-unless-NotIpAddress policy. The request
// s3:GetObject on arn:aws:s3:::bucket-0/key from 192.0.2.10 is allowed by
// the first policy's first statement.
func BenchPolicyDocs(nPolicies, nStmts int) []string {
	var docs []string
	for i := 0; i < nPolicies; i++ {
		var stmts []string
		for j := 0; j < nStmts; j++ {
			k := i*nStmts + j
			svc := benchServices[k%len(benchServices)]
			res := fmt.Sprintf("arn:aws:%s:::bucket-%d", svc, k/len(benchServices))
			if svc == "iam" {
				res = fmt.Sprintf("arn:aws:iam::111122223333:user/bucket-%d", k/len(benchServices))
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["%s:Get*","%s:List*","%s:Describe*"],"Resource":["%s/*","%s"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]}}}`,
				k, svc, svc, svc, res, res))
		}
		docs = append(docs, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
	}
	docs = append(docs, `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideCorp","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.0/24"]}}}]}`)
	return docs
}

func benchSetup(tb testing.TB, nPolicies, nStmts int) (*Request, *PolicySet) {
	set := &PolicySet{}
	for i, d := range BenchPolicyDocs(nPolicies, nStmts) {
		p, err := policy.Parse(d, policy.Identity)
		if err != nil {
			tb.Fatal(err)
		}
		set.Identity = append(set.Identity, PolicyRef{ID: fmt.Sprintf("arn:aws:iam::111122223333:policy/p%d", i), Kind: policy.Identity, Policy: p})
	}
	req := &Request{
		Principal: Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333", Type: policy.User, UserID: "AIDAEXAMPLE", Username: "alice"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::bucket-0/key",
	}
	return req, set
}

func benchEvaluate(b *testing.B, nPolicies, nStmts int, action string) {
	req, set := benchSetup(b, nPolicies, nStmts)
	req.Action = action
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req.Context.Reset()
		req.Context.Set(policy.KeySourceIP, "192.0.2.10")
		req.Context.Set(policy.KeyCurrentTime, "2024-06-01T12:00:00Z")
		req.Context.SetNamed("aws:PrincipalTag/team", "red")
		Evaluate(req, set)
	}
}

// BenchmarkEvaluate10x5 is 10 attached policies of 5 statements plus one
// NotIpAddress deny (the reference workload).
func BenchmarkEvaluate10x5(b *testing.B) { benchEvaluate(b, 10, 5, "s3:GetObject") }

// BenchmarkEvaluate1000 is 1,000 statements (100 policies of 10) plus the
// deny.
func BenchmarkEvaluate1000(b *testing.B) { benchEvaluate(b, 100, 10, "s3:GetObject") }

// BenchmarkEvaluateOtherService asks for a service no statement names
// (only the deny, indexed under "*", is looked at).
func BenchmarkEvaluateOtherService(b *testing.B) { benchEvaluate(b, 100, 10, "route53:GetHostedZone") }

// BenchmarkBaselineContext measures filling the request context alone, the
// floor under every decision.
func BenchmarkBaselineContext(b *testing.B) {
	req, _ := benchSetup(b, 1, 1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req.Context.Reset()
		req.Context.Set(policy.KeySourceIP, "192.0.2.10")
		req.Context.Set(policy.KeyCurrentTime, "2024-06-01T12:00:00Z")
		req.Context.SetNamed("aws:PrincipalTag/team", "red")
		FillContext(req)
	}
}
