package stssvc

import (
	"context"
	"net/http"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
)

// authorizeFederated asks the role's trust policy whether a federated
// principal (a web identity or SAML provider) may perform action on the
// role, and sts:TagSession / sts:SetSourceIdentity when the request sets
// tags or a source identity. A denied action is answered with denied;
// a denied tag or source identity with AWS's "Not authorized to perform".
func (s *Service) authorizeFederated(ctx context.Context, typ identity.Type, providerARN string, ro *iamsvc.Role, roleAccount string,
	keys map[string][]string, action string, denied error, tagged, sourceIdentity bool) error {
	actions := []string{action}
	if tagged {
		actions = append(actions, "sts:TagSession")
	}
	if sourceIdentity {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	caller := &identity.Caller{Type: typ, ARN: providerARN, PrincipalARN: providerARN, UserID: providerARN}
	for _, a := range actions {
		err := s.iam.AuthorizeRequest(ctx, &iamsvc.AuthzRequest{
			Caller: caller, Action: a, Resource: ro.ARN, ResourceAccount: roleAccount, Context: keys,
			ResourcePolicy: ro.AssumeRolePolicyDocument, ResourcePolicyID: ro.ARN, ResourcePolicyIsTrust: true,
		})
		if ae, ok := apierr.As(err); ok && ae.Code == "AccessDenied" {
			if a == action {
				return denied
			}
			return &apierr.Error{Code: "AccessDenied", Message: "Not authorized to perform " + a, Status: http.StatusForbidden}
		} else if err != nil {
			return err
		}
	}
	return nil
}
