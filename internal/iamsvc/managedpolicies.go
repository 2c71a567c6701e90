package iamsvc

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/arn"
	"github.com/iamd/iamd/internal/awsmanaged"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/policy"
	"github.com/iamd/iamd/internal/store"
)

// KindPolicy is a customer managed policy (top level, Name = policy name,
// ID = ANPA..., Path = policy path). Its versions live inside the record,
// so the store's compare-and-swap keeps the version invariants.
const KindPolicy = "policy"

// Managed policy quotas.
const (
	policyVersionIDPrefix    = "v"
	policyUsagePermissions   = "PermissionsPolicy"
	policyUsageBoundary      = "PermissionsBoundary"
	policyScopeAll           = "All"
	policyScopeAWS           = "AWS"
	policyScopeLocal         = "Local"
	entityFilterUser         = "User"
	entityFilterRole         = "Role"
	entityFilterGroup        = "Group"
	entityFilterLocalManaged = "LocalManagedPolicy"
	entityFilterAWSManaged   = "AWSManagedPolicy"
)

// ManagedPolicy is a customer managed policy with its versions.
type ManagedPolicy struct {
	PolicyName       string          `json:"name"`
	PolicyID         string          `json:"id"`
	Path             string          `json:"path"`
	ARN              string          `json:"arn"`
	Description      string          `json:"desc,omitempty"`
	DefaultVersionID string          `json:"default"`
	AttachmentCount  int32           `json:"attached"`
	CreateDate       time.Time       `json:"created"`
	UpdateDate       time.Time       `json:"updated"`
	Tags             []Tag           `json:"tags,omitempty"`
	Versions         []PolicyVersion `json:"versions"`
	// NextVersion numbers the next version (AWS never reuses version ids).
	NextVersion int `json:"next"`
	// PermissionsBoundaryUsageCount is computed on read (not stored).
	PermissionsBoundaryUsageCount int32 `json:"-"`
	// AWSManaged marks a policy of the AWS managed catalogue
	// (arn:aws:iam::aws:policy/...): never stored, never changed, its
	// AttachmentCount computed per calling account.
	AWSManaged bool `json:"-"`
}

// fromCatalog returns an AWS managed policy as a ManagedPolicy with its
// default version.
func fromCatalog(c *awsmanaged.Policy) *ManagedPolicy {
	return &ManagedPolicy{PolicyName: c.Name, PolicyID: c.ID, Path: c.Path, ARN: c.ARN, Description: c.Description,
		DefaultVersionID: c.DefaultVersionID, CreateDate: c.CreateDate, UpdateDate: c.UpdateDate, AWSManaged: true,
		Versions: []PolicyVersion{{VersionID: c.DefaultVersionID, Document: c.Document, CreateDate: c.VersionCreateDate}}}
}

// attachmentKinds are the kinds of managed-policy attachments (Name =
// policy ARN) counted for an AWS managed policy's AttachmentCount. Group
// attachments add their kind here.
var attachmentKinds = []string{KindUserAttachment, KindRoleAttachment, KindGroupAttachment}

// attachmentCounts counts, per policy ARN, the attachments in account.
func attachmentCounts(ctx context.Context, r store.Reader, account string) (map[string]int, error) {
	out := map[string]int{}
	for _, kind := range attachmentKinds {
		marker := ""
		for {
			pg, err := r.List(ctx, store.ListOptions{Account: account, Kind: kind, AnyParent: true, Marker: marker, Limit: 500})
			if err != nil {
				return nil, apierr.Internal(err)
			}
			for _, e := range pg.Items {
				out[e.Name]++
			}
			if pg.NextMarker == "" {
				break
			}
			marker = pg.NextMarker
		}
	}
	return out, nil
}

// refuseAWSManaged returns AWS's AccessDenied for an action that would
// change an AWS managed policy (the policy belongs to the aws account, so
// no caller's permissions reach it), nil for any other ARN.
func refuseAWSManaged(ctx context.Context, action, policyARN string) error {
	if !awsmanaged.IsAWSManaged(policyARN) {
		return nil
	}
	c, err := caller(ctx)
	if err != nil {
		return err
	}
	return apierr.AccessDenied(fmt.Sprintf("User: %s is not authorized to perform: %s on resource: policy %s because no resource-based policy allows the %s action",
		c.ARN, action, policyARN, action))
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	VersionID  string    `json:"id"`
	Document   string    `json:"doc"`
	CreateDate time.Time `json:"created"`
	// IsDefaultVersion is filled in on read from the policy's default.
	IsDefaultVersion bool `json:"-"`
}

// defaultDocument returns the default version's document.
func (p *ManagedPolicy) defaultDocument() string {
	for _, v := range p.Versions {
		if v.VersionID == p.DefaultVersionID {
			return v.Document
		}
	}
	return ""
}

// policyARNParts splits arn:aws:iam::ACCT:policy/path/name. ok is false
// when s is not parseable as an ARN at all (AWS's ValidationError);
// isPolicy is false for a parseable ARN that is no IAM policy ARN.
func policyARNParts(s string) (account, path, name string, ok, isPolicy bool) {
	a, err := arn.Parse(s)
	if err != nil {
		return "", "", "", false, false
	}
	if a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/") {
		return "", "", "", true, false
	}
	rest := a.Resource[len("policy"):]
	i := strings.LastIndexByte(rest, '/')
	path, name = rest[:i+1], rest[i+1:]
	if name == "" {
		return "", "", "", true, false
	}
	return a.AccountID, path, name, true, true
}

var errInvalidARN = apierr.ValidationError("Invalid ARN:  Could not be parsed!")

// lookupPolicy reads the customer managed policy named by policyARN in
// account. notFound builds the NoSuchEntity error for the call.
func lookupPolicy(ctx context.Context, r store.Reader, account, policyARN string, notFound func(string) error) (*ManagedPolicy, store.Entity, error) {
	acct, path, name, ok, isPolicy := policyARNParts(policyARN)
	if !ok {
		return nil, store.Entity{}, errInvalidARN
	}
	if isPolicy && acct == "aws" {
		c, found := awsmanaged.Lookup(policyARN)
		if !found {
			return nil, store.Entity{}, notFound(policyARN)
		}
		return fromCatalog(c), store.Entity{}, nil
	}
	if !isPolicy || acct != account {
		return nil, store.Entity{}, notFound(policyARN)
	}
	e, err := r.Get(ctx, store.Key{Account: account, Kind: KindPolicy, Name: name})
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, notFound(policyARN)
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	p, err := decode[ManagedPolicy](e)
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	if p.Path != path || p.PolicyName != name {
		// Names are case-insensitive keys, but an ARN names one exact
		// policy.
		return nil, e, notFound(policyARN)
	}
	return p, e, nil
}

func policyNotFound(a string) error { return apierr.NoSuchEntity("Policy %s was not found.", a) }

func policyNotAttachable(a string) error {
	return apierr.NoSuchEntity("Policy %s does not exist or is not attachable.", a)
}

func boundaryNotAttachable(a string) error {
	return apierr.NoSuchEntity("Scope ARN: %s does not exist or is not attachable.", a)
}

// checkBoundary verifies that boundaryARN names an existing managed
// policy of account (AWS's NoSuchEntity "Scope ARN: ..." otherwise).
func checkBoundary(ctx context.Context, r store.Reader, account, boundaryARN string) error {
	_, _, err := lookupPolicy(ctx, r, account, boundaryARN, boundaryNotAttachable)
	if ae, ok := apierr.As(err); ok && ae == errInvalidARN {
		return apierr.InvalidInput("ARN %s is not valid.", boundaryARN)
	}
	return err
}

// parseManaged validates a managed policy document: syntax and the
// PolicySize quota (6,144 characters by default, white space not counted).
func (s *Service) parseManaged(doc string) error {
	p, err := parsePolicy(doc, policy.Identity)
	if err != nil {
		return err
	}
	if p.Size > s.limits.PolicySize {
		return apierr.LimitExceeded("Cannot exceed quota for PolicySize: %d", s.limits.PolicySize)
	}
	return nil
}

// CreatePolicyInput is the domain input of CreatePolicy.
type CreatePolicyInput struct {
	PolicyName     string
	Path           string
	PolicyDocument string
	Description    string
	Tags           []Tag
	// Preserve keeps an imported policy's id and creation date.
	Preserve Preserved
	// Versions, when set (import), are the policy's versions with their
	// ids, documents and dates, replacing PolicyDocument; DefaultVersionID
	// names the default one and UpdateDate is kept.
	Versions         []PolicyVersion
	DefaultVersionID string
	UpdateDate       time.Time
}

// CreatePolicy creates a customer managed policy with version v1 (or, for
// an import, with the given versions).
func (s *Service) CreatePolicy(ctx context.Context, in *CreatePolicyInput) (*ManagedPolicy, error) {
	c0, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	policyARN := arnFor(c0.Account, "policy", in.Path, in.PolicyName)
	c, err := s.authorize(ctx, "iam:CreatePolicy", policyARN, requestTagKeys(in.Tags))
	if err != nil {
		return nil, err
	}
	versions, defaultID, next, err := s.importedVersions(in)
	if err != nil {
		return nil, err
	}
	tags, err := s.mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := in.Preserve.idFor(credential.PrefixManagedPolicy)
	if err != nil {
		return nil, err
	}
	p := &ManagedPolicy{PolicyName: in.PolicyName, PolicyID: id, Path: normPath(in.Path), ARN: policyARN, Description: in.Description,
		DefaultVersionID: defaultID, Tags: tags, NextVersion: next}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		n, err := tx.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindPolicy})
		if err != nil {
			return err
		}
		if n >= s.limits.PoliciesPerAccount {
			return apierr.LimitExceeded("Cannot exceed quota for PoliciesPerAccount: %d", s.limits.PoliciesPerAccount)
		}
		now := in.Preserve.date(s.now())
		p.CreateDate, p.UpdateDate = now, now
		if !in.UpdateDate.IsZero() {
			p.UpdateDate = in.UpdateDate.UTC().Truncate(1e6)
		}
		p.Versions = versions
		for i := range p.Versions {
			if p.Versions[i].CreateDate.IsZero() {
				p.Versions[i].CreateDate = now
			}
		}
		e := &store.Entity{Key: store.Key{Account: c.Account, Kind: KindPolicy, Name: p.PolicyName}, ID: p.PolicyID, Path: p.Path, Data: encode(p)}
		if err := tx.Create(ctx, e); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return p, nil
}

// importedVersions validates the versions of a CreatePolicy input: the
// one PolicyDocument as v1, or (import) up to five given versions with
// distinct ids "vN" and an existing default. It returns the versions, the
// default id and the next version number.
func (s *Service) importedVersions(in *CreatePolicyInput) ([]PolicyVersion, string, int, error) {
	if len(in.Versions) == 0 {
		if err := s.parseManaged(in.PolicyDocument); err != nil {
			return nil, "", 0, err
		}
		return []PolicyVersion{{VersionID: "v1", Document: in.PolicyDocument}}, "v1", 2, nil
	}
	if len(in.Versions) > s.limits.VersionsPerPolicy {
		return nil, "", 0, apierr.LimitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", s.limits.VersionsPerPolicy)
	}
	next, seen, hasDefault := 1, map[string]bool{}, false
	out := make([]PolicyVersion, len(in.Versions))
	for i, v := range in.Versions {
		n, err := strconv.Atoi(strings.TrimPrefix(v.VersionID, policyVersionIDPrefix))
		if !strings.HasPrefix(v.VersionID, policyVersionIDPrefix) || err != nil || n < 1 || seen[v.VersionID] || strconv.Itoa(n) != v.VersionID[1:] {
			return nil, "", 0, apierr.InvalidInput("Invalid policy version id %s.", v.VersionID)
		}
		seen[v.VersionID] = true
		if err := s.parseManaged(v.Document); err != nil {
			return nil, "", 0, err
		}
		next = max(next, n+1)
		hasDefault = hasDefault || v.VersionID == in.DefaultVersionID
		out[i] = PolicyVersion{VersionID: v.VersionID, Document: v.Document, CreateDate: v.CreateDate.UTC().Truncate(1e6)}
	}
	if !hasDefault {
		return nil, "", 0, apierr.InvalidInput("Default version %s is not one of the policy's versions.", in.DefaultVersionID)
	}
	return out, in.DefaultVersionID, next, nil
}

// policyForRead authorizes action on a managed policy and returns it (with
// PermissionsBoundaryUsageCount filled in).
func (s *Service) policyForRead(ctx context.Context, action, policyARN string, keys map[string][]string, notFound func(string) error) (*ManagedPolicy, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	p, _, err := lookupPolicy(ctx, s.store, c.Account, policyARN, notFound)
	if err != nil {
		if ae, ok := apierr.As(err); ok && ae == errInvalidARN {
			return nil, err
		}
		if _, aerr := s.authorize(ctx, action, policyARN, keys); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	if _, err := s.authorize(ctx, action, p.ARN, mergeKeys(keys, resourceTagKeys(p.Tags))); err != nil {
		return nil, err
	}
	return p, nil
}

// GetPolicy returns a customer managed policy.
func (s *Service) GetPolicy(ctx context.Context, policyARN string) (*ManagedPolicy, error) {
	p, err := s.policyForRead(ctx, "iam:GetPolicy", policyARN, nil, policyNotFound)
	if err != nil {
		return nil, err
	}
	usage, err := s.boundaryUsage(ctx, s.store, identityAccount(ctx))
	if err != nil {
		return nil, err
	}
	p.PermissionsBoundaryUsageCount = int32(usage[p.ARN])
	if p.AWSManaged {
		counts, err := attachmentCounts(ctx, s.store, identityAccount(ctx))
		if err != nil {
			return nil, err
		}
		p.AttachmentCount = int32(counts[p.ARN])
	}
	return p, nil
}

// boundaryUsage counts, per policy ARN, the users and roles of account
// that use it as permissions boundary (computed, so it is always exact).
func (s *Service) boundaryUsage(ctx context.Context, r store.Reader, account string) (map[string]int, error) {
	out := map[string]int{}
	for _, kind := range []string{KindUser, KindRole} {
		marker := ""
		for {
			p, err := r.List(ctx, store.ListOptions{Account: account, Kind: kind, Marker: marker, Limit: 500})
			if err != nil {
				return nil, apierr.Internal(err)
			}
			for _, e := range p.Items {
				b, err := decode[boundaryOnly](e)
				if err != nil {
					return nil, apierr.Internal(err)
				}
				if b.Boundary != "" {
					out[b.Boundary]++
				}
			}
			if p.NextMarker == "" {
				break
			}
			marker = p.NextMarker
		}
	}
	return out, nil
}

// boundaryOnly decodes just the boundary of a user or role record.
type boundaryOnly struct {
	Boundary string `json:"boundary"`
}

// updatePolicy authorizes action on a policy and applies change in a
// transaction.
func (s *Service) updatePolicy(ctx context.Context, action, policyARN string, keys map[string][]string, notFound func(string) error, change func(tx store.Tx, p *ManagedPolicy) error) (*ManagedPolicy, error) {
	if _, err := s.policyForRead(ctx, action, policyARN, keys, notFound); err != nil {
		return nil, err
	}
	if err := refuseAWSManaged(ctx, action, policyARN); err != nil {
		return nil, err
	}
	account := identityAccount(ctx)
	var out *ManagedPolicy
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, e, err := lookupPolicy(ctx, tx, account, policyARN, notFound)
		if err != nil {
			return err
		}
		if err := change(tx, p); err != nil {
			return err
		}
		e.Data = encode(p)
		out = p
		return tx.Put(ctx, &e)
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// DeletePolicy deletes a customer managed policy that is attached to no
// entity, used as no permissions boundary and has only its default
// version left.
func (s *Service) DeletePolicy(ctx context.Context, policyARN string) error {
	if _, err := s.policyForRead(ctx, "iam:DeletePolicy", policyARN, nil, policyNotFound); err != nil {
		return err
	}
	if err := refuseAWSManaged(ctx, "iam:DeletePolicy", policyARN); err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		p, e, err := lookupPolicy(ctx, tx, account, policyARN, policyNotFound)
		if err != nil {
			return err
		}
		if p.AttachmentCount > 0 {
			return apierr.New("DeleteConflict", "Cannot delete a policy attached to entities.")
		}
		usage, err := s.boundaryUsage(ctx, tx, account)
		if err != nil {
			return err
		}
		if usage[p.ARN] > 0 {
			return apierr.New("DeleteConflict", "Cannot delete a policy attached to entities.")
		}
		if len(p.Versions) > 1 {
			return apierr.New("DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.Delete(ctx, e.Key, e.Version)
	}))
}

// ListPoliciesInput is the domain input of ListPolicies.
type ListPoliciesInput struct {
	Scope             string
	OnlyAttached      bool
	PathPrefix        string
	PolicyUsageFilter string
	Marker            string
	MaxItems          *int32
}

// ListPolicies lists managed policies: the account's customer managed
// policies (Scope Local), the AWS managed catalogue (Scope AWS) or both
// (All, the default), with AttachmentCount and
// PermissionsBoundaryUsageCount counted in the caller's account.
func (s *Service) ListPolicies(ctx context.Context, in *ListPoliciesInput) (Page[ManagedPolicy], error) {
	c, err := caller(ctx)
	if err != nil {
		return Page[ManagedPolicy]{}, err
	}
	if _, err := s.authorize(ctx, "iam:ListPolicies", arnFor(c.Account, "policy", "/", "*"), nil); err != nil {
		return Page[ManagedPolicy]{}, err
	}
	var all []ManagedPolicy
	if in.Scope != policyScopeAWS {
		if all, err = listAll[ManagedPolicy](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindPolicy, PathPrefix: in.PathPrefix}); err != nil {
			return Page[ManagedPolicy]{}, err
		}
	}
	usage, err := s.boundaryUsage(ctx, s.store, c.Account)
	if err != nil {
		return Page[ManagedPolicy]{}, err
	}
	if in.Scope != policyScopeLocal {
		counts, err := attachmentCounts(ctx, s.store, c.Account)
		if err != nil {
			return Page[ManagedPolicy]{}, err
		}
		for _, cp := range awsmanaged.All() {
			if !strings.HasPrefix(cp.Path, in.PathPrefix) {
				continue
			}
			p := fromCatalog(&cp)
			p.AttachmentCount = int32(counts[p.ARN])
			all = append(all, *p)
		}
	}
	kept := all[:0]
	for _, p := range all {
		p.PermissionsBoundaryUsageCount = int32(usage[p.ARN])
		if in.OnlyAttached && p.AttachmentCount == 0 {
			continue
		}
		if in.PolicyUsageFilter == policyUsageBoundary && p.PermissionsBoundaryUsageCount == 0 {
			continue
		}
		kept = append(kept, p)
	}
	key := func(p ManagedPolicy) string { return strings.ToLower(p.PolicyName) + "\x00" + p.ARN }
	sort.Slice(kept, func(i, j int) bool { return key(kept[i]) < key(kept[j]) })
	return offsetPage(kept, key, in.Marker, in.MaxItems)
}

// listAll lists every entity matching opts, decoded.
func listAll[T any](ctx context.Context, r store.Reader, opts store.ListOptions) ([]T, error) {
	var out []T
	opts.Limit = 500
	for {
		p, err := listPage[T](ctx, r, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.IsTruncated {
			return out, nil
		}
		opts.Marker = p.Marker
	}
}

// offsetPage pages an in-memory listing sorted by key: the marker is the
// (opaque) key of the last item returned, so it stays valid when items
// are inserted concurrently.
func offsetPage[T any](items []T, key func(T) string, marker string, maxItems *int32) (Page[T], error) {
	start := 0
	if marker != "" {
		b, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil {
			return Page[T]{}, apierr.ValidationError("Invalid value for parameter Marker")
		}
		after := string(b)
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > after })
	}
	limit := pageLimit(maxItems)
	end := min(start+limit, len(items))
	out := Page[T]{Items: append([]T{}, items[start:end]...)}
	if end < len(items) {
		out.IsTruncated = true
		out.Marker = base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	}
	return out, nil
}

// CreatePolicyVersion adds a version to a policy (at most five versions),
// optionally making it the default.
func (s *Service) CreatePolicyVersion(ctx context.Context, policyARN, doc string, setAsDefault bool) (*PolicyVersion, error) {
	if _, err := s.policyForRead(ctx, "iam:CreatePolicyVersion", policyARN, nil, policyNotFound); err != nil {
		return nil, err
	}
	if err := refuseAWSManaged(ctx, "iam:CreatePolicyVersion", policyARN); err != nil {
		return nil, err
	}
	if err := s.parseManaged(doc); err != nil {
		return nil, err
	}
	var out PolicyVersion
	_, err := s.updatePolicy(ctx, "iam:CreatePolicyVersion", policyARN, nil, policyNotFound, func(_ store.Tx, p *ManagedPolicy) error {
		if len(p.Versions) >= s.limits.VersionsPerPolicy {
			return apierr.LimitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", s.limits.VersionsPerPolicy)
		}
		now := s.now().UTC().Truncate(1e6)
		out = PolicyVersion{VersionID: policyVersionIDPrefix + strconv.Itoa(p.NextVersion), Document: doc, CreateDate: now}
		p.NextVersion++
		p.Versions = append(p.Versions, out)
		if setAsDefault {
			p.DefaultVersionID = out.VersionID
			p.UpdateDate = now
		}
		out.IsDefaultVersion = setAsDefault
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func noSuchVersion(policyARN, versionID string) error {
	return apierr.NoSuchEntity("Policy %s version %s does not exist or is not attachable.", policyARN, versionID)
}

// GetPolicyVersion returns one version of a policy.
func (s *Service) GetPolicyVersion(ctx context.Context, policyARN, versionID string) (*PolicyVersion, error) {
	p, err := s.policyForRead(ctx, "iam:GetPolicyVersion", policyARN, nil, policyNotFound)
	if err != nil {
		return nil, err
	}
	for _, v := range p.Versions {
		if v.VersionID == versionID {
			v.IsDefaultVersion = v.VersionID == p.DefaultVersionID
			return &v, nil
		}
	}
	return nil, noSuchVersion(p.ARN, versionID)
}

// ListPolicyVersions lists a policy's versions, newest first (as AWS).
func (s *Service) ListPolicyVersions(ctx context.Context, policyARN, marker string, maxItems *int32) (Page[PolicyVersion], error) {
	p, err := s.policyForRead(ctx, "iam:ListPolicyVersions", policyARN, nil, policyNotFound)
	if err != nil {
		return Page[PolicyVersion]{}, err
	}
	vs := make([]PolicyVersion, 0, len(p.Versions))
	for i := len(p.Versions) - 1; i >= 0; i-- {
		v := p.Versions[i]
		v.IsDefaultVersion = v.VersionID == p.DefaultVersionID
		vs = append(vs, v)
	}
	// Versions are few (at most 5): page by position, keyed by a
	// zero-padded reverse order so keys sort like the slice.
	return offsetPage(vs, func(v PolicyVersion) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(v.VersionID, policyVersionIDPrefix))
		return strconv.FormatInt(int64(1<<31-n), 36)
	}, marker, maxItems)
}

// DeletePolicyVersion deletes a non-default version of a policy.
func (s *Service) DeletePolicyVersion(ctx context.Context, policyARN, versionID string) error {
	_, err := s.updatePolicy(ctx, "iam:DeletePolicyVersion", policyARN, nil, policyNotFound, func(_ store.Tx, p *ManagedPolicy) error {
		for i, v := range p.Versions {
			if v.VersionID != versionID {
				continue
			}
			if v.VersionID == p.DefaultVersionID {
				return apierr.New("DeleteConflict", "Cannot delete the default version of a policy.")
			}
			p.Versions = append(p.Versions[:i:i], p.Versions[i+1:]...)
			return nil
		}
		return noSuchVersion(p.ARN, versionID)
	})
	return err
}

// SetDefaultPolicyVersion makes an existing version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, policyARN, versionID string) error {
	_, err := s.updatePolicy(ctx, "iam:SetDefaultPolicyVersion", policyARN, nil, policyNotFound, func(_ store.Tx, p *ManagedPolicy) error {
		for _, v := range p.Versions {
			if v.VersionID == versionID {
				p.DefaultVersionID = versionID
				p.UpdateDate = s.now().UTC().Truncate(1e6)
				return nil
			}
		}
		return noSuchVersion(p.ARN, versionID)
	})
	return err
}

// TagPolicy adds or replaces tags on a policy.
func (s *Service) TagPolicy(ctx context.Context, policyARN string, tags []Tag) error {
	_, err := s.updatePolicy(ctx, "iam:TagPolicy", policyARN, requestTagKeys(tags), policyNotFound, func(_ store.Tx, p *ManagedPolicy) error {
		merged, err := s.mergeTags(p.Tags, tags)
		if err != nil {
			return err
		}
		p.Tags = merged
		return nil
	})
	return err
}

// UntagPolicy removes tags from a policy.
func (s *Service) UntagPolicy(ctx context.Context, policyARN string, keys []string) error {
	_, err := s.updatePolicy(ctx, "iam:UntagPolicy", policyARN, map[string][]string{"aws:TagKeys": keys}, policyNotFound, func(_ store.Tx, p *ManagedPolicy) error {
		p.Tags = removeTags(p.Tags, keys)
		return nil
	})
	return err
}

// ListPolicyTags lists a policy's tags.
func (s *Service) ListPolicyTags(ctx context.Context, policyARN string) ([]Tag, error) {
	p, err := s.policyForRead(ctx, "iam:ListPolicyTags", policyARN, nil, policyNotFound)
	if err != nil {
		return nil, err
	}
	return p.Tags, nil
}
