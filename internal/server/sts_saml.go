package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/stssvc"
)

// registerSAML registers AssumeRoleWithSAML (unsigned, like
// AssumeRoleWithWebIdentity: the SAML response is the credential).
func (s *Server) registerSAML() {
	svc := s.opts.STS
	awsquery.Handle(s.sts, stsapi.AssumeRoleWithSAML, func(ctx context.Context, in *stsapi.AssumeRoleWithSAMLInput) (*stsapi.AssumeRoleWithSAMLOutput, error) {
		din := &stssvc.SAMLInput{RoleARN: in.RoleArn, PrincipalARN: in.PrincipalArn, SAMLAssertion: in.SAMLAssertion,
			Policy: in.Policy, DurationSeconds: in.DurationSeconds}
		for _, p := range in.PolicyArns {
			din.PolicyARNs = append(din.PolicyARNs, p.Arn)
		}
		o, err := svc.AssumeRoleWithSAML(ctx, din)
		if err != nil {
			return nil, err
		}
		out := &stsapi.AssumeRoleWithSAMLOutput{
			Credentials:     &stsapi.Credentials{AccessKeyId: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, SessionToken: o.SessionToken, Expiration: o.Expiration},
			AssumedRoleUser: &stsapi.AssumedRoleUser{AssumedRoleId: o.AssumedRoleID, Arn: o.AssumedRoleARN},
			Subject:         o.Subject,
			SubjectType:     o.SubjectType,
			Issuer:          o.Issuer,
			Audience:        o.Audience,
			NameQualifier:   o.NameQualifier,
			SourceIdentity:  o.SourceIdentity,
		}
		if o.PackedPolicySize > 0 {
			out.PackedPolicySize = &o.PackedPolicySize
		}
		return out, nil
	})
}
