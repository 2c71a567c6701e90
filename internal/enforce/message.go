package enforce

import (
	"encoding/json"
	"strings"

	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/policy"
)

// MessageSealer seals the JSON decision document of a denied request into
// an encoded authorization message (stssvc.Keys does, with the session key
// ring; sts:DecodeAuthorizationMessage opens it).
type MessageSealer interface {
	EncodeAuthorizationMessage(account string, js []byte) (string, error)
}

// SetMessageSealer makes every AccessDenied from a policy decision carry
// an encoded authorization message.
func (e *Enforcer) SetMessageSealer(m MessageSealer) { e.msgs = m }

// encodedPrefix separates AWS's AccessDenied text from the encoded
// message, as AWS services that encode write it.
const encodedPrefix = ". Encoded authorization failure message: "

// deniedMessage is the AccessDenied text of a denied decision: AWS's IAM
// wording, followed by the encoded authorization message when a sealer is
// set.
func (e *Enforcer) deniedMessage(d authz.Decision, req *authz.Request, set *authz.PolicySet, c *identity.Caller) string {
	text := d.AccessDeniedMessage(req)
	if e.msgs == nil {
		return text
	}
	js, err := json.Marshal(decisionDocument(d, req, set, c))
	if err != nil {
		return text
	}
	enc, err := e.msgs.EncodeAuthorizationMessage(c.Account, js)
	if err != nil {
		return text
	}
	return text + encodedPrefix + enc
}

// The decoded document, in the shape AWS documents for
// DecodeAuthorizationMessage (lists wrapped in {"items": [...]}).
type (
	items[T any] struct {
		Items []T `json:"items"`
	}
	value struct {
		Value string `json:"value"`
	}
	condition struct {
		Key    string       `json:"key"`
		Values items[value] `json:"values"`
	}
	matchedStatement struct {
		StatementID     string           `json:"statementId"`
		Effect          string           `json:"effect"`
		Principals      items[value]     `json:"principals"`
		PrincipalGroups items[value]     `json:"principalGroups"`
		Actions         items[value]     `json:"actions"`
		Resources       items[value]     `json:"resources"`
		Conditions      items[condition] `json:"conditions"`
	}
	principalInfo struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
		ARN  string `json:"arn"`
	}
	requestContext struct {
		Principal  principalInfo    `json:"principal"`
		Action     string           `json:"action"`
		Resource   string           `json:"resource"`
		Conditions items[condition] `json:"conditions"`
	}
	decisionDoc struct {
		Allowed           bool                    `json:"allowed"`
		ExplicitDeny      bool                    `json:"explicitDeny"`
		MatchedStatements items[matchedStatement] `json:"matchedStatements"`
		Failures          items[value]            `json:"failures"`
		Context           requestContext          `json:"context"`
	}
)

func values(vs []string) items[value] {
	out := items[value]{Items: make([]value, 0, len(vs))}
	for _, v := range vs {
		out.Items = append(out.Items, value{v})
	}
	return out
}

// decisionDocument describes a decision: the deciding statement of an
// explicit deny, the principal, action, resource and every condition key
// of the request.
func decisionDocument(d authz.Decision, req *authz.Request, set *authz.PolicySet, c *identity.Caller) *decisionDoc {
	doc := &decisionDoc{
		Allowed:           d.Allowed(),
		ExplicitDeny:      d.Effect == authz.ExplicitDeny,
		MatchedStatements: items[matchedStatement]{Items: []matchedStatement{}},
		Failures:          items[value]{Items: []value{}},
		Context: requestContext{
			Principal:  principalInfo{ID: c.UserID, ARN: c.ARN},
			Action:     req.Action,
			Resource:   req.Resource,
			Conditions: items[condition]{Items: []condition{}},
		},
	}
	if c.Type == identity.User || c.Type == identity.FederatedUser {
		doc.Context.Principal.Name = c.Name
	}
	if st := statementOf(d, set); st != nil {
		principal, _, _ := strings.Cut(c.UserID, ":")
		m := matchedStatement{
			StatementID: st.Sid, Effect: strings.ToUpper(st.Effect.String()),
			Principals: values([]string{principal}), PrincipalGroups: values(nil),
			Actions: values(st.Action), Resources: values(st.Resource), Conditions: items[condition]{Items: []condition{}},
		}
		for _, cond := range st.Conditions {
			m.Conditions.Items = append(m.Conditions.Items, condition{Key: cond.Key, Values: values(cond.Values)})
		}
		doc.MatchedStatements.Items = append(doc.MatchedStatements.Items, m)
	}
	req.Context.Each(func(name string, v policy.Value) {
		vs := make([]string, v.Len())
		for i := range vs {
			vs[i] = v.At(i)
		}
		doc.Context.Conditions.Items = append(doc.Context.Conditions.Items, condition{Key: name, Values: values(vs)})
	})
	return doc
}

// statementOf finds the deciding statement of an explicit deny.
func statementOf(d authz.Decision, set *authz.PolicySet) *policy.Statement {
	if d.Effect != authz.ExplicitDeny || d.Statement.Index < 0 {
		return nil
	}
	var refs []authz.PolicyRef
	switch d.Statement.Source {
	case authz.SourceIdentity:
		refs = set.Identity
	case authz.SourceSession:
		refs = set.Session
	case authz.SourceBoundary:
		if set.Boundary != nil {
			refs = []authz.PolicyRef{*set.Boundary}
		}
	case authz.SourceResource:
		if set.Resource != nil {
			refs = []authz.PolicyRef{*set.Resource}
		}
	case authz.SourceSCP:
		for _, level := range set.SCP {
			refs = append(refs, level...)
		}
	}
	for _, r := range refs {
		if r.ID == d.Statement.PolicyID && r.Policy != nil && d.Statement.Index < len(r.Policy.Statements) {
			return &r.Policy.Statements[d.Statement.Index]
		}
	}
	return nil
}
