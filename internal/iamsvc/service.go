package iamsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
)

// Limits are IAM quotas. Zero values take AWS's defaults.
type Limits struct {
	UsersPerAccount   int
	AccessKeysPerUser int
	TagsPerResource   int
	// GroupsPerAccount is AWS's GroupsPerAccount quota (default 300).
	GroupsPerAccount int
	// GroupsPerUser is how many groups a user can belong to (default 10).
	GroupsPerUser int
}

func (l Limits) withDefaults() Limits {
	if l.UsersPerAccount == 0 {
		l.UsersPerAccount = 5000
	}
	if l.AccessKeysPerUser == 0 {
		l.AccessKeysPerUser = 2
	}
	if l.TagsPerResource == 0 {
		l.TagsPerResource = 50
	}
	if l.GroupsPerAccount == 0 {
		l.GroupsPerAccount = 300
	}
	if l.GroupsPerUser == 0 {
		l.GroupsPerUser = 10
	}
	return l
}

// Authorizer decides whether the caller in ctx may perform action on
// resource. It returns nil or an *apierr.Error (AccessDenied with AWS's
// message).
type Authorizer interface {
	Authorize(ctx context.Context, req *AuthzRequest) error
}

// AuthzRequest is one authorization question asked by this service.
type AuthzRequest struct {
	Caller *identity.Caller
	// Action is the IAM action, e.g. "iam:CreateUser".
	Action string
	// Resource is the ARN the action applies to.
	Resource string
	// ResourceAccount owns Resource.
	ResourceAccount string
	// Context holds action-specific condition keys (aws:RequestTag/...,
	// aws:TagKeys, iam:PermissionsBoundary, ...), multi-valued.
	Context map[string][]string
	// ResourcePolicy is the resource's own policy document, if it has one
	// (a role's trust policy for sts:AssumeRole*), with ResourcePolicyID
	// naming it and ResourcePolicyIsTrust telling a trust policy.
	ResourcePolicy        string
	ResourcePolicyID      string
	ResourcePolicyIsTrust bool
}

// RootOnly is the Authorizer used before policies take part: an account's
// root user may do everything in its own account and nobody else anything.
type RootOnly struct{}

// Authorize implements Authorizer.
func (RootOnly) Authorize(_ context.Context, r *AuthzRequest) error {
	if r.Caller.IsRoot() && r.Caller.Account == r.ResourceAccount {
		return nil
	}
	return apierr.AccessDenied(fmt.Sprintf(
		"User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		r.Caller.ARN, r.Action, r.Resource, r.Action))
}

// Service implements the IAM domain.
type Service struct {
	store  store.Store
	log    *slog.Logger
	now    func() time.Time
	limits Limits
	authz  Authorizer
}

// Options configure a Service.
type Options struct {
	Logger     *slog.Logger
	Now        func() time.Time
	Limits     Limits
	Authorizer Authorizer
}

// New returns a Service over st.
func New(st store.Store, opts Options) *Service {
	s := &Service{store: st, log: opts.Logger, now: opts.Now, limits: opts.Limits.withDefaults(), authz: opts.Authorizer}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.authz == nil {
		s.authz = RootOnly{}
	}
	return s
}

// SetAuthorizer replaces the authorizer (wiring happens after construction
// because the authorizer reads policies through this service).
func (s *Service) SetAuthorizer(a Authorizer) { s.authz = a }

// Store returns the service's store.
func (s *Service) Store() store.Store { return s.store }

// caller returns the authenticated caller or an error when there is none.
func caller(ctx context.Context) (*identity.Caller, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("iamsvc: no caller in context"))
	}
	return c, nil
}

// authorize asks the authorizer about action on resource in the caller's
// account and returns the caller.
func (s *Service) authorize(ctx context.Context, action, resource string, keys map[string][]string) (*identity.Caller, error) {
	c, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.authz.Authorize(ctx, &AuthzRequest{Caller: c, Action: action, Resource: resource, ResourceAccount: c.Account, Context: keys}); err != nil {
		return nil, err
	}
	return c, nil
}

// storeErr turns an unexpected store error into an internal failure,
// keeping apierr values (returned from inside transactions) as they are.
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apierr.As(err); ok {
		return err
	}
	return apierr.Internal(err)
}

// normPath returns path or "/" when empty.
func normPath(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// arnFor builds an IAM ARN: arn:aws:iam::ACCT:TYPE{path}{name}.
func arnFor(account, typ, path, name string) string {
	return "arn:aws:iam::" + account + ":" + typ + normPath(path) + name
}

// tagsValid checks tag keys for duplicates (case-insensitive, as AWS) and
// the count limit.
func (s *Service) mergeTags(existing, add []Tag) ([]Tag, error) {
	out := append([]Tag(nil), existing...)
	seen := map[string]bool{}
	for _, t := range add {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return nil, apierr.InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	for _, t := range add {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value = t.Value
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > s.limits.TagsPerResource {
		return nil, apierr.LimitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

func removeTags(existing []Tag, keys []string) []Tag {
	out := existing[:0:0]
	for _, t := range existing {
		drop := false
		for _, k := range keys {
			if t.Key == k {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// requestTagKeys returns aws:RequestTag/* and aws:TagKeys condition values
// for tags on a request.
func requestTagKeys(tags []Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string][]string, len(tags)+1)
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		m["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys = append(keys, t.Key)
	}
	m["aws:TagKeys"] = keys
	return m
}

// Page is a page of a List call.
type Page[T any] struct {
	Items       []T
	Marker      string
	IsTruncated bool
}

// pageLimit turns MaxItems into a page size (AWS default 100).
func pageLimit(maxItems *int32) int {
	if maxItems == nil || *maxItems <= 0 {
		return 100
	}
	return int(*maxItems)
}

// listPage lists one page of entities and decodes them.
func listPage[T any](ctx context.Context, r store.Reader, opts store.ListOptions) (Page[T], error) {
	p, err := r.List(ctx, opts)
	if errors.Is(err, store.ErrInvalidMarker) {
		return Page[T]{}, apierr.ValidationError("Invalid value for parameter Marker")
	}
	if err != nil {
		return Page[T]{}, apierr.Internal(err)
	}
	out := Page[T]{Items: make([]T, 0, len(p.Items)), Marker: p.NextMarker, IsTruncated: p.NextMarker != ""}
	for _, e := range p.Items {
		v, err := decode[T](e)
		if err != nil {
			return Page[T]{}, apierr.Internal(err)
		}
		out.Items = append(out.Items, *v)
	}
	return out, nil
}

// Authorize asks the service's authorizer whether the caller in ctx may
// perform action on resource (in the caller's account); other services
// (STS) use it so every call goes through one decision point.
func (s *Service) Authorize(ctx context.Context, action, resource string, keys map[string][]string) error {
	_, err := s.authorize(ctx, action, resource, keys)
	return err
}

// AuthorizeRequest asks the service's authorizer a fully specified
// question (another account's resource, a resource policy); STS uses it
// for AssumeRole.
func (s *Service) AuthorizeRequest(ctx context.Context, r *AuthzRequest) error {
	return s.authz.Authorize(ctx, r)
}
