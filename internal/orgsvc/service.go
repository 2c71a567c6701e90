package orgsvc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
)

// stateKey names the one record that holds the organization.
var stateKey = store.Key{Kind: "organization", Name: "organization"}

// Service implements the Organizations API.
type Service struct {
	store store.Store
	iam   *iamsvc.Service
	log   *slog.Logger
	now   func() time.Time

	mu   sync.Mutex
	view *View
}

// Options configure a Service.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
}

// New returns an Organizations service over the IAM service's store.
func New(iam *iamsvc.Service, opts Options) *Service {
	s := &Service{store: iam.Store(), iam: iam, log: opts.Logger, now: opts.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// load reads the organization; nil when there is none.
func load(ctx context.Context, r store.Reader) (*State, store.Entity, error) {
	e, err := r.Get(ctx, stateKey)
	if errors.Is(err, store.ErrNotFound) {
		return nil, e, nil
	}
	if err != nil {
		return nil, e, apierr.Internal(err)
	}
	st := new(State)
	if err := json.Unmarshal(e.Data, st); err != nil {
		return nil, e, apierr.Internal(fmt.Errorf("orgsvc: decode organization: %w", err))
	}
	st.init()
	return st, e, nil
}

func encodeState(st *State) []byte {
	b, err := json.Marshal(st)
	if err != nil {
		panic(fmt.Sprintf("orgsvc: encode organization: %v", err))
	}
	return b
}

// arnBase is "arn:aws:organizations::MGMT:".
func (st *State) arnBase() string { return "arn:aws:organizations::" + st.Management + ":" }

// ARN returns the organization's ARN.
func (st *State) ARN() string { return st.arnBase() + "organization/" + st.ID }

// RootARN returns the root's ARN.
func (st *State) RootARN() string { return st.arnBase() + "root/" + st.ID + "/" + st.RootID }

// OUARN returns an OU's ARN.
func (st *State) OUARN(id string) string { return st.arnBase() + "ou/" + st.ID + "/" + id }

// AccountARN returns a member account's ARN.
func (st *State) AccountARN(id string) string { return st.arnBase() + "account/" + st.ID + "/" + id }

// PolicyARN returns a policy's ARN (AWS managed policies belong to "aws").
func (st *State) PolicyARN(p *Policy) string {
	typ := strings.ToLower(p.Type)
	if p.AWSManaged {
		return "arn:aws:organizations::aws:policy/" + typ + "/" + p.ID
	}
	return st.arnBase() + "policy/" + st.ID + "/" + typ + "/" + p.ID
}

// TargetARN returns the ARN of a root, OU or account.
func (st *State) TargetARN(id string) string {
	switch st.TargetType(id) {
	case targetTypeRoot:
		return st.RootARN()
	case targetTypeOU:
		return st.OUARN(id)
	}
	return st.AccountARN(id)
}

// call is one authorized Organizations request.
type call struct {
	caller *identity.Caller
	st     *State
}

// begin loads the organization and authorizes action on the resource
// resource(st) returns. Only the management account may call, unless
// anyMember is set (DescribeOrganization).
func (s *Service) begin(ctx context.Context, action string, resource func(*State) string, anyMember bool) (*call, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("orgsvc: no caller"))
	}
	st, _, err := load(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if st == nil || st.Accounts[c.Account] == nil {
		if err := s.authorize(ctx, c, action, "*", c.Account); err != nil {
			return nil, err
		}
		return nil, errNotInUse
	}
	res := "*"
	if resource != nil {
		res = resource(st)
	}
	if err := s.authorize(ctx, c, action, res, st.Management); err != nil {
		return nil, err
	}
	if !anyMember && c.Account != st.Management {
		return nil, errNotManagement
	}
	return &call{caller: c, st: st}, nil
}

func (s *Service) authorize(ctx context.Context, c *identity.Caller, action, resource, account string) error {
	if resource == "*" {
		account = c.Account
	}
	err := s.iam.AuthorizeRequest(ctx, &iamsvc.AuthzRequest{Caller: c, Action: action, Resource: resource, ResourceAccount: account})
	if ae, ok := apierr.As(err); ok && ae.Code == "AccessDenied" {
		return &apierr.Error{Code: "AccessDeniedException", Message: ae.Message}
	}
	return err
}

// mutate applies fn to the organization in a transaction.
func (s *Service) mutate(ctx context.Context, fn func(tx store.Tx, st *State) error) error {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		st, e, err := load(ctx, tx)
		if err != nil {
			return err
		}
		if st == nil {
			return errNotInUse
		}
		if err := fn(tx, st); err != nil {
			return err
		}
		e.Data = encodeState(st)
		return tx.Put(ctx, &e)
	})
	if err == nil {
		return nil
	}
	if _, ok := apierr.As(err); ok {
		return err
	}
	return apierr.Internal(err)
}

// Organization describes the organization.
type Organization struct {
	ID, ARN, FeatureSet, MasterAccountID, MasterAccountARN, MasterAccountEmail string
	PolicyTypes                                                                []PolicyTypeSummary
}

// PolicyTypeSummary is a policy type and its status on the root.
type PolicyTypeSummary struct{ Type, Status string }

func (st *State) describe() *Organization {
	o := &Organization{ID: st.ID, ARN: st.ARN(), FeatureSet: featureSetAll, MasterAccountID: st.Management,
		MasterAccountARN: st.AccountARN(st.Management), MasterAccountEmail: st.Email}
	// DescribeOrganization's AvailablePolicyTypes is deprecated and always
	// lists SERVICE_CONTROL_POLICY (AWS's documented behaviour).
	o.PolicyTypes = []PolicyTypeSummary{{Type: TypeSCP, Status: typeStatusEnabled}}
	return o
}

// CreateOrganization creates an organization with the caller's account as
// its management account. Only the ALL feature set is supported.
func (s *Service) CreateOrganization(ctx context.Context, featureSet string) (*Organization, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("orgsvc: no caller"))
	}
	if err := s.authorize(ctx, c, "organizations:CreateOrganization", "*", c.Account); err != nil {
		return nil, err
	}
	if featureSet != "" && featureSet != featureSetAll {
		return nil, invalidInput("INVALID_ENUM", "This server supports only the ALL feature set.")
	}
	mgmt, err := s.iam.ManagementAccount(ctx)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	var out *Organization
	err = s.store.Update(ctx, func(tx store.Tx) error {
		st, _, err := load(ctx, tx)
		if err != nil {
			return err
		}
		if st != nil {
			return errAlreadyInOrg
		}
		if c.Account != mgmt {
			// Every other account iamd hosts was created inside the
			// organization.
			return errAlreadyInOrg
		}
		acct, err := s.iam.GetAccount(ctx, c.Account)
		if err != nil {
			return err
		}
		name := acct.Name
		if name == "" {
			name = c.Account
		}
		st = newState(newOrgID(), newRootID(), Member{ID: c.Account, Name: name, Email: acct.Email, Joined: joinedInvited,
			JoinedAt: s.now().UTC().Truncate(time.Millisecond)})
		st.init()
		out = st.describe()
		return tx.Create(ctx, &store.Entity{Key: stateKey, Data: encodeState(st)})
	})
	if errors.Is(err, store.ErrExists) {
		return nil, errAlreadyInOrg
	}
	if err != nil {
		if _, ok := apierr.As(err); ok {
			return nil, err
		}
		return nil, apierr.Internal(err)
	}
	return out, nil
}

// DescribeOrganization describes the caller's organization (any member
// may call it).
func (s *Service) DescribeOrganization(ctx context.Context) (*Organization, error) {
	cl, err := s.begin(ctx, "organizations:DescribeOrganization", nil, true)
	if err != nil {
		return nil, err
	}
	return cl.st.describe(), nil
}

// DeleteOrganization deletes an organization that has no member accounts
// other than the management account.
func (s *Service) DeleteOrganization(ctx context.Context) error {
	cl, err := s.begin(ctx, "organizations:DeleteOrganization", func(st *State) string { return st.ARN() }, false)
	if err != nil {
		return err
	}
	_ = cl
	err = s.store.Update(ctx, func(tx store.Tx) error {
		st, e, err := load(ctx, tx)
		if err != nil {
			return err
		}
		if st == nil {
			return errNotInUse
		}
		if len(st.Accounts) > 1 {
			return errOrgNotEmpty
		}
		return tx.Delete(ctx, stateKey, e.Version)
	})
	if _, ok := apierr.As(err); ok || err == nil {
		return err
	}
	return apierr.Internal(err)
}

// AccountInfo is a member account as Organizations describes it.
type AccountInfo struct {
	Member
	ARN string
}

func (st *State) account(id string) AccountInfo {
	return AccountInfo{Member: *st.Accounts[id], ARN: st.AccountARN(id)}
}

// CreateAccountInput is the input of CreateAccount.
type CreateAccountInput struct {
	Email, AccountName, RoleName string
	Tags                         []Tag
}

// CreateAccount creates a member account (iamsvc.ProvisionMemberAccount)
// and records the request's status. Like AWS it answers IN_PROGRESS;
// DescribeCreateAccountStatus then reports SUCCEEDED (or FAILED with
// EMAIL_ALREADY_EXISTS).
func (s *Service) CreateAccount(ctx context.Context, in *CreateAccountInput) (*CreateAccountStatus, error) {
	if _, err := s.begin(ctx, "organizations:CreateAccount", nil, false); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	role := in.RoleName
	if role == "" {
		role = defaultAccessRole
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	var status *CreateAccountStatus
	err := s.mutate(ctx, func(tx store.Tx, st *State) error {
		status = &CreateAccountStatus{ID: newRequestID(), AccountName: in.AccountName, RequestedAt: now, CompletedAt: now}
		if st.EmailInUse(in.Email) {
			status.State, status.FailureReason = createStateFailed, failEmailExists
			st.Requests[status.ID] = status
			return nil
		}
		for attempt := 0; ; attempt++ {
			id, err := credential.NewAccountID()
			if err != nil {
				return apierr.Internal(err)
			}
			err = iamsvc.ProvisionMemberAccount(ctx, tx, iamsvc.MemberAccountInput{AccountID: id, Name: in.AccountName,
				Email: in.Email, RoleName: role, ManagementAccount: st.Management, Now: now})
			if errors.Is(err, store.ErrExists) && attempt < 5 {
				continue
			}
			if err != nil {
				return err
			}
			status.AccountID = id
			break
		}
		if err := st.AddAccount(Member{ID: status.AccountID, Name: in.AccountName, Email: in.Email, Joined: joinedCreated, JoinedAt: now}); err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			if err := st.TagResource(status.AccountID, in.Tags); err != nil {
				return err
			}
		}
		status.State = createStateSucceed
		st.Requests[status.ID] = status
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("organizations: account created", "account", status.AccountID, "request", status.ID, "state", status.State)
	return &CreateAccountStatus{ID: status.ID, AccountName: status.AccountName, State: "IN_PROGRESS", RequestedAt: status.RequestedAt}, nil
}

// DescribeCreateAccountStatus reports a CreateAccount request's outcome.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, id string) (*CreateAccountStatus, error) {
	cl, err := s.begin(ctx, "organizations:DescribeCreateAccountStatus", nil, false)
	if err != nil {
		return nil, err
	}
	r := cl.st.Requests[id]
	if r == nil {
		return nil, errStatusNotFound
	}
	return r, nil
}

// ListCreateAccountStatus lists CreateAccount requests, optionally only
// those in the given states.
func (s *Service) ListCreateAccountStatus(ctx context.Context, states []string, tok *PageToken) (Page[*CreateAccountStatus], error) {
	cl, err := s.begin(ctx, "organizations:ListCreateAccountStatus", nil, false)
	if err != nil {
		return Page[*CreateAccountStatus]{}, err
	}
	var out []*CreateAccountStatus
	for _, r := range cl.st.Requests {
		if len(states) == 0 || contains(states, r.State) {
			out = append(out, r)
		}
	}
	sortBy(out, func(r *CreateAccountStatus) string { return r.RequestedAt.Format(time.RFC3339Nano) + r.ID })
	return paginate(out, tok)
}

// ListAccounts lists the organization's accounts, sorted by id.
func (s *Service) ListAccounts(ctx context.Context, tok *PageToken) (Page[AccountInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListAccounts", nil, false)
	if err != nil {
		return Page[AccountInfo]{}, err
	}
	var out []AccountInfo
	for id := range cl.st.Accounts {
		out = append(out, cl.st.account(id))
	}
	sortBy(out, func(a AccountInfo) string { return a.ID })
	return paginate(out, tok)
}

// ListAccountsForParent lists the accounts directly under a root or OU.
func (s *Service) ListAccountsForParent(ctx context.Context, parent string, tok *PageToken) (Page[AccountInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListAccountsForParent", func(st *State) string { return st.TargetARN(parent) }, false)
	if err != nil {
		return Page[AccountInfo]{}, err
	}
	ids, err := cl.st.Children(parent, childTypeAccount)
	if err != nil {
		return Page[AccountInfo]{}, err
	}
	out := make([]AccountInfo, 0, len(ids))
	for _, id := range ids {
		out = append(out, cl.st.account(id))
	}
	return paginate(out, tok)
}

// DescribeAccount describes a member account.
func (s *Service) DescribeAccount(ctx context.Context, id string) (*AccountInfo, error) {
	cl, err := s.begin(ctx, "organizations:DescribeAccount", func(st *State) string { return st.AccountARN(id) }, false)
	if err != nil {
		return nil, err
	}
	if cl.st.Accounts[id] == nil {
		return nil, errAccountNotFound
	}
	a := cl.st.account(id)
	return &a, nil
}

// Root describes the organization's root.
type Root struct {
	ID, ARN, Name string
	PolicyTypes   []PolicyTypeSummary
}

func (st *State) root() Root {
	r := Root{ID: st.RootID, ARN: st.RootARN(), Name: "Root"}
	for _, t := range st.Enabled {
		r.PolicyTypes = append(r.PolicyTypes, PolicyTypeSummary{Type: t, Status: typeStatusEnabled})
	}
	return r
}

// ListRoots lists the organization's root.
func (s *Service) ListRoots(ctx context.Context) ([]Root, error) {
	cl, err := s.begin(ctx, "organizations:ListRoots", nil, false)
	if err != nil {
		return nil, err
	}
	return []Root{cl.st.root()}, nil
}

// OUInfo is an OU as Organizations describes it.
type OUInfo struct{ ID, ARN, Name string }

func (st *State) ou(id string) OUInfo {
	o := st.OUs[id]
	return OUInfo{ID: o.ID, ARN: st.OUARN(o.ID), Name: o.Name}
}

// CreateOrganizationalUnit creates an OU under a root or OU.
func (s *Service) CreateOrganizationalUnit(ctx context.Context, parent, name string, tags []Tag) (*OUInfo, error) {
	if _, err := s.begin(ctx, "organizations:CreateOrganizationalUnit", func(st *State) string { return st.TargetARN(parent) }, false); err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	var out OUInfo
	err := s.mutate(ctx, func(_ store.Tx, st *State) error {
		ou, err := st.AddOU(newOUID(st.RootID), parent, name)
		if err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := st.TagResource(ou.ID, tags); err != nil {
				return err
			}
		}
		out = st.ou(ou.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DescribeOrganizationalUnit describes an OU.
func (s *Service) DescribeOrganizationalUnit(ctx context.Context, id string) (*OUInfo, error) {
	cl, err := s.begin(ctx, "organizations:DescribeOrganizationalUnit", func(st *State) string { return st.OUARN(id) }, false)
	if err != nil {
		return nil, err
	}
	if cl.st.OUs[id] == nil {
		return nil, errOUNotFound
	}
	o := cl.st.ou(id)
	return &o, nil
}

// UpdateOrganizationalUnit renames an OU.
func (s *Service) UpdateOrganizationalUnit(ctx context.Context, id, name string) (*OUInfo, error) {
	if _, err := s.begin(ctx, "organizations:UpdateOrganizationalUnit", func(st *State) string { return st.OUARN(id) }, false); err != nil {
		return nil, err
	}
	var out OUInfo
	err := s.mutate(ctx, func(_ store.Tx, st *State) error {
		if name != "" {
			if _, err := st.RenameOU(id, name); err != nil {
				return err
			}
		} else if st.OUs[id] == nil {
			return errOUNotFound
		}
		out = st.ou(id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteOrganizationalUnit deletes an empty OU.
func (s *Service) DeleteOrganizationalUnit(ctx context.Context, id string) error {
	if _, err := s.begin(ctx, "organizations:DeleteOrganizationalUnit", func(st *State) string { return st.OUARN(id) }, false); err != nil {
		return err
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.DeleteOU(id) })
}

// ListOrganizationalUnitsForParent lists the OUs directly under parent.
func (s *Service) ListOrganizationalUnitsForParent(ctx context.Context, parent string, tok *PageToken) (Page[OUInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListOrganizationalUnitsForParent", func(st *State) string { return st.TargetARN(parent) }, false)
	if err != nil {
		return Page[OUInfo]{}, err
	}
	ids, err := cl.st.Children(parent, childTypeOU)
	if err != nil {
		return Page[OUInfo]{}, err
	}
	out := make([]OUInfo, 0, len(ids))
	for _, id := range ids {
		out = append(out, cl.st.ou(id))
	}
	return paginate(out, tok)
}

// Child is one entry of ListChildren / ListParents.
type Child struct{ ID, Type string }

// ListChildren lists the OUs or accounts directly under parent.
func (s *Service) ListChildren(ctx context.Context, parent, childType string, tok *PageToken) (Page[Child], error) {
	cl, err := s.begin(ctx, "organizations:ListChildren", func(st *State) string { return st.TargetARN(parent) }, false)
	if err != nil {
		return Page[Child]{}, err
	}
	ids, err := cl.st.Children(parent, childType)
	if err != nil {
		return Page[Child]{}, err
	}
	out := make([]Child, 0, len(ids))
	for _, id := range ids {
		out = append(out, Child{ID: id, Type: childType})
	}
	return paginate(out, tok)
}

// ListParents returns the parent of an OU or account.
func (s *Service) ListParents(ctx context.Context, child string) ([]Child, error) {
	cl, err := s.begin(ctx, "organizations:ListParents", func(st *State) string { return st.TargetARN(child) }, false)
	if err != nil {
		return nil, err
	}
	id, typ, err := cl.st.Parent(child)
	if err != nil {
		return nil, err
	}
	return []Child{{ID: id, Type: typ}}, nil
}

// MoveAccount moves an account between roots and OUs.
func (s *Service) MoveAccount(ctx context.Context, account, src, dst string) error {
	if _, err := s.begin(ctx, "organizations:MoveAccount", func(st *State) string { return st.AccountARN(account) }, false); err != nil {
		return err
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.MoveAccount(account, src, dst) })
}

// EnablePolicyType enables SERVICE_CONTROL_POLICY or
// RESOURCE_CONTROL_POLICY on the root.
func (s *Service) EnablePolicyType(ctx context.Context, root, typ string) (*Root, error) {
	return s.policyType(ctx, "organizations:EnablePolicyType", root, func(st *State) error { return st.EnablePolicyType(root, typ) })
}

// DisablePolicyType disables a policy type, detaching its policies.
func (s *Service) DisablePolicyType(ctx context.Context, root, typ string) (*Root, error) {
	return s.policyType(ctx, "organizations:DisablePolicyType", root, func(st *State) error { return st.DisablePolicyType(root, typ) })
}

func (s *Service) policyType(ctx context.Context, action, root string, fn func(*State) error) (*Root, error) {
	if _, err := s.begin(ctx, action, func(st *State) string { return st.arnBase() + "root/" + st.ID + "/" + root }, false); err != nil {
		return nil, err
	}
	var out Root
	err := s.mutate(ctx, func(_ store.Tx, st *State) error {
		if err := fn(st); err != nil {
			return err
		}
		out = st.root()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PolicyInfo is a policy with its ARN.
type PolicyInfo struct {
	Policy
	ARN string
}

func (st *State) policyInfo(p *Policy) PolicyInfo {
	return PolicyInfo{Policy: *p, ARN: st.PolicyARN(p)}
}

// CreatePolicy creates an SCP or RCP.
func (s *Service) CreatePolicy(ctx context.Context, p Policy, tags []Tag) (*PolicyInfo, error) {
	if _, err := s.begin(ctx, "organizations:CreatePolicy", nil, false); err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	var out PolicyInfo
	err := s.mutate(ctx, func(_ store.Tx, st *State) error {
		p.ID = newPolicyID()
		np, err := st.AddPolicy(p)
		if err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := st.TagResource(np.ID, tags); err != nil {
				return err
			}
		}
		out = st.policyInfo(np)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func policyARNFor(id string) func(*State) string {
	return func(st *State) string {
		if p, err := st.Policy(id); err == nil {
			return st.PolicyARN(p)
		}
		return st.arnBase() + "policy/" + st.ID + "/service_control_policy/" + id
	}
}

// DescribePolicy describes a policy with its content.
func (s *Service) DescribePolicy(ctx context.Context, id string) (*PolicyInfo, error) {
	cl, err := s.begin(ctx, "organizations:DescribePolicy", policyARNFor(id), false)
	if err != nil {
		return nil, err
	}
	p, err := cl.st.Policy(id)
	if err != nil {
		return nil, err
	}
	out := cl.st.policyInfo(p)
	return &out, nil
}

// UpdatePolicy changes a policy's name, description or content.
func (s *Service) UpdatePolicy(ctx context.Context, id string, name, desc, content *string) (*PolicyInfo, error) {
	if _, err := s.begin(ctx, "organizations:UpdatePolicy", policyARNFor(id), false); err != nil {
		return nil, err
	}
	var out PolicyInfo
	err := s.mutate(ctx, func(_ store.Tx, st *State) error {
		p, err := st.UpdatePolicy(id, name, desc, content)
		if err != nil {
			return err
		}
		out = st.policyInfo(p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePolicy deletes an unattached policy.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	if _, err := s.begin(ctx, "organizations:DeletePolicy", policyARNFor(id), false); err != nil {
		return err
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.DeletePolicy(id) })
}

// ListPolicies lists the policies of a type.
func (s *Service) ListPolicies(ctx context.Context, typ string, tok *PageToken) (Page[PolicyInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListPolicies", nil, false)
	if err != nil {
		return Page[PolicyInfo]{}, err
	}
	var out []PolicyInfo
	for _, p := range cl.st.ListPolicies(typ) {
		out = append(out, cl.st.policyInfo(p))
	}
	return paginate(out, tok)
}

// AttachPolicy attaches a policy to a root, OU or account.
func (s *Service) AttachPolicy(ctx context.Context, policyID, target string) error {
	cl, err := s.begin(ctx, "organizations:AttachPolicy", policyARNFor(policyID), false)
	if err != nil {
		return err
	}
	if cl.st.targetExists(target) {
		if err := s.authorize(ctx, cl.caller, "organizations:AttachPolicy", cl.st.TargetARN(target), cl.st.Management); err != nil {
			return err
		}
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.Attach(policyID, target) })
}

// DetachPolicy detaches a policy from a root, OU or account.
func (s *Service) DetachPolicy(ctx context.Context, policyID, target string) error {
	cl, err := s.begin(ctx, "organizations:DetachPolicy", policyARNFor(policyID), false)
	if err != nil {
		return err
	}
	if cl.st.targetExists(target) {
		if err := s.authorize(ctx, cl.caller, "organizations:DetachPolicy", cl.st.TargetARN(target), cl.st.Management); err != nil {
			return err
		}
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.Detach(policyID, target) })
}

// ListPoliciesForTarget lists the policies of a type attached to a target.
func (s *Service) ListPoliciesForTarget(ctx context.Context, target, typ string, tok *PageToken) (Page[PolicyInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListPoliciesForTarget", func(st *State) string { return st.TargetARN(target) }, false)
	if err != nil {
		return Page[PolicyInfo]{}, err
	}
	ps, err := cl.st.PoliciesForTarget(target, typ)
	if err != nil {
		return Page[PolicyInfo]{}, err
	}
	out := make([]PolicyInfo, 0, len(ps))
	for _, p := range ps {
		out = append(out, cl.st.policyInfo(p))
	}
	return paginate(out, tok)
}

// TargetInfo is one target of ListTargetsForPolicy.
type TargetInfo struct{ ID, ARN, Name, Type string }

// ListTargetsForPolicy lists the roots, OUs and accounts a policy is
// attached to.
func (s *Service) ListTargetsForPolicy(ctx context.Context, policyID string, tok *PageToken) (Page[TargetInfo], error) {
	cl, err := s.begin(ctx, "organizations:ListTargetsForPolicy", policyARNFor(policyID), false)
	if err != nil {
		return Page[TargetInfo]{}, err
	}
	if _, err := cl.st.Policy(policyID); err != nil {
		return Page[TargetInfo]{}, err
	}
	var out []TargetInfo
	for _, t := range cl.st.TargetsForPolicy(policyID) {
		ti := TargetInfo{ID: t, ARN: cl.st.TargetARN(t), Type: cl.st.TargetType(t)}
		switch ti.Type {
		case targetTypeRoot:
			ti.Name = "Root"
		case targetTypeOU:
			ti.Name = cl.st.OUs[t].Name
		default:
			ti.Name = cl.st.Accounts[t].Name
		}
		out = append(out, ti)
	}
	return paginate(out, tok)
}

func resourceARN(id string) func(*State) string {
	return func(st *State) string {
		if strings.HasPrefix(id, "p-") {
			return policyARNFor(id)(st)
		}
		return st.TargetARN(id)
	}
}

// TagResource tags a root, OU, account or policy.
func (s *Service) TagResource(ctx context.Context, id string, tags []Tag) error {
	if _, err := s.begin(ctx, "organizations:TagResource", resourceARN(id), false); err != nil {
		return err
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.TagResource(id, tags) })
}

// UntagResource removes tags from a resource.
func (s *Service) UntagResource(ctx context.Context, id string, keys []string) error {
	if _, err := s.begin(ctx, "organizations:UntagResource", resourceARN(id), false); err != nil {
		return err
	}
	return s.mutate(ctx, func(_ store.Tx, st *State) error { return st.UntagResource(id, keys) })
}

// ListTagsForResource lists a resource's tags.
func (s *Service) ListTagsForResource(ctx context.Context, id string, tok *PageToken) (Page[Tag], error) {
	cl, err := s.begin(ctx, "organizations:ListTagsForResource", resourceARN(id), false)
	if err != nil {
		return Page[Tag]{}, err
	}
	tags, err := cl.st.ListTags(id)
	if err != nil {
		return Page[Tag]{}, err
	}
	return paginate(tags, tok)
}

func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return invalidInput("DUPLICATE_TAG_KEY", "You provided a tag key that is duplicated.")
		}
		seen[t.Key] = true
	}
	if len(tags) > maxTagsPerResource {
		return constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.")
	}
	return nil
}

// PageToken holds the NextToken and MaxResults of a List call.
type PageToken struct {
	NextToken  string
	MaxResults int
}

// Page is one page of a List call.
type Page[T any] struct {
	Items     []T
	NextToken string
}

var errInvalidToken = invalidInput("INVALID_NEXT_TOKEN", "The specified NextToken is invalid.")

// paginate returns the page of items after tok.NextToken (an opaque
// offset).
func paginate[T any](items []T, tok *PageToken) (Page[T], error) {
	start, size := 0, 20
	if tok != nil {
		if tok.MaxResults > 0 {
			size = tok.MaxResults
		}
		if tok.NextToken != "" {
			b, err := base64.RawURLEncoding.DecodeString(tok.NextToken)
			if err != nil || !strings.HasPrefix(string(b), "o:") {
				return Page[T]{}, errInvalidToken
			}
			n, err := strconv.Atoi(string(b[2:]))
			if err != nil || n <= 0 || n > len(items) {
				return Page[T]{}, errInvalidToken
			}
			start = n
		}
	}
	end := min(start+size, len(items))
	p := Page[T]{Items: items[start:end]}
	if end < len(items) {
		p.NextToken = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return p, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sortBy[T any](items []T, key func(T) string) {
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
