package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// registerSAMLProviders registers the SAML provider operations.
func (s *Server) registerSAMLProviders() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateSAMLProvider, func(ctx context.Context, in *iamapi.CreateSAMLProviderInput) (*iamapi.CreateSAMLProviderOutput, error) {
		p, err := svc.CreateSAMLProvider(ctx, &iamsvc.CreateSAMLProviderInput{Name: in.Name, Metadata: in.SAMLMetadataDocument,
			Tags: fromAPITags(in.Tags), AssertionEncryptionMode: in.AssertionEncryptionMode, AddPrivateKey: in.AddPrivateKey})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateSAMLProviderOutput{SAMLProviderArn: p.ARN, Tags: toAPITags(p.Tags)}, nil
	})
	awsquery.Handle(r, iamapi.GetSAMLProvider, func(ctx context.Context, in *iamapi.GetSAMLProviderInput) (*iamapi.GetSAMLProviderOutput, error) {
		p, err := svc.GetSAMLProvider(ctx, in.SAMLProviderArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetSAMLProviderOutput{SAMLProviderUUID: p.UUID, SAMLMetadataDocument: p.Metadata, CreateDate: p.CreateDate,
			ValidUntil: p.ValidUntil, Tags: toAPITags(p.Tags), AssertionEncryptionMode: p.EncryptionMode}, nil
	})
	awsquery.Handle(r, iamapi.UpdateSAMLProvider, func(ctx context.Context, in *iamapi.UpdateSAMLProviderInput) (*iamapi.UpdateSAMLProviderOutput, error) {
		p, err := svc.UpdateSAMLProvider(ctx, &iamsvc.UpdateSAMLProviderInput{ARN: in.SAMLProviderArn, Metadata: in.SAMLMetadataDocument,
			AssertionEncryptionMode: in.AssertionEncryptionMode, AddPrivateKey: in.AddPrivateKey, RemovePrivateKey: in.RemovePrivateKey})
		if err != nil {
			return nil, err
		}
		return &iamapi.UpdateSAMLProviderOutput{SAMLProviderArn: p.ARN}, nil
	})
	awsquery.Handle(r, iamapi.ListSAMLProviders, func(ctx context.Context, _ *iamapi.ListSAMLProvidersInput) (*iamapi.ListSAMLProvidersOutput, error) {
		ps, err := svc.ListSAMLProviders(ctx)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListSAMLProvidersOutput{SAMLProviderList: make([]iamapi.SAMLProviderListEntry, len(ps))}
		for i, p := range ps {
			out.SAMLProviderList[i] = iamapi.SAMLProviderListEntry{Arn: p.ARN, ValidUntil: p.ValidUntil, CreateDate: p.CreateDate}
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.DeleteSAMLProvider, func(ctx context.Context, in *iamapi.DeleteSAMLProviderInput) (*iamapi.DeleteSAMLProviderOutput, error) {
		return nil, svc.DeleteSAMLProvider(ctx, in.SAMLProviderArn)
	})
	awsquery.Handle(r, iamapi.TagSAMLProvider, func(ctx context.Context, in *iamapi.TagSAMLProviderInput) (*iamapi.TagSAMLProviderOutput, error) {
		return nil, svc.TagSAMLProvider(ctx, in.SAMLProviderArn, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagSAMLProvider, func(ctx context.Context, in *iamapi.UntagSAMLProviderInput) (*iamapi.UntagSAMLProviderOutput, error) {
		return nil, svc.UntagSAMLProvider(ctx, in.SAMLProviderArn, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListSAMLProviderTags, func(ctx context.Context, in *iamapi.ListSAMLProviderTagsInput) (*iamapi.ListSAMLProviderTagsOutput, error) {
		tags, err := svc.ListSAMLProviderTags(ctx, in.SAMLProviderArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListSAMLProviderTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
}
