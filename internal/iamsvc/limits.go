package iamsvc

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Limits are IAM quotas. Zero values take AWS's defaults. Each quota that
// GetAccountSummary reports has AWS's summary name (QuotaNames).
type Limits struct {
	// UsersPerAccount is UsersQuota (5,000).
	UsersPerAccount int
	// AccessKeysPerUser is AccessKeysPerUserQuota (2).
	AccessKeysPerUser int
	// TagsPerResource is the tags per IAM resource (50; no summary key).
	TagsPerResource int
	// RolesPerAccount is RolesQuota (1,000).
	RolesPerAccount int
	// GroupsPerAccount is GroupsQuota (300).
	GroupsPerAccount int
	// GroupsPerUser is GroupsPerUserQuota (10).
	GroupsPerUser int
	// PoliciesPerAccount is PoliciesQuota: customer managed policies (1,500).
	PoliciesPerAccount int
	// InstanceProfilesPerAccount is InstanceProfilesQuota (1,000).
	InstanceProfilesPerAccount int
	// AttachedPoliciesPerUser, ...PerRole, ...PerGroup are the managed
	// policies attached to one entity (10 each).
	AttachedPoliciesPerUser  int
	AttachedPoliciesPerRole  int
	AttachedPoliciesPerGroup int
	// VersionsPerPolicy is VersionsPerPolicyQuota (5).
	VersionsPerPolicy int
	// PolicySize is PolicySizeQuota: a managed policy document, characters
	// without white space (6,144).
	PolicySize int
	// UserPolicySize, RolePolicySize, GroupPolicySize are the aggregate
	// inline policy sizes per entity (2,048, 10,240, 5,120).
	UserPolicySize  int
	RolePolicySize  int
	GroupPolicySize int
	// AssumeRolePolicySize is AssumeRolePolicySizeQuota: a role's trust
	// policy (2,048).
	AssumeRolePolicySize int
	// PolicyVersionsInUse is PolicyVersionsInUseQuota (10,000).
	PolicyVersionsInUse int
	// ServerCertificates is ServerCertificatesQuota (20).
	ServerCertificates int
	// SigningCertificatesPerUser is SigningCertificatesPerUserQuota (2).
	SigningCertificatesPerUser int
}

// quota binds a configurable quota's name to its field and AWS default.
type quota struct {
	name  string
	field func(*Limits) *int
	def   int
}

// quotas lists every configurable quota, named as GetAccountSummary names
// it (TagsPerResource has no summary key).
var quotas = []quota{
	{"UsersQuota", func(l *Limits) *int { return &l.UsersPerAccount }, 5000},
	{"AccessKeysPerUserQuota", func(l *Limits) *int { return &l.AccessKeysPerUser }, 2},
	{"TagsPerResource", func(l *Limits) *int { return &l.TagsPerResource }, 50},
	{"RolesQuota", func(l *Limits) *int { return &l.RolesPerAccount }, 1000},
	{"GroupsQuota", func(l *Limits) *int { return &l.GroupsPerAccount }, 300},
	{"GroupsPerUserQuota", func(l *Limits) *int { return &l.GroupsPerUser }, 10},
	{"PoliciesQuota", func(l *Limits) *int { return &l.PoliciesPerAccount }, 1500},
	{"InstanceProfilesQuota", func(l *Limits) *int { return &l.InstanceProfilesPerAccount }, 1000},
	{"AttachedPoliciesPerUserQuota", func(l *Limits) *int { return &l.AttachedPoliciesPerUser }, 10},
	{"AttachedPoliciesPerRoleQuota", func(l *Limits) *int { return &l.AttachedPoliciesPerRole }, 10},
	{"AttachedPoliciesPerGroupQuota", func(l *Limits) *int { return &l.AttachedPoliciesPerGroup }, 10},
	{"VersionsPerPolicyQuota", func(l *Limits) *int { return &l.VersionsPerPolicy }, 5},
	{"PolicySizeQuota", func(l *Limits) *int { return &l.PolicySize }, 6144},
	{"UserPolicySizeQuota", func(l *Limits) *int { return &l.UserPolicySize }, 2048},
	{"RolePolicySizeQuota", func(l *Limits) *int { return &l.RolePolicySize }, 10240},
	{"GroupPolicySizeQuota", func(l *Limits) *int { return &l.GroupPolicySize }, 5120},
	{"AssumeRolePolicySizeQuota", func(l *Limits) *int { return &l.AssumeRolePolicySize }, 2048},
	{"PolicyVersionsInUseQuota", func(l *Limits) *int { return &l.PolicyVersionsInUse }, 10000},
	{"ServerCertificatesQuota", func(l *Limits) *int { return &l.ServerCertificates }, 20},
	{"SigningCertificatesPerUserQuota", func(l *Limits) *int { return &l.SigningCertificatesPerUser }, 2},
}

// DefaultLimits returns AWS's default quotas.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

func (l Limits) withDefaults() Limits {
	for _, q := range quotas {
		if p := q.field(&l); *p == 0 {
			*p = q.def
		}
	}
	return l
}

// QuotaNames returns the names Set accepts, sorted.
func QuotaNames() []string {
	out := make([]string, len(quotas))
	for i, q := range quotas {
		out[i] = q.name
	}
	sort.Strings(out)
	return out
}

// Set sets the quota called name (a QuotaNames entry, case-sensitive as
// AWS spells it) to value, which must be a positive integer.
func (l *Limits) Set(name, value string) error {
	for _, q := range quotas {
		if q.name != name {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 1 || n > 1<<30 {
			return fmt.Errorf("quota %s: value %q is not a positive integer", name, value)
		}
		*q.field(l) = n
		return nil
	}
	return fmt.Errorf("unknown quota %q (known: %s)", name, strings.Join(QuotaNames(), ", "))
}

// ParseQuotas sets quotas from "Name=Value" items.
func (l *Limits) ParseQuotas(items []string) error {
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		name, value, ok := strings.Cut(it, "=")
		if !ok {
			return fmt.Errorf("quota %q: want Name=Value", it)
		}
		if err := l.Set(strings.TrimSpace(name), value); err != nil {
			return err
		}
	}
	return nil
}

// summaryQuotas returns the quota entries of GetAccountSummary.
func (l Limits) summaryQuotas() map[string]int {
	out := make(map[string]int, len(quotas))
	for _, q := range quotas {
		if strings.HasSuffix(q.name, "Quota") {
			out[q.name] = *q.field(&l)
		}
	}
	return out
}

// Limits returns the service's quotas.
func (s *Service) Limits() Limits { return s.limits }
