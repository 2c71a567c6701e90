package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestRoleLastUsed checks that assuming a role shows in GetRole's
// RoleLastUsed (recorded off the request path, folded in within seconds)
// and survives a restart.
func TestRoleLastUsed(t *testing.T) {
	s := startServer(t, fixedEnv())
	root := fixedRoot()
	ctx := context.Background()
	ic := goIAM(s, root)
	alice := newUserWithKey(t, s, root, "alice")
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + fixedAccount + `:user/alice"},"Action":"sts:AssumeRole"}]}`
	if _, err := ic.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("used"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	g, err := ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("used")})
	if err != nil || g.Role.RoleLastUsed == nil || g.Role.RoleLastUsed.LastUsedDate != nil {
		t.Fatalf("new role: %+v %v", g, err)
	}
	start := time.Now().Add(-time.Second)
	sc := sts.NewFromConfig(goSDKConfig(s, alice), func(o *sts.Options) { o.BaseEndpoint = aws.String(s.url()); o.Region = "eu-west-1" })
	if _, err := sc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + fixedAccount + ":role/used"), RoleSessionName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	var last *time.Time
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		g, err = ic.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("used")})
		if err != nil {
			t.Fatal(err)
		}
		if last = g.Role.RoleLastUsed.LastUsedDate; last != nil {
			break
		}
	}
	if last == nil || last.Before(start.Truncate(time.Second)) || aws.ToString(g.Role.RoleLastUsed.Region) != "eu-west-1" {
		t.Fatalf("RoleLastUsed: %+v", g.Role.RoleLastUsed)
	}
	s.restart()
	g, err = goIAM(s, root).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("used")})
	if err != nil || g.Role.RoleLastUsed.LastUsedDate == nil || !g.Role.RoleLastUsed.LastUsedDate.Equal(*last) {
		t.Fatalf("after restart: %+v %v", g, err)
	}
}
