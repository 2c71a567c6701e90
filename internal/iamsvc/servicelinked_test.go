package iamsvc

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestServiceLinkedTableMatchesAWS checks the embedded service-linked role
// table against the responses recorded from AWS (the localstack snapshot
// copied into internal/api/iamapi/testdata): role name, attached
// policies, default description and custom-suffix support.
func TestServiceLinkedTableMatchesAWS(t *testing.T) {
	raw, err := os.ReadFile("../api/iamapi/testdata/test_iam.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	type role struct {
		RoleName, Path, Description string
		AssumeRolePolicyDocument    map[string]any
	}
	var snap map[string]struct {
		Recorded map[string]struct {
			Role     *role
			Attached []struct{ PolicyArn string } `json:"AttachedPolicies"`
			Error    *struct{ Code, Message string }
		} `json:"recorded-content"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`::(test_service_role_lifecycle(?:_custom_suffix(?:_not_allowed)?)?)\[(.+)\]$`)
	specs := serviceLinkedSpecs()
	seen := 0
	for name, tc := range snap {
		m := re.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		kind, service := m[1], m[2]
		spec, ok := specs[service]
		if !ok {
			t.Errorf("%s: missing from servicelinked.json", service)
			continue
		}
		seen++
		switch kind {
		case "test_service_role_lifecycle":
			r := tc.Recorded["describe-response"].Role
			if r.RoleName != spec.RoleName || r.Path != "/aws-service-role/"+service+"/" || r.Description != spec.Description {
				t.Errorf("%s: recorded %+v, table %+v", service, r, spec)
			}
			var got []string
			for _, a := range tc.Recorded["attached-role-policies"].Attached {
				got = append(got, strings.Replace(a.PolicyArn, "arn:<partition>:", "arn:aws:", 1))
			}
			if !slices.Equal(got, spec.Policies) {
				t.Errorf("%s: policies recorded %v, table %v", service, got, spec.Policies)
			}
			var trust map[string]any
			if err := json.Unmarshal([]byte(serviceLinkedTrust(service)), &trust); err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(r.AssumeRolePolicyDocument)
			have, _ := json.Marshal(trust)
			if string(want) != string(have) {
				t.Errorf("%s: trust recorded %s, built %s", service, want, have)
			}
		case "test_service_role_lifecycle_custom_suffix":
			if !spec.CustomSuffix {
				t.Errorf("%s: AWS accepts a custom suffix", service)
			}
		default:
			if spec.CustomSuffix {
				t.Errorf("%s: AWS refuses a custom suffix", service)
			}
			e := tc.Recorded["custom-suffix-not-allowed"].Error
			if e == nil || e.Message != "Custom suffix is not allowed for "+service {
				t.Errorf("%s: recorded error %+v", service, e)
			}
		}
	}
	if seen < 140 {
		t.Fatalf("only %d recorded cases matched", seen)
	}
}

func TestServiceLinkedRoleLifecycle(t *testing.T) {
	s, ctx := newTestService(t)
	ro, err := s.CreateServiceLinkedRole(ctx, "batch.amazonaws.com", "", "")
	mustNil(t, err)
	if ro.ARN != "arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch" || ro.MaxSessionDuration != 3600 {
		t.Fatalf("role: %+v", ro)
	}
	_, err = s.CreateServiceLinkedRole(ctx, "batch.amazonaws.com", "", "")
	wantErr(t, err, "InvalidInput", "Service role name AWSServiceRoleForBatch has been taken in this account, please try a different suffix.")
	_, err = s.CreateServiceLinkedRole(ctx, "batch.amazonaws.com", "", "x")
	wantErr(t, err, "InvalidInput", "Custom suffix is not allowed for batch.amazonaws.com")
	_, err = s.CreateServiceLinkedRole(ctx, "example.invalid", "", "")
	wantErr(t, err, "InvalidInput", "")
	ro2, err := s.CreateServiceLinkedRole(ctx, "autoscaling.amazonaws.com", "mine", "blue")
	mustNil(t, err)
	if ro2.RoleName != "AWSServiceRoleForAutoScaling_blue" || ro2.Description != "mine" {
		t.Fatalf("suffixed role: %+v", ro2)
	}

	protected := "Cannot perform the operation on the protected role 'AWSServiceRoleForBatch' - this role is only modifiable by AWS"
	wantErr(t, s.DeleteRole(ctx, "AWSServiceRoleForBatch"), "UnmodifiableEntity", protected)
	wantErr(t, s.UpdateAssumeRolePolicy(ctx, "AWSServiceRoleForBatch", trustEC2), "UnmodifiableEntity", protected)
	wantErr(t, s.PutRolePolicy(ctx, "AWSServiceRoleForBatch", "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), "UnmodifiableEntity", protected)
	wantErr(t, s.DetachRolePolicy(ctx, "AWSServiceRoleForBatch", "arn:aws:iam::aws:policy/aws-service-role/BatchServiceRolePolicy"), "UnmodifiableEntity", protected)
	_, err = s.UpdateRoleDescription(ctx, "AWSServiceRoleForBatch", "edited")
	mustNil(t, err)

	p, err := s.ListAttachedRolePolicies(ctx, "AWSServiceRoleForBatch", "", "", nil)
	mustNil(t, err)
	if len(p.Items) != 1 || p.Items[0].PolicyARN != "arn:aws:iam::aws:policy/aws-service-role/BatchServiceRolePolicy" {
		t.Fatalf("attached: %+v", p.Items)
	}

	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "plain", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	_, err = s.DeleteServiceLinkedRole(ctx, "plain")
	wantErr(t, err, "InvalidInput", "")
	task, err := s.DeleteServiceLinkedRole(ctx, "AWSServiceRoleForBatch")
	mustNil(t, err)
	if !regexp.MustCompile(`^task/aws-service-role/batch\.amazonaws\.com/AWSServiceRoleForBatch/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(task) {
		t.Fatalf("task id %q", task)
	}
	st, err := s.GetServiceLinkedRoleDeletionStatus(ctx, task)
	mustNil(t, err)
	if st != "SUCCEEDED" {
		t.Fatalf("status %q", st)
	}
	_, err = s.GetRole(ctx, "AWSServiceRoleForBatch")
	wantErr(t, err, "NoSuchEntity", "")
	_, err = s.GetServiceLinkedRoleDeletionStatus(ctx, "nonsense")
	wantErr(t, err, "InvalidInput", "")
	// The role can be created again once deleted.
	_, err = s.CreateServiceLinkedRole(ctx, "batch.amazonaws.com", "", "")
	mustNil(t, err)
}
