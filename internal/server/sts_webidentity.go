package server

import (
	"context"
	"net/http"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/stssvc"
)

// unsignedSTSActions are the STS actions AWS accepts without a signature:
// the token or assertion in the request is the credential.
var unsignedSTSActions = map[string]bool{"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true}

// isUnsigned reports whether a request carries no SigV4 authentication at
// all (no Authorization header, no presigned query).
func isUnsigned(r *http.Request, v awsquery.Values) bool {
	return r.Header.Get("Authorization") == "" && r.URL.Query().Get("X-Amz-Signature") == "" &&
		r.URL.Query().Get("X-Amz-Credential") == "" && v.Get("X-Amz-Signature") == ""
}

// registerWebIdentity registers AssumeRoleWithWebIdentity.
func (s *Server) registerWebIdentity() {
	svc := s.opts.STS
	awsquery.Handle(s.sts, stsapi.AssumeRoleWithWebIdentity, func(ctx context.Context, in *stsapi.AssumeRoleWithWebIdentityInput) (*stsapi.AssumeRoleWithWebIdentityOutput, error) {
		din := &stssvc.WebIdentityInput{RoleARN: in.RoleArn, RoleSessionName: in.RoleSessionName, WebIdentityToken: in.WebIdentityToken,
			ProviderID: in.ProviderId, Policy: in.Policy, DurationSeconds: in.DurationSeconds}
		for _, p := range in.PolicyArns {
			din.PolicyARNs = append(din.PolicyARNs, p.Arn)
		}
		o, err := svc.AssumeRoleWithWebIdentity(ctx, din)
		if err != nil {
			return nil, err
		}
		out := &stsapi.AssumeRoleWithWebIdentityOutput{
			Credentials:                 &stsapi.Credentials{AccessKeyId: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, SessionToken: o.SessionToken, Expiration: o.Expiration},
			AssumedRoleUser:             &stsapi.AssumedRoleUser{AssumedRoleId: o.AssumedRoleID, Arn: o.AssumedRoleARN},
			SubjectFromWebIdentityToken: o.SubjectFromWebIdentityToken,
			Audience:                    o.Audience,
			Provider:                    o.Provider,
			SourceIdentity:              o.SourceIdentity,
		}
		if o.PackedPolicySize > 0 {
			out.PackedPolicySize = &o.PackedPolicySize
		}
		return out, nil
	})
}
