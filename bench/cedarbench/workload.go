package cedarbench

import (
	"fmt"
	"strings"
)

// Services the generated statements cover, one per statement in turn.
var Services = []string{"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "kms", "lambda", "logs", "cloudwatch"}

// Stmt is one generated Allow statement: actions (globs), resources (globs)
// and an allowed set of team tag values.
type Stmt struct {
	Sid       string
	Actions   []string
	Resources []string
	Teams     []string
}

// DenyCIDRs is the NotIpAddress deny: every request from outside these
// ranges is denied.
var DenyCIDRs = []string{"192.0.2.0/24", "198.51.100.0/24"}

// Workload returns nPolicies policies of nStmts statements.
func Workload(nPolicies, nStmts int) [][]Stmt {
	out := make([][]Stmt, nPolicies)
	for i := range out {
		for j := 0; j < nStmts; j++ {
			k := i*nStmts + j
			svc := Services[k%len(Services)]
			res := fmt.Sprintf("arn:aws:%s:::bucket-%d", svc, k/len(Services))
			if svc == "iam" {
				res = fmt.Sprintf("arn:aws:iam::111122223333:user/bucket-%d", k/len(Services))
			}
			out[i] = append(out[i], Stmt{
				Sid:       fmt.Sprintf("S%d", k),
				Actions:   []string{svc + ":Get*", svc + ":List*", svc + ":Describe*"},
				Resources: []string{res + "/*", res},
				Teams:     []string{"red", "blue"},
			})
		}
	}
	return out
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ",")
}

// IAMDocs returns the workload as IAM identity policy documents, the
// NotIpAddress deny last.
func IAMDocs(w [][]Stmt) []string {
	var docs []string
	for _, pol := range w {
		var stmts []string
		for _, s := range pol {
			stmts = append(stmts, fmt.Sprintf(`{"Sid":%q,"Effect":"Allow","Action":[%s],"Resource":[%s],"Condition":{"StringEquals":{"aws:PrincipalTag/team":[%s]}}}`,
				s.Sid, quoteList(s.Actions), quoteList(s.Resources), quoteList(s.Teams)))
		}
		docs = append(docs, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
	}
	docs = append(docs, `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideCorp","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":[`+quoteList(DenyCIDRs)+`]}}}]}`)
	return docs
}

// CedarText returns the equivalent Cedar policy set: one permit per IAM
// statement (action and resource globs as `like` patterns over context
// strings, the team condition as a set membership) and one forbid for the
// NotIpAddress deny.
func CedarText(w [][]Stmt) string {
	var b strings.Builder
	for _, pol := range w {
		for _, s := range pol {
			var acts, ress []string
			for _, a := range s.Actions {
				acts = append(acts, fmt.Sprintf("context.action like %q", a))
			}
			for _, r := range s.Resources {
				if strings.ContainsAny(r, "*") {
					ress = append(ress, fmt.Sprintf("context.resource like %q", r))
				} else {
					ress = append(ress, fmt.Sprintf("context.resource == %q", r))
				}
			}
			fmt.Fprintf(&b, "@id(%q)\npermit (principal, action, resource)\nwhen {\n  (%s) &&\n  (%s) &&\n  [%s].contains(context.team)\n};\n",
				s.Sid, strings.Join(acts, " || "), strings.Join(ress, " || "), quoteList(s.Teams))
		}
	}
	var in []string
	for _, c := range DenyCIDRs {
		in = append(in, fmt.Sprintf("context.sourceIp.isInRange(ip(%q))", c))
	}
	fmt.Fprintf(&b, "@id(\"DenyOutsideCorp\")\nforbid (principal, action, resource)\nunless { %s };\n", strings.Join(in, " || "))
	return b.String()
}
