package stssvc

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
)

// GetFederationTokenInput is the domain input of GetFederationToken.
type GetFederationTokenInput struct {
	Name            string
	DurationSeconds *int32
	Policy          string
	PolicyARNs      []string
	Tags            []credential.SessionTag
}

// GetFederationTokenOutput is what GetFederationToken returns.
type GetFederationTokenOutput struct {
	Credentials
	FederatedUserID  string
	FederatedUserARN string
	PackedPolicySize *int32
}

// Federation token durations (AWS's).
const defaultFederationDuration = 12 * time.Hour

// GetFederationToken issues federated-user credentials to an IAM user (or
// the root user) signing with long-term keys. The session's permissions
// are the intersection of the user's policies and the session policies
// passed; without session policies it has none. As AWS documents, the
// credentials cannot call IAM, and of STS only GetCallerIdentity (the
// enforcer applies that).
func (s *Service) GetFederationToken(ctx context.Context, in *GetFederationTokenInput) (*GetFederationTokenOutput, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("stssvc: no caller"))
	}
	if c.Temporary {
		return nil, apierr.AccessDenied("Cannot call GetFederationToken with session credentials")
	}
	arn := "arn:aws:sts::" + c.Account + ":federated-user/" + in.Name
	keys := map[string][]string{}
	if len(in.Tags) > 0 {
		tk := make([]string, 0, len(in.Tags))
		seen := map[string]bool{}
		for _, t := range in.Tags {
			if seen[strings.ToLower(t.Key)] {
				return nil, apierr.New("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
			}
			seen[strings.ToLower(t.Key)] = true
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tk = append(tk, t.Key)
		}
		keys["aws:TagKeys"] = tk
		if len(in.Tags) > maxSessionTags {
			return nil, errPackedTooLarge
		}
	}
	actions := []string{"sts:GetFederationToken"}
	if len(in.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	for _, a := range actions {
		if err := s.iam.AuthorizeRequest(ctx, &iamsvc.AuthzRequest{Caller: c, Action: a, Resource: arn, ResourceAccount: c.Account, Context: keys}); err != nil {
			return nil, err
		}
	}
	packed, err := s.sessionPolicies(ctx, c.Account, in.Policy, in.PolicyARNs)
	if err != nil {
		return nil, err
	}
	if n := int32(len(in.Tags) * 100 / maxSessionTags); n > packed {
		packed = n
	}
	d := defaultFederationDuration
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
	}
	if c.Type == identity.Root && d > rootSessionTokenDuration {
		d = rootSessionTokenDuration
	}
	sess := &credential.Session{
		Type: credential.SessionFederatedUser, Account: c.Account, PrincipalARN: c.ARN, PrincipalID: c.UserID,
		SessionName: in.Name, Tags: in.Tags, PolicyARNs: in.PolicyARNs,
	}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	cr, err := s.issue(sess, d)
	if err != nil {
		return nil, err
	}
	out := &GetFederationTokenOutput{Credentials: *cr, FederatedUserID: c.Account + ":" + in.Name, FederatedUserARN: arn}
	if in.Policy != "" || len(in.PolicyARNs) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = &packed
	}
	return out, nil
}
