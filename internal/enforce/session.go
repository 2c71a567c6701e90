package enforce

import (
	"context"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/policy"
)

// allowNothing is a session policy that matches no action: a
// federation-token session without session policies has no permissions
// (AWS), and its denials read "no session policy allows".
const allowNothing = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iamd:NoAction","Resource":"*"}]}`

// managedSessionPolicies adds a session's managed session policies
// (PolicyArns), read with their current default version; a policy that no
// longer exists or compiles allows nothing (fail closed). A
// GetFederationToken session without any session policy gets one that
// allows nothing.
func (e *Enforcer) managedSessionPolicies(ctx context.Context, c *identity.Caller, set *authz.PolicySet) {
	for _, a := range c.SessionPolicyARNs {
		var p *policy.Policy
		doc, err := e.iam.SessionPolicyDocument(ctx, c.Account, a)
		if err == nil {
			p, err = e.cache.Compile(doc, policy.Session)
		}
		if err != nil {
			p, _ = e.cache.Compile(allowNothing, policy.Session)
		}
		set.Session = append(set.Session, authz.PolicyRef{ID: a, Kind: policy.Session, Policy: p})
	}
	if c.SessionKind == "GetFederationToken" && len(set.Session) == 0 {
		p, _ := e.cache.Compile(allowNothing, policy.Session)
		set.Session = append(set.Session, authz.PolicyRef{ID: "session-policy", Kind: policy.Session, Policy: p})
	}
}

// federationRestrictions applies AWS's limits on GetFederationToken
// credentials: no IAM operations at all, and of STS only
// GetCallerIdentity.
func federationRestrictions(c *identity.Caller, action string) error {
	lower := strings.ToLower(action)
	switch {
	case strings.HasPrefix(lower, "iam:"):
		return apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: " + action +
			" because IAM calls are not allowed with GetFederationToken credentials")
	case strings.HasPrefix(lower, "sts:") && lower != "sts:getcalleridentity":
		return apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: " + action +
			" with GetFederationToken credentials")
	}
	return nil
}
