package stssvc

import (
	"context"
	"errors"
	"strconv"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/policy"
)

// Session policy limits (AWS's): the inline policy and the managed
// policy ARNs together take at most 2,048 plain-text characters, and at
// most 10 ARNs.
const (
	maxSessionPolicyChars = 2048
	maxSessionPolicyARNs  = 10
)

var errPackedTooLarge = apierr.New("PackedPolicyTooLarge", "Packed size of session policy and tags exceeds the limit.")

// sessionPolicies validates a request's session policies: the inline
// policy's grammar, that every managed policy ARN names a policy of
// account (the account of the role, or of the federating user), and the
// packed size. It returns the packed size as the percentage of the limit
// used by the policies (AWS's PackedPolicySize counts tags too; the
// caller takes the larger of both). Managed policies are sealed into the
// session as references and evaluated with their current default version.
func (s *Service) sessionPolicies(ctx context.Context, account, inline string, arns []string) (int32, error) {
	if len(arns) > maxSessionPolicyARNs {
		return 0, apierr.ValidationError("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to " + strconv.Itoa(maxSessionPolicyARNs))
	}
	chars := 0
	if inline != "" {
		p, err := policy.Parse(inline, policy.Session)
		if err != nil {
			var ve *policy.ValidationError
			if errors.As(err, &ve) {
				return 0, apierr.New("MalformedPolicyDocument", ve.Message)
			}
			return 0, apierr.New("MalformedPolicyDocument", "Syntax errors in policy.")
		}
		chars += p.Size
	}
	for _, a := range arns {
		chars += len(a)
		if _, err := s.iam.SessionPolicyDocument(ctx, account, a); errors.Is(err, iamsvc.ErrNoSessionPolicy) {
			return 0, apierr.New("InvalidParameterValue", "Policy "+a+" does not exist or is not attachable.")
		} else if err != nil {
			return 0, apierr.Internal(err)
		}
	}
	if chars > maxSessionPolicyChars {
		return 0, errPackedTooLarge
	}
	return int32(chars * 100 / maxSessionPolicyChars), nil
}
