package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// registerOIDCProviders registers the OpenID Connect provider operations.
func (s *Server) registerOIDCProviders() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.CreateOpenIDConnectProvider, func(ctx context.Context, in *iamapi.CreateOpenIDConnectProviderInput) (*iamapi.CreateOpenIDConnectProviderOutput, error) {
		p, err := svc.CreateOpenIDConnectProvider(ctx, &iamsvc.CreateOIDCProviderInput{
			URL: in.Url, ClientIDs: in.ClientIDList, Thumbprints: in.ThumbprintList, Tags: fromAPITags(in.Tags)})
		if err != nil {
			return nil, err
		}
		return &iamapi.CreateOpenIDConnectProviderOutput{OpenIDConnectProviderArn: p.ARN, Tags: toAPITags(p.Tags)}, nil
	})
	awsquery.Handle(r, iamapi.GetOpenIDConnectProvider, func(ctx context.Context, in *iamapi.GetOpenIDConnectProviderInput) (*iamapi.GetOpenIDConnectProviderOutput, error) {
		p, err := svc.GetOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetOpenIDConnectProviderOutput{Url: p.Name, ClientIDList: p.ClientIDs, ThumbprintList: p.Thumbprints,
			CreateDate: p.CreateDate, Tags: toAPITags(p.Tags)}, nil
	})
	awsquery.Handle(r, iamapi.ListOpenIDConnectProviders, func(ctx context.Context, _ *iamapi.ListOpenIDConnectProvidersInput) (*iamapi.ListOpenIDConnectProvidersOutput, error) {
		arns, err := svc.ListOpenIDConnectProviders(ctx)
		if err != nil {
			return nil, err
		}
		out := &iamapi.ListOpenIDConnectProvidersOutput{OpenIDConnectProviderList: make([]iamapi.OpenIDConnectProviderListEntry, len(arns))}
		for i, a := range arns {
			out.OpenIDConnectProviderList[i].Arn = a
		}
		return out, nil
	})
	awsquery.Handle(r, iamapi.DeleteOpenIDConnectProvider, func(ctx context.Context, in *iamapi.DeleteOpenIDConnectProviderInput) (*iamapi.DeleteOpenIDConnectProviderOutput, error) {
		return nil, svc.DeleteOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn)
	})
	awsquery.Handle(r, iamapi.AddClientIDToOpenIDConnectProvider, func(ctx context.Context, in *iamapi.AddClientIDToOpenIDConnectProviderInput) (*iamapi.AddClientIDToOpenIDConnectProviderOutput, error) {
		return nil, svc.AddClientIDToOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, in.ClientID)
	})
	awsquery.Handle(r, iamapi.RemoveClientIDFromOpenIDConnectProvider, func(ctx context.Context, in *iamapi.RemoveClientIDFromOpenIDConnectProviderInput) (*iamapi.RemoveClientIDFromOpenIDConnectProviderOutput, error) {
		return nil, svc.RemoveClientIDFromOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, in.ClientID)
	})
	awsquery.Handle(r, iamapi.UpdateOpenIDConnectProviderThumbprint, func(ctx context.Context, in *iamapi.UpdateOpenIDConnectProviderThumbprintInput) (*iamapi.UpdateOpenIDConnectProviderThumbprintOutput, error) {
		return nil, svc.UpdateOpenIDConnectProviderThumbprint(ctx, in.OpenIDConnectProviderArn, in.ThumbprintList)
	})
	awsquery.Handle(r, iamapi.TagOpenIDConnectProvider, func(ctx context.Context, in *iamapi.TagOpenIDConnectProviderInput) (*iamapi.TagOpenIDConnectProviderOutput, error) {
		return nil, svc.TagOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, fromAPITags(in.Tags))
	})
	awsquery.Handle(r, iamapi.UntagOpenIDConnectProvider, func(ctx context.Context, in *iamapi.UntagOpenIDConnectProviderInput) (*iamapi.UntagOpenIDConnectProviderOutput, error) {
		return nil, svc.UntagOpenIDConnectProvider(ctx, in.OpenIDConnectProviderArn, in.TagKeys)
	})
	awsquery.Handle(r, iamapi.ListOpenIDConnectProviderTags, func(ctx context.Context, in *iamapi.ListOpenIDConnectProviderTagsInput) (*iamapi.ListOpenIDConnectProviderTagsOutput, error) {
		tags, err := svc.ListOpenIDConnectProviderTags(ctx, in.OpenIDConnectProviderArn)
		if err != nil {
			return nil, err
		}
		return &iamapi.ListOpenIDConnectProviderTagsOutput{Tags: toAPITagsNonNil(tags)}, nil
	})
}
