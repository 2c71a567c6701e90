package iamsvc

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/iamd/iamd/internal/apierr"
)

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

const allowS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

func TestCreateAndGetPolicy(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", Path: "/team/", PolicyDocument: allowAll, Description: "desc",
		Tags: []Tag{{Key: "k", Value: "v"}}})
	mustNil(t, err)
	if p.ARN != "arn:aws:iam::123456789012:policy/team/ops" || !strings.HasPrefix(p.PolicyID, "ANPA") || p.DefaultVersionID != "v1" ||
		p.AttachmentCount != 0 || p.CreateDate.IsZero() || !p.UpdateDate.Equal(p.CreateDate) {
		t.Fatalf("policy: %+v", p)
	}
	got, err := s.GetPolicy(ctx, p.ARN)
	mustNil(t, err)
	if got.PolicyID != p.PolicyID || got.Description != "desc" || len(got.Tags) != 1 {
		t.Fatalf("GetPolicy: %+v", got)
	}
	huge := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 6100) + `"}]}`
	tests := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"duplicate name", func() error {
			_, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "OPS", PolicyDocument: allowAll})
			return err
		}, "EntityAlreadyExists", "A policy called OPS already exists. Duplicate names are not allowed."},
		{"too large", func() error {
			_, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "huge", PolicyDocument: huge})
			return err
		}, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
		{"inline-only version rules", func() error {
			_, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "old", PolicyDocument: `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`})
			return err
		}, "MalformedPolicyDocument", ""},
		{"get missing", func() error {
			_, err := s.GetPolicy(ctx, "arn:aws:iam::123456789012:policy/non-existent-policy")
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/non-existent-policy was not found."},
		{"get wrong path", func() error {
			_, err := s.GetPolicy(ctx, "arn:aws:iam::123456789012:policy/ops")
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/ops was not found."},
		{"get other account", func() error {
			_, err := s.GetPolicy(ctx, "arn:aws:iam::999999999999:policy/team/ops")
			return err
		}, "NoSuchEntity", ""},
		{"get unparseable", func() error {
			_, err := s.GetPolicy(ctx, "existing-policy-name-x")
			return err
		}, "ValidationError", "Invalid ARN:  Could not be parsed!"},
		{"delete missing", func() error {
			return s.DeletePolicy(ctx, "arn:aws:iam::123456789012:policy/non-existent-policy")
		}, "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/non-existent-policy was not found."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.call(), tc.code, tc.msg) })
	}
}

func TestPolicyVersions(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", PolicyDocument: allowAll})
	mustNil(t, err)
	for i := 2; i <= 5; i++ {
		v, err := s.CreatePolicyVersion(ctx, p.ARN, allowS3, i == 3)
		mustNil(t, err)
		if v.VersionID != fmt.Sprint("v", i) || v.IsDefaultVersion != (i == 3) {
			t.Fatalf("version %d: %+v", i, v)
		}
	}
	_, err = s.CreatePolicyVersion(ctx, p.ARN, allowS3, false)
	wantErr(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	wantErr(t, s.DeletePolicyVersion(ctx, p.ARN, "v3"), "DeleteConflict", "Cannot delete the default version of a policy.")
	wantErr(t, s.DeletePolicyVersion(ctx, p.ARN, "v9"), "NoSuchEntity", "Policy "+p.ARN+" version v9 does not exist or is not attachable.")
	mustNil(t, s.DeletePolicyVersion(ctx, p.ARN, "v2"))
	v, err := s.CreatePolicyVersion(ctx, p.ARN, allowS3, false)
	mustNil(t, err)
	if v.VersionID != "v6" {
		t.Fatalf("version ids must not be reused: %s", v.VersionID)
	}
	mustNil(t, s.SetDefaultPolicyVersion(ctx, p.ARN, "v1"))
	wantErr(t, s.SetDefaultPolicyVersion(ctx, p.ARN, "v2"), "NoSuchEntity", "")
	gv, err := s.GetPolicyVersion(ctx, p.ARN, "v1")
	mustNil(t, err)
	if !gv.IsDefaultVersion || gv.Document != allowAll {
		t.Fatalf("GetPolicyVersion: %+v", gv)
	}
	two := int32(2)
	var ids []string
	marker := ""
	for {
		pg, err := s.ListPolicyVersions(ctx, p.ARN, marker, &two)
		mustNil(t, err)
		for _, v := range pg.Items {
			ids = append(ids, fmt.Sprint(v.VersionID, v.IsDefaultVersion))
		}
		if !pg.IsTruncated {
			break
		}
		marker = pg.Marker
	}
	if strings.Join(ids, ",") != "v6false,v5false,v4false,v3false,v1true" {
		t.Fatalf("ListPolicyVersions: %v", ids)
	}
	wantErr(t, s.DeletePolicy(ctx, p.ARN), "DeleteConflict",
		"This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	for _, id := range []string{"v3", "v4", "v5", "v6"} {
		mustNil(t, s.DeletePolicyVersion(ctx, p.ARN, id))
	}
	mustNil(t, s.DeletePolicy(ctx, p.ARN))
}

// TestCreatePolicyVersionConcurrent: parallel CreatePolicyVersion never
// yields more than five versions.
func TestCreatePolicyVersionConcurrent(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", PolicyDocument: allowAll})
	mustNil(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, limited := 0, 0
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CreatePolicyVersion(ctx, p.ARN, allowS3, true)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else if ae, _ := apierr.As(err); ae != nil && ae.Code == "LimitExceeded" {
				limited++
			} else {
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	pg, err := s.ListPolicyVersions(ctx, p.ARN, "", nil)
	mustNil(t, err)
	if ok != 4 || limited != 26 || len(pg.Items) != 5 {
		t.Fatalf("ok=%d limited=%d versions=%d", ok, limited, len(pg.Items))
	}
}

func TestListPolicies(t *testing.T) {
	s, ctx := newTestService(t)
	for i := range 5 {
		path := "/x/"
		if i >= 3 {
			path = "/y/"
		}
		_, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: fmt.Sprint("p", i), Path: path, PolicyDocument: allowAll})
		mustNil(t, err)
	}
	_, err := s.CreateRole(ctx, &CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2, PermissionsBoundary: "arn:aws:iam::123456789012:policy/y/p4"})
	mustNil(t, err)
	mustNil(t, s.AttachRolePolicy(ctx, "r", "arn:aws:iam::123456789012:policy/x/p1"))
	names := func(in ListPoliciesInput) string {
		t.Helper()
		var out []string
		for {
			pg, err := s.ListPolicies(ctx, &in)
			mustNil(t, err)
			for _, p := range pg.Items {
				out = append(out, fmt.Sprintf("%s:%d:%d", p.PolicyName, p.AttachmentCount, p.PermissionsBoundaryUsageCount))
			}
			if !pg.IsTruncated {
				return strings.Join(out, ",")
			}
			in.Marker = pg.Marker
		}
	}
	two := int32(2)
	tests := []struct {
		name string
		in   ListPoliciesInput
		want string
	}{
		{"all paged", ListPoliciesInput{Scope: "Local", MaxItems: &two}, "p0:0:0,p1:1:0,p2:0:0,p3:0:0,p4:0:1"},
		{"local", ListPoliciesInput{Scope: "Local"}, "p0:0:0,p1:1:0,p2:0:0,p3:0:0,p4:0:1"},
		{"aws", ListPoliciesInput{Scope: "AWS", PathPrefix: "/service-role/"},
			"AmazonEC2RoleforSSM:0:0,AmazonECSTaskExecutionRolePolicy:0:0,AWSLambdaBasicExecutionRole:0:0"},
		{"prefix", ListPoliciesInput{PathPrefix: "/y/"}, "p3:0:0,p4:0:1"},
		{"only attached", ListPoliciesInput{OnlyAttached: true}, "p1:1:0"},
		{"boundaries", ListPoliciesInput{PolicyUsageFilter: "PermissionsBoundary"}, "p4:0:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(tc.in); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	_, err = s.ListPolicies(ctx, &ListPoliciesInput{Marker: "!!"})
	wantErr(t, err, "ValidationError", "")
}

func TestPolicyTags(t *testing.T) {
	s, ctx := newTestService(t)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "ops", PolicyDocument: allowAll})
	mustNil(t, err)
	mustNil(t, s.TagPolicy(ctx, p.ARN, []Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}))
	mustNil(t, s.TagPolicy(ctx, p.ARN, []Tag{{Key: "a", Value: "3"}}))
	mustNil(t, s.UntagPolicy(ctx, p.ARN, []string{"b"}))
	tags, err := s.ListPolicyTags(ctx, p.ARN)
	mustNil(t, err)
	if len(tags) != 1 || tags[0] != (Tag{Key: "a", Value: "3"}) {
		t.Fatalf("tags: %v", tags)
	}
	wantErr(t, s.TagPolicy(ctx, p.ARN, []Tag{{Key: "x", Value: "1"}, {Key: "X", Value: "2"}}), "InvalidInput", "")
}

func TestPolicyARNParts(t *testing.T) {
	tests := []struct {
		in                  string
		account, path, name string
		ok, isPolicy        bool
	}{
		{"arn:aws:iam::123456789012:policy/ops", "123456789012", "/", "ops", true, true},
		{"arn:aws:iam::123456789012:policy/a/b/ops", "123456789012", "/a/b/", "ops", true, true},
		{"arn:aws:iam::aws:policy/AdministratorAccess", "aws", "/", "AdministratorAccess", true, true},
		{"arn:aws:iam::123456789012:policy/", "", "", "", true, false},
		{"arn:aws:iam::123456789012:role/ops", "", "", "", true, false},
		{"arn:aws:s3:::bucket", "", "", "", true, false},
		{"existing-policy-name", "", "", "", false, false},
	}
	for _, tc := range tests {
		acct, path, name, ok, isPolicy := policyARNParts(tc.in)
		if acct != tc.account || path != tc.path || name != tc.name || ok != tc.ok || isPolicy != tc.isPolicy {
			t.Errorf("%s: got %q %q %q %v %v", tc.in, acct, path, name, ok, isPolicy)
		}
	}
}

// FuzzPolicyARNParts checks that a policy ARN splits into parts that
// rebuild it.
func FuzzPolicyARNParts(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::123456789012:policy/ops", "arn:aws:iam::1:policy/a/b/c", "arn:aws:s3:::b", "x", "arn:aws:iam::1:policy//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		acct, path, name, ok, isPolicy := policyARNParts(s)
		if !isPolicy {
			return
		}
		if !ok || name == "" || !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") || strings.Contains(name, "/") {
			t.Fatalf("%q: bad parts %q %q %q", s, acct, path, name)
		}
		if !strings.HasSuffix(s, ":"+acct+":policy"+path+name) {
			t.Fatalf("%q: parts %q %q %q do not rebuild it", s, acct, path, name)
		}
	})
}
