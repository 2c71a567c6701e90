package enforce

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/orgsvc"
	"github.com/iamd/iamd/internal/policy"
)

// Enforcer is the policy-engine Authorizer.
type Enforcer struct {
	iam   *iamsvc.Service
	now   func() time.Time
	cache *Cache
	reqs  sync.Pool
	// orgs supplies SCPs, RCPs and organization condition keys (nil: no
	// Organizations).
	orgs *orgsvc.Service
	msgs MessageSealer
}

// SetOrganizations makes the organization's policies and keys take part in
// every decision.
func (e *Enforcer) SetOrganizations(o *orgsvc.Service) { e.orgs = o }

// New returns an Enforcer that reads principals' policies through iam.
func New(iam *iamsvc.Service, now func() time.Time) *Enforcer {
	if now == nil {
		now = time.Now
	}
	e := &Enforcer{iam: iam, now: now, cache: NewCache(8192)}
	e.reqs.New = func() any { return new(authz.Request) }
	return e
}

// principalType maps identity types to the engine's.
func principalType(t identity.Type) policy.PrincipalType {
	switch t {
	case identity.Root:
		return policy.Root
	case identity.User:
		return policy.User
	case identity.AssumedRole:
		return policy.AssumedRole
	case identity.FederatedUser:
		return policy.FederatedUser
	case identity.WebIdentity:
		return policy.WebIdentity
	case identity.SAMLUser:
		return policy.SAML
	}
	return policy.Anonymous
}

// Authorize implements iamsvc.Authorizer.
func (e *Enforcer) Authorize(ctx context.Context, r *iamsvc.AuthzRequest) error {
	c := r.Caller
	if err := sessionRestrictions(c, r.Action); err != nil {
		return err
	}
	var set authz.PolicySet
	var principalTags []iamsvc.Tag
	if c.Type != identity.Root && c.Type != identity.WebIdentity && c.Type != identity.SAMLUser {
		pp, err := e.iam.PrincipalPolicies(ctx, c.Account, c.PrincipalARN)
		if err != nil {
			if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
				pp = &iamsvc.PrincipalPolicies{}
			} else {
				return err
			}
		}
		principalTags = pp.Tags
		set.Identity = make([]authz.PolicyRef, 0, len(pp.Identity))
		for _, d := range pp.Identity {
			p, err := e.cache.Compile(d.Document, policy.Inline)
			if err != nil {
				// A stored document that no longer compiles grants nothing
				// (fail closed).
				continue
			}
			set.Identity = append(set.Identity, authz.PolicyRef{ID: d.ID, Kind: policy.Identity, Policy: p})
		}
		if pp.Boundary != nil {
			p, err := e.cache.Compile(pp.Boundary.Document, policy.Boundary)
			if err != nil {
				p = nil
			}
			set.Boundary = &authz.PolicyRef{ID: pp.Boundary.ID, Kind: policy.Boundary, Policy: p}
			if p == nil {
				// An unusable boundary allows nothing.
				set.Boundary.Policy, _ = e.cache.Compile(denyAll, policy.Boundary)
			}
		}
	}
	for i, doc := range c.SessionPolicies {
		p, err := e.cache.Compile(doc, policy.Session)
		if err != nil {
			p, _ = e.cache.Compile(denyAll, policy.Session)
		}
		set.Session = append(set.Session, authz.PolicyRef{ID: "session-policy-" + strconv.Itoa(i+1), Kind: policy.Session, Policy: p})
	}
	e.managedSessionPolicies(ctx, c, &set)
	if r.ResourcePolicy != "" {
		kind := policy.Resource
		if r.ResourcePolicyIsTrust {
			kind = policy.Trust
		}
		p, err := e.cache.Compile(r.ResourcePolicy, kind)
		if err == nil {
			set.Resource = &authz.PolicyRef{ID: r.ResourcePolicyID, Kind: kind, Policy: p}
		}
	}
	var principalOrg, resourceOrg *orgsvc.AccountView
	if e.orgs != nil {
		v, err := e.orgs.View(ctx)
		if err != nil {
			return err
		}
		resourceAccount := r.ResourceAccount
		if resourceAccount == "" {
			resourceAccount = c.Account
		}
		principalOrg, resourceOrg = v.Account(c.Account), v.Account(resourceAccount)
		if principalOrg != nil {
			// SCPs limit every principal of a member account (nil for the
			// management account).
			set.SCP = principalOrg.SCP
		}
		if resourceOrg != nil && rcpApplies(r.Action) {
			set.RCP = resourceOrg.RCP
		}
	}
	req := e.reqs.Get().(*authz.Request)
	defer e.reqs.Put(req)
	e.fill(ctx, req, r, principalTags)
	if principalOrg != nil {
		req.Context.Set(policy.KeyPrincipalOrgID, principalOrg.OrgID)
		req.Context.SetMulti(policy.KeyPrincipalOrgPaths, principalOrg.Paths)
	}
	if resourceOrg != nil {
		req.Context.Set(policy.KeyResourceOrgID, resourceOrg.OrgID)
		req.Context.SetMulti(policy.KeyResourceOrgPaths, resourceOrg.Paths)
	}
	d := authz.Evaluate(req, &set)
	if d.Allowed() {
		return nil
	}
	return apierr.AccessDenied(e.deniedMessage(d, req, &set, c))
}

// rcpApplies reports whether resource control policies govern action: of
// the services iamd implements, AWS applies RCPs to STS only (not to IAM).
func rcpApplies(action string) bool {
	return len(action) > 4 && strings.EqualFold(action[:4], "sts:")
}

// denyAll is a boundary that allows nothing.
const denyAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`

// fill builds the engine request: principal, action, resource and the
// global condition keys iamd populates for every request.
func (e *Enforcer) fill(ctx context.Context, req *authz.Request, r *iamsvc.AuthzRequest, principalTags []iamsvc.Tag) {
	c := r.Caller
	req.Context.Reset()
	req.Principal = authz.Principal{ARN: c.ARN, Account: c.Account, Type: principalType(c.Type), UserID: c.UserID}
	if c.Type == identity.User {
		req.Principal.Username = c.Name
	}
	if c.Type == identity.AssumedRole {
		req.Principal.RoleARN = c.PrincipalARN
	}
	req.Action = r.Action
	req.Resource = r.Resource
	req.ResourceAccount = r.ResourceAccount
	ctxv := &req.Context
	now := e.now()
	if rf := identity.RequestFrom(ctx); rf != nil {
		if !rf.Time.IsZero() {
			now = rf.Time
		}
		if rf.SourceIP != "" {
			ctxv.Set(policy.KeySourceIP, rf.SourceIP)
		}
		ctxv.Set(policy.KeySecureTransport, strconv.FormatBool(rf.Secure))
		if rf.Region != "" {
			ctxv.Set(policy.KeyRequestedRegion, rf.Region)
		}
		if rf.UserAgent != "" {
			ctxv.Set(policy.KeyUserAgent, rf.UserAgent)
		}
	}
	ctxv.Set(policy.KeyCurrentTime, now.UTC().Format(time.RFC3339))
	ctxv.Set(policy.KeyEpochTime, strconv.FormatInt(now.Unix(), 10))
	ctxv.Set(policy.KeyViaAWSService, "false")
	if c.Temporary || c.MFAAuthenticated {
		// Long-term keys carry no MFA key at all (AWS); sessions say whether
		// MFA was used, and AssumeRole with a valid code sets it for the
		// trust-policy decision.
		ctxv.Set(policy.KeyMultiFactorAuthPresent, strconv.FormatBool(c.MFAAuthenticated))
		if c.MFAAuthenticated && !c.MFAAuthTime.IsZero() {
			ctxv.Set(policy.KeyMultiFactorAuthAge, strconv.FormatInt(max(0, int64(now.Sub(c.MFAAuthTime)/time.Second)), 10))
		}
		if !c.TokenIssueTime.IsZero() {
			ctxv.Set(policy.KeyTokenIssueTime, c.TokenIssueTime.UTC().Format(time.RFC3339))
		}
	}
	if c.SourceIdentity != "" {
		ctxv.Set(policy.KeySourceIdentity, c.SourceIdentity)
	}
	// aws:PrincipalTag: the user's or role's tags, overridden by session
	// tags of the same key (compared case-insensitively, as AWS does).
	for _, t := range principalTags {
		if !hasTagFold(c.Tags, t.Key) {
			ctxv.SetNamed("aws:PrincipalTag/"+t.Key, t.Value)
		}
	}
	for _, t := range c.Tags {
		ctxv.SetNamed("aws:PrincipalTag/"+t.Key, t.Value)
	}
	// Web identity keys of a session (HOST/PATH:sub, ...); a key repeated
	// in the list is multivalued (amr).
	for i, t := range c.ProviderKeys {
		if i > 0 && c.ProviderKeys[i-1].Key == t.Key {
			continue
		}
		n := 1
		for n < len(c.ProviderKeys)-i && c.ProviderKeys[i+n].Key == t.Key {
			n++
		}
		if n == 1 {
			ctxv.SetNamed(t.Key, t.Value)
		} else {
			vals := make([]string, n)
			for j := range vals {
				vals[j] = c.ProviderKeys[i+j].Value
			}
			ctxv.SetNamedMulti(t.Key, vals)
		}
	}
	for k, v := range r.Context {
		if len(v) == 1 {
			ctxv.SetNamed(k, v[0])
		} else {
			ctxv.SetNamedMulti(k, v)
		}
	}
}

// Cache holds compiled policies keyed by kind and document text, so a
// decision never re-parses a policy.
type Cache struct {
	mu  sync.RWMutex
	max int
	m   map[cacheKey]*policy.Policy
}

type cacheKey struct {
	kind policy.Kind
	doc  string
}

// NewCache returns a cache of at most max compiled policies.
func NewCache(max int) *Cache { return &Cache{max: max, m: make(map[cacheKey]*policy.Policy)} }

// Compile returns the compiled form of doc, parsing it on first use.
func (c *Cache) Compile(doc string, kind policy.Kind) (*policy.Policy, error) {
	k := cacheKey{kind, doc}
	c.mu.RLock()
	p, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := policy.Parse(doc, kind)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		// Simple bound: start over. Entries are re-compiled on demand.
		clear(c.m)
	}
	c.m[k] = p
	c.mu.Unlock()
	return p, nil
}

// sessionRestrictions applies the limits AWS puts on GetSessionToken
// credentials: no IAM calls without MFA, and of STS only AssumeRole and
// GetCallerIdentity.
func sessionRestrictions(c *identity.Caller, action string) error {
	if c.SessionKind != "GetSessionToken" && c.SessionKind != "GetFederationToken" {
		return nil
	}
	lower := strings.ToLower(action)
	if c.SessionKind == "GetFederationToken" {
		return federationRestrictions(c, action)
	}
	switch {
	case strings.HasPrefix(lower, "iam:") && !c.MFAAuthenticated:
		return apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: " + action +
			" because IAM calls with GetSessionToken credentials require MFA authentication")
	case strings.HasPrefix(lower, "sts:") && lower != "sts:assumerole" && lower != "sts:getcalleridentity":
		return apierr.AccessDenied("User: " + c.ARN + " is not authorized to perform: " + action +
			" with GetSessionToken credentials")
	}
	return nil
}

func hasTagFold(tags []identity.Tag, key string) bool {
	for _, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return true
		}
	}
	return false
}
