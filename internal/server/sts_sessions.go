package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/stssvc"
)

// registerSTSSessions registers GetFederationToken and
// DecodeAuthorizationMessage.
func (s *Server) registerSTSSessions() {
	svc := s.opts.STS
	r := s.sts
	awsquery.Handle(r, stsapi.GetFederationToken, func(ctx context.Context, in *stsapi.GetFederationTokenInput) (*stsapi.GetFederationTokenOutput, error) {
		din := &stssvc.GetFederationTokenInput{Name: in.Name, DurationSeconds: in.DurationSeconds, Policy: in.Policy}
		for _, p := range in.PolicyArns {
			din.PolicyARNs = append(din.PolicyARNs, p.Arn)
		}
		for _, t := range in.Tags {
			din.Tags = append(din.Tags, credential.SessionTag{Key: t.Key, Value: t.Value})
		}
		o, err := svc.GetFederationToken(ctx, din)
		if err != nil {
			return nil, err
		}
		return &stsapi.GetFederationTokenOutput{
			Credentials:      &stsapi.Credentials{AccessKeyId: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, SessionToken: o.SessionToken, Expiration: o.Expiration},
			FederatedUser:    &stsapi.FederatedUser{FederatedUserId: o.FederatedUserID, Arn: o.FederatedUserARN},
			PackedPolicySize: o.PackedPolicySize,
		}, nil
	})
	awsquery.Handle(r, stsapi.DecodeAuthorizationMessage, func(ctx context.Context, in *stsapi.DecodeAuthorizationMessageInput) (*stsapi.DecodeAuthorizationMessageOutput, error) {
		msg, err := svc.DecodeAuthorizationMessage(ctx, in.EncodedMessage)
		if err != nil {
			return nil, err
		}
		return &stsapi.DecodeAuthorizationMessageOutput{DecodedMessage: msg}, nil
	})
}
