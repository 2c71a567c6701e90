package authz

import (
	"strings"

	"github.com/iamd/iamd/internal/policy"
)

// Allowed reports whether the request is allowed.
func (d Decision) Allowed() bool { return d.Effect == Allowed }

// Evaluate decides req against set following AWS's policy evaluation logic.
// It fills req.Context's principal-derived keys when absent. It allocates
// nothing.
func Evaluate(req *Request, set *PolicySet) Decision {
	return EvaluateTrace(req, set, nil)
}

// Trace collects simulation detail (SimulatePrincipalPolicy /
// SimulateCustomPolicy) during EvaluateTrace. Reuse one by truncating its
// slices.
type Trace struct {
	// Matched holds every statement that matched the request, in evaluation
	// order (RCP, SCP, resource, identity, boundary, session).
	Matched []StatementRef
	// Missing holds condition keys (as written in the policies) referenced
	// by statements that matched the action and resource, which the context
	// lacked; each at most once.
	Missing []string

	pt policy.Trace
}

// noPermissionActions need no authorization at all.
func noPermissionAction(action string) bool {
	return strings.EqualFold(action, "sts:GetCallerIdentity")
}

// FillContext sets the principal-derived global condition keys that are not
// already present: aws:PrincipalArn (the role ARN for a role session),
// aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username (IAM
// users), aws:PrincipalIsAWSService, aws:PrincipalServiceName (service
// principals) and aws:ResourceAccount. Evaluate calls it.
func FillContext(req *Request) {
	c := &req.Context
	p := &req.Principal
	setIf := func(k policy.Key, v string) {
		if v != "" && !c.Has(k) {
			c.Set(k, v)
		}
	}
	switch p.Type {
	case policy.Service:
		setIf(policy.KeyPrincipalIsAWSService, "true")
		setIf(policy.KeyPrincipalServiceName, p.ARN)
	case policy.Anonymous:
	default:
		arn := p.ARN
		if p.Type == policy.AssumedRole && p.RoleARN != "" {
			arn = p.RoleARN
		}
		setIf(policy.KeyPrincipalArn, arn)
		setIf(policy.KeyPrincipalAccount, p.Account)
		setIf(policy.KeyPrincipalType, p.Type.String())
		setIf(policy.KeyUserID, p.UserID)
		if p.Type == policy.User {
			setIf(policy.KeyUsername, p.Username)
		}
		setIf(policy.KeyPrincipalIsAWSService, "false")
	}
	ra := req.ResourceAccount
	if ra == "" {
		ra = p.Account
	}
	setIf(policy.KeyResourceAccount, ra)
}

// polResult is the outcome of evaluating the policies of one slot.
type polResult struct {
	allow, deny  StatementRef
	hasAllow     bool
	hasDeny      bool
	allowMatch   policy.PrincipalMatch
	evaluated    bool
	allLevelsAll bool // SCP/RCP: every level had an allow
}

type evaluator struct {
	preq policy.Request
	t    *Trace
}

func ref(src Source, pr *PolicyRef, i int) StatementRef {
	st := &pr.Policy.Statements[i]
	return StatementRef{Source: src, PolicyID: pr.ID, Index: i, Sid: st.Sid, Start: st.Start, End: st.End}
}

// one evaluates a single policy and folds it into r.
func (e *evaluator) one(src Source, pr *PolicyRef, r *polResult) {
	if pr == nil || pr.Policy == nil {
		return
	}
	var res policy.Result
	if e.t != nil {
		e.t.pt.Matched = e.t.pt.Matched[:0]
		res = pr.Policy.EvaluateTrace(&e.preq, &e.t.pt)
		for _, i := range e.t.pt.Matched {
			e.t.Matched = append(e.t.Matched, ref(src, pr, i))
		}
	} else {
		res = pr.Policy.Evaluate(&e.preq)
	}
	if res.Deny >= 0 && !r.hasDeny {
		r.hasDeny = true
		r.deny = ref(src, pr, res.Deny)
	}
	if res.Allow >= 0 {
		if !r.hasAllow || res.AllowMatch > r.allowMatch {
			r.allow = ref(src, pr, res.Allow)
		}
		r.hasAllow = true
		if res.AllowMatch > r.allowMatch {
			r.allowMatch = res.AllowMatch
		}
	}
}

func (e *evaluator) list(src Source, prs []PolicyRef, r *polResult) {
	r.evaluated = true
	for i := range prs {
		e.one(src, &prs[i], r)
	}
}

// levels evaluates SCPs or RCPs: an allow is needed at every level.
func (e *evaluator) levels(src Source, lv [][]PolicyRef, r *polResult) {
	if lv == nil {
		return
	}
	r.evaluated = true
	r.allLevelsAll = true
	for _, level := range lv {
		var lr polResult
		for i := range level {
			e.one(src, &level[i], &lr)
		}
		if lr.hasDeny && !r.hasDeny {
			r.hasDeny, r.deny = true, lr.deny
		}
		if !lr.hasAllow {
			r.allLevelsAll = false
		} else if !r.hasAllow {
			r.hasAllow, r.allow = true, lr.allow
		}
	}
	r.hasAllow = r.allLevelsAll
}

// EvaluateTrace is Evaluate that also records, when t is not nil, every
// matched statement and missing context key in t.
//
// The flow is AWS's: an explicit deny in any applicable policy wins; then
// RCPs and SCPs must allow at every level of the organization; then, in
// the same account, a resource-based policy that names the caller's user,
// role session or federated user session ARN allows on its own, one that
// names the role (or the IAM user behind a federated user) or "*" still
// needs the permissions boundary and session policies, and one that names
// only the account delegates to identity-based policies; otherwise
// identity-based policies must allow, then the permissions boundary (if
// any), then the session policies (role sessions without session policies
// pass; federated user sessions need one). Across accounts both the
// resource-based policy and the caller's identity side must allow. Role
// trust policies (PolicyRef.Kind policy.Trust) must allow even in the same
// account. The root user is allowed in its own account unless a deny or
// an RCP/SCP forbids it.
func EvaluateTrace(req *Request, set *PolicySet, t *Trace) Decision {
	d := Decision{Statement: StatementRef{Index: -1}, AllowedByBoundary: true, AllowedByOrganizations: true}
	FillContext(req)
	if noPermissionAction(req.Action) {
		d.Effect = Allowed
		return d
	}
	if set == nil {
		set = &PolicySet{}
	}
	e := evaluator{
		preq: policy.Request{Principal: &req.Principal, Action: req.Action, Resource: req.Resource, Context: &req.Context},
		t:    t,
	}
	if e.preq.Resource == "" {
		e.preq.Resource = "*"
	}
	var rcp, scp, res, id, bnd, ses polResult
	e.levels(SourceRCP, set.RCP, &rcp)
	e.levels(SourceSCP, set.SCP, &scp)
	if set.Resource != nil && set.Resource.Policy != nil {
		res.evaluated = true
		e.one(SourceResource, set.Resource, &res)
	}
	e.list(SourceIdentity, set.Identity, &id)
	if set.Boundary != nil && set.Boundary.Policy != nil {
		bnd.evaluated = true
		e.one(SourceBoundary, set.Boundary, &bnd)
	}
	isSession := req.Type == policy.AssumedRole || req.Type == policy.FederatedUser
	if len(set.Session) > 0 {
		e.list(SourceSession, set.Session, &ses)
	}
	if t != nil {
		// t.pt collected the missing keys of all policies, each once.
		t.Missing = append(t.Missing, t.pt.Missing...)
		t.pt.Missing = t.pt.Missing[:0]
	}

	all := [...]struct {
		src Source
		r   *polResult
	}{{SourceRCP, &rcp}, {SourceSCP, &scp}, {SourceResource, &res}, {SourceIdentity, &id}, {SourceBoundary, &bnd}, {SourceSession, &ses}}
	for _, x := range all {
		if x.r.evaluated {
			d.Evaluated.add(x.src)
			if !x.r.hasAllow {
				d.NoAllow.add(x.src)
			}
		}
	}
	if bnd.evaluated {
		d.AllowedByBoundary = bnd.hasAllow && !bnd.hasDeny
	}
	if scp.evaluated {
		d.AllowedByOrganizations = scp.hasAllow && !scp.hasDeny
	}

	// 1. Explicit deny anywhere.
	for _, x := range all {
		if x.r.hasDeny {
			d.Effect = ExplicitDeny
			d.Reason = x.src
			d.Statement = x.r.deny
			return d
		}
	}
	implicit := func(src Source) Decision {
		d.Effect = ImplicitDeny
		d.Reason = src
		return d
	}
	// 2. Organizations: RCPs (resource side) and SCPs (principal side).
	if rcp.evaluated && !rcp.hasAllow {
		return implicit(SourceRCP)
	}
	if scp.evaluated && !scp.hasAllow {
		return implicit(SourceSCP)
	}
	allowBy := func(r *polResult, src Source) Decision {
		d.Effect = Allowed
		d.Reason = src
		d.Statement = r.allow
		return d
	}
	trust := set.Resource != nil && set.Resource.Kind == policy.Trust
	resAllow := res.hasAllow
	switch req.Type {
	case policy.Anonymous, policy.Service, policy.WebIdentity, policy.SAML:
		// Principals without identity-based policies: only the
		// resource-based policy can grant.
		if resAllow && res.allowMatch != policy.MatchNone {
			return allowBy(&res, SourceResource)
		}
		return implicit(SourceResource)
	}
	sameAccount := req.ResourceAccount == "" || req.ResourceAccount == req.Account

	// The caller's own side: identity, boundary, session.
	identitySide := func() (Source, bool) {
		if req.Type == policy.Root {
			return SourceNone, true
		}
		if !id.hasAllow {
			return SourceIdentity, false
		}
		if bnd.evaluated && !bnd.hasAllow {
			return SourceBoundary, false
		}
		if isSession {
			if ses.evaluated {
				if !ses.hasAllow {
					return SourceSession, false
				}
			} else if req.Type == policy.FederatedUser {
				return SourceSession, false
			}
		}
		return SourceNone, true
	}

	if !sameAccount {
		// Cross-account: both sides must allow.
		if src, ok := identitySide(); !ok {
			return implicit(src)
		}
		if !resAllow || res.allowMatch == policy.MatchNone {
			return implicit(SourceResource)
		}
		if req.Type == policy.Root || !id.hasAllow {
			return allowBy(&res, SourceResource)
		}
		return allowBy(&id, SourceIdentity)
	}

	if req.Type == policy.Root {
		if trust && !resAllow {
			return implicit(SourceResource)
		}
		d.Effect = Allowed
		return d
	}

	// Same account: a resource-based policy can allow on its own.
	if resAllow {
		switch res.allowMatch {
		case policy.MatchExact:
			return allowBy(&res, SourceResource)
		case policy.MatchRole, policy.MatchWildcard:
			if bnd.evaluated && !bnd.hasAllow {
				return implicit(SourceBoundary)
			}
			if isSession {
				if ses.evaluated && !ses.hasAllow {
					return implicit(SourceSession)
				}
				if !ses.evaluated && req.Type == policy.FederatedUser {
					return implicit(SourceSession)
				}
			}
			return allowBy(&res, SourceResource)
		}
	}
	if trust && !resAllow {
		return implicit(SourceResource)
	}
	if src, ok := identitySide(); !ok {
		return implicit(src)
	}
	return allowBy(&id, SourceIdentity)
}

// AccessDeniedMessage returns AWS's AccessDenied message for a denied
// request, e.g. "User: arn:aws:iam::123456789012:user/alice is not
// authorized to perform: iam:CreateRole on resource:
// arn:aws:iam::123456789012:role/x because no identity-based policy allows
// the iam:CreateRole action". The " on resource: ..." part is left out when
// the resource is "*" or empty. An explicit deny in an identity-based
// policy, SCP or RCP whose PolicyRef.ID is an ARN ends with ": <ARN>". It
// returns "" for an allowed request.
func (d Decision) AccessDeniedMessage(req *Request) string {
	if d.Effect == Allowed {
		return ""
	}
	who := req.Principal.ARN
	if req.Type == policy.Anonymous || who == "" {
		who = "anonymous"
	}
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(who)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(req.Action)
	if req.Resource != "" && req.Resource != "*" {
		b.WriteString(" on resource: ")
		b.WriteString(req.Resource)
	}
	trustDeny := d.Reason == SourceResource && strings.EqualFold(req.Action[:min(len(req.Action), 14)], "sts:AssumeRole")
	switch {
	case d.Effect == ExplicitDeny && trustDeny:
		b.WriteString(" with an explicit deny in the role trust policy")
	case d.Effect == ExplicitDeny:
		b.WriteString(" with an explicit deny in ")
		b.WriteString(article(d.Reason))
		b.WriteString(d.Reason.String())
		if id := d.Statement.PolicyID; strings.HasPrefix(id, "arn:") &&
			(d.Reason == SourceIdentity || d.Reason == SourceSCP || d.Reason == SourceRCP) {
			b.WriteString(": ")
			b.WriteString(id)
		}
	case d.Reason == SourceNone || trustDeny:
		// No reason to give (AssumeRole refused by a trust policy).
	default:
		b.WriteString(" because no ")
		b.WriteString(d.Reason.String())
		b.WriteString(" allows the ")
		b.WriteString(req.Action)
		b.WriteString(" action")
	}
	return b.String()
}

func article(s Source) string {
	if s == SourceIdentity {
		return "an "
	}
	return "a "
}
