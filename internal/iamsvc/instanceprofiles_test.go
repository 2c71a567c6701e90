package iamsvc

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/identity"
)

func TestInstanceProfileLifecycle(t *testing.T) {
	s, ctx := newTestService(t)
	ip, err := s.CreateInstanceProfile(ctx, &CreateInstanceProfileInput{InstanceProfileName: "web", Path: "/app/", Tags: []Tag{{Key: "k", Value: "v"}}})
	mustNil(t, err)
	if ip.ARN != "arn:aws:iam::123456789012:instance-profile/app/web" || !strings.HasPrefix(ip.InstanceProfileID, "AIPA") || len(ip.Roles) != 0 {
		t.Fatalf("create: %+v", ip)
	}
	_, err = s.CreateInstanceProfile(ctx, &CreateInstanceProfileInput{InstanceProfileName: "WEB"})
	wantErr(t, err, "EntityAlreadyExists", "Instance Profile WEB already exists.")
	_, err = s.GetInstanceProfile(ctx, "nope")
	wantErr(t, err, "NoSuchEntity", "Instance Profile nope cannot be found.")

	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "other", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	wantErr(t, s.AddRoleToInstanceProfile(ctx, "web", "ghost"), "NoSuchEntity", "The role with name ghost cannot be found.")
	wantErr(t, s.AddRoleToInstanceProfile(ctx, "ghost", "app"), "NoSuchEntity", "Instance Profile ghost cannot be found.")
	mustNil(t, s.AddRoleToInstanceProfile(ctx, "web", "app"))
	wantErr(t, s.AddRoleToInstanceProfile(ctx, "web", "other"), "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")

	// The role list reflects the role's current state.
	_, err = s.UpdateRoleDescription(ctx, "app", "now described")
	mustNil(t, err)
	got, err := s.GetInstanceProfile(ctx, "web")
	mustNil(t, err)
	if len(got.Roles) != 1 || got.Roles[0].RoleName != "app" || got.Roles[0].Description != "now described" {
		t.Fatalf("roles: %+v", got.Roles)
	}
	forRole, err := s.ListInstanceProfilesForRole(ctx, "app", "", nil)
	mustNil(t, err)
	if len(forRole.Items) != 1 || forRole.Items[0].InstanceProfileName != "web" {
		t.Fatalf("for role: %+v", forRole.Items)
	}
	exported, err := InstanceProfilesForRole(ctx, s.Store(), testAccount, "APP")
	mustNil(t, err)
	if len(exported) != 1 || exported[0].Roles[0].RoleName != "app" {
		t.Fatalf("InstanceProfilesForRole: %+v", exported)
	}

	wantErr(t, s.DeleteRole(ctx, "app"), "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	wantErr(t, s.DeleteInstanceProfile(ctx, "web"), "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	wantErr(t, s.RemoveRoleFromInstanceProfile(ctx, "web", "other"), "NoSuchEntity", "The role with name other cannot be found.")
	mustNil(t, s.RemoveRoleFromInstanceProfile(ctx, "web", "app"))
	mustNil(t, s.DeleteRole(ctx, "app"))

	// Tags.
	mustNil(t, s.TagInstanceProfile(ctx, "web", []Tag{{Key: "env", Value: "dev"}}))
	mustNil(t, s.UntagInstanceProfile(ctx, "web", []string{"k"}))
	tags, err := s.ListInstanceProfileTags(ctx, "web")
	mustNil(t, err)
	if len(tags) != 1 || tags[0].Key != "env" {
		t.Fatalf("tags: %+v", tags)
	}

	// Listing with a path prefix, and the per-account quota.
	_, err = s.CreateInstanceProfile(ctx, &CreateInstanceProfileInput{InstanceProfileName: "batch"})
	mustNil(t, err)
	pg, err := s.ListInstanceProfiles(ctx, "/app/", "", nil)
	mustNil(t, err)
	if len(pg.Items) != 1 || pg.Items[0].InstanceProfileName != "web" {
		t.Fatalf("list: %+v", pg.Items)
	}
	s.limits.InstanceProfilesPerAccount = 2
	_, err = s.CreateInstanceProfile(ctx, &CreateInstanceProfileInput{InstanceProfileName: "third"})
	wantErr(t, err, "LimitExceeded", "Cannot exceed quota for InstanceProfilesPerAccount: 2")
	mustNil(t, s.DeleteInstanceProfile(ctx, "web"))
	_, err = s.GetInstanceProfile(ctx, "web")
	wantErr(t, err, "NoSuchEntity", "")
}

func TestAccountAliases(t *testing.T) {
	s, ctx := newTestService(t)
	mustNil(t, s.CreateAccountAlias(ctx, "my-corp"))
	mustNil(t, s.CreateAccountAlias(ctx, "my-corp")) // the same alias again
	wantErr(t, s.CreateAccountAlias(ctx, "other"), "LimitExceeded", "Cannot exceed quota for AccountAliasesPerAccount: 1")
	pg, err := s.ListAccountAliases(ctx, "", nil)
	mustNil(t, err)
	if len(pg.Items) != 1 || pg.Items[0] != "my-corp" {
		t.Fatalf("list: %v", pg.Items)
	}
	// Another account cannot take it.
	other := withAccount(ctx, "210987654321")
	wantErr(t, s.CreateAccountAlias(other, "my-corp"), "EntityAlreadyExists", "The account alias my-corp already exists.")
	wantErr(t, s.DeleteAccountAlias(other, "my-corp"), "NoSuchEntity", "The account alias my-corp cannot be found.")
	mustNil(t, s.DeleteAccountAlias(ctx, "my-corp"))
	mustNil(t, s.CreateAccountAlias(other, "my-corp"))
	pg, err = s.ListAccountAliases(ctx, "", nil)
	mustNil(t, err)
	if len(pg.Items) != 0 {
		t.Fatalf("list after delete: %v", pg.Items)
	}
}

func TestAccountSummary(t *testing.T) {
	s, ctx := newTestService(t)
	s.limits.RolesPerAccount = 7
	_, err := s.CreateUser(ctx, &CreateUserInput{UserName: "u"})
	mustNil(t, err)
	_, err = s.CreateRole(ctx, &CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustEC2})
	mustNil(t, err)
	p, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "p", PolicyDocument: allowS3})
	mustNil(t, err)
	_, err = s.CreatePolicyVersion(ctx, p.ARN, allowS3, false)
	mustNil(t, err)
	_, err = s.CreateInstanceProfile(ctx, &CreateInstanceProfileInput{InstanceProfileName: "ip"})
	mustNil(t, err)
	m, err := s.GetAccountSummary(ctx)
	mustNil(t, err)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// Exactly the keys of botocore's summaryKeyType.
	want := "AccessKeysPerUserQuota,AccountAccessKeysPresent,AccountMFAEnabled,AccountPasswordPresent,AccountSigningCertificatesPresent," +
		"AssumeRolePolicySizeQuota,AttachedPoliciesPerGroupQuota,AttachedPoliciesPerRoleQuota,AttachedPoliciesPerUserQuota," +
		"GlobalEndpointTokenVersion,GroupPolicySizeQuota,Groups,GroupsPerUserQuota,GroupsQuota,InstanceProfiles,InstanceProfilesQuota," +
		"MFADevices,MFADevicesInUse,Policies,PoliciesQuota,PolicySizeQuota,PolicyVersionsInUse,PolicyVersionsInUseQuota,Providers," +
		"RolePolicySizeQuota,Roles,RolesQuota,ServerCertificates,ServerCertificatesQuota,SigningCertificatesPerUserQuota," +
		"UserPolicySizeQuota,Users,UsersQuota,VersionsPerPolicyQuota"
	if strings.Join(keys, ",") != want {
		t.Fatalf("keys:\n%s\nwant\n%s", strings.Join(keys, ","), want)
	}
	for k, v := range map[string]int32{"Users": 1, "Roles": 1, "Policies": 1, "PolicyVersionsInUse": 2, "InstanceProfiles": 1,
		"RolesQuota": 7, "UsersQuota": 5000, "PolicySizeQuota": 6144, "AssumeRolePolicySizeQuota": 2048, "RolePolicySizeQuota": 10240,
		"VersionsPerPolicyQuota": 5, "InstanceProfilesQuota": 1000, "AttachedPoliciesPerRoleQuota": 10} {
		if m[k] != v {
			t.Errorf("%s = %d, want %d", k, m[k], v)
		}
	}
}

func TestQuotaConfig(t *testing.T) {
	var l Limits
	mustNil(t, l.ParseQuotas([]string{"RolesQuota=3", " PolicySizeQuota = 100 ", ""}))
	l = l.withDefaults()
	if l.RolesPerAccount != 3 || l.PolicySize != 100 || l.UsersPerAccount != 5000 {
		t.Fatalf("%+v", l)
	}
	for _, bad := range []string{"Nope=1", "RolesQuota", "RolesQuota=0", "RolesQuota=-1", "RolesQuota=x", "rolesquota=1"} {
		if err := l.ParseQuotas([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	s, ctx := newTestService(t)
	s.limits.PolicySize = 60
	_, err := s.CreatePolicy(ctx, &CreatePolicyInput{PolicyName: "p", PolicyDocument: allowS3 + strings.Repeat(" ", 10)})
	wantErr(t, err, "LimitExceeded", fmt.Sprintf("Cannot exceed quota for PolicySize: %d", 60))
}

// withAccount returns ctx with the root user of account as caller.
func withAccount(ctx context.Context, account string) context.Context {
	return identity.With(ctx, &identity.Caller{Type: identity.Root, Account: account, ARN: identity.RootARN(account),
		PrincipalARN: identity.RootARN(account), UserID: account})
}
