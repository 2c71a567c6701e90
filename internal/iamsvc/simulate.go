package iamsvc

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/policy"
)

// This file implements the policy simulator: SimulateCustomPolicy,
// SimulatePrincipalPolicy, GetContextKeysForCustomPolicy and
// GetContextKeysForPrincipalPolicy. The evaluation itself (Simulate) is
// pure and also serves the offline `iamd policy simulate` command.

// SourcePolicyType values of MatchedStatements (and EvalDecisionDetails keys)
// for policies passed as strings.
const (
	// SourceTypeIAMPolicy marks identity-based policies given in
	// PolicyInputList (and managed policies).
	SourceTypeIAMPolicy = "IAM Policy"
	// SourceTypeBoundary marks the permissions boundary.
	SourceTypeBoundary = "PermissionsBoundaryPolicy"
	// SourceTypeResource marks the resource-based policy.
	SourceTypeResource = "Resource Policy"
)

// ContextEntry is one ContextEntries member of a simulation: a condition
// key, its values and their type (string, stringList, numeric, numericList,
// boolean, booleanList, ip, ipList, binary, binaryList, date, dateList).
type ContextEntry struct {
	Name   string
	Values []string
	Type   string
}

// Simulation is a fully assembled simulation request: the policies (raw
// documents, each with the id and type reported in MatchedStatements) and
// the request parameters. Simulate evaluates it.
type Simulation struct {
	// Identity are the identity-based policies.
	Identity []PolicyDoc
	// Boundary is the permissions boundary, nil if none.
	Boundary *PolicyDoc
	// SCPs holds service control policies, one slice per organization
	// level (root first, account last); nil when none apply.
	SCPs [][]PolicyDoc
	// ResourcePolicy is the resource-based policy, nil if none.
	ResourcePolicy *PolicyDoc
	// Actions are the action names to simulate ("service:Action").
	Actions []string
	// Resources are the resource ARNs; empty means "*".
	Resources []string
	// ResourceOwner is the account (12 digits or arn:aws:iam::ACCT:root)
	// that owns resources whose ARN names no account; "" means the
	// caller's account.
	ResourceOwner string
	// CallerARN is the simulated caller (IAM user, role or group ARN); ""
	// for an anonymous-free caller of Account.
	CallerARN string
	// Account is the simulated caller's account when CallerARN is empty.
	Account string
	// Context holds the ContextEntries.
	Context []ContextEntry
	// PrincipalTags become aws:PrincipalTag/* keys unless Context sets
	// them.
	PrincipalTags []Tag
}

// MatchedStatement is one statement that determined a simulation result.
type MatchedStatement struct {
	// SourcePolicyID is the policy's id (PolicyInputList.N, an inline
	// policy name, a managed policy ARN, ...).
	SourcePolicyID string
	// SourcePolicyType is the policy's type ("IAM Policy", "user", ...).
	SourcePolicyType string
	// Sid is the statement's Sid, "" if none (not part of the AWS shape;
	// the CLI prints it).
	Sid string
	// Start and End are AWS's StartPosition and EndPosition.
	Start, End policy.Position
}

// ResourceResult is a ResourceSpecificResult.
type ResourceResult struct {
	Resource        string
	Decision        string
	Matched         []MatchedStatement
	Missing         []string
	DecisionDetails map[string]string
	// BoundaryAllowed is PermissionsBoundaryDecisionDetail, nil when no
	// boundary applies.
	BoundaryAllowed *bool
	// Decider is the statement that decided (the deny of an explicit deny,
	// the first granting allow), of any policy type including SCPs; nil
	// when none did. Not part of the AWS shape; the CLI prints it.
	Decider *MatchedStatement
}

// EvaluationResult is the simulation result of one action.
type EvaluationResult struct {
	Action   string
	Resource string
	Decision string
	Matched  []MatchedStatement
	Missing  []string
	// DecisionDetails is EvalDecisionDetails: nil when the simulation
	// names no resource, empty for same-account resources, one decision
	// per policy type for cross-account ones.
	DecisionDetails map[string]string
	// BoundaryAllowed is PermissionsBoundaryDecisionDetail, nil when no
	// boundary applies.
	BoundaryAllowed *bool
	// OrganizationsAllowed is OrganizationsDecisionDetail, nil when no
	// SCPs apply.
	OrganizationsAllowed *bool
	// Resources are the ResourceSpecificResults, nil when the simulation
	// names no resource ("*").
	Resources []ResourceResult
	// Decider is the deciding statement of the first resource with the
	// aggregate decision (see ResourceResult.Decider).
	Decider *MatchedStatement
}

// compiled is a parsed PolicyDoc.
type compiled struct {
	doc *PolicyDoc
	ref authz.PolicyRef
}

// allowNothing stands in for a stored policy whose document could not be
// read (PrincipalPolicies returns an empty document): it matches no
// action, so a boundary made of it allows nothing.
const allowNothing = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}`

// parseDoc parses a document as kind and returns AWS's
// MalformedPolicyDocument error for a bad one.
func parseDoc(d *PolicyDoc, kind policy.Kind) (compiled, error) {
	doc := d.Document
	if doc == "" {
		doc = allowNothing
	}
	p, err := parsePolicy(doc, kind)
	if err != nil {
		return compiled{}, err
	}
	return compiled{doc: d, ref: authz.PolicyRef{ID: d.ID, Kind: kind, Policy: p}}, nil
}

// Simulate evaluates every action of sim against every resource, as
// SimulateCustomPolicy and SimulatePrincipalPolicy do, and returns one
// EvaluationResult per action. Errors are *apierr.Error values:
// MalformedPolicyDocument for a bad policy, InvalidInput for a bad context
// entry, action name or caller.
func Simulate(sim *Simulation) ([]EvaluationResult, error) {
	set := &authz.PolicySet{}
	// types maps (source, policy id) to the reported policy type and the
	// compiled policy (to learn a matched statement's effect).
	type key struct {
		src authz.Source
		id  string
	}
	pols := map[key]compiled{}
	for i := range sim.Identity {
		c, err := parseDoc(&sim.Identity[i], policy.Inline)
		if err != nil {
			return nil, err
		}
		// Identity policies of different owners may share a name (a user's
		// and its group's inline policy "p"): the engine sees a unique id,
		// results report the policy's own.
		c.ref.ID = strconv.Itoa(i) + "/" + c.ref.ID
		set.Identity = append(set.Identity, c.ref)
		pols[key{authz.SourceIdentity, c.ref.ID}] = c
	}
	if sim.Boundary != nil {
		c, err := parseDoc(sim.Boundary, policy.Boundary)
		if err != nil {
			return nil, err
		}
		set.Boundary = &c.ref
		pols[key{authz.SourceBoundary, c.ref.ID}] = c
	}
	for _, level := range sim.SCPs {
		var refs []authz.PolicyRef
		for i := range level {
			c, err := parseDoc(&level[i], policy.SCP)
			if err != nil {
				return nil, err
			}
			refs = append(refs, c.ref)
			pols[key{authz.SourceSCP, c.ref.ID}] = c
		}
		set.SCP = append(set.SCP, refs)
	}
	if sim.ResourcePolicy != nil {
		c, err := parseDoc(sim.ResourcePolicy, policy.Resource)
		if err != nil {
			return nil, err
		}
		set.Resource = &c.ref
		pols[key{authz.SourceResource, c.ref.ID}] = c
		if sim.CallerARN == "" {
			return nil, apierr.InvalidInput("Invalid Input: CallerArn must be specified when a ResourcePolicy is provided.")
		}
	}
	// MissingContextValues leaves out keys only SCPs reference, as AWS
	// does. (The trace does not tell which policy type missed a key; a key
	// also referenced by another policy type is kept.)
	nonSCPKeys := map[string]bool{}
	for _, c := range pols {
		if c.ref.Kind == policy.SCP {
			continue
		}
		for _, k := range c.ref.Policy.ContextKeys() {
			nonSCPKeys[strings.ToLower(k)] = true
		}
	}
	principal, err := simPrincipal(sim.CallerARN, sim.Account)
	if err != nil {
		return nil, err
	}
	owner, err := ownerAccount(sim.ResourceOwner)
	if err != nil {
		return nil, err
	}
	var ctx policy.Context
	if err := fillSimContext(&ctx, sim.Context, sim.PrincipalTags); err != nil {
		return nil, err
	}
	for _, a := range sim.Actions {
		if err := checkActionName(a); err != nil {
			return nil, err
		}
	}
	resources := sim.Resources
	star := len(resources) == 0
	if star {
		resources = []string{"*"}
	}
	out := make([]EvaluationResult, 0, len(sim.Actions))
	req := &authz.Request{Principal: principal}
	var tr authz.Trace
	for _, action := range sim.Actions {
		er := EvaluationResult{Action: action, Resource: "*"}
		if len(resources) == 1 {
			er.Resource = resources[0]
		}
		if set.SCP != nil {
			t := true
			er.OrganizationsAllowed = &t
		}
		agg := authz.Allowed
		var rrs []ResourceResult
		for _, res := range resources {
			req.Action, req.Resource = action, res
			req.ResourceAccount = resourceAccount(res, owner, principal.Account)
			req.Context.Reset()
			copyContext(&req.Context, &ctx)
			tr.Matched, tr.Missing = tr.Matched[:0], tr.Missing[:0]
			d := authz.EvaluateTrace(req, set, &tr)
			rr := ResourceResult{Resource: res, Decision: d.Effect.String(), Missing: []string{}, Matched: []MatchedStatement{}}
			for _, k := range tr.Missing {
				if nonSCPKeys[strings.ToLower(k)] {
					rr.Missing = append(rr.Missing, k)
				}
			}
			for _, m := range tr.Matched {
				c, ok := pols[key{m.Source, m.PolicyID}]
				if !ok || !contributes(d.Effect, m.Source, c.ref.Policy.Statements[m.Index].Effect) {
					continue
				}
				rr.Matched = append(rr.Matched, matchedStatement(m, c.doc))
			}
			if d.Statement.Index >= 0 {
				if c, ok := pols[key{d.Statement.Source, d.Statement.PolicyID}]; ok {
					m := matchedStatement(d.Statement, c.doc)
					rr.Decider = &m
				}
			}
			if set.Boundary != nil {
				b := d.AllowedByBoundary
				rr.BoundaryAllowed = &b
			}
			if set.SCP != nil && !d.AllowedByOrganizations {
				f := false
				er.OrganizationsAllowed = &f
			}
			rr.DecisionDetails = map[string]string{}
			if req.ResourceAccount != principal.Account && res != "*" {
				rr.DecisionDetails = decisionDetails(d)
			}
			if restrictiveness(d.Effect) > restrictiveness(agg) {
				agg = d.Effect
			}
			rrs = append(rrs, rr)
		}
		er.Decision = agg.String()
		er.Matched = []MatchedStatement{}
		er.Missing = []string{}
		for _, rr := range rrs {
			if rr.Decision == er.Decision {
				er.Matched = appendStatements(er.Matched, rr.Matched)
				if er.Decider == nil {
					er.Decider = rr.Decider
				}
			}
			er.Missing = appendKeys(er.Missing, rr.Missing)
			if rr.BoundaryAllowed != nil {
				if er.BoundaryAllowed == nil {
					b := true
					er.BoundaryAllowed = &b
				}
				if !*rr.BoundaryAllowed {
					*er.BoundaryAllowed = false
				}
			}
		}
		if !star {
			er.Resources = rrs
			er.DecisionDetails = map[string]string{}
			for _, rr := range rrs {
				for k, v := range rr.DecisionDetails {
					if old, ok := er.DecisionDetails[k]; !ok || decisionRank(v) > decisionRank(old) {
						er.DecisionDetails[k] = v
					}
				}
			}
		}
		out = append(out, er)
	}
	return out, nil
}

// contributes reports whether a matched statement of effect eff in a policy
// of type src determined a decision: the Deny statements of an explicit
// deny, the Allow statements of identity-based and resource-based policies
// of an allow (AWS leaves SCP statements out), nothing for an implicit deny.
func contributes(d authz.Effect, src authz.Source, eff policy.Effect) bool {
	switch d {
	case authz.ExplicitDeny:
		return eff == policy.Deny && src != authz.SourceSCP && src != authz.SourceRCP
	case authz.Allowed:
		return eff == policy.Allow && (src == authz.SourceIdentity || src == authz.SourceResource || src == authz.SourceSession)
	}
	return false
}

// matchedStatement converts a trace entry. AWS reports StartPosition one
// column after the statement's opening brace (and EndPosition just after
// its closing brace), as recorded from AWS: for
// {"Version":"2012-10-17","Statement":{...}} the statement starting at
// column 37 is reported at column 38.
func matchedStatement(m authz.StatementRef, d *PolicyDoc) MatchedStatement {
	start := m.Start
	start.Column++
	return MatchedStatement{SourcePolicyID: d.ID, SourcePolicyType: d.Type, Sid: m.Sid, Start: start, End: m.End}
}

func restrictiveness(e authz.Effect) int {
	switch e {
	case authz.ExplicitDeny:
		return 2
	case authz.ImplicitDeny:
		return 1
	}
	return 0
}

func decisionRank(s string) int {
	switch s {
	case "explicitDeny":
		return 2
	case "implicitDeny":
		return 1
	}
	return 0
}

// decisionDetails returns EvalDecisionDetails of a cross-account decision:
// the decision of each policy type that took part.
func decisionDetails(d authz.Decision) map[string]string {
	m := map[string]string{}
	one := func(src authz.Source, name string) {
		if !d.Evaluated.Has(src) {
			return
		}
		switch {
		case d.Effect == authz.ExplicitDeny && d.Reason == src:
			m[name] = "explicitDeny"
		case d.NoAllow.Has(src):
			m[name] = "implicitDeny"
		default:
			m[name] = "allowed"
		}
	}
	one(authz.SourceIdentity, SourceTypeIAMPolicy)
	one(authz.SourceResource, SourceTypeResource)
	one(authz.SourceBoundary, SourceTypeBoundary)
	return m
}

func appendStatements(dst, src []MatchedStatement) []MatchedStatement {
outer:
	for _, s := range src {
		for _, d := range dst {
			if d.SourcePolicyID == s.SourcePolicyID && d.SourcePolicyType == s.SourcePolicyType && d.Start == s.Start {
				continue outer
			}
		}
		dst = append(dst, s)
	}
	return dst
}

func appendKeys(dst, src []string) []string {
outer:
	for _, s := range src {
		for _, d := range dst {
			if strings.EqualFold(d, s) {
				continue outer
			}
		}
		dst = append(dst, s)
	}
	return dst
}

// copyContext copies every key of src into dst.
func copyContext(dst, src *policy.Context) {
	src.Each(func(name string, v policy.Value) {
		if v.Multi() {
			vs := make([]string, v.Len())
			for i := range vs {
				vs[i] = v.At(i)
			}
			dst.SetNamedMulti(name, vs)
			return
		}
		s, _ := v.Single()
		dst.SetNamed(name, s)
	})
}

// checkActionName rejects action names without a service prefix or with
// wildcards, which the simulator does not evaluate.
func checkActionName(a string) error {
	i := strings.IndexByte(a, ':')
	if i <= 0 || i == len(a)-1 || strings.ContainsAny(a, "*?") {
		return apierr.InvalidInput("Invalid action name %s. Action names must be of the form service:Action and must not contain wildcards.", a)
	}
	return nil
}

// simPrincipal builds the simulated caller from CallerArn: an IAM user, a
// role (simulated as a session of the role), a group or the root user.
func simPrincipal(callerARN, account string) (authz.Principal, error) {
	if callerARN == "" {
		return authz.Principal{Type: policy.User, Account: account}, nil
	}
	const prefix = "arn:aws:iam::"
	rest, ok := strings.CutPrefix(callerARN, prefix)
	if !ok || len(rest) < 13 || rest[12] != ':' || !allDigits(rest[:12]) {
		return authz.Principal{}, apierr.InvalidInput("Invalid CallerArn: %s", callerARN)
	}
	acct, res := rest[:12], rest[13:]
	if res == "root" {
		return authz.Principal{Type: policy.Root, ARN: callerARN, Account: acct, UserID: acct}, nil
	}
	typ, path, ok := strings.Cut(res, "/")
	if !ok || path == "" {
		return authz.Principal{}, apierr.InvalidInput("Invalid CallerArn: %s", callerARN)
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	switch typ {
	case "user", "group":
		return authz.Principal{Type: policy.User, ARN: callerARN, Account: acct, Username: name}, nil
	case "role":
		return authz.Principal{Type: policy.AssumedRole, ARN: "arn:aws:sts::" + acct + ":assumed-role/" + name + "/" + name, Account: acct, RoleARN: callerARN}, nil
	}
	return authz.Principal{}, apierr.InvalidInput("Invalid CallerArn: %s. CallerArn must be the ARN of an IAM user, group or role.", callerARN)
}

// ownerAccount parses ResourceOwner: an account id or
// arn:aws:iam::ACCOUNT:root.
func ownerAccount(owner string) (string, error) {
	if owner == "" {
		return "", nil
	}
	if len(owner) == 12 && allDigits(owner) {
		return owner, nil
	}
	if rest, ok := strings.CutPrefix(owner, "arn:aws:iam::"); ok {
		if acct, ok := strings.CutSuffix(rest, ":root"); ok && len(acct) == 12 && allDigits(acct) {
			return acct, nil
		}
	}
	return "", apierr.InvalidInput("Invalid ResourceOwner: %s", owner)
}

// resourceAccount returns the account owning resource: the ARN's account
// field, else the resource owner, else the caller's account.
func resourceAccount(resource, owner, caller string) string {
	if parts := strings.SplitN(resource, ":", 6); len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	if owner != "" {
		return owner
	}
	return caller
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// contextKeyTypes are the ContextKeyType values and whether each is a list.
var contextKeyTypes = map[string]bool{
	"string": false, "stringList": true,
	"numeric": false, "numericList": true,
	"boolean": false, "booleanList": true,
	"ip": false, "ipList": true,
	"binary": false, "binaryList": true,
	"date": false, "dateList": true,
}

// ParseContextValue checks one ContextKeyValues member against its
// ContextKeyType (either the single or the List form) and returns it in
// the form the policy engine compares: numbers, booleans, IP addresses,
// dates and base64 binary values as given, after validation. It returns an
// InvalidInput *apierr.Error for a value that is not of the type.
func ParseContextValue(typ, value string) (string, error) {
	base := strings.TrimSuffix(typ, "List")
	bad := func() (string, error) {
		return "", apierr.InvalidInput("Invalid value %s for context key type %s.", value, typ)
	}
	switch base {
	case "", "string":
		return value, nil
	case "numeric":
		if !validNumber(value) {
			return bad()
		}
	case "boolean":
		if !strings.EqualFold(value, "true") && !strings.EqualFold(value, "false") {
			return bad()
		}
		return strings.ToLower(value), nil
	case "ip":
		if _, err := netip.ParsePrefix(value); err != nil {
			if _, err := netip.ParseAddr(value); err != nil {
				return bad()
			}
		}
	case "binary":
		if _, err := base64.StdEncoding.DecodeString(value); err != nil {
			return bad()
		}
	case "date":
		if !validDate(value) {
			return bad()
		}
	default:
		return "", apierr.InvalidInput("Invalid context key type %s.", typ)
	}
	return value, nil
}

// validNumber accepts a decimal number: an optional sign, digits with an
// optional fraction, and an optional exponent.
func validNumber(v string) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		digits++
	}
	if i < len(v) && v[i] == '.' {
		i++
		for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(v)
}

// validDate accepts the date forms IAM conditions compare: ISO 8601
// date-times (with or without fractional seconds and zone), plain dates and
// epoch seconds.
func validDate(v string) bool {
	if v == "" {
		return false
	}
	if allDigits(v) {
		return true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z", "2006-01-02"} {
		if _, err := time.Parse(layout, v); err == nil {
			return true
		}
	}
	return false
}

// fillSimContext sets the context entries (validated) and the principal
// tags into c.
func fillSimContext(c *policy.Context, entries []ContextEntry, tags []Tag) error {
	for _, t := range tags {
		c.SetNamed("aws:PrincipalTag/"+t.Key, t.Value)
	}
	for _, e := range entries {
		if e.Name == "" {
			return apierr.InvalidInput("Invalid context entry: ContextKeyName is required.")
		}
		list, ok := contextKeyTypes[e.Type]
		if e.Type == "" {
			list, ok = len(e.Values) > 1, true
		}
		if !ok {
			return apierr.InvalidInput("Invalid context key type %s for context key %s.", e.Type, e.Name)
		}
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			pv, err := ParseContextValue(e.Type, v)
			if err != nil {
				return apierr.InvalidInput("Invalid value %s for context key %s of type %s.", v, e.Name, e.Type)
			}
			vals[i] = pv
		}
		switch {
		case list:
			c.SetNamedMulti(e.Name, vals)
		case len(vals) == 1:
			c.SetNamed(e.Name, vals[0])
		case len(vals) > 1:
			return apierr.InvalidInput("Context key %s of type %s accepts a single value; use %sList for several.", e.Name, e.Type, e.Type)
		}
	}
	return nil
}

// ContextKeys returns the condition keys the documents reference, each
// once (compared case-insensitively) in the spelling and order of their
// first occurrence, as GetContextKeysForCustomPolicy returns them.
func ContextKeys(docs []PolicyDoc) ([]string, error) {
	keys := []string{}
	for i := range docs {
		p, err := parsePolicy(docs[i].Document, policy.Inline)
		if err != nil {
			return nil, err
		}
		keys = appendKeys(keys, p.ContextKeys())
	}
	return keys, nil
}

// inputDocs names the policies of a PolicyInputList-style parameter
// name.1, name.2, ...
func inputDocs(name, typ string, docs []string) []PolicyDoc {
	out := make([]PolicyDoc, len(docs))
	for i, d := range docs {
		out[i] = PolicyDoc{ID: name + "." + strconv.Itoa(i+1), Type: typ, Document: d}
	}
	return out
}

// SimulateInput is the domain input of SimulateCustomPolicy and
// SimulatePrincipalPolicy.
type SimulateInput struct {
	// PolicySourceARN is the principal (SimulatePrincipalPolicy only).
	PolicySourceARN                    string
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	// SCPs is OrderedOrganizationPolicyInputList: SCP documents per
	// organization level, root first.
	SCPs                   [][]string
	ActionNames            []string
	ResourceArns           []string
	ResourcePolicy         string
	ResourceOwner          string
	CallerArn              string
	ContextEntries         []ContextEntry
	ResourceHandlingOption string
	// Exclusions is PolicyExclusionList (SimulatePrincipalPolicy only).
	Exclusions []PolicyExclusion
	Marker     string
	MaxItems   *int32
}

// PolicyExclusion is one PolicyExclusionList member: exactly one of
// PolicyType, PolicyARN or the inline policy identifier (PolicyName,
// AttachmentType, AttachmentName) is set.
type PolicyExclusion struct {
	// PolicyType is inline, aws-managed, user-managed,
	// permission-boundary, scp or rcp.
	PolicyType string
	// PolicyARN is a managed policy ARN; the resource name may hold one
	// '*' and any number of '?'.
	PolicyARN string
	// PolicyName, AttachmentType (user, group, role) and AttachmentName
	// (wildcards allowed) identify inline policies.
	PolicyName, AttachmentType, AttachmentName string
}

// isInlineType reports whether a PolicyDoc.Type marks an inline policy.
func isInlineType(typ string) bool { return typ == "user" || typ == "group" || typ == "role" }

// wildMatch matches s against a pattern of '*' and '?' wildcards.
func wildMatch(pat, s string) bool {
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if wildMatch(pat[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			pat, s = pat[1:], s[1:]
		default:
			if s == "" || s[0] != pat[0] {
				return false
			}
			pat, s = pat[1:], s[1:]
		}
	}
	return s == ""
}

// checkExclusion validates one PolicyExclusionList member.
func checkExclusion(x PolicyExclusion) error {
	set := 0
	if x.PolicyType != "" {
		set++
	}
	if x.PolicyARN != "" {
		set++
	}
	if x.PolicyName != "" || x.AttachmentType != "" || x.AttachmentName != "" {
		set++
	}
	if set != 1 {
		return apierr.InvalidInput("Invalid PolicyExclusionList entry: specify exactly one of PolicyType, PolicyArn or InlinePolicyIdentifier.")
	}
	switch {
	case x.PolicyType != "":
		switch x.PolicyType {
		case "inline", "aws-managed", "user-managed", "permission-boundary", "scp", "rcp":
			return nil
		}
		return apierr.InvalidInput("Invalid PolicyExclusionList entry: unknown PolicyType %s.", x.PolicyType)
	case x.PolicyARN != "":
		rest, ok := strings.CutPrefix(x.PolicyARN, "arn:aws:iam::")
		acct, name, ok2 := strings.Cut(rest, ":policy/")
		if !ok || !ok2 || (acct != "aws" && !(len(acct) == 12 && allDigits(acct))) || name == "" || strings.Count(name, "*") > 1 {
			return apierr.InvalidInput("Invalid PolicyExclusionList entry: invalid PolicyArn %s.", x.PolicyARN)
		}
	default:
		if x.PolicyName == "" || !isInlineType(x.AttachmentType) || x.AttachmentName == "" || strings.Count(x.AttachmentName, "*") > 1 {
			return apierr.InvalidInput("Invalid PolicyExclusionList entry: InlinePolicyIdentifier needs PolicyName, AttachmentType (user, group or role) and AttachmentName.")
		}
	}
	return nil
}

// excluded reports whether the principal's policy d (attached to the
// entity named entity) matches exclusion x.
func excluded(x PolicyExclusion, d *PolicyDoc, entity string, boundary bool) bool {
	switch {
	case x.PolicyType != "":
		switch x.PolicyType {
		case "inline":
			return !boundary && isInlineType(d.Type)
		case "aws-managed":
			return !boundary && strings.HasPrefix(d.ID, "arn:aws:iam::aws:policy/")
		case "user-managed":
			return !boundary && !isInlineType(d.Type) && strings.HasPrefix(d.ID, "arn:") && !strings.HasPrefix(d.ID, "arn:aws:iam::aws:policy/")
		case "permission-boundary":
			return boundary
		}
		return false
	case x.PolicyARN != "":
		return !boundary && !isInlineType(d.Type) && wildMatch(x.PolicyARN, d.ID)
	}
	if d.Owner != "" {
		// An inline policy of one of the user's groups.
		entity = d.Owner
	}
	return !boundary && d.Type == x.AttachmentType && d.ID == x.PolicyName && wildMatch(x.AttachmentName, entity)
}

// applyExclusions drops the principal's policies that in.Exclusions name.
// Inline policies are taken as attached to the principal itself (entity)
// unless they name their owning group.
func applyExclusions(pp *PrincipalPolicies, xs []PolicyExclusion, entity string) (*PrincipalPolicies, error) {
	if len(xs) == 0 {
		return pp, nil
	}
	for _, x := range xs {
		if err := checkExclusion(x); err != nil {
			return nil, err
		}
	}
	out := &PrincipalPolicies{Tags: pp.Tags, Boundary: pp.Boundary}
	for i := range pp.Identity {
		d := &pp.Identity[i]
		drop := false
		for _, x := range xs {
			drop = drop || excluded(x, d, entity, false)
		}
		if !drop {
			out.Identity = append(out.Identity, *d)
		}
	}
	if out.Boundary != nil {
		for _, x := range xs {
			if excluded(x, out.Boundary, entity, true) {
				out.Boundary = nil
				break
			}
		}
	}
	return out, nil
}

// simulation assembles the string-given policies of in.
func (in *SimulateInput) simulation(account string) (*Simulation, error) {
	sim := &Simulation{
		Identity:      inputDocs("PolicyInputList", SourceTypeIAMPolicy, in.PolicyInputList),
		Actions:       in.ActionNames,
		Resources:     in.ResourceArns,
		ResourceOwner: in.ResourceOwner,
		CallerARN:     in.CallerArn,
		Account:       account,
		Context:       in.ContextEntries,
	}
	if len(sim.Resources) == 1 && sim.Resources[0] == "*" {
		sim.Resources = nil
	}
	switch len(in.PermissionsBoundaryPolicyInputList) {
	case 0:
	case 1:
		b := inputDocs("PermissionsBoundaryPolicyInputList", SourceTypeBoundary, in.PermissionsBoundaryPolicyInputList)[0]
		sim.Boundary = &b
	default:
		return nil, apierr.InvalidInput("Only one permissions boundary policy can be specified in PermissionsBoundaryPolicyInputList.")
	}
	for i, level := range in.SCPs {
		sim.SCPs = append(sim.SCPs, inputDocs(fmt.Sprintf("OrderedOrganizationPolicyInputList.%d.ServiceControlPolicyInputList", i+1), "SCP", level))
	}
	if in.ResourcePolicy != "" {
		sim.ResourcePolicy = &PolicyDoc{ID: "ResourcePolicy", Type: SourceTypeResource, Document: in.ResourcePolicy}
	}
	return sim, nil
}

// SimulateCustomPolicy simulates string-given policies. It needs
// iam:SimulateCustomPolicy (no resource-level permission: resource "*").
func (s *Service) SimulateCustomPolicy(ctx context.Context, in *SimulateInput) (Page[EvaluationResult], error) {
	c, err := s.authorize(ctx, "iam:SimulateCustomPolicy", "*", nil)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	sim, err := in.simulation(c.Account)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	return runPaged(sim, in.Marker, in.MaxItems)
}

// SimulatePrincipalPolicy simulates the policies of the principal named by
// in.PolicySourceARN (its identity-based policies and permissions boundary,
// the boundary replaced by one given in PermissionsBoundaryPolicyInputList)
// together with in.PolicyInputList. It needs iam:SimulatePrincipalPolicy
// on the principal.
func (s *Service) SimulatePrincipalPolicy(ctx context.Context, in *SimulateInput) (Page[EvaluationResult], error) {
	c, err := s.authorize(ctx, "iam:SimulatePrincipalPolicy", in.PolicySourceARN, nil)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	pp, err := s.PrincipalPolicies(ctx, c.Account, in.PolicySourceARN)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	_, entity, _ := parsePrincipalARN(c.Account, in.PolicySourceARN)
	if pp, err = applyExclusions(pp, in.Exclusions, entity); err != nil {
		return Page[EvaluationResult]{}, err
	}
	sim, err := in.simulation(c.Account)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	sim.Identity = append(append([]PolicyDoc(nil), pp.Identity...), sim.Identity...)
	if sim.Boundary == nil {
		sim.Boundary = pp.Boundary
	}
	if sim.CallerARN == "" {
		typ, _, _ := parsePrincipalARN(c.Account, in.PolicySourceARN)
		if typ == "user" || typ == "role" {
			sim.CallerARN = in.PolicySourceARN
		} else if sim.ResourcePolicy != nil {
			return Page[EvaluationResult]{}, apierr.InvalidInput("Invalid Input: CallerArn must be specified when a ResourcePolicy is provided and PolicySourceArn is not a user or role.")
		}
	}
	if sim.CallerARN == in.PolicySourceARN {
		sim.PrincipalTags = pp.Tags
	}
	if s.orgs != nil {
		// The principal's organization's SCPs take part, as in AWS
		// (OrganizationsDecisionDetail).
		levels, err := s.orgs.SCPDocs(ctx, c.Account)
		if err != nil {
			return Page[EvaluationResult]{}, err
		}
		if levels != nil {
			sim.SCPs = levels
		}
	}
	return runPaged(sim, in.Marker, in.MaxItems)
}

// runPaged simulates and returns the page of results after marker.
func runPaged(sim *Simulation, marker string, maxItems *int32) (Page[EvaluationResult], error) {
	start := 0
	if marker != "" {
		n, err := strconv.Atoi(marker)
		if err != nil || n <= 0 || n >= len(sim.Actions) {
			return Page[EvaluationResult]{}, apierr.ValidationError("Invalid value for parameter Marker")
		}
		start = n
	}
	end := min(len(sim.Actions), start+pageLimit(maxItems))
	// Validate every action, not only this page's, so each page fails the
	// same way.
	for _, a := range sim.Actions {
		if err := checkActionName(a); err != nil {
			return Page[EvaluationResult]{}, err
		}
	}
	page := *sim
	page.Actions = sim.Actions[start:end]
	res, err := Simulate(&page)
	if err != nil {
		return Page[EvaluationResult]{}, err
	}
	out := Page[EvaluationResult]{Items: res}
	if end < len(sim.Actions) {
		out.IsTruncated, out.Marker = true, strconv.Itoa(end)
	}
	return out, nil
}

// GetContextKeysForCustomPolicy returns the condition keys the documents
// reference. It needs iam:GetContextKeysForCustomPolicy.
func (s *Service) GetContextKeysForCustomPolicy(ctx context.Context, docs []string) ([]string, error) {
	if _, err := s.authorize(ctx, "iam:GetContextKeysForCustomPolicy", "*", nil); err != nil {
		return nil, err
	}
	return ContextKeys(inputDocs("PolicyInputList", SourceTypeIAMPolicy, docs))
}

// GetContextKeysForPrincipalPolicy returns the condition keys the
// identity-based policies of the principal and docs reference. It needs
// iam:GetContextKeysForPrincipalPolicy on the principal.
func (s *Service) GetContextKeysForPrincipalPolicy(ctx context.Context, principalARN string, docs []string) ([]string, error) {
	c, err := s.authorize(ctx, "iam:GetContextKeysForPrincipalPolicy", principalARN, nil)
	if err != nil {
		return nil, err
	}
	pp, err := s.PrincipalPolicies(ctx, c.Account, principalARN)
	if err != nil {
		return nil, err
	}
	return ContextKeys(append(append([]PolicyDoc(nil), pp.Identity...), inputDocs("PolicyInputList", SourceTypeIAMPolicy, docs)...))
}
