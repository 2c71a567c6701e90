package iamapi_test

import (
	"context"
	"flag"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/api/internal/botomodel"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsquery"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

var created = time.Date(2026, 11, 22, 20, 4, 5, 0, time.UTC)

const trustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func role(path, name string) iamapi.Role {
	return iamapi.Role{
		Path: path, RoleName: name, RoleId: "AROAEXAMPLEROLEID0001",
		Arn:        "arn:aws:iam::111111111111:role" + path + name,
		CreateDate: created, AssumeRolePolicyDocument: url.QueryEscape(trustPolicy),
		MaxSessionDuration: ptr[int32](3600),
	}
}

func ptr[T any](v T) *T { return &v }

// newRouter registers handlers that return fixed outputs, standing in for
// internal/iamsvc.
func newRouter() *awsquery.Router {
	r := awsquery.NewRouter(iamapi.Service)
	awsquery.Handle(r, iamapi.CreateUser, func(_ context.Context, in *iamapi.CreateUserInput) (*iamapi.CreateUserOutput, error) {
		path := in.Path
		if path == "" {
			path = "/"
		}
		return &iamapi.CreateUserOutput{User: &iamapi.User{
			Path: path, UserName: in.UserName, UserId: "AIDAEXAMPLEUSERID0001",
			Arn: "arn:aws:iam::111111111111:user" + path + in.UserName, CreateDate: created, Tags: in.Tags,
		}}, nil
	})
	awsquery.Handle(r, iamapi.GetUser, func(_ context.Context, in *iamapi.GetUserInput) (*iamapi.GetUserOutput, error) {
		return nil, apierr.NoSuchEntity("The user with name %s cannot be found.", in.UserName)
	})
	awsquery.Handle(r, iamapi.DeleteUser, func(context.Context, *iamapi.DeleteUserInput) (*iamapi.DeleteUserOutput, error) {
		return nil, nil
	})
	awsquery.Handle(r, iamapi.ListUsers, func(context.Context, *iamapi.ListUsersInput) (*iamapi.ListUsersOutput, error) {
		u := func(n string) iamapi.User {
			return iamapi.User{Path: "/", UserName: n, UserId: "AIDAEXAMPLE" + strings.ToUpper(n),
				Arn: "arn:aws:iam::111111111111:user/" + n, CreateDate: created, PasswordLastUsed: created.Add(90 * time.Second)}
		}
		return &iamapi.ListUsersOutput{Users: []iamapi.User{u("alice"), u("bob")}, IsTruncated: true, Marker: "bWFya2VyLTI="}, nil
	})
	awsquery.Handle(r, iamapi.GetRole, func(context.Context, *iamapi.GetRoleInput) (*iamapi.GetRoleOutput, error) {
		ro := role("/application/", "web")
		ro.RoleLastUsed = &iamapi.RoleLastUsed{}
		return &iamapi.GetRoleOutput{Role: &ro}, nil
	})
	awsquery.Handle(r, iamapi.ListRoles, func(context.Context, *iamapi.ListRolesInput) (*iamapi.ListRolesOutput, error) {
		return &iamapi.ListRolesOutput{Roles: []iamapi.Role{role("/application/", "web")}}, nil
	})
	awsquery.Handle(r, iamapi.ListRolePolicies, func(context.Context, *iamapi.ListRolePoliciesInput) (*iamapi.ListRolePoliciesOutput, error) {
		return &iamapi.ListRolePoliciesOutput{PolicyNames: []string{}}, nil
	})
	awsquery.Handle(r, iamapi.CreatePolicy, func(_ context.Context, in *iamapi.CreatePolicyInput) (*iamapi.CreatePolicyOutput, error) {
		return &iamapi.CreatePolicyOutput{Policy: &iamapi.Policy{
			PolicyName: in.PolicyName, PolicyId: "ANPAEXAMPLEPOLICY0001", Arn: "arn:aws:iam::111111111111:policy/" + in.PolicyName,
			Path: "/", DefaultVersionId: "v1", AttachmentCount: ptr[int32](0), PermissionsBoundaryUsageCount: ptr[int32](0),
			IsAttachable: ptr(true), CreateDate: created, UpdateDate: created,
		}}, nil
	})
	awsquery.Handle(r, iamapi.GetAccountSummary, func(context.Context, *iamapi.GetAccountSummaryInput) (*iamapi.GetAccountSummaryOutput, error) {
		return &iamapi.GetAccountSummaryOutput{SummaryMap: map[string]int32{
			iamapi.SummaryKeyTypeUsers: 2, iamapi.SummaryKeyTypeUsersQuota: 5000, iamapi.SummaryKeyTypeRoles: 1,
		}}, nil
	})
	return r
}

func serve(t *testing.T, r *awsquery.Router, action, query string) *httptest.ResponseRecorder {
	t.Helper()
	v, err := awsquery.ParseQuery("Action=" + action + "&Version=2010-05-08&" + query)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	_ = r.ServeAction(context.Background(), w, action, v, "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
	return w
}

func loadModel(t *testing.T) *botomodel.Model {
	t.Helper()
	m, err := botomodel.Load("../models/iam/service-2.json")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGolden checks responses byte for byte against testdata/golden, and
// their structure (as boto3 parses it) against responses LocalStack
// recorded from AWS.
func TestGolden(t *testing.T) {
	m := loadModel(t)
	snaps, err := botomodel.LoadSnapshots("testdata/test_iam.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	r := newRouter()
	tests := []struct {
		golden, action, query string
		status                int
		snapTest, snapLabel   string
	}{
		{"create-user", "CreateUser", "UserName=bob", 200,
			"test_service_specific_credential_lifecycle[codecommit.amazonaws.com]", "create-user-response"},
		{"create-user-tags", "CreateUser", "UserName=carol&Path=%2Fteam%2F&Tags.member.1.Key=env&Tags.member.1.Value=prod+test%2F1", 200, "", ""},
		{"list-users-truncated", "ListUsers", "MaxItems=2", 200, "", ""},
		{"get-role", "GetRole", "RoleName=web", 200, "TestIAMIntegrations::test_create_describe_role", "get_role_result"},
		{"list-roles", "ListRoles", "", 200, "test_list_roles_with_permission_boundary", "list_roles_result"},
		{"list-role-policies-empty", "ListRolePolicies", "RoleName=web", 200,
			"test_service_role_lifecycle[accountdiscovery.ssm.amazonaws.com]", "inline-role-policies"},
		{"create-policy", "CreatePolicy", "PolicyName=p1&PolicyDocument=" + url.QueryEscape(trustPolicy), 200,
			"test_role_attach_policy", "create_policy_response"},
		{"get-account-summary", "GetAccountSummary", "", 200, "", ""},
		{"delete-user", "DeleteUser", "UserName=bob", 200, "", ""},
		{"error-no-such-entity", "GetUser", "UserName=wrong-user-name", 404, "test_id_match_user_mismatch", "update-wrong-user-name"},
		{"error-validation", "CreateUser", "UserName=" + strings.Repeat("a", 65) + "&Path=x", 400, "", ""},
		{"error-not-implemented", "CreateGroup", "GroupName=g", 501, "", ""},
		{"error-invalid-action", "CreateBucket", "", 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			w := serve(t, r, tt.action, tt.query)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			checkGolden(t, tt.golden, w.Body.Bytes())
			var got map[string]any
			if w.Code == 200 {
				res, rid, err := botomodel.ParseResponse(m, tt.action, w.Body.Bytes())
				if err != nil {
					t.Fatalf("boto3 would not parse the response: %v", err)
				}
				if rid == "" {
					t.Error("no RequestId")
				}
				got = res
			} else {
				e, rid, err := botomodel.ParseError(w.Body.Bytes())
				if err != nil || rid == "" {
					t.Fatalf("bad ErrorResponse: %v", err)
				}
				got = map[string]any{"Error": e}
			}
			if tt.snapTest == "" {
				return
			}
			want, err := snaps.Get(tt.snapTest, tt.snapLabel)
			if err != nil {
				t.Fatal(err)
			}
			if st, ok := want["ResponseMetadata"].(map[string]any)["HTTPStatusCode"].(float64); ok && int(st) != w.Code {
				t.Errorf("recorded status %v, got %d", st, w.Code)
			}
			for _, d := range botomodel.MatchSnapshot(want, got) {
				t.Error("recorded response differs:", d)
			}
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".xml")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("response differs from %s (go test -update rewrites it)\n got %s\nwant %s", path, got, want)
	}
}

// TestValidationMessages compares decoder errors with AWS's messages: every
// ValidationError recorded in the snapshots, plus messages AWS returned in
// public reports.
func TestValidationMessages(t *testing.T) {
	snaps, err := botomodel.LoadSnapshots("testdata/test_iam.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	recorded := snaps.ValidationMessages()
	const wrongID = "ServiceSpecificCredentialId=totally-wrong-credential-id-with-hyphens"
	fromSnapshots := map[string]struct{ action, query string }{
		"TestIAMServiceSpecificCredentials::test_user_match_id_mismatch[totally-wrong-credential-id-with-hyphens]|update-wrong-id": {
			"UpdateServiceSpecificCredential", "UserName=u1&Status=Active&" + wrongID},
		"TestIAMServiceSpecificCredentials::test_user_match_id_mismatch[totally-wrong-credential-id-with-hyphens]|reset-wrong-id": {
			"ResetServiceSpecificCredential", "UserName=u1&" + wrongID},
		"TestIAMServiceSpecificCredentials::test_user_match_id_mismatch[totally-wrong-credential-id-with-hyphens]|delete-wrong-id": {
			"DeleteServiceSpecificCredential", "UserName=u1&" + wrongID},
		"TestIAMServiceSpecificCredentials::test_invalid_update_parameters|update-invalid-status": {
			"UpdateServiceSpecificCredential", "UserName=u1&ServiceSpecificCredentialId=ACCAEXAMPLE0123456789&Status=Invalid"},
	}
	covered := 0
	for key, want := range recorded {
		testID, label, _ := strings.Cut(key, "|")
		var req *struct{ action, query string }
		for k, v := range fromSnapshots {
			kt, kl, _ := strings.Cut(k, "|")
			if kl == label && strings.HasSuffix(testID, kt) {
				req = &v
			}
		}
		if req == nil {
			t.Errorf("recorded ValidationError not covered: %s: %s", key, want)
			continue
		}
		covered++
		checkDecodeError(t, req.action, req.query, "ValidationError", want)
	}
	if covered != len(fromSnapshots) {
		t.Errorf("%d recorded messages covered, table has %d", covered, len(fromSnapshots))
	}

	long := strings.Repeat("a", 65)
	for _, tt := range []struct{ action, query, code, message string }{
		// eks-hybrid PR 113 (2024): IAM response quoted in full.
		{"CreateRole", "RoleName=" + long + "&AssumeRolePolicyDocument=x", "ValidationError",
			"1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		// terraform apply against IAM CreateRole, tags.2.member.value.
		{"CreateRole", "RoleName=r&AssumeRolePolicyDocument=x&Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=c&Tags.member.2.Value=%24x", "ValidationError",
			`1 validation error detected: Value at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`},
		// Widely reported for GetRole / AddRoleToInstanceProfile with an ARN.
		{"GetRole", "RoleName=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb", "ValidationError",
			"The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{"AddRoleToInstanceProfile", "InstanceProfileName=ip&RoleName=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb", "ValidationError",
			"The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{"UpdateUser", "UserName=bob&NewPath=invalid", "ValidationError",
			"The specified value for newPath is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"CreateUser", "", "ValidationError",
			"1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must not be null"},
		{"CreateRole", "", "ValidationError",
			"2 validation errors detected: Value at 'roleName' failed to satisfy constraint: Member must not be null; " +
				"Value at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"},
		{"ListUsers", "MaxItems=0", "ValidationError",
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"UpdateRole", "RoleName=r&MaxSessionDuration=43201", "ValidationError",
			"1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"UpdateRole", "RoleName=r&MaxSessionDuration=3599", "ValidationError",
			"1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"ListUsers", "MaxItems=many", "InvalidParameterValue", "The value for parameter MaxItems is not a valid integer."},
		{"UpdateAccessKey", "AccessKeyId=AKIAEXAMPLE123456789&Status=On", "ValidationError",
			"1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"},
		{"CreateLoginProfile", "UserName=bob&Password=", "ValidationError",
			"2 validation errors detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"},
	} {
		checkDecodeError(t, tt.action, tt.query, tt.code, tt.message)
	}
}

// validationRouter implements, as no-ops, the operations whose validation
// the tests check (unimplemented operations answer NotImplemented first).
func validationRouter() *awsquery.Router {
	r := awsquery.NewRouter(iamapi.Service)
	awsquery.Handle(r, iamapi.CreateUser, noop[iamapi.CreateUserInput, iamapi.CreateUserOutput])
	awsquery.Handle(r, iamapi.UpdateUser, noop[iamapi.UpdateUserInput, iamapi.UpdateUserOutput])
	awsquery.Handle(r, iamapi.ListUsers, noop[iamapi.ListUsersInput, iamapi.ListUsersOutput])
	awsquery.Handle(r, iamapi.CreateRole, noop[iamapi.CreateRoleInput, iamapi.CreateRoleOutput])
	awsquery.Handle(r, iamapi.GetRole, noop[iamapi.GetRoleInput, iamapi.GetRoleOutput])
	awsquery.Handle(r, iamapi.UpdateRole, noop[iamapi.UpdateRoleInput, iamapi.UpdateRoleOutput])
	awsquery.Handle(r, iamapi.AddRoleToInstanceProfile, noop[iamapi.AddRoleToInstanceProfileInput, iamapi.AddRoleToInstanceProfileOutput])
	awsquery.Handle(r, iamapi.UpdateAccessKey, noop[iamapi.UpdateAccessKeyInput, iamapi.UpdateAccessKeyOutput])
	awsquery.Handle(r, iamapi.CreateLoginProfile, noop[iamapi.CreateLoginProfileInput, iamapi.CreateLoginProfileOutput])
	awsquery.Handle(r, iamapi.UpdateServiceSpecificCredential, noop[iamapi.UpdateServiceSpecificCredentialInput, iamapi.UpdateServiceSpecificCredentialOutput])
	awsquery.Handle(r, iamapi.ResetServiceSpecificCredential, noop[iamapi.ResetServiceSpecificCredentialInput, iamapi.ResetServiceSpecificCredentialOutput])
	awsquery.Handle(r, iamapi.DeleteServiceSpecificCredential, noop[iamapi.DeleteServiceSpecificCredentialInput, iamapi.DeleteServiceSpecificCredentialOutput])
	return r
}

func noop[I, O any](context.Context, *I) (*O, error) { return nil, nil }

func checkDecodeError(t *testing.T, action, query, code, message string) {
	t.Helper()
	w := serve(t, validationRouter(), action, query)
	e, _, err := botomodel.ParseError(w.Body.Bytes())
	if err != nil {
		t.Errorf("%s %s: not an error: %s", action, query, w.Body)
		return
	}
	if e["Code"] != code || e["Message"] != message {
		t.Errorf("%s %s:\n got %v: %v\nwant %s: %s", action, query, e["Code"], e["Message"], code, message)
	}
	if w.Code != awsquery.StatusCode(code, false) {
		t.Errorf("%s: status %d", action, w.Code)
	}
}

// TestModeledErrorStatuses checks the awsquery status table against every
// error shape of the model.
func TestModeledErrorStatuses(t *testing.T) {
	m := loadModel(t)
	for name, s := range m.Shapes {
		if !s.Exception {
			continue
		}
		code, status := name, 400
		if s.Error != nil {
			if s.Error.Code != "" {
				code = s.Error.Code
			}
			if s.Error.HTTPStatusCode != 0 {
				status = s.Error.HTTPStatusCode
			}
		}
		if got := awsquery.StatusCode(code, false); got != status {
			t.Errorf("%s (%s): table says %d, model %d", code, name, got, status)
		}
	}
}

func TestOperations(t *testing.T) {
	m := loadModel(t)
	if len(iamapi.Operations) != 176 || len(m.Operations) != 176 {
		t.Errorf("%d operations listed, model has %d", len(iamapi.Operations), len(m.Operations))
	}
	r := awsquery.NewRouter(iamapi.Service)
	for name := range m.Operations {
		if !r.Known(name) {
			t.Errorf("%s not known", name)
		}
	}
	if iamapi.Service.Version != "2010-05-08" || iamapi.Service.Namespace != "https://iam.amazonaws.com/doc/2010-05-08/" {
		t.Errorf("service %+v", iamapi.Service)
	}
}

// TestDecodeCreateRole decodes a full CreateRole request.
func TestDecodeCreateRole(t *testing.T) {
	v, err := awsquery.ParseQuery("RoleName=web&Path=%2Fapp%2F&AssumeRolePolicyDocument=" + url.QueryEscape(trustPolicy) +
		"&Description=d&MaxSessionDuration=7200&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FPowerUserAccess" +
		"&Tags.member.1.Key=k1&Tags.member.1.Value=v1&Tags.member.2.Key=k2&Tags.member.2.Value=")
	if err != nil {
		t.Fatal(err)
	}
	in, err := iamapi.CreateRole.Decode(v)
	if err != nil {
		t.Fatal(err)
	}
	if in.RoleName != "web" || in.Path != "/app/" || in.AssumeRolePolicyDocument != trustPolicy || in.Description != "d" ||
		*in.MaxSessionDuration != 7200 || in.PermissionsBoundary != "arn:aws:iam::aws:policy/PowerUserAccess" ||
		len(in.Tags) != 2 || in.Tags[0] != (iamapi.Tag{Key: "k1", Value: "v1"}) || in.Tags[1] != (iamapi.Tag{Key: "k2"}) {
		t.Errorf("decoded %+v", in)
	}
}

func FuzzDecodeCreateRole(f *testing.F) {
	f.Add("RoleName=web&AssumeRolePolicyDocument=%7B%7D&Tags.member.1.Key=a&Tags.member.1.Value=b&MaxSessionDuration=3600")
	f.Add("RoleName=&Tags.member.2.Key=a&MaxSessionDuration=x")
	f.Add("Tags=&Tags.member.1=x&Path=%2F")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := awsquery.ParseQuery(q)
		if err != nil {
			return
		}
		in, err := iamapi.CreateRole.Decode(v)
		if err != nil {
			e, ok := apierr.As(err)
			if !ok || (e.Code != "ValidationError" && e.Code != "InvalidParameterValue") || e.Message == "" {
				t.Fatalf("unexpected error %#v", err)
			}
			return
		}
		if in.RoleName == "" || len(in.RoleName) > 64 || in.AssumeRolePolicyDocument == "" || len(in.Tags) > 50 {
			t.Fatalf("constraints not enforced: %+v", in)
		}
		if in.MaxSessionDuration != nil && (*in.MaxSessionDuration < 3600 || *in.MaxSessionDuration > 43200) {
			t.Fatalf("range not enforced: %d", *in.MaxSessionDuration)
		}
	})
}
