package iamsvc

import (
	"context"
	"errors"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/policy"
	"github.com/iamd/iamd/internal/store"
)

// KindUserPolicy is an inline policy of a user (Parent = user name).
const KindUserPolicy = "user-policy"

// InlinePolicy is an inline policy document embedded in a principal.
type InlinePolicy struct {
	PolicyName string `json:"name"`
	Document   string `json:"doc"`
}

func init() {
	userChildKinds = append(userChildKinds, struct {
		kind     string
		conflict string
	}{KindUserPolicy, "Cannot delete entity, must delete policies first."})
}

// parsePolicy validates a document of kind and returns AWS's
// MalformedPolicyDocument error for a bad one.
func parsePolicy(doc string, kind policy.Kind) (*policy.Policy, error) {
	p, err := policy.Parse(doc, kind)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return nil, apierr.New("MalformedPolicyDocument", ve.Message)
		}
		return nil, apierr.New("MalformedPolicyDocument", "Syntax errors in policy.")
	}
	return p, nil
}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, userName, policyName, doc string) error {
	u, err := s.userForWrite(ctx, "iam:PutUserPolicy", userName)
	if err != nil {
		return err
	}
	p, err := parsePolicy(doc, policy.Inline)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if _, _, err := getUser(ctx, tx, account, u.UserName); err != nil {
			return err
		}
		return putInline(ctx, tx, store.Key{Account: account, Kind: KindUserPolicy, Parent: u.UserName, Name: policyName}, doc, p.Size, func(total int) error {
			if total > s.limits.UserPolicySize {
				return apierr.LimitExceeded("Maximum policy size of %d bytes exceeded for user %s", s.limits.UserPolicySize, u.UserName)
			}
			return nil
		})
	}))
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// GetUserPolicy returns an inline policy of a user.
func (s *Service) GetUserPolicy(ctx context.Context, userName, policyName string) (*InlinePolicy, string, error) {
	u, err := s.userForRead(ctx, "iam:GetUserPolicy", userName)
	if err != nil {
		return nil, "", err
	}
	ip, err := s.getInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindUserPolicy, Parent: u.UserName, Name: policyName}, "user")
	if err != nil {
		return nil, "", err
	}
	return ip, u.UserName, nil
}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, userName, policyName string) error {
	u, err := s.userForWrite(ctx, "iam:DeleteUserPolicy", userName)
	if err != nil {
		return err
	}
	return s.deleteInline(ctx, store.Key{Account: identityAccount(ctx), Kind: KindUserPolicy, Parent: u.UserName, Name: policyName}, "user")
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, userName, marker string, maxItems *int32) (Page[string], error) {
	u, err := s.userForRead(ctx, "iam:ListUserPolicies", userName)
	if err != nil {
		return Page[string]{}, err
	}
	p, err := listPage[InlinePolicy](ctx, s.store, store.ListOptions{Account: identityAccount(ctx), Kind: KindUserPolicy, Parent: u.UserName, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return Page[string]{}, err
	}
	out := Page[string]{Marker: p.Marker, IsTruncated: p.IsTruncated, Items: make([]string, len(p.Items))}
	for i, ip := range p.Items {
		out.Items[i] = ip.PolicyName
	}
	return out, nil
}

// userForWrite authorizes action on a user and returns it.
func (s *Service) userForWrite(ctx context.Context, action, name string) (*User, error) {
	return s.userForRead(ctx, action, name)
}

func identityAccount(ctx context.Context) string {
	c, err := caller(ctx)
	if err != nil {
		return ""
	}
	return c.Account
}

// PolicyDoc is one policy that applies to a principal.
type PolicyDoc struct {
	// ID names the policy: the inline policy name, or the managed policy
	// ARN.
	ID string
	// Type is the SourcePolicyType of simulation results: "user", "group",
	// "role" for inline policies, "IAM Policy" for managed ones.
	Type string
	// Document is the JSON policy document as stored.
	Document string
	// Owner is the group an inline group policy belongs to ("" for the
	// principal's own policies); PolicyExclusionList matches it.
	Owner string
	// Version orders cache entries: the store version of the record the
	// document came from.
	Version int64
}

// PrincipalPolicies are the identity-based policies and the permissions
// boundary of one principal.
type PrincipalPolicies struct {
	// Identity are the inline and managed identity-based policies.
	Identity []PolicyDoc
	// Boundary is the permissions boundary's document, if any.
	Boundary *PolicyDoc
	// Tags are the principal's tags (aws:PrincipalTag/*).
	Tags []Tag
}

// PrincipalPolicies returns the policies of the principal with ARN
// principalARN in account: for an IAM user its inline and attached
// policies, those of every group it belongs to, and its boundary; for a
// role its own policies and boundary; for a group (simulation only) the
// group's inline and attached policies. The root user has none.
//
// The answer is cached until the store changes (see readCache) and shared:
// callers must not modify it.
func (s *Service) PrincipalPolicies(ctx context.Context, account, principalARN string) (*PrincipalPolicies, error) {
	key := "pp\x00" + account + "\x00" + principalARN
	if v, ok := s.cache.get(key); ok {
		return v.(*PrincipalPolicies), nil
	}
	gen, _ := s.cache.begin()
	pp, err := s.loadPrincipalPolicies(ctx, account, principalARN)
	if err == nil {
		s.cache.put(gen, key, pp)
	}
	return pp, err
}

// loadPrincipalPolicies reads PrincipalPolicies' answer from the store.
func (s *Service) loadPrincipalPolicies(ctx context.Context, account, principalARN string) (*PrincipalPolicies, error) {
	typ, name, ok := parsePrincipalARN(account, principalARN)
	if !ok {
		return nil, apierr.InvalidInput("Invalid principal ARN %s", principalARN)
	}
	out := &PrincipalPolicies{}
	switch typ {
	case "root":
		return out, nil
	case "user":
		u, _, err := getUser(ctx, s.store, account, name)
		if err != nil {
			return nil, err
		}
		out.Tags = u.Tags
		if err := s.inlineDocs(ctx, account, KindUserPolicy, u.UserName, "user", out); err != nil {
			return nil, err
		}
		if err := s.managedDocs(ctx, account, KindUserAttachment, u.UserName, out); err != nil {
			return nil, err
		}
		if err := s.memberGroupPolicies(ctx, account, u.UserName, out); err != nil {
			return nil, err
		}
		if err := s.boundaryDoc(ctx, account, u.PermissionsBoundary, out); err != nil {
			return nil, err
		}
		return out, nil
	case "group":
		if err := s.groupPolicies(ctx, account, name, out); err != nil {
			return nil, err
		}
		return out, nil
	case "role":
		if err := s.rolePolicies(ctx, account, name, out); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, apierr.InvalidInput("Unsupported principal ARN %s", principalARN)
}

func (s *Service) inlineDocs(ctx context.Context, account, kind, parent, typ string, out *PrincipalPolicies) error {
	marker := ""
	for {
		p, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: kind, Parent: parent, Marker: marker, Limit: 100})
		if err != nil {
			return apierr.Internal(err)
		}
		for _, e := range p.Items {
			ip, err := decode[InlinePolicy](e)
			if err != nil {
				return apierr.Internal(err)
			}
			out.Identity = append(out.Identity, PolicyDoc{ID: ip.PolicyName, Type: typ, Document: ip.Document, Version: e.Version})
		}
		if p.NextMarker == "" {
			return nil
		}
		marker = p.NextMarker
	}
}

// parsePrincipalARN splits arn:aws:iam::ACCT:user/path/name into ("user",
// "name"); ":root" gives ("root", "").
func parsePrincipalARN(account, arn string) (typ, name string, ok bool) {
	prefix := "arn:aws:iam::" + account + ":"
	if len(arn) <= len(prefix) || arn[:len(prefix)] != prefix {
		return "", "", false
	}
	rest := arn[len(prefix):]
	if rest == "root" {
		return "root", "", true
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] == '/' {
			typ = rest[:i]
			j := len(rest) - 1
			for j > i && rest[j] != '/' {
				j--
			}
			name = rest[j+1:]
			return typ, name, name != ""
		}
	}
	return "", "", false
}
