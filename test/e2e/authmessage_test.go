package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
)

var encodedRE = regexp.MustCompile(`Encoded authorization failure message: ([A-Za-z0-9_-]+)`)

// TestEncodedAuthorizationMessages checks that denials carry an encoded
// authorization message after AWS's IAM text, that clients still parse the
// error, and that DecodeAuthorizationMessage returns AWS's JSON document.
func TestEncodedAuthorizationMessages(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const acct = fixedAccount
	alice := newUserWithKey(t, s, root, "alice")
	bob := newUserWithKey(t, s, root, "bob")
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "p", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:DecodeAuthorizationMessage"],"Resource":"*"},`+
			`{"Sid":"NoCreate","Effect":"Deny","Action":"iam:CreateUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`))

	r := s.awsV1(t, alice, "iam", "create-user", "--user-name", "x")
	mustFail(t, r, "AccessDenied")
	prefix := "User: arn:aws:iam::" + acct + ":user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::" + acct +
		":user/x with an explicit deny in an identity-based policy. Encoded authorization failure message: "
	if !strings.Contains(r.Stderr, prefix) {
		t.Fatalf("message: %s", r.Stderr)
	}
	m := encodedRE.FindStringSubmatch(r.Stderr)
	if m == nil {
		t.Fatalf("no encoded message: %s", r.Stderr)
	}
	encoded := m[1]

	out := mustOK(t, s.awsV2(t, alice, "sts", "decode-authorization-message", "--encoded-message", encoded)).json(t)
	var doc struct {
		Allowed           bool `json:"allowed"`
		ExplicitDeny      bool `json:"explicitDeny"`
		MatchedStatements struct {
			Items []struct {
				StatementID string `json:"statementId"`
				Effect      string `json:"effect"`
				Actions     struct {
					Items []struct{ Value string } `json:"items"`
				} `json:"actions"`
				Conditions struct {
					Items []struct {
						Key string `json:"key"`
					} `json:"items"`
				} `json:"conditions"`
			} `json:"items"`
		} `json:"matchedStatements"`
		Failures struct {
			Items []any `json:"items"`
		} `json:"failures"`
		Context struct {
			Principal  struct{ ID, Name, ARN string } `json:"principal"`
			Action     string                         `json:"action"`
			Resource   string                         `json:"resource"`
			Conditions struct {
				Items []struct {
					Key    string `json:"key"`
					Values struct {
						Items []struct{ Value string } `json:"items"`
					} `json:"values"`
				} `json:"items"`
			} `json:"conditions"`
		} `json:"context"`
	}
	if err := json.Unmarshal([]byte(out["DecodedMessage"].(string)), &doc); err != nil {
		t.Fatalf("decoded message is not JSON: %v\n%v", err, out)
	}
	if doc.Allowed || !doc.ExplicitDeny || len(doc.MatchedStatements.Items) != 1 || doc.Failures.Items == nil {
		t.Fatalf("decision: %+v", doc)
	}
	st := doc.MatchedStatements.Items[0]
	if st.StatementID != "NoCreate" || st.Effect != "DENY" || st.Actions.Items[0].Value != "iam:CreateUser" || st.Conditions.Items[0].Key != "aws:RequestedRegion" {
		t.Errorf("statement: %+v", st)
	}
	if doc.Context.Principal.ARN != "arn:aws:iam::"+acct+":user/alice" || doc.Context.Principal.Name != "alice" || !strings.HasPrefix(doc.Context.Principal.ID, "AIDA") ||
		doc.Context.Action != "iam:CreateUser" || doc.Context.Resource != "arn:aws:iam::"+acct+":user/x" {
		t.Errorf("context: %+v", doc.Context)
	}
	region := false
	for _, c := range doc.Context.Conditions.Items {
		if c.Key == "aws:RequestedRegion" && c.Values.Items[0].Value == "us-east-1" {
			region = true
		}
	}
	if !region {
		t.Errorf("conditions: %+v", doc.Context.Conditions)
	}

	// Implicit denials carry one too; bob may not decode.
	r = s.awsV1(t, bob, "sts", "decode-authorization-message", "--encoded-message", encoded)
	mustFail(t, r, "AccessDenied")
	if encodedRE.FindStringSubmatch(r.Stderr) == nil {
		t.Errorf("implicit deny without encoded message: %s", r.Stderr)
	}
	// Bad input: garbage and a tampered message.
	mustFail(t, s.awsV1(t, alice, "sts", "decode-authorization-message", "--encoded-message", "not-a-message"), "InvalidAuthorizationMessageException")
	tampered := []byte(encoded)
	tampered[len(tampered)/2] ^= 1
	r = mustOK(t, s.boto3(t, alice, `
import boto3
c = boto3.client("sts")
try:
    c.decode_authorization_message(EncodedMessage="`+string(tampered)+`")
    print("ok")
except c.exceptions.InvalidAuthorizationMessageException as e:
    print(e.response["Error"]["Code"])`))
	if strings.TrimSpace(r.Stdout) != "InvalidAuthorizationMessageException" {
		t.Errorf("boto3 tampered: %s", r.Stdout)
	}

	// The Go SDK still sees AccessDenied with AWS's text first.
	_, err := goIAM(s, alice).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("y")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.HasPrefix(ae.ErrorMessage(), "User: arn:aws:iam::"+acct+":user/alice is not authorized") ||
		!strings.Contains(ae.ErrorMessage(), "Encoded authorization failure message: ") {
		t.Fatalf("Go SDK error: %v", err)
	}
}
