package e2e

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	simAllowS3 = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	simDenyPut = `{"Version":"2012-10-17","Statement":[{"Sid":"NoPut","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`
	simDate    = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}`
	simBound   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`
)

// results returns the EvaluationResults of a simulate-* JSON output.
func simResults(t *testing.T, r cliResult) []map[string]any {
	t.Helper()
	var out struct {
		EvaluationResults []map[string]any
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, r.Stdout, r.Stderr)
	}
	return out.EvaluationResults
}

func decisions(rs []map[string]any) map[string]string {
	m := map[string]string{}
	for _, r := range rs {
		m[r["EvalActionName"].(string)] = r["EvalDecision"].(string)
	}
	return m
}

// TestSimulateCustomPolicyCLI drives simulate-custom-policy through aws-cli
// v1: allow, explicit deny, implicit deny, a date condition with a context
// entry (reproducing the AWS CLI documentation's example, positions
// included), MissingContextValues, a permissions boundary, malformed input
// and bad context values.
func TestSimulateCustomPolicyCLI(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()

	r := mustOK(t, s.awsV1(t, root, "iam", "simulate-custom-policy",
		"--policy-input-list", simAllowS3, simDenyPut,
		"--action-names", "s3:GetObject", "s3:PutObject", "ec2:RunInstances"))
	got := decisions(simResults(t, r))
	want := map[string]string{"s3:GetObject": "allowed", "s3:PutObject": "explicitDeny", "ec2:RunInstances": "implicitDeny"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decisions: %v", got)
	}
	for _, er := range simResults(t, r) {
		ms := er["MatchedStatements"].([]any)
		switch er["EvalActionName"] {
		case "s3:PutObject": // the deny statement only
			if len(ms) != 1 || ms[0].(map[string]any)["SourcePolicyId"] != "PolicyInputList.2" {
				t.Errorf("PutObject matched: %v", ms)
			}
		case "s3:GetObject":
			if len(ms) != 1 || ms[0].(map[string]any)["SourcePolicyId"] != "PolicyInputList.1" {
				t.Errorf("GetObject matched: %v", ms)
			}
		case "ec2:RunInstances":
			if len(ms) != 0 {
				t.Errorf("RunInstances matched: %v", ms)
			}
		}
	}

	// AWS CLI documentation example 1, with AWS's reported positions.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-custom-policy",
		"--policy-input-list", simDate, "--action-names", "dynamodb:CreateBackup",
		"--context-entries", "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date"))
	er := simResults(t, r)[0]
	if er["EvalDecision"] != "allowed" || er["EvalResourceName"] != "*" {
		t.Fatalf("date allowed: %v", er)
	}
	st := er["MatchedStatements"].([]any)[0].(map[string]any)
	if st["SourcePolicyId"] != "PolicyInputList.1" ||
		!reflect.DeepEqual(st["StartPosition"], map[string]any{"Line": 1.0, "Column": 38.0}) ||
		!reflect.DeepEqual(st["EndPosition"], map[string]any{"Line": 1.0, "Column": 167.0}) {
		t.Errorf("matched statement: %v", st)
	}
	if mc := er["MissingContextValues"].([]any); len(mc) != 0 {
		t.Errorf("missing: %v", mc)
	}
	// Example 2: an earlier date is implicitly denied.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-custom-policy",
		"--policy-input-list", simDate, "--action-names", "dynamodb:CreateBackup",
		"--context-entries", "ContextKeyName='aws:CurrentTime',ContextKeyValues='2014-04-25T11:00:00Z',ContextKeyType=date"))
	if er := simResults(t, r)[0]; er["EvalDecision"] != "implicitDeny" || len(er["MatchedStatements"].([]any)) != 0 {
		t.Errorf("date denied: %v", er)
	}
	// Without the context entry the key is reported missing.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-custom-policy",
		"--policy-input-list", simDate, "--action-names", "dynamodb:CreateBackup"))
	if er := simResults(t, r)[0]; er["EvalDecision"] != "implicitDeny" || !reflect.DeepEqual(er["MissingContextValues"], []any{"aws:CurrentTime"}) {
		t.Errorf("missing context: %v", er)
	}

	// A permissions boundary caps the identity policy.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-custom-policy",
		"--policy-input-list", simAllowS3, "--permissions-boundary-policy-input-list", simBound,
		"--action-names", "s3:GetObject", "s3:PutObject", "--resource-arns", "arn:aws:s3:::bucket/key"))
	for _, er := range simResults(t, r) {
		pb := er["PermissionsBoundaryDecisionDetail"].(map[string]any)["AllowedByPermissionsBoundary"]
		rsr := er["ResourceSpecificResults"].([]any)
		if len(rsr) != 1 || rsr[0].(map[string]any)["EvalResourceName"] != "arn:aws:s3:::bucket/key" {
			t.Errorf("resource specific results: %v", rsr)
		}
		switch er["EvalActionName"] {
		case "s3:GetObject":
			if er["EvalDecision"] != "allowed" || pb != true {
				t.Errorf("boundary GetObject: %v", er)
			}
		case "s3:PutObject":
			if er["EvalDecision"] != "implicitDeny" || pb != false {
				t.Errorf("boundary PutObject: %v", er)
			}
		}
	}

	r = s.awsV1(t, root, "iam", "simulate-custom-policy", "--policy-input-list", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, "--action-names", "s3:GetObject")
	mustFail(t, r, "MalformedPolicyDocument")
	r = s.awsV1(t, root, "iam", "simulate-custom-policy", "--policy-input-list", simDate, "--action-names", "dynamodb:CreateBackup",
		"--context-entries", "ContextKeyName='aws:CurrentTime',ContextKeyValues='yesterday',ContextKeyType=date")
	mustFail(t, r, "InvalidInput")

	// GetContextKeysForCustomPolicy: AWS CLI documentation example.
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}`
	keys := mustOK(t, s.awsV1(t, root, "iam", "get-context-keys-for-custom-policy", "--policy-input-list", doc)).json(t)
	if !reflect.DeepEqual(keys["ContextKeyNames"], []any{"aws:username", "aws:CurrentTime"}) {
		t.Errorf("context keys: %v", keys)
	}
}

// TestSimulateCustomPolicyBoto3 runs the same kinds of simulation through
// boto3, including a string condition fed by a context entry and
// pagination.
func TestSimulateCustomPolicyBoto3(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	script := `
import boto3, json
iam = boto3.client("iam", region_name="us-east-1")
pol = json.dumps({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*",
   "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "blue"}}},
  {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]})
out = {}
def sim(ctx, actions, **kw):
    r = iam.simulate_custom_policy(PolicyInputList=[pol], ActionNames=actions,
        ResourceArns=["arn:aws:s3:::data/x"], ContextEntries=ctx, **kw)
    return r
r = sim([{"ContextKeyName": "s3:ExistingObjectTag/team", "ContextKeyValues": ["blue"], "ContextKeyType": "string"}], ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"])
out["blue"] = [(e["EvalActionName"], e["EvalDecision"]) for e in r["EvaluationResults"]]
r = sim([{"ContextKeyName": "s3:ExistingObjectTag/team", "ContextKeyValues": ["red"], "ContextKeyType": "string"}], ["s3:GetObject"])
out["red"] = r["EvaluationResults"][0]["EvalDecision"]
r = sim([], ["s3:GetObject"])
out["missing"] = r["EvaluationResults"][0]["ResourceSpecificResults"][0]["MissingContextValues"]
p1 = sim([], ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"], MaxItems=2)
p2 = sim([], ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"], MaxItems=2, Marker=p1["Marker"])
out["pages"] = [len(p1["EvaluationResults"]), p1["IsTruncated"], len(p2["EvaluationResults"]), p2["IsTruncated"], p2["EvaluationResults"][0]["EvalActionName"]]
print(json.dumps(out))
`
	got := mustOK(t, s.boto3(t, root, script)).json(t)
	want := map[string]any{
		"blue":    []any{[]any{"s3:GetObject", "allowed"}, []any{"s3:DeleteObject", "explicitDeny"}, []any{"s3:PutObject", "implicitDeny"}},
		"red":     "implicitDeny",
		"missing": []any{"s3:ExistingObjectTag/team"},
		"pages":   []any{2.0, true, 1.0, false, "s3:PutObject"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("boto3 simulation:\n got %v\nwant %v", got, want)
	}
}

// TestSimulatePrincipalPolicy simulates a user's inline policy, an extra
// policy and a boundary given in the request, the context keys of the
// user's policies, and the errors for unknown principals.
func TestSimulatePrincipalPolicy(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	mustOK(t, s.awsV1(t, root, "iam", "create-user", "--user-name", "alice", "--path", "/eng/"))
	doc := `{
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Action": "codecommit:ListRepositories",
        "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    }
}`
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "Grant-Access-To-CodeCommit-ListRepo", "--policy-document", doc))
	arn := "arn:aws:iam::123456789012:user/eng/alice"

	r := mustOK(t, s.awsV1(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", arn,
		"--action-names", "codecommit:ListRepositories", "codecommit:DeleteRepository",
		"--context-entries", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean"))
	rs := simResults(t, r)
	if got := decisions(rs); !reflect.DeepEqual(got, map[string]string{"codecommit:ListRepositories": "allowed", "codecommit:DeleteRepository": "implicitDeny"}) {
		t.Fatalf("decisions: %v", got)
	}
	st := rs[0]["MatchedStatements"].([]any)[0].(map[string]any)
	// The statement starts at line 3, column 19, as in the AWS CLI documentation's
	// example for this operation.
	if st["SourcePolicyId"] != "Grant-Access-To-CodeCommit-ListRepo" || st["SourcePolicyType"] != "user" ||
		!reflect.DeepEqual(st["StartPosition"], map[string]any{"Line": 3.0, "Column": 19.0}) ||
		!reflect.DeepEqual(st["EndPosition"], map[string]any{"Line": 8.0, "Column": 6.0}) {
		t.Errorf("matched statement: %v", st)
	}

	// Missing MFA context: implicit deny naming the key.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", arn, "--action-names", "codecommit:ListRepositories"))
	if er := simResults(t, r)[0]; er["EvalDecision"] != "implicitDeny" || !reflect.DeepEqual(er["MissingContextValues"], []any{"aws:MultiFactorAuthPresent"}) {
		t.Errorf("missing MFA: %v", er)
	}

	// An extra policy and a boundary given in the request.
	r = mustOK(t, s.awsV1(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", arn,
		"--policy-input-list", simAllowS3, "--permissions-boundary-policy-input-list", simBound,
		"--action-names", "s3:GetObject", "s3:PutObject"))
	if got := decisions(simResults(t, r)); !reflect.DeepEqual(got, map[string]string{"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny"}) {
		t.Errorf("boundary decisions: %v", got)
	}

	keys := mustOK(t, s.awsV1(t, root, "iam", "get-context-keys-for-principal-policy", "--policy-source-arn", arn, "--policy-input-list", simDate)).json(t)
	if !reflect.DeepEqual(keys["ContextKeyNames"], []any{"aws:MultiFactorAuthPresent", "aws:CurrentTime"}) {
		t.Errorf("principal context keys: %v", keys)
	}

	r = s.awsV1(t, root, "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/nobody", "--action-names", "s3:GetObject")
	mustFail(t, r, "NoSuchEntity")
	if !strings.Contains(r.Stderr, "The user with name nobody cannot be found.") {
		t.Errorf("no such user: %s", r.Stderr)
	}
	mustFail(t, s.awsV1(t, root, "iam", "get-context-keys-for-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/nobody"), "NoSuchEntity")

	// alice herself has no permission to simulate.
	key := mustOK(t, s.awsV1(t, root, "iam", "create-access-key", "--user-name", "alice")).json(t)["AccessKey"].(map[string]any)
	alice := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	r = s.awsV1(t, alice, "iam", "simulate-principal-policy", "--policy-source-arn", arn, "--action-names", "s3:GetObject")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "iam:SimulatePrincipalPolicy on resource: "+arn) {
		t.Errorf("access denied: %s", r.Stderr)
	}
}

// TestPolicyCommandBinary runs the offline "iamd policy" command of the
// built binary as a CI pipeline would: validate, then simulate with
// --expect deciding the exit code.
func TestPolicyCommandBinary(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/deploy.json"
	bad := dir + "/bad.json"
	if err := os.WriteFile(good, []byte(simDenyPut), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"Statement":`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := cleanEnv()
	r := runCmd(t, env, iamdBin, "policy", "validate", good, bad)
	if r.Code != 1 || r.Stdout != good+": ok\n"+bad+": MalformedPolicyDocument: Syntax errors in policy.\n" {
		t.Errorf("validate: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	r = runCmd(t, env, iamdBin, "policy", "simulate", "--policy", good, "--action", "s3:PutObject", "--expect", "explicitDeny")
	if r.Code != 0 || !strings.Contains(r.Stdout, "s3:PutObject on *: explicitDeny\n  matched: "+good+"#NoPut 1:39-1:108\n") {
		t.Errorf("simulate: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	r = runCmd(t, env, iamdBin, "policy", "simulate", "--policy", good, "--action", "s3:GetObject", "--expect", "allowed")
	if r.Code != 1 || !strings.Contains(r.Stderr, "expected allowed, got implicitDeny") {
		t.Errorf("simulate --expect: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
}

// TestSimulateGoSDK uses the Go SDK for the members the installed CLIs do
// not know yet: OrderedOrganizationPolicyInputList (SCP levels) and
// PolicyExclusionList.
func TestSimulateGoSDK(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	ctx := context.Background()
	c := goIAM(s, root)
	scpDeny := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`
	out, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simAllowS3},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject"},
		OrderedOrganizationPolicyInputList: []iamtypes.OrderedOrganizationPolicyType{
			{ServiceControlPolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`}},
			{ServiceControlPolicyInputList: []string{scpDeny}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, er := range out.EvaluationResults {
		org := er.OrganizationsDecisionDetail
		switch aws.ToString(er.EvalActionName) {
		case "s3:GetObject":
			if er.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed || org == nil || !org.AllowedByOrganizations {
				t.Errorf("GetObject: %v %+v", er.EvalDecision, org)
			}
		case "s3:DeleteObject":
			if er.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeExplicitDeny || org == nil || org.AllowedByOrganizations || len(er.MatchedStatements) != 0 {
				t.Errorf("DeleteObject: %v %+v %v", er.EvalDecision, org, er.MatchedStatements)
			}
		}
	}

	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(simAllowS3)}); err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:iam::123456789012:user/carol"
	sim := func(x []iamtypes.PolicyIdentifier) (iamtypes.PolicyEvaluationDecisionType, error) {
		out, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(arn), ActionNames: []string{"s3:GetObject"}, PolicyExclusionList: x})
		if err != nil {
			return "", err
		}
		return out.EvaluationResults[0].EvalDecision, nil
	}
	if d, err := sim(nil); err != nil || d != iamtypes.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("without exclusions: %v %v", d, err)
	}
	if d, err := sim([]iamtypes.PolicyIdentifier{&iamtypes.PolicyIdentifierMemberInlinePolicyIdentifier{Value: iamtypes.InlinePolicyIdentifierType{
		PolicyName: aws.String("s3"), AttachmentType: iamtypes.AttachmentTypeUser, AttachmentName: aws.String("carol")}}}); err != nil || d != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Errorf("inline excluded: %v %v", d, err)
	}
	if d, err := sim([]iamtypes.PolicyIdentifier{&iamtypes.PolicyIdentifierMemberPolicyType{Value: iamtypes.PolicyIdentifierPolicyTypeInline}}); err != nil || d != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Errorf("inline type excluded: %v %v", d, err)
	}
	if _, err := sim([]iamtypes.PolicyIdentifier{&iamtypes.PolicyIdentifierMemberPolicyArn{Value: "arn:aws:s3:::some-bucket-name"}}); apiCode(err) != "InvalidInput" {
		t.Errorf("bad exclusion ARN: %v", err)
	}
}

// TestSimulatePrincipalManagedBoundaryRole simulates a user with an
// attached managed policy and a stored permissions boundary (which a
// boundary in the request replaces), and a role with an inline policy,
// through boto3.
func TestSimulatePrincipalManagedBoundaryRole(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	script := `
import boto3, json
iam = boto3.client("iam", region_name="us-east-1")
allow_s3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
get_only = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]})
put_only = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Put*", "Resource": "*"}]})
pol = iam.create_policy(PolicyName="s3all", PolicyDocument=allow_s3)["Policy"]["Arn"]
bnd = iam.create_policy(PolicyName="getonly", PolicyDocument=get_only)["Policy"]["Arn"]
iam.create_user(UserName="dave")
iam.attach_user_policy(UserName="dave", PolicyArn=pol)
iam.put_user_permissions_boundary(UserName="dave", PermissionsBoundary=bnd)
user = "arn:aws:iam::123456789012:user/dave"
def sim(arn, **kw):
    r = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["s3:GetObject", "s3:PutObject"], **kw)
    return {e["EvalActionName"]: [e["EvalDecision"], e.get("PermissionsBoundaryDecisionDetail", {}).get("AllowedByPermissionsBoundary"),
            [(m["SourcePolicyId"], m["SourcePolicyType"]) for m in e["MatchedStatements"]]] for e in r["EvaluationResults"]}
out = {"stored": sim(user), "override": sim(user, PermissionsBoundaryPolicyInputList=[put_only])}
iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
iam.put_role_policy(RoleName="app", PolicyName="put", PolicyDocument=put_only)
out["role"] = sim("arn:aws:iam::123456789012:role/app")
out["keys"] = iam.get_context_keys_for_principal_policy(PolicySourceArn="arn:aws:iam::123456789012:role/app")["ContextKeyNames"]
print(json.dumps(out))
`
	got := mustOK(t, s.boto3(t, root, script)).json(t)
	managed := []any{[]any{"arn:aws:iam::123456789012:policy/s3all", "IAM Policy"}}
	want := map[string]any{
		"stored": map[string]any{
			"s3:GetObject": []any{"allowed", true, managed},
			"s3:PutObject": []any{"implicitDeny", false, []any{}},
		},
		"override": map[string]any{
			"s3:GetObject": []any{"implicitDeny", false, []any{}},
			"s3:PutObject": []any{"allowed", true, managed},
		},
		"role": map[string]any{
			"s3:GetObject": []any{"implicitDeny", nil, []any{}},
			"s3:PutObject": []any{"allowed", nil, []any{[]any{"put", "role"}}},
		},
		"keys": []any{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("principal simulation:\n got %v\nwant %v", got, want)
	}
}
