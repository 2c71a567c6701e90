package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/iamsvc"
)

// registerSimulate registers the policy simulator operations:
// SimulateCustomPolicy, SimulatePrincipalPolicy,
// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy.
func (s *Server) registerSimulate() {
	svc := s.opts.IAM
	r := s.iam
	awsquery.Handle(r, iamapi.SimulateCustomPolicy, func(ctx context.Context, in *iamapi.SimulateCustomPolicyInput) (*iamapi.SimulateCustomPolicyOutput, error) {
		scps := make([][]string, len(in.OrderedOrganizationPolicyInputList))
		for i, l := range in.OrderedOrganizationPolicyInputList {
			scps[i] = l.ServiceControlPolicyInputList
		}
		p, err := svc.SimulateCustomPolicy(ctx, &iamsvc.SimulateInput{
			PolicyInputList:                    in.PolicyInputList,
			PermissionsBoundaryPolicyInputList: in.PermissionsBoundaryPolicyInputList,
			SCPs:                               scps,
			ActionNames:                        in.ActionNames,
			ResourceArns:                       in.ResourceArns,
			ResourcePolicy:                     in.ResourcePolicy,
			ResourceOwner:                      in.ResourceOwner,
			CallerArn:                          in.CallerArn,
			ContextEntries:                     fromAPIContextEntries(in.ContextEntries),
			ResourceHandlingOption:             in.ResourceHandlingOption,
			Marker:                             in.Marker,
			MaxItems:                           in.MaxItems,
		})
		if err != nil {
			return nil, err
		}
		return toAPISimulateOutput(p), nil
	})
	awsquery.Handle(r, iamapi.SimulatePrincipalPolicy, func(ctx context.Context, in *iamapi.SimulatePrincipalPolicyInput) (*iamapi.SimulateCustomPolicyOutput, error) {
		p, err := svc.SimulatePrincipalPolicy(ctx, &iamsvc.SimulateInput{
			PolicySourceARN:                    in.PolicySourceArn,
			Exclusions:                         fromAPIExclusions(in.PolicyExclusionList),
			PolicyInputList:                    in.PolicyInputList,
			PermissionsBoundaryPolicyInputList: in.PermissionsBoundaryPolicyInputList,
			ActionNames:                        in.ActionNames,
			ResourceArns:                       in.ResourceArns,
			ResourcePolicy:                     in.ResourcePolicy,
			ResourceOwner:                      in.ResourceOwner,
			CallerArn:                          in.CallerArn,
			ContextEntries:                     fromAPIContextEntries(in.ContextEntries),
			ResourceHandlingOption:             in.ResourceHandlingOption,
			Marker:                             in.Marker,
			MaxItems:                           in.MaxItems,
		})
		if err != nil {
			return nil, err
		}
		return toAPISimulateOutput(p), nil
	})
	awsquery.Handle(r, iamapi.GetContextKeysForCustomPolicy, func(ctx context.Context, in *iamapi.GetContextKeysForCustomPolicyInput) (*iamapi.GetContextKeysForCustomPolicyOutput, error) {
		keys, err := svc.GetContextKeysForCustomPolicy(ctx, in.PolicyInputList)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetContextKeysForCustomPolicyOutput{ContextKeyNames: keys}, nil
	})
	awsquery.Handle(r, iamapi.GetContextKeysForPrincipalPolicy, func(ctx context.Context, in *iamapi.GetContextKeysForPrincipalPolicyInput) (*iamapi.GetContextKeysForCustomPolicyOutput, error) {
		keys, err := svc.GetContextKeysForPrincipalPolicy(ctx, in.PolicySourceArn, in.PolicyInputList)
		if err != nil {
			return nil, err
		}
		return &iamapi.GetContextKeysForCustomPolicyOutput{ContextKeyNames: keys}, nil
	})
}

func fromAPIExclusions(in []iamapi.PolicyIdentifier) []iamsvc.PolicyExclusion {
	if len(in) == 0 {
		return nil
	}
	out := make([]iamsvc.PolicyExclusion, len(in))
	for i, x := range in {
		out[i] = iamsvc.PolicyExclusion{PolicyType: x.PolicyType, PolicyARN: x.PolicyArn}
		if ip := x.InlinePolicyIdentifier; ip != nil {
			out[i].PolicyName, out[i].AttachmentType, out[i].AttachmentName = ip.PolicyName, ip.AttachmentType, ip.AttachmentName
		}
	}
	return out
}

func fromAPIContextEntries(in []iamapi.ContextEntry) []iamsvc.ContextEntry {
	if len(in) == 0 {
		return nil
	}
	out := make([]iamsvc.ContextEntry, len(in))
	for i, e := range in {
		out[i] = iamsvc.ContextEntry{Name: e.ContextKeyName, Values: e.ContextKeyValues, Type: e.ContextKeyType}
	}
	return out
}

func toAPISimulateOutput(p iamsvc.Page[iamsvc.EvaluationResult]) *iamapi.SimulateCustomPolicyOutput {
	out := &iamapi.SimulateCustomPolicyOutput{EvaluationResults: make([]iamapi.EvaluationResult, 0, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, r := range p.Items {
		er := iamapi.EvaluationResult{
			EvalActionName:       r.Action,
			EvalResourceName:     r.Resource,
			EvalDecision:         r.Decision,
			MatchedStatements:    toAPIStatements(r.Matched),
			MissingContextValues: nonNil(r.Missing),
			EvalDecisionDetails:  r.DecisionDetails,
		}
		if r.BoundaryAllowed != nil {
			er.PermissionsBoundaryDecisionDetail = &iamapi.PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: r.BoundaryAllowed}
		}
		if r.OrganizationsAllowed != nil {
			er.OrganizationsDecisionDetail = &iamapi.OrganizationsDecisionDetail{AllowedByOrganizations: r.OrganizationsAllowed}
		}
		if r.Resources != nil {
			er.ResourceSpecificResults = make([]iamapi.ResourceSpecificResult, 0, len(r.Resources))
			for _, rr := range r.Resources {
				ar := iamapi.ResourceSpecificResult{
					EvalResourceName:     rr.Resource,
					EvalResourceDecision: rr.Decision,
					MatchedStatements:    toAPIStatements(rr.Matched),
					MissingContextValues: nonNil(rr.Missing),
				}
				if len(rr.DecisionDetails) > 0 {
					ar.EvalDecisionDetails = rr.DecisionDetails
				}
				if rr.BoundaryAllowed != nil {
					ar.PermissionsBoundaryDecisionDetail = &iamapi.PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: rr.BoundaryAllowed}
				}
				er.ResourceSpecificResults = append(er.ResourceSpecificResults, ar)
			}
		}
		out.EvaluationResults = append(out.EvaluationResults, er)
	}
	return out
}

func toAPIStatements(in []iamsvc.MatchedStatement) []iamapi.Statement {
	out := make([]iamapi.Statement, len(in))
	for i, m := range in {
		out[i] = iamapi.Statement{
			SourcePolicyId:   m.SourcePolicyID,
			SourcePolicyType: m.SourcePolicyType,
			StartPosition:    toAPIPosition(m.Start.Line, m.Start.Column),
			EndPosition:      toAPIPosition(m.End.Line, m.End.Column),
		}
	}
	return out
}

func toAPIPosition(line, col int) *iamapi.Position {
	l, c := int32(line), int32(col)
	return &iamapi.Position{Line: &l, Column: &c}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
