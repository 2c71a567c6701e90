package policy

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// managedPolicy6144 returns an identity policy of at most 6,144 characters,
// the managed policy size quota.
func managedPolicy6144() string {
	services := []string{"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "kms", "lambda", "logs", "cloudwatch"}
	var stmts []string
	doc := ""
	for i := 0; ; i++ {
		svc := services[i%len(services)]
		s := fmt.Sprintf(`{"Sid":"Stmt%d","Effect":"Allow","Action":["%s:Get*","%s:Put*"],"Resource":"arn:aws:%s::111122223333:user/team-%d/*","Condition":{"StringLike":{"aws:PrincipalTag/project":"p-%d-*"},"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}}`, i, svc, svc, svc, i, i, i%256)
		next := `{"Version":"2012-10-17","Statement":[` + strings.Join(append(stmts, s), ",") + `]}`
		if len(next) > 6144 {
			return doc
		}
		stmts = append(stmts, s)
		doc = next
	}
}

// BenchmarkParse6144 parses, validates and compiles a 6,144-character
// managed policy.
func BenchmarkParse6144(b *testing.B) {
	doc := managedPolicy6144()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(doc, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineJSONUnmarshal6144 is the baseline for
// BenchmarkParse6144: encoding/json decoding the same document into
// generic values (no validation, no compilation).
func BenchmarkBaselineJSONUnmarshal6144(b *testing.B) {
	doc := []byte(managedPolicy6144())
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestManagedPolicy6144(t *testing.T) {
	doc := managedPolicy6144()
	if len(doc) < 6000 || len(doc) > 6144 {
		t.Fatalf("len %d", len(doc))
	}
	if _, err := Parse(doc, Identity); err != nil {
		t.Fatal(err)
	}
}
