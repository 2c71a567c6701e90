package orgsvc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/policy"
)

// Policy types iamd enforces.
const (
	TypeSCP = "SERVICE_CONTROL_POLICY"
	TypeRCP = "RESOURCE_CONTROL_POLICY"
)

// AWS managed policies, attached by default when their type is enabled.
const (
	FullAWSAccessID    = "p-FullAWSAccess"
	RCPFullAWSAccessID = "p-RCPFullAWSAccess"
)

// Quotas (AWS's defaults).
const (
	maxOUDepth          = 5
	maxOUs              = 1000
	maxPolicies         = 1000
	maxPolicySize       = 5120
	maxAttachedPerType  = 5
	maxAccounts         = 10
	maxTagsPerResource  = 50
	defaultAccessRole   = "OrganizationAccountAccessRole"
	statusActive        = "ACTIVE"
	joinedCreated       = "CREATED"
	joinedInvited       = "INVITED"
	createStateSucceed  = "SUCCEEDED"
	createStateFailed   = "FAILED"
	failEmailExists     = "EMAIL_ALREADY_EXISTS"
	typeStatusEnabled   = "ENABLED"
	childTypeAccount    = "ACCOUNT"
	childTypeOU         = "ORGANIZATIONAL_UNIT"
	parentTypeRoot      = "ROOT"
	parentTypeOU        = "ORGANIZATIONAL_UNIT"
	targetTypeAccount   = "ACCOUNT"
	targetTypeOU        = "ORGANIZATIONAL_UNIT"
	targetTypeRoot      = "ROOT"
	featureSetAll       = "ALL"
	fullAccessSCPDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	fullAccessRCPDoc    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	fullAccessPolicyDsc = "Allows access to every operation"
)

// Tag is an Organizations tag.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// OU is an organizational unit.
type OU struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
}

// Member is an account of the organization.
type Member struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Parent   string    `json:"parent"`
	Joined   string    `json:"joined"`
	JoinedAt time.Time `json:"joinedAt"`
}

// Policy is an SCP or RCP. AWS managed policies (FullAWSAccess,
// RCPFullAWSAccess) are not stored: see managed.
type Policy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"desc"`
	Type        string `json:"type"`
	Content     string `json:"content"`
	AWSManaged  bool   `json:"-"`
}

// CreateAccountStatus is the outcome of one CreateAccount request.
type CreateAccountStatus struct {
	ID            string    `json:"id"`
	AccountName   string    `json:"name"`
	State         string    `json:"state"`
	RequestedAt   time.Time `json:"requested"`
	CompletedAt   time.Time `json:"completed"`
	AccountID     string    `json:"account,omitempty"`
	FailureReason string    `json:"failure,omitempty"`
}

// State is the whole organization.
type State struct {
	ID            string    `json:"id"`
	Management    string    `json:"management"`
	ManagementARN string    `json:"-"`
	Email         string    `json:"email,omitempty"`
	RootID        string    `json:"root"`
	Created       time.Time `json:"created"`
	// Enabled holds the policy types enabled on the root.
	Enabled     []string                        `json:"enabled,omitempty"`
	OUs         map[string]*OU                  `json:"ous,omitempty"`
	Accounts    map[string]*Member              `json:"accounts"`
	Policies    map[string]*Policy              `json:"policies,omitempty"`
	Attachments map[string][]string             `json:"attachments,omitempty"` // target id → policy ids
	Tags        map[string][]Tag                `json:"tags,omitempty"`
	Requests    map[string]*CreateAccountStatus `json:"requests,omitempty"`
}

// managed returns the AWS managed policy with id, or nil.
func managed(id string) *Policy {
	switch id {
	case FullAWSAccessID:
		return &Policy{ID: id, Name: "FullAWSAccess", Description: fullAccessPolicyDsc, Type: TypeSCP, Content: fullAccessSCPDoc, AWSManaged: true}
	case RCPFullAWSAccessID:
		return &Policy{ID: id, Name: "RCPFullAWSAccess", Description: fullAccessPolicyDsc, Type: TypeRCP, Content: fullAccessRCPDoc, AWSManaged: true}
	}
	return nil
}

// fullAccessFor returns the default policy of a type.
func fullAccessFor(typ string) string {
	if typ == TypeRCP {
		return RCPFullAWSAccessID
	}
	return FullAWSAccessID
}

// Errors with AWS's codes and wording.
var (
	errNotInUse         = apierr.New("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	errAlreadyInOrg     = apierr.New("AlreadyInOrganizationException", "The AWS account is already a member of an organization.")
	errNotManagement    = apierr.New("AccessDeniedException", "You don't have permissions to access this resource.")
	errAccountNotFound  = apierr.New("AccountNotFoundException", "You specified an account that doesn't exist.")
	errOUNotFound       = apierr.New("OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.")
	errParentNotFound   = apierr.New("ParentNotFoundException", "You specified a parent that doesn't exist.")
	errChildNotFound    = apierr.New("ChildNotFoundException", "You specified a child that doesn't exist.")
	errRootNotFound     = apierr.New("RootNotFoundException", "You specified a root that doesn't exist.")
	errTargetNotFound   = apierr.New("TargetNotFoundException", "You specified a target that doesn't exist.")
	errPolicyNotFound   = apierr.New("PolicyNotFoundException", "You specified a policy that doesn't exist.")
	errDuplicateOU      = apierr.New("DuplicateOrganizationalUnitException", "An OU with the same name already exists.")
	errDuplicatePolicy  = apierr.New("DuplicatePolicyException", "A policy with the same name already exists.")
	errDupAttachment    = apierr.New("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.")
	errNotAttached      = apierr.New("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.")
	errPolicyInUse      = apierr.New("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
	errTypeNotEnabled   = apierr.New("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.")
	errTypeEnabled      = apierr.New("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.")
	errTypeNotAvailable = apierr.New("PolicyTypeNotAvailableForOrganizationException", "You can't use the specified policy type with the feature set currently enabled for this organization.")
	errOUNotEmpty       = apierr.New("OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.")
	errSourceParent     = apierr.New("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.")
	errDestParent       = apierr.New("DestinationParentNotFoundException", "We can't find the destination container (a root or OU) with the ParentId that you specified.")
	errDuplicateAccount = apierr.New("DuplicateAccountException", "That account is already present in the specified destination.")
	errStatusNotFound   = apierr.New("CreateAccountStatusNotFoundException", "We can't find a create account request with the CreateAccountRequestId that you specified.")
	errOrgNotEmpty      = apierr.New("OrganizationNotEmptyException", "The organization isn't empty. To delete an organization, you must first remove all accounts except the management account.")
	errImmutablePolicy  = &apierr.Error{Code: "InvalidInputException", Reason: "IMMUTABLE_POLICY", Message: "You specified a policy that is managed by AWS and can't be modified."}
)

func constraint(reason, msg string) *apierr.Error {
	return &apierr.Error{Code: "ConstraintViolationException", Reason: reason, Message: msg}
}

func invalidInput(reason, msg string) *apierr.Error {
	return &apierr.Error{Code: "InvalidInputException", Reason: reason, Message: msg}
}

// newState returns a new organization with its root and the management
// account as its only member.
func newState(id, rootID string, mgmt Member) *State {
	mgmt.Parent = rootID
	return &State{ID: id, Management: mgmt.ID, Email: mgmt.Email, RootID: rootID, Created: mgmt.JoinedAt,
		Accounts: map[string]*Member{mgmt.ID: &mgmt}}
}

func (s *State) init() {
	if s.OUs == nil {
		s.OUs = map[string]*OU{}
	}
	if s.Accounts == nil {
		s.Accounts = map[string]*Member{}
	}
	if s.Policies == nil {
		s.Policies = map[string]*Policy{}
	}
	if s.Attachments == nil {
		s.Attachments = map[string][]string{}
	}
	if s.Tags == nil {
		s.Tags = map[string][]Tag{}
	}
	if s.Requests == nil {
		s.Requests = map[string]*CreateAccountStatus{}
	}
}

// TypeEnabled reports whether a policy type is enabled on the root.
func (s *State) TypeEnabled(typ string) bool { return slices.Contains(s.Enabled, typ) }

// isContainer reports whether id is the root or an OU.
func (s *State) isContainer(id string) bool { return id == s.RootID || s.OUs[id] != nil }

// targetExists reports whether id is the root, an OU or an account.
func (s *State) targetExists(id string) bool { return s.isContainer(id) || s.Accounts[id] != nil }

// Policy returns a customer or AWS managed policy.
func (s *State) Policy(id string) (*Policy, error) {
	if p := managed(id); p != nil {
		return p, nil
	}
	if p := s.Policies[id]; p != nil {
		return p, nil
	}
	return nil, errPolicyNotFound
}

// depth returns how many OUs lie between id (a container) and the root,
// counting id itself (root: 0).
func (s *State) depth(id string) int {
	n := 0
	for id != s.RootID {
		ou := s.OUs[id]
		if ou == nil {
			return n
		}
		n++
		id = ou.Parent
	}
	return n
}

// attachDefaults attaches the full-access policy of every enabled type to
// a new target, as AWS does.
func (s *State) attachDefaults(target string) {
	for _, typ := range s.Enabled {
		s.Attachments[target] = append(s.Attachments[target], fullAccessFor(typ))
	}
}

// AddOU creates an OU under parent.
func (s *State) AddOU(id, parent, name string) (*OU, error) {
	s.init()
	if !s.isContainer(parent) {
		return nil, errParentNotFound
	}
	for _, ou := range s.OUs {
		if ou.Parent == parent && ou.Name == name {
			return nil, errDuplicateOU
		}
	}
	if s.depth(parent) >= maxOUDepth {
		return nil, constraint("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU tree that is too many levels deep.")
	}
	if len(s.OUs) >= maxOUs {
		return nil, constraint("OU_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of OUs that you can have in an organization.")
	}
	ou := &OU{ID: id, Name: name, Parent: parent}
	s.OUs[id] = ou
	s.attachDefaults(id)
	return ou, nil
}

// RenameOU changes an OU's name.
func (s *State) RenameOU(id, name string) (*OU, error) {
	ou := s.OUs[id]
	if ou == nil {
		return nil, errOUNotFound
	}
	for _, o := range s.OUs {
		if o.ID != id && o.Parent == ou.Parent && o.Name == name {
			return nil, errDuplicateOU
		}
	}
	ou.Name = name
	return ou, nil
}

// DeleteOU deletes an empty OU.
func (s *State) DeleteOU(id string) error {
	if s.OUs[id] == nil {
		return errOUNotFound
	}
	for _, o := range s.OUs {
		if o.Parent == id {
			return errOUNotEmpty
		}
	}
	for _, a := range s.Accounts {
		if a.Parent == id {
			return errOUNotEmpty
		}
	}
	delete(s.OUs, id)
	delete(s.Attachments, id)
	delete(s.Tags, id)
	return nil
}

// AddAccount adds a new member account under the root.
func (s *State) AddAccount(m Member) error {
	s.init()
	if len(s.Accounts) >= maxAccounts && maxAccountsEnforced {
		return constraint("ACCOUNT_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the limit on the number of accounts in an organization.")
	}
	if s.Accounts[m.ID] != nil {
		return fmt.Errorf("orgsvc: account %s already a member", m.ID)
	}
	m.Parent = s.RootID
	s.Accounts[m.ID] = &m
	s.attachDefaults(m.ID)
	return nil
}

// maxAccountsEnforced is off: AWS's default quota of 10 accounts is raised
// on request, and iamd hosts as many as its store holds.
const maxAccountsEnforced = false

// EmailInUse reports whether a member account already uses email
// (compared case-insensitively).
func (s *State) EmailInUse(email string) bool {
	for _, a := range s.Accounts {
		if strings.EqualFold(a.Email, email) {
			return true
		}
	}
	return strings.EqualFold(s.Email, email) && s.Email != ""
}

// MoveAccount moves an account from src to dst.
func (s *State) MoveAccount(account, src, dst string) error {
	a := s.Accounts[account]
	if a == nil {
		return errAccountNotFound
	}
	if !s.isContainer(src) {
		return errSourceParent
	}
	if !s.isContainer(dst) {
		return errDestParent
	}
	if a.Parent != src {
		return errAccountNotFound
	}
	if src == dst {
		return errDuplicateAccount
	}
	a.Parent = dst
	return nil
}

// Children lists the OUs or accounts directly under parent, sorted by id.
func (s *State) Children(parent, childType string) ([]string, error) {
	if !s.isContainer(parent) {
		return nil, errParentNotFound
	}
	var out []string
	switch childType {
	case childTypeOU:
		for _, o := range s.OUs {
			if o.Parent == parent {
				out = append(out, o.ID)
			}
		}
	case childTypeAccount:
		for _, a := range s.Accounts {
			if a.Parent == parent {
				out = append(out, a.ID)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// Parent returns the parent of an OU or account and the parent's type.
func (s *State) Parent(child string) (id, typ string, err error) {
	switch {
	case s.OUs[child] != nil:
		id = s.OUs[child].Parent
	case s.Accounts[child] != nil:
		id = s.Accounts[child].Parent
	default:
		return "", "", errChildNotFound
	}
	if id == s.RootID {
		return id, parentTypeRoot, nil
	}
	return id, parentTypeOU, nil
}

// TargetType returns ROOT, ORGANIZATIONAL_UNIT or ACCOUNT for a target id.
func (s *State) TargetType(id string) string {
	switch {
	case id == s.RootID:
		return targetTypeRoot
	case s.OUs[id] != nil:
		return targetTypeOU
	}
	return targetTypeAccount
}

// checkType accepts the policy types iamd implements.
func checkType(typ string) error {
	if typ != TypeSCP && typ != TypeRCP {
		return errTypeNotAvailable
	}
	return nil
}

// EnablePolicyType enables a policy type on the root and attaches its
// full-access policy to every root, OU and account.
func (s *State) EnablePolicyType(root, typ string) error {
	s.init()
	if root != s.RootID {
		return errRootNotFound
	}
	if err := checkType(typ); err != nil {
		return err
	}
	if s.TypeEnabled(typ) {
		return errTypeEnabled
	}
	s.Enabled = append(s.Enabled, typ)
	full := fullAccessFor(typ)
	for _, t := range s.allTargets() {
		if !slices.Contains(s.Attachments[t], full) {
			s.Attachments[t] = append(s.Attachments[t], full)
		}
	}
	return nil
}

// DisablePolicyType disables a policy type and detaches every policy of
// that type.
func (s *State) DisablePolicyType(root, typ string) error {
	s.init()
	if root != s.RootID {
		return errRootNotFound
	}
	if err := checkType(typ); err != nil {
		return err
	}
	if !s.TypeEnabled(typ) {
		return errTypeNotEnabled
	}
	s.Enabled = slices.DeleteFunc(s.Enabled, func(t string) bool { return t == typ })
	for t, ids := range s.Attachments {
		ids = slices.DeleteFunc(ids, func(id string) bool {
			p, err := s.Policy(id)
			return err != nil || p.Type == typ
		})
		if len(ids) == 0 {
			delete(s.Attachments, t)
		} else {
			s.Attachments[t] = ids
		}
	}
	return nil
}

func (s *State) allTargets() []string {
	out := []string{s.RootID}
	for id := range s.OUs {
		out = append(out, id)
	}
	for id := range s.Accounts {
		out = append(out, id)
	}
	return out
}

// validateContent checks a policy document of typ: syntax and AWS's
// 5,120-character quota.
func validateContent(typ, content string) error {
	if len(content) > maxPolicySize {
		return constraint("POLICY_CONTENT_LIMIT_EXCEEDED", "You attempted to create a policy that is larger than the maximum size.")
	}
	kind := policy.SCP
	if typ == TypeRCP {
		kind = policy.RCP
	}
	if _, err := policy.Parse(content, kind); err != nil {
		msg := "The provided policy document does not meet the requirements of the specified policy type."
		var ve *policy.ValidationError
		if errors.As(err, &ve) && ve.Message != "" {
			msg = ve.Message
		}
		return apierr.New("MalformedPolicyDocumentException", msg)
	}
	return nil
}

// AddPolicy creates a customer policy.
func (s *State) AddPolicy(p Policy) (*Policy, error) {
	s.init()
	if err := checkType(p.Type); err != nil {
		return nil, err
	}
	if err := validateContent(p.Type, p.Content); err != nil {
		return nil, err
	}
	if s.nameTaken(p.Name, p.Type, "") {
		return nil, errDuplicatePolicy
	}
	if len(s.Policies) >= maxPolicies {
		return nil, constraint("POLICY_NUMBER_LIMIT_EXCEEDED", "You attempted to exceed the number of policies that you can have in an organization.")
	}
	s.Policies[p.ID] = &p
	return &p, nil
}

func (s *State) nameTaken(name, typ, except string) bool {
	if m := managed(fullAccessFor(typ)); m.Name == name {
		return true
	}
	for _, q := range s.Policies {
		if q.ID != except && q.Type == typ && q.Name == name {
			return true
		}
	}
	return false
}

// UpdatePolicy changes a customer policy's name, description or content
// (nil leaves a field as it is).
func (s *State) UpdatePolicy(id string, name, desc, content *string) (*Policy, error) {
	p, err := s.Policy(id)
	if err != nil {
		return nil, err
	}
	if p.AWSManaged {
		return nil, errImmutablePolicy
	}
	if content != nil {
		if err := validateContent(p.Type, *content); err != nil {
			return nil, err
		}
	}
	if name != nil && s.nameTaken(*name, p.Type, id) {
		return nil, errDuplicatePolicy
	}
	if name != nil {
		p.Name = *name
	}
	if desc != nil {
		p.Description = *desc
	}
	if content != nil {
		p.Content = *content
	}
	return p, nil
}

// DeletePolicy deletes an unattached customer policy.
func (s *State) DeletePolicy(id string) error {
	p, err := s.Policy(id)
	if err != nil {
		return err
	}
	if p.AWSManaged {
		return errImmutablePolicy
	}
	if len(s.TargetsForPolicy(id)) > 0 {
		return errPolicyInUse
	}
	delete(s.Policies, id)
	delete(s.Tags, id)
	return nil
}

// Attach attaches a policy to a target.
func (s *State) Attach(policyID, target string) error {
	s.init()
	p, err := s.Policy(policyID)
	if err != nil {
		return err
	}
	if !s.targetExists(target) {
		return errTargetNotFound
	}
	if !s.TypeEnabled(p.Type) {
		return errTypeNotEnabled
	}
	if slices.Contains(s.Attachments[target], policyID) {
		return errDupAttachment
	}
	if s.countOfType(target, p.Type) >= maxAttachedPerType {
		return constraint("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.")
	}
	s.Attachments[target] = append(s.Attachments[target], policyID)
	return nil
}

func (s *State) countOfType(target, typ string) int {
	n := 0
	for _, id := range s.Attachments[target] {
		if p, err := s.Policy(id); err == nil && p.Type == typ {
			n++
		}
	}
	return n
}

// Detach detaches a policy from a target. An entity keeps at least one
// policy of each enabled type, as AWS requires.
func (s *State) Detach(policyID, target string) error {
	p, err := s.Policy(policyID)
	if err != nil {
		return err
	}
	if !s.targetExists(target) {
		return errTargetNotFound
	}
	if !slices.Contains(s.Attachments[target], policyID) {
		return errNotAttached
	}
	if s.countOfType(target, p.Type) <= 1 {
		return constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.")
	}
	s.Attachments[target] = slices.DeleteFunc(s.Attachments[target], func(id string) bool { return id == policyID })
	return nil
}

// PoliciesForTarget lists the policies of typ attached to target, sorted
// by id.
func (s *State) PoliciesForTarget(target, typ string) ([]*Policy, error) {
	if !s.targetExists(target) {
		return nil, errTargetNotFound
	}
	var out []*Policy
	for _, id := range s.Attachments[target] {
		if p, err := s.Policy(id); err == nil && p.Type == typ {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *Policy) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// TargetsForPolicy lists the targets a policy is attached to, sorted.
func (s *State) TargetsForPolicy(policyID string) []string {
	var out []string
	for t, ids := range s.Attachments {
		if slices.Contains(ids, policyID) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// ListPolicies lists the policies of typ (AWS managed first), sorted by
// id within each group.
func (s *State) ListPolicies(typ string) []*Policy {
	var out []*Policy
	if m := managed(fullAccessFor(typ)); m.Type == typ {
		out = append(out, m)
	}
	var own []*Policy
	for _, p := range s.Policies {
		if p.Type == typ {
			own = append(own, p)
		}
	}
	slices.SortFunc(own, func(a, b *Policy) int { return strings.Compare(a.ID, b.ID) })
	return append(out, own...)
}

// TagResource adds or replaces tags of a root, OU, account or policy.
func (s *State) TagResource(id string, tags []Tag) error {
	s.init()
	if !s.targetExists(id) && s.Policies[id] == nil {
		if managed(id) != nil {
			return errImmutablePolicy
		}
		return errTargetNotFound
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Key] {
			return invalidInput("DUPLICATE_TAG_KEY", "You provided a tag key that is duplicated.")
		}
		seen[t.Key] = true
	}
	out := slices.Clone(s.Tags[id])
	for _, t := range tags {
		i := slices.IndexFunc(out, func(x Tag) bool { return x.Key == t.Key })
		if i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	if len(out) > maxTagsPerResource {
		return constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.")
	}
	s.Tags[id] = out
	return nil
}

// UntagResource removes tags by key.
func (s *State) UntagResource(id string, keys []string) error {
	if !s.targetExists(id) && s.Policies[id] == nil {
		return errTargetNotFound
	}
	out := slices.DeleteFunc(slices.Clone(s.Tags[id]), func(t Tag) bool { return slices.Contains(keys, t.Key) })
	if len(out) == 0 {
		delete(s.Tags, id)
	} else {
		s.Tags[id] = out
	}
	return nil
}

// ListTags returns a resource's tags.
func (s *State) ListTags(id string) ([]Tag, error) {
	if !s.targetExists(id) && s.Policies[id] == nil && managed(id) == nil {
		return nil, errTargetNotFound
	}
	return s.Tags[id], nil
}

// Path returns the containers from the root to the account's parent
// (root first) and whether the account is a member.
func (s *State) Path(account string) ([]string, bool) {
	a := s.Accounts[account]
	if a == nil {
		return nil, false
	}
	var rev []string
	for id := a.Parent; ; {
		rev = append(rev, id)
		if id == s.RootID {
			break
		}
		ou := s.OUs[id]
		if ou == nil {
			break
		}
		id = ou.Parent
	}
	slices.Reverse(rev)
	return rev, true
}

// OrgPath returns aws:PrincipalOrgPaths / aws:ResourceOrgPaths for an
// account: "o-id/r-id/ou-id/.../" (the account's containers).
func (s *State) OrgPath(account string) string {
	path, ok := s.Path(account)
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(s.ID)
	b.WriteByte('/')
	for _, id := range path {
		b.WriteString(id)
		b.WriteByte('/')
	}
	return b.String()
}

// Levels returns the documents of the policies of typ that apply to an
// account, one slice per level (root, each OU, the account), or nil when
// the type is not enabled, the account is not a member or it is the
// management account (which policies never restrict).
func (s *State) Levels(account, typ string) [][]*Policy {
	if !s.TypeEnabled(typ) || account == s.Management {
		return nil
	}
	path, ok := s.Path(account)
	if !ok {
		return nil
	}
	levels := make([][]*Policy, 0, len(path)+1)
	for _, t := range append(path, account) {
		var lv []*Policy
		for _, id := range s.Attachments[t] {
			if p, err := s.Policy(id); err == nil && p.Type == typ {
				lv = append(lv, p)
			}
		}
		levels = append(levels, lv)
	}
	return levels
}
