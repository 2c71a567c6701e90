package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
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
	awsquery.Handle(r, stsapi.GetAccessKeyInfo, func(ctx context.Context, in *stsapi.GetAccessKeyInfoInput) (*stsapi.GetAccessKeyInfoOutput, error) {
		acct, err := svc.GetAccessKeyInfo(ctx, in.AccessKeyId)
		if err != nil {
			return nil, err
		}
		return &stsapi.GetAccessKeyInfoOutput{Account: acct}, nil
	})
}
