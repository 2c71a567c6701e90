package iamsvc

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"
)

// Trust policies name principals by ARN, but AWS binds such a principal to
// its unique id when the policy is saved: if the user or role is deleted
// (and perhaps recreated under the same name), the policy no longer
// matches it, and AWS shows the unique id (AIDA..., AROA...) in place of
// the ARN. iamd keeps the document as written plus, in Role.TrustIDs, the
// unique id of every user or role ARN of a hosted account that it names;
// effectiveTrust rewrites the ARNs whose principal is gone or replaced to
// the bound id, which then matches nobody.

// trustPrincipalARNs returns the AWS principal ARNs of users and roles a
// trust policy names (in Principal and NotPrincipal).
func trustPrincipalARNs(doc string) []string {
	var d struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(doc), &d) != nil {
		return nil
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(d.Statement, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(d.Statement, &one) != nil {
			return nil
		}
		stmts = append(stmts, one)
	}
	var out []string
	for _, st := range stmts {
		for _, field := range []string{"Principal", "NotPrincipal"} {
			var p map[string]json.RawMessage
			if json.Unmarshal(st[field], &p) != nil {
				continue
			}
			var vs []string
			if json.Unmarshal(p["AWS"], &vs) != nil {
				var v string
				if json.Unmarshal(p["AWS"], &v) != nil {
					continue
				}
				vs = []string{v}
			}
			for _, v := range vs {
				if _, kind, _, ok := principalEntity(v); ok && (kind == KindUser || kind == KindRole) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// principalEntity splits arn:aws:iam::ACCT:user/PATH/NAME or role/... into
// account, kind and name.
func principalEntity(arn string) (account, kind, name string, ok bool) {
	const prefix = "arn:aws:iam::"
	if !strings.HasPrefix(arn, prefix) || len(arn) < len(prefix)+13 || arn[len(prefix)+12] != ':' {
		return "", "", "", false
	}
	account, rest := arn[len(prefix):len(prefix)+12], arn[len(prefix)+13:]
	switch {
	case strings.HasPrefix(rest, "user/"):
		kind = KindUser
	case strings.HasPrefix(rest, "role/"):
		kind = KindRole
	default:
		return "", "", "", false
	}
	name = rest[strings.LastIndexByte(rest, '/')+1:]
	return account, kind, name, name != "" && !strings.Contains(name, "*")
}

// principalID returns the current unique id of the user or role arn names
// ("" when there is none with exactly that ARN).
func principalID(ctx context.Context, r store.Reader, arn string) (string, error) {
	account, kind, name, ok := principalEntity(arn)
	if !ok {
		return "", nil
	}
	e, err := r.Get(ctx, store.Key{Account: account, Kind: kind, Name: name})
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var rec struct {
		ARN string `json:"arn"`
		ID  string `json:"id"`
	}
	if err := json.Unmarshal(e.Data, &rec); err != nil {
		return "", err
	}
	if rec.ARN != arn {
		return "", nil
	}
	return e.ID, nil
}

// bindTrust binds the user and role ARNs a trust policy names to their
// unique ids. A principal of an account hosted here that does not exist is
// AWS's MalformedPolicyDocument "Invalid principal in policy" unless
// lenient (an import, whose principals may come later or be gone);
// principals of accounts not hosted here are kept as written. own is the
// role's account.
func (s *Service) bindTrust(ctx context.Context, r store.Reader, own, doc string, lenient bool) (map[string]string, error) {
	var out map[string]string
	for _, arn := range trustPrincipalARNs(doc) {
		account, _, _, _ := principalEntity(arn)
		if account != own {
			if _, err := r.Get(ctx, accountKey(account)); errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return nil, apierr.Internal(err)
			}
		}
		id, err := principalID(ctx, r, arn)
		if err != nil {
			return nil, apierr.Internal(err)
		}
		if id == "" {
			if lenient {
				continue
			}
			return nil, apierr.New("MalformedPolicyDocument", `Invalid principal in policy: "AWS":"`+arn+`"`)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[arn] = id
	}
	return out, nil
}

// effectiveTrust returns the role's trust policy as AWS holds it: ARNs
// whose bound principal was deleted or replaced read as the bound unique
// id (matching nobody). The document is returned unchanged when every
// bound principal is still the same.
func effectiveTrust(ctx context.Context, r store.Reader, ro *Role) (string, error) {
	stale := map[string]string{}
	for arn, id := range ro.TrustIDs {
		cur, err := principalID(ctx, r, arn)
		if err != nil {
			return "", err
		}
		if cur != id {
			stale[arn] = id
		}
	}
	if len(stale) == 0 {
		return ro.AssumeRolePolicyDocument, nil
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(ro.AssumeRolePolicyDocument), &d); err != nil {
		return ro.AssumeRolePolicyDocument, nil
	}
	var stmts []any
	switch st := d["Statement"].(type) {
	case []any:
		stmts = st
	case map[string]any:
		stmts = []any{st}
	}
	for _, st := range stmts {
		m, _ := st.(map[string]any)
		for _, field := range []string{"Principal", "NotPrincipal"} {
			p, _ := m[field].(map[string]any)
			switch v := p["AWS"].(type) {
			case string:
				if id, ok := stale[v]; ok {
					p["AWS"] = id
				}
			case []any:
				for i, x := range v {
					if s, _ := x.(string); stale[s] != "" {
						v[i] = stale[s]
					}
				}
			}
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return ro.AssumeRolePolicyDocument, nil
	}
	return string(b), nil
}

// withEffectiveTrust returns ro, or a copy carrying its effective trust
// policy when that differs.
func withEffectiveTrust(ctx context.Context, r store.Reader, ro *Role) (*Role, error) {
	if ro == nil || len(ro.TrustIDs) == 0 {
		return ro, nil
	}
	doc, err := effectiveTrust(ctx, r, ro)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	if doc == ro.AssumeRolePolicyDocument {
		return ro, nil
	}
	cp := *ro
	cp.AssumeRolePolicyDocument = doc
	return &cp, nil
}
