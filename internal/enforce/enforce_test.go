package enforce

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/store/sqlstore"
)

const acct = "123456789012"

// setup returns an IAM service over a real SQLite store with the enforcer
// installed, a root context, and a user "alice" with the given inline
// policies.
func setup(t *testing.T, policies map[string]string) (*iamsvc.Service, *Enforcer, *identity.Caller) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite://"+t.TempDir()+"/iamd.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	iam := iamsvc.New(st, iamsvc.Options{})
	if _, err := iam.Bootstrap(ctx, iamsvc.BootstrapInput{AccountID: acct}); err != nil {
		t.Fatal(err)
	}
	e := New(iam, func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) })
	iam.SetAuthorizer(e)
	rootCtx := identity.With(ctx, &identity.Caller{Type: identity.Root, Account: acct, ARN: identity.RootARN(acct), UserID: acct, PrincipalARN: identity.RootARN(acct)})
	u, err := iam.CreateUser(rootCtx, &iamsvc.CreateUserInput{UserName: "alice", Tags: []iamsvc.Tag{{Key: "team", Value: "blue"}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range policies {
		if err := iam.PutUserPolicy(rootCtx, "alice", name, doc); err != nil {
			t.Fatal(err)
		}
	}
	alice := &identity.Caller{Type: identity.User, Account: acct, ARN: u.ARN, UserID: u.UserID, Name: "alice", Path: "/", PrincipalARN: u.ARN,
		Tags: []identity.Tag{{Key: "team", Value: "blue"}}}
	return iam, e, alice
}

func TestAuthorizeDecisions(t *testing.T) {
	_, e, alice := setup(t, map[string]string{
		"p": `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"},
 {"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}},
 {"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
 {"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
 {"Effect":"Allow","Action":"iam:DeleteUser","Resource":"*"}]}`,
	})
	ctx := identity.WithRequest(context.Background(), &identity.Request{SourceIP: "192.0.2.1", Secure: false, Region: "us-east-1"})
	tests := []struct {
		action, resource string
		wantErr          string
	}{
		{"iam:ListUsers", "arn:aws:iam::" + acct + ":user/*", ""},
		{"iam:GetUser", "arn:aws:iam::" + acct + ":user/bob", ""},
		{"iam:CreateUser", "arn:aws:iam::" + acct + ":user/bob", "because no identity-based policy allows the iam:CreateUser action"},
		{"iam:DeleteUser", "arn:aws:iam::" + acct + ":user/bob", "with an explicit deny in an identity-based policy"},
		{"iam:TagUser", "arn:aws:iam::" + acct + ":user/bob", "is not authorized to perform: iam:TagUser on resource: arn:aws:iam::" + acct + ":user/bob"},
	}
	for _, tt := range tests {
		err := e.Authorize(ctx, &iamsvc.AuthzRequest{Caller: alice, Action: tt.action, Resource: tt.resource, ResourceAccount: acct})
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.action, err)
			}
			continue
		}
		ae, ok := apierr.As(err)
		if !ok || ae.Code != "AccessDenied" || !strings.Contains(ae.Message, tt.wantErr) {
			t.Errorf("%s: got %v, want AccessDenied containing %q", tt.action, err, tt.wantErr)
		}
	}
	// From inside 10/8 over TLS the conditions flip.
	ctx = identity.WithRequest(context.Background(), &identity.Request{SourceIP: "10.1.2.3", Secure: true})
	for _, a := range []string{"iam:CreateUser", "iam:DeleteUser"} {
		if err := e.Authorize(ctx, &iamsvc.AuthzRequest{Caller: alice, Action: a, Resource: "arn:aws:iam::" + acct + ":user/bob", ResourceAccount: acct}); err != nil {
			t.Errorf("%s from 10/8 over TLS: %v", a, err)
		}
	}
}

// TestFailClosedOnBrokenStoredPolicy writes a document that no longer
// compiles straight into the store: it must grant nothing.
func TestFailClosedOnBrokenStoredPolicy(t *testing.T) {
	iam, e, alice := setup(t, map[string]string{"ok": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`})
	ctx := context.Background()
	req := &iamsvc.AuthzRequest{Caller: alice, Action: "iam:ListUsers", Resource: "*", ResourceAccount: acct}
	if err := e.Authorize(ctx, req); err == nil {
		t.Fatal("allowed without a policy")
	}
	err := iam.Store().Update(ctx, func(tx store.Tx) error {
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: acct, Kind: iamsvc.KindUserPolicy, Parent: "alice", Name: "broken"},
			Data: []byte(`{"name":"broken","doc":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NoSuchOperator\":{\"a\":\"b\"}}}]}"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Authorize(ctx, req); err == nil {
		t.Fatal("a document that does not compile granted access")
	}
	// The valid policy still applies.
	if err := e.Authorize(ctx, &iamsvc.AuthzRequest{Caller: alice, Action: "iam:GetUser", Resource: "*", ResourceAccount: acct}); err != nil {
		t.Fatal(err)
	}
}

func TestSessionRestrictions(t *testing.T) {
	base := identity.Caller{Type: identity.User, ARN: "arn:aws:iam::" + acct + ":user/alice", SessionKind: "GetSessionToken", Temporary: true}
	mfa := base
	mfa.MFAAuthenticated = true
	role := base
	role.SessionKind = "AssumeRole"
	tests := []struct {
		c      identity.Caller
		action string
		deny   bool
	}{
		{base, "iam:ListUsers", true},
		{mfa, "iam:ListUsers", false},
		{base, "sts:GetCallerIdentity", false},
		{base, "sts:AssumeRole", false},
		{base, "sts:GetSessionToken", true},
		{mfa, "sts:GetFederationToken", true},
		{base, "s3:GetObject", false},
		{role, "iam:ListUsers", false},
	}
	for _, tt := range tests {
		err := sessionRestrictions(&tt.c, tt.action)
		if (err != nil) != tt.deny {
			t.Errorf("%s %s mfa=%v: err=%v, want deny=%v", tt.c.SessionKind, tt.action, tt.c.MFAAuthenticated, err, tt.deny)
		}
	}
}

func TestCacheCompilesOnce(t *testing.T) {
	c := NewCache(2)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
	p1, err := c.Compile(doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := c.Compile(doc, 1)
	if p1 != p2 {
		t.Fatal("second Compile re-parsed")
	}
	if _, err := c.Compile(`{`, 1); err == nil {
		t.Fatal("bad document compiled")
	}
	for i := 0; i < 5; i++ {
		d := strings.Replace(doc, "GetUser", "GetUser"+string(rune('A'+i)), 1)
		if _, err := c.Compile(d, 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.m) > 2 {
		t.Fatalf("cache grew past its bound: %d", len(c.m))
	}
}

// TestGroupPoliciesApplyToMembers: a user with no policy of its own gets
// access through its group's inline and managed policies, and loses it
// when it leaves the group.
func TestGroupPoliciesApplyToMembers(t *testing.T) {
	iam, e, alice := setup(t, nil)
	root := identity.With(context.Background(), &identity.Caller{Type: identity.Root, Account: acct, ARN: identity.RootARN(acct), UserID: acct, PrincipalARN: identity.RootARN(acct)})
	if _, err := iam.CreateGroup(root, &iamsvc.CreateGroupInput{GroupName: "readers"}); err != nil {
		t.Fatal(err)
	}
	if err := iam.PutGroupPolicy(root, "readers", "list", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	p, err := iam.CreatePolicy(root, &iamsvc.CreatePolicyInput{PolicyName: "get", PolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	if err := iam.AttachGroupPolicy(root, "readers", p.ARN); err != nil {
		t.Fatal(err)
	}
	ctx := identity.WithRequest(context.Background(), &identity.Request{SourceIP: "192.0.2.1", Region: "us-east-1"})
	check := func(action string, allowed bool) {
		t.Helper()
		err := e.Authorize(ctx, &iamsvc.AuthzRequest{Caller: alice, Action: action, Resource: "arn:aws:iam::" + acct + ":user/bob", ResourceAccount: acct})
		if (err == nil) != allowed {
			t.Fatalf("%s: allowed=%v, err=%v", action, allowed, err)
		}
	}
	check("iam:ListUsers", false)
	check("iam:GetUser", false)
	if err := iam.AddUserToGroup(root, "readers", "alice"); err != nil {
		t.Fatal(err)
	}
	check("iam:ListUsers", true)
	check("iam:GetUser", true)
	check("iam:DeleteUser", false)
	if err := iam.RemoveUserFromGroup(root, "readers", "alice"); err != nil {
		t.Fatal(err)
	}
	check("iam:ListUsers", false)
	check("iam:GetUser", false)
}
