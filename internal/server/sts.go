package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/stssvc"
)

// registerSTS registers the implemented STS operations.
func (s *Server) registerSTS() {
	svc := s.opts.STS
	r := s.sts
	awsquery.Handle(r, stsapi.GetCallerIdentity, func(ctx context.Context, _ *stsapi.GetCallerIdentityInput) (*stsapi.GetCallerIdentityOutput, error) {
		id, err := svc.GetCallerIdentity(ctx)
		if err != nil {
			return nil, err
		}
		return &stsapi.GetCallerIdentityOutput{UserId: id.UserID, Account: id.Account, Arn: id.ARN}, nil
	})
	awsquery.Handle(r, stsapi.GetSessionToken, func(ctx context.Context, in *stsapi.GetSessionTokenInput) (*stsapi.GetSessionTokenOutput, error) {
		c, err := svc.GetSessionToken(ctx, in.DurationSeconds, in.SerialNumber, in.TokenCode)
		if err != nil {
			return nil, err
		}
		return &stsapi.GetSessionTokenOutput{Credentials: &stsapi.Credentials{
			AccessKeyId: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration,
		}}, nil
	})
	awsquery.Handle(r, stsapi.AssumeRole, func(ctx context.Context, in *stsapi.AssumeRoleInput) (*stsapi.AssumeRoleOutput, error) {
		din := &stssvc.AssumeRoleInput{
			RoleARN: in.RoleArn, RoleSessionName: in.RoleSessionName, DurationSeconds: in.DurationSeconds, Policy: in.Policy,
			TransitiveTagKeys: in.TransitiveTagKeys, ExternalID: in.ExternalId, SerialNumber: in.SerialNumber, TokenCode: in.TokenCode,
			SourceIdentity: in.SourceIdentity,
		}
		for _, p := range in.PolicyArns {
			din.PolicyARNs = append(din.PolicyARNs, p.Arn)
		}
		for _, t := range in.Tags {
			din.Tags = append(din.Tags, credential.SessionTag{Key: t.Key, Value: t.Value})
		}
		o, err := svc.AssumeRole(ctx, din)
		if err != nil {
			return nil, err
		}
		out := &stsapi.AssumeRoleOutput{
			Credentials:     &stsapi.Credentials{AccessKeyId: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, SessionToken: o.SessionToken, Expiration: o.Expiration},
			AssumedRoleUser: &stsapi.AssumedRoleUser{AssumedRoleId: o.AssumedRoleID, Arn: o.AssumedRoleARN},
			SourceIdentity:  o.SourceIdentity,
		}
		if o.PackedPolicySize > 0 {
			out.PackedPolicySize = &o.PackedPolicySize
		}
		return out, nil
	})
	awsquery.Handle(r, stsapi.GetAccessKeyInfo, func(ctx context.Context, in *stsapi.GetAccessKeyInfoInput) (*stsapi.GetAccessKeyInfoOutput, error) {
		acct, err := svc.GetAccessKeyInfo(ctx, in.AccessKeyId)
		if err != nil {
			return nil, err
		}
		return &stsapi.GetAccessKeyInfoOutput{Account: acct}, nil
	})
}
