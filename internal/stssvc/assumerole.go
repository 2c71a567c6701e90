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

// AssumeRoleInput is the domain input of AssumeRole.
type AssumeRoleInput struct {
	RoleARN           string
	RoleSessionName   string
	DurationSeconds   *int32
	Policy            string
	PolicyARNs        []string
	Tags              []credential.SessionTag
	TransitiveTagKeys []string
	ExternalID        string
	SerialNumber      string
	TokenCode         string
	SourceIdentity    string
}

// AssumeRoleOutput is what AssumeRole returns.
type AssumeRoleOutput struct {
	Credentials
	AssumedRoleID    string
	AssumedRoleARN   string
	PackedPolicySize int32
	SourceIdentity   string
}

// Limits of AssumeRole (AWS's).
const (
	maxSessionTags     = 50
	chainedMaxDuration = time.Hour
	defaultRoleSession = time.Hour
)

// AssumeRole returns temporary credentials for a role session after the
// role's trust policy and the caller's own policies allow it, as AWS
// decides it (same-account and cross-account).
func (s *Service) AssumeRole(ctx context.Context, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("stssvc: no caller"))
	}
	if c.Type == identity.Root {
		return nil, apierr.AccessDenied("Roles may not be assumed by root accounts.")
	}
	if !validRoleARN(in.RoleARN) {
		return nil, apierr.ValidationError(in.RoleARN + " is invalid")
	}
	mfa, err := s.checkMFA(ctx, c, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}
	c = withMFA(c, mfa)
	// Session policies (inline and managed, resolved in the role's
	// account): validated as AWS does, limited in plain-text size.
	packed, err := s.sessionPolicies(ctx, strings.SplitN(in.RoleARN, ":", 6)[4], in.Policy, in.PolicyARNs)
	if err != nil {
		return nil, err
	}
	tags, transitive, err := sessionTags(c, in)
	if err != nil {
		return nil, err
	}
	if n := int32(len(tags) * 100 / maxSessionTags); n > packed {
		packed = n
	}
	sourceIdentity := in.SourceIdentity
	if c.SourceIdentity != "" {
		if sourceIdentity != "" && sourceIdentity != c.SourceIdentity {
			return nil, apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: sts:SetSourceIdentity on resource: " + in.RoleARN +
				" because the source identity of the calling session cannot be changed")
		}
		sourceIdentity = c.SourceIdentity
	}

	ro, account, ok, err := s.iam.RoleByARN(ctx, in.RoleARN)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	denied := apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + in.RoleARN)
	if !ok {
		return nil, denied
	}
	// Duration: up to the role's maximum; one hour for role chaining.
	d := defaultRoleSession
	if in.DurationSeconds != nil {
		d = time.Duration(*in.DurationSeconds) * time.Second
		if c.Type == identity.AssumedRole && d > chainedMaxDuration {
			return nil, apierr.ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		}
		if d > time.Duration(ro.MaxSessionDuration)*time.Second {
			return nil, apierr.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
	}

	// Authorization: sts:AssumeRole, plus sts:TagSession when tags are
	// passed and sts:SetSourceIdentity when a source identity is set, each
	// decided on the trust policy and the caller's policies.
	keys := map[string][]string{"sts:RoleSessionName": {in.RoleSessionName}}
	if in.ExternalID != "" {
		keys["sts:ExternalId"] = []string{in.ExternalID}
	}
	if sourceIdentity != "" {
		keys["sts:SourceIdentity"] = []string{sourceIdentity}
	}
	if len(in.Tags) > 0 {
		tk := make([]string, 0, len(in.Tags))
		for _, t := range in.Tags {
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tk = append(tk, t.Key)
		}
		keys["aws:TagKeys"] = tk
	}
	if len(in.TransitiveTagKeys) > 0 {
		keys["sts:TransitiveTagKeys"] = in.TransitiveTagKeys
	}
	actions := []string{"sts:AssumeRole"}
	if len(in.Tags) > 0 || len(in.TransitiveTagKeys) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if in.SourceIdentity != "" && c.SourceIdentity == "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		err := s.iam.AuthorizeRequest(ctx, &iamsvc.AuthzRequest{
			Caller: c, Action: action, Resource: ro.ARN, ResourceAccount: account, Context: keys,
			ResourcePolicy: ro.AssumeRolePolicyDocument, ResourcePolicyID: ro.ARN, ResourcePolicyIsTrust: true,
		})
		if err != nil {
			return nil, err
		}
	}

	sess := &credential.Session{
		Type: credential.SessionAssumedRole, Account: account, PrincipalARN: ro.ARN, PrincipalID: ro.RoleID,
		SessionName: in.RoleSessionName, Tags: tags, TransitiveKeys: transitive, SourceIdentity: sourceIdentity,
		ChainDepth: uint8(min(c.ChainDepth+1, 255)), MFA: mfa.present, MFAAuthTime: mfa.authTime,
	}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	sess.PolicyARNs = in.PolicyARNs
	cr, err := s.issue(sess, d)
	if err != nil {
		return nil, err
	}
	s.noteRoleUse(ctx, account, ro.RoleName)
	out := &AssumeRoleOutput{
		Credentials:    *cr,
		AssumedRoleID:  ro.RoleID + ":" + in.RoleSessionName,
		AssumedRoleARN: "arn:aws:sts::" + account + ":assumed-role/" + ro.RoleName + "/" + in.RoleSessionName,
		SourceIdentity: sourceIdentity,
	}
	if in.Policy != "" || len(in.PolicyARNs) > 0 || len(tags) > 0 {
		out.PackedPolicySize = packed
	}
	return out, nil
}

// sessionTags merges the request's session tags with the transitive tags
// of the calling session, with AWS's rules: keys are case-insensitive and
// unique, transitive keys must be among the requested tags, and a
// transitive tag of the caller cannot be overridden.
func sessionTags(c *identity.Caller, in *AssumeRoleInput) ([]credential.SessionTag, []string, error) {
	seen := map[string]bool{}
	for _, t := range in.Tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return nil, nil, apierr.New("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	for _, k := range in.TransitiveTagKeys {
		if !seen[strings.ToLower(k)] {
			return nil, nil, apierr.New("InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.")
		}
	}
	tags := append([]credential.SessionTag(nil), in.Tags...)
	transitive := append([]string(nil), in.TransitiveTagKeys...)
	for _, k := range c.TransitiveTagKeys {
		if seen[strings.ToLower(k)] {
			return nil, nil, apierr.New("InvalidParameterValue", "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
		}
		for _, t := range c.Tags {
			if strings.EqualFold(t.Key, k) {
				tags = append(tags, credential.SessionTag{Key: t.Key, Value: t.Value})
			}
		}
		transitive = append(transitive, k)
	}
	if len(tags) > maxSessionTags {
		return nil, nil, apierr.New("PackedPolicyTooLarge", "Packed size of session policy and tags exceeds the limit.")
	}
	return tags, transitive, nil
}

// validRoleARN checks the shape arn:aws:iam::ACCOUNT:role/[path/]name.
func validRoleARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] == "aws" && parts[2] == "iam" && parts[3] == "" &&
		credential.ValidAccountID(parts[4]) && strings.HasPrefix(parts[5], "role/") && len(parts[5]) > len("role/")
}
