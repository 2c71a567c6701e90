package authz

import (
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/arn"
	"github.com/iamd/iamd/internal/policy"
)

// principalFromARN builds a Principal from an ARN the way iamd's
// authentication layer would.
// A role session may be written "sessionARN|roleARN" to give the role's
// path, a federated user "federatedUserARN|userARN" to give the IAM user
// who called GetFederationToken.
func principalFromARN(t testing.TB, s string) Principal {
	t.Helper()
	if s == "" {
		return Principal{}
	}
	s, roleARN, _ := strings.Cut(s, "|")
	if !strings.HasPrefix(s, "arn:") {
		return Principal{Type: policy.Service, ARN: s}
	}
	a, err := arn.Parse(s)
	if err != nil {
		t.Fatalf("caller %q: %v", s, err)
	}
	p := Principal{ARN: s, Account: a.AccountID}
	switch {
	case a.Resource == "root":
		p.Type = policy.Root
		p.UserID = a.AccountID
	case strings.HasPrefix(a.Resource, "user/"):
		p.Type = policy.User
		p.Username = a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
		p.UserID = "AIDAEXAMPLE" + strings.ToUpper(p.Username)
	case strings.HasPrefix(a.Resource, "assumed-role/"):
		p.Type = policy.AssumedRole
		parts := strings.Split(a.Resource, "/")
		p.RoleARN = "arn:" + a.Partition + ":iam::" + a.AccountID + ":role/" + parts[1]
		if roleARN != "" {
			p.RoleARN = roleARN
		}
		p.UserID = "AROAEXAMPLE:" + parts[len(parts)-1]
	case strings.HasPrefix(a.Resource, "federated-user/"):
		p.Type = policy.FederatedUser
		p.UserID = a.AccountID + ":" + a.Resource[len("federated-user/"):]
		p.RoleARN = roleARN // the IAM user who federated
	case strings.HasPrefix(a.Resource, "saml-provider/"):
		p.Type = policy.SAML
	case strings.HasPrefix(a.Resource, "oidc-provider/"):
		p.Type = policy.WebIdentity
	default:
		t.Fatalf("caller %q: unknown principal type", s)
	}
	return p
}

// accountOf returns the account id of an account ARN, ARN or bare id.
func accountOf(s string) string {
	if s == "" || !strings.HasPrefix(s, "arn:") {
		return s
	}
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.AccountID
}

func mustParse(t testing.TB, doc string, kind policy.Kind) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(doc, kind)
	if err != nil {
		t.Fatalf("parse %s policy: %v\n%s", kind, err, doc)
	}
	return p
}

// setContext fills a context entry as SimulateCustomPolicy's ContextEntries
// would: list types become multivalued keys.
func setContext(c *policy.Context, key, typ string, values []string) {
	if strings.HasSuffix(strings.ToLower(typ), "list") {
		c.SetNamedMulti(key, values)
		return
	}
	if len(values) == 1 {
		c.SetNamed(key, values[0])
		return
	}
	c.SetNamedMulti(key, values)
}
