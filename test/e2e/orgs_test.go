package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

const adminPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// orgCreateAccount creates a member account and waits for its status.
func orgCreateAccount(t *testing.T, s *server, c creds, name, email string) string {
	t.Helper()
	st := mustOK(t, s.awsV1(t, c, "organizations", "create-account", "--account-name", name, "--email", email)).json(t)["CreateAccountStatus"].(map[string]any)
	if st["State"] != "IN_PROGRESS" || !strings.HasPrefix(st["Id"].(string), "car-") {
		t.Fatalf("create-account: %v", st)
	}
	d := mustOK(t, s.awsV2(t, c, "organizations", "describe-create-account-status", "--create-account-request-id", st["Id"].(string))).json(t)["CreateAccountStatus"].(map[string]any)
	if d["State"] != "SUCCEEDED" || len(d["AccountId"].(string)) != 12 {
		t.Fatalf("describe-create-account-status: %v", d)
	}
	return d["AccountId"].(string)
}

// assumeAccess assumes OrganizationAccountAccessRole in a member account.
func assumeAccess(t *testing.T, s *server, c creds, account, session string) creds {
	t.Helper()
	return credsFrom(t, mustOK(t, s.awsV1(t, c, "sts", "assume-role", "--role-arn",
		"arn:aws:iam::"+account+":role/OrganizationAccountAccessRole", "--role-session-name", session)))
}

// TestOrganizations is the end-to-end proof of the Organizations issue:
// organization, accounts, OU tree, SCPs through the hierarchy, the
// management account never restricted, cross-account access through
// OrganizationAccountAccessRole, org condition keys and AWS's error codes.
func TestOrganizations(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	const mgmt = fixedAccount

	// Without any Organizations call iamd is a single account.
	mustFail(t, s.awsV1(t, root, "organizations", "describe-organization"), "AWSOrganizationsNotInUseException")
	mustFail(t, s.awsV1(t, root, "organizations", "list-accounts"), "AWSOrganizationsNotInUseException")

	// An administrator of the management account (explicit inline admin
	// policy), who drives the rest.
	admin := newUserWithKey(t, s, root, "admin")
	mustOK(t, s.awsV1(t, root, "iam", "put-user-policy", "--user-name", "admin", "--policy-name", "admin", "--policy-document", adminPolicy))
	// A user without permissions may not touch Organizations.
	nobody := newUserWithKey(t, s, root, "nobody")
	r := s.awsV1(t, nobody, "organizations", "create-organization", "--feature-set", "ALL")
	mustFail(t, r, "AccessDeniedException")

	org := mustOK(t, s.awsV1(t, admin, "organizations", "create-organization", "--feature-set", "ALL")).json(t)["Organization"].(map[string]any)
	orgID := org["Id"].(string)
	if !strings.HasPrefix(orgID, "o-") || org["MasterAccountId"] != mgmt || org["FeatureSet"] != "ALL" ||
		org["Arn"] != "arn:aws:organizations::"+mgmt+":organization/"+orgID {
		t.Fatalf("organization: %v", org)
	}
	mustFail(t, s.awsV1(t, admin, "organizations", "create-organization"), "AlreadyInOrganizationException")
	roots := mustOK(t, s.awsV2(t, admin, "organizations", "list-roots")).json(t)["Roots"].([]any)
	rootID := roots[0].(map[string]any)["Id"].(string)

	dev := orgCreateAccount(t, s, admin, "dev", "dev@example.com")
	prod := orgCreateAccount(t, s, admin, "prod", "prod@example.com")
	accts := mustOK(t, s.awsV1(t, admin, "organizations", "list-accounts")).json(t)["Accounts"].([]any)
	if len(accts) != 3 {
		t.Fatalf("list-accounts: %v", accts)
	}
	a := mustOK(t, s.awsV1(t, admin, "organizations", "describe-account", "--account-id", dev)).json(t)["Account"].(map[string]any)
	if a["Name"] != "dev" || a["Email"] != "dev@example.com" || a["Status"] != "ACTIVE" || a["JoinedMethod"] != "CREATED" {
		t.Fatalf("describe-account: %v", a)
	}
	mustFail(t, s.awsV1(t, admin, "organizations", "describe-account", "--account-id", "000000000000"), "AccountNotFoundException")
	r = s.awsV1(t, admin, "organizations", "describe-account", "--account-id", "12")
	mustFail(t, r, "InvalidInputException")

	// OU tree: Root → Workloads → {Restricted, Open}.
	ou := func(parent, name string) string {
		return mustOK(t, s.awsV1(t, admin, "organizations", "create-organizational-unit", "--parent-id", parent, "--name", name)).json(t)["OrganizationalUnit"].(map[string]any)["Id"].(string)
	}
	workloads := ou(rootID, "Workloads")
	restricted := ou(workloads, "Restricted")
	open := ou(workloads, "Open")
	mustFail(t, s.awsV1(t, admin, "organizations", "create-organizational-unit", "--parent-id", workloads, "--name", "Open"), "DuplicateOrganizationalUnitException")
	mustOK(t, s.awsV1(t, admin, "organizations", "move-account", "--account-id", dev, "--source-parent-id", rootID, "--destination-parent-id", restricted))
	mustOK(t, s.awsV1(t, admin, "organizations", "move-account", "--account-id", prod, "--source-parent-id", rootID, "--destination-parent-id", open))
	mustFail(t, s.awsV1(t, admin, "organizations", "move-account", "--account-id", prod, "--source-parent-id", open, "--destination-parent-id", open), "DuplicateAccountException")
	kids := mustOK(t, s.awsV2(t, admin, "organizations", "list-children", "--parent-id", workloads, "--child-type", "ORGANIZATIONAL_UNIT")).json(t)["Children"].([]any)
	if len(kids) != 2 {
		t.Fatalf("list-children: %v", kids)
	}
	parents := mustOK(t, s.awsV1(t, admin, "organizations", "list-parents", "--child-id", dev)).json(t)["Parents"].([]any)
	if p := parents[0].(map[string]any); p["Id"] != restricted || p["Type"] != "ORGANIZATIONAL_UNIT" {
		t.Fatalf("list-parents: %v", parents)
	}
	mustFail(t, s.awsV1(t, admin, "organizations", "delete-organizational-unit", "--organizational-unit-id", workloads), "OrganizationalUnitNotEmptyException")
	tmp := ou(rootID, "Temp")
	mustOK(t, s.awsV1(t, admin, "organizations", "delete-organizational-unit", "--organizational-unit-id", tmp))

	// Cross-account access: the management account's administrator
	// assumes the member account's OrganizationAccountAccessRole.
	devSess := assumeAccess(t, s, admin, dev, "d1")
	prodSess := assumeAccess(t, s, admin, prod, "p1")
	id := mustOK(t, s.awsV1(t, devSess, "sts", "get-caller-identity")).json(t)
	if id["Account"] != dev || id["Arn"] != "arn:aws:sts::"+dev+":assumed-role/OrganizationAccountAccessRole/d1" {
		t.Fatalf("caller: %v", id)
	}
	mustOK(t, s.awsV1(t, devSess, "iam", "create-user", "--user-name", "before-scp"))
	// Without sts:AssumeRole in its own policies a management-account
	// principal cannot cross (both sides must allow).
	mustFail(t, s.awsV1(t, nobody, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+dev+":role/OrganizationAccountAccessRole", "--role-session-name", "xx"), "AccessDenied")
	// Member accounts' roots have no credentials; a member account cannot
	// manage the organization.
	mustFail(t, s.awsV1(t, devSess, "organizations", "list-accounts"), "AccessDeniedException")
	if o := mustOK(t, s.awsV1(t, devSess, "organizations", "describe-organization")).json(t)["Organization"].(map[string]any); o["Id"] != orgID {
		t.Fatalf("member describe-organization: %v", o)
	}

	// SCPs.
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`
	r = s.awsV1(t, admin, "organizations", "create-policy", "--name", "DenyCreateUser", "--description", "no users", "--type", "SERVICE_CONTROL_POLICY", "--content", deny)
	pol := mustOK(t, r).json(t)["Policy"].(map[string]any)["PolicySummary"].(map[string]any)
	polID := pol["Id"].(string)
	if pol["Arn"] != "arn:aws:organizations::"+mgmt+":policy/"+orgID+"/service_control_policy/"+polID || pol["AwsManaged"] != false {
		t.Fatalf("policy: %v", pol)
	}
	mustFail(t, s.awsV1(t, admin, "organizations", "create-policy", "--name", "DenyCreateUser", "--description", "x", "--type", "SERVICE_CONTROL_POLICY", "--content", deny), "DuplicatePolicyException")
	mustFail(t, s.awsV1(t, admin, "organizations", "create-policy", "--name", "Bad", "--description", "x", "--type", "SERVICE_CONTROL_POLICY", "--content", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`), "MalformedPolicyDocumentException")
	mustFail(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", restricted), "PolicyTypeNotEnabledException")
	rt := mustOK(t, s.awsV1(t, admin, "organizations", "enable-policy-type", "--root-id", rootID, "--policy-type", "SERVICE_CONTROL_POLICY")).json(t)["Root"].(map[string]any)
	if pts := rt["PolicyTypes"].([]any); len(pts) != 1 || pts[0].(map[string]any)["Status"] != "ENABLED" {
		t.Fatalf("enable-policy-type: %v", rt)
	}
	mustFail(t, s.awsV1(t, admin, "organizations", "enable-policy-type", "--root-id", rootID, "--policy-type", "SERVICE_CONTROL_POLICY"), "PolicyTypeAlreadyEnabledException")
	// FullAWSAccess is attached everywhere by default.
	for _, target := range []string{rootID, workloads, restricted, dev} {
		ps := mustOK(t, s.awsV2(t, admin, "organizations", "list-policies-for-target", "--target-id", target, "--filter", "SERVICE_CONTROL_POLICY")).json(t)["Policies"].([]any)
		if len(ps) != 1 || ps[0].(map[string]any)["Id"] != "p-FullAWSAccess" {
			t.Fatalf("%s policies: %v", target, ps)
		}
	}
	mustOK(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", restricted))
	mustFail(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", restricted), "DuplicatePolicyAttachmentException")
	mustFail(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", "ou-zzzz-zzzzzzzz"), "TargetNotFoundException")
	mustFail(t, s.awsV1(t, admin, "organizations", "delete-policy", "--policy-id", polID), "PolicyInUseException")
	targets := mustOK(t, s.awsV1(t, admin, "organizations", "list-targets-for-policy", "--policy-id", polID)).json(t)["Targets"].([]any)
	if len(targets) != 1 || targets[0].(map[string]any)["TargetId"] != restricted || targets[0].(map[string]any)["Name"] != "Restricted" {
		t.Fatalf("targets: %v", targets)
	}

	// dev (in Restricted) is denied by the SCP; prod is not.
	r = s.awsV1(t, devSess, "iam", "create-user", "--user-name", "u1")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "User: arn:aws:sts::"+dev+":assumed-role/OrganizationAccountAccessRole/d1 is not authorized to perform: iam:CreateUser") ||
		!strings.Contains(r.Stderr, "with an explicit deny in a service control policy") {
		t.Errorf("message: %s", r.Stderr)
	}
	mustOK(t, s.awsV1(t, devSess, "iam", "list-users"))
	mustOK(t, s.awsV2(t, prodSess, "iam", "create-user", "--user-name", "u1"))

	// SimulatePrincipalPolicy reports OrganizationsDecisionDetail.
	sim := s.boto3(t, devSess, `
import boto3, json
iam = boto3.client("iam")
r = iam.simulate_principal_policy(PolicySourceArn="arn:aws:iam::`+dev+`:role/OrganizationAccountAccessRole", ActionNames=["iam:CreateUser", "iam:ListUsers"])
print(json.dumps([{"a": e["EvalActionName"], "d": e["EvalDecision"], "o": e.get("OrganizationsDecisionDetail")} for e in r["EvaluationResults"]]))
`)
	mustOK(t, sim)
	var evals []struct {
		A, D string
		O    map[string]bool
	}
	if err := json.Unmarshal([]byte(sim.Stdout), &evals); err != nil {
		t.Fatal(err, sim.Stdout)
	}
	if len(evals) != 2 || evals[0].D != "explicitDeny" || evals[0].O["AllowedByOrganizations"] || evals[1].D != "allowed" || !evals[1].O["AllowedByOrganizations"] {
		t.Errorf("simulation: %+v", evals)
	}

	// The management account is never restricted, even with the SCP on
	// the root and on the account itself.
	mustOK(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", rootID))
	mustOK(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", polID, "--target-id", mgmt))
	mustOK(t, s.awsV1(t, admin, "iam", "create-user", "--user-name", "mgmt-user"))
	r = s.awsV1(t, prodSess, "iam", "create-user", "--user-name", "u2")
	mustFail(t, r, "AccessDenied") // now denied at the root level
	mustOK(t, s.awsV1(t, admin, "organizations", "detach-policy", "--policy-id", polID, "--target-id", rootID))
	mustOK(t, s.awsV1(t, prodSess, "iam", "create-user", "--user-name", "u2"))

	// The last SCP of a target cannot be detached; detaching FullAWSAccess
	// where another SCP remains denies everything that SCP does not allow.
	r = s.awsV1(t, admin, "organizations", "detach-policy", "--policy-id", "p-FullAWSAccess", "--target-id", prod)
	mustFail(t, r, "ConstraintViolationException")
	mustFail(t, s.awsV1(t, admin, "organizations", "detach-policy", "--policy-id", polID, "--target-id", open), "PolicyNotAttachedException")
	mustOK(t, s.awsV1(t, admin, "organizations", "detach-policy", "--policy-id", "p-FullAWSAccess", "--target-id", restricted))
	r = s.awsV1(t, devSess, "iam", "list-users")
	mustFail(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "because no service control policy allows the iam:ListUsers action") {
		t.Errorf("message: %s", r.Stderr)
	}
	mustOK(t, s.awsV1(t, prodSess, "iam", "list-users"))
	mustOK(t, s.awsV1(t, admin, "organizations", "attach-policy", "--policy-id", "p-FullAWSAccess", "--target-id", restricted))
	mustOK(t, s.awsV1(t, devSess, "iam", "list-users"))

	// UpdatePolicy takes effect at once; AWS managed policies are immutable.
	mustOK(t, s.awsV1(t, admin, "organizations", "update-policy", "--policy-id", polID, "--content",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}`))
	mustFail(t, s.awsV1(t, devSess, "iam", "list-users"), "AccessDenied")
	mustOK(t, s.awsV1(t, devSess, "iam", "create-user", "--user-name", "u3"))
	mustFail(t, s.awsV1(t, admin, "organizations", "update-policy", "--policy-id", "p-FullAWSAccess", "--name", "x"), "InvalidInputException")
	d := mustOK(t, s.awsV1(t, admin, "organizations", "describe-policy", "--policy-id", polID)).json(t)["Policy"].(map[string]any)
	if !strings.Contains(d["Content"].(string), "iam:ListUsers") {
		t.Fatalf("describe-policy: %v", d)
	}

	// Organization condition keys: a management-account role trusting
	// only principals under the Restricted OU.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",` +
		`"Condition":{"StringEquals":{"aws:PrincipalOrgID":"` + orgID + `"},"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"` + orgID + `/` + rootID + `/` + workloads + `/` + restricted + `/*"}}}]}`
	mustOK(t, s.awsV1(t, admin, "iam", "create-role", "--role-name", "org-shared", "--assume-role-policy-document", trust))
	shared := "arn:aws:iam::" + mgmt + ":role/org-shared"
	mustOK(t, s.awsV1(t, devSess, "sts", "assume-role", "--role-arn", shared, "--role-session-name", "xx"))
	mustFail(t, s.awsV1(t, prodSess, "sts", "assume-role", "--role-arn", shared, "--role-session-name", "xx"), "AccessDenied")

	// RCPs: enabled with RCPFullAWSAccess everywhere; one that denies
	// sts:AssumeRole on the Open OU's resources stops even the management
	// account's administrator from entering prod.
	mustFail(t, s.awsV1(t, admin, "organizations", "disable-policy-type", "--root-id", rootID, "--policy-type", "RESOURCE_CONTROL_POLICY"), "PolicyTypeNotEnabledException")
	mustOK(t, s.awsV1(t, admin, "organizations", "enable-policy-type", "--root-id", rootID, "--policy-type", "RESOURCE_CONTROL_POLICY"))
	rcp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}]}`
	rcpID := mustOK(t, s.boto3(t, admin, `
import boto3, json
o = boto3.client("organizations")
p = o.create_policy(Name="NoAssume", Description="d", Type="RESOURCE_CONTROL_POLICY", Content=`+"'"+rcp+"'"+`)["Policy"]["PolicySummary"]
o.attach_policy(PolicyId=p["Id"], TargetId="`+open+`")
o.tag_resource(ResourceId=p["Id"], Tags=[{"Key":"team","Value":"sec"}])
print(p["Id"])
`)).Stdout
	rcpID = strings.TrimSpace(rcpID)
	mustFail(t, s.awsV1(t, admin, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+prod+":role/OrganizationAccountAccessRole", "--role-session-name", "p2"), "AccessDenied")
	assumeAccess(t, s, admin, dev, "d2")
	tags := mustOK(t, s.awsV1(t, admin, "organizations", "list-tags-for-resource", "--resource-id", rcpID)).json(t)["Tags"].([]any)
	if len(tags) != 1 {
		t.Fatalf("tags: %v", tags)
	}
	mustOK(t, s.awsV1(t, admin, "organizations", "disable-policy-type", "--root-id", rootID, "--policy-type", "RESOURCE_CONTROL_POLICY"))
	assumeAccess(t, s, admin, prod, "p3")

	// Disabling SCPs lifts them.
	mustOK(t, s.awsV1(t, admin, "organizations", "disable-policy-type", "--root-id", rootID, "--policy-type", "SERVICE_CONTROL_POLICY"))
	mustOK(t, s.awsV1(t, devSess, "iam", "list-users"))
}
