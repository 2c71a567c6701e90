package arn

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is returned (wrapped) by Parse for a string that is not an
// ARN.
var ErrMalformed = errors.New("malformed ARN")

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string // "aws", "aws-cn", ...
	Service   string // "iam", "sts", "s3", ...
	Region    string // "" for global services
	AccountID string // "" for S3 buckets, "aws" for AWS managed policies
	Resource  string // everything after the fifth colon
}

// Parse splits s into its fields. It requires the "arn:" prefix, six
// fields, and non-empty partition, service and resource.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, fmt.Errorf("%w: %q", ErrMalformed, s)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], AccountID: parts[4], Resource: parts[5]}
	if a.Partition == "" || a.Service == "" || a.Resource == "" {
		return ARN{}, fmt.Errorf("%w: %q", ErrMalformed, s)
	}
	return a, nil
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// ResourceType returns the resource type prefix: the part of Resource
// before the first '/' or ':' ("user" for "user/path/alice"), or "" when the
// resource has no type (an S3 bucket).
func (a ARN) ResourceType() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[:i]
	}
	return ""
}

// Match reports whether s matches pattern field by field, as IAM matches
// Resource elements and ArnLike conditions: "*" matches everything; each of
// the first five fields is matched separately (so a wildcard never crosses
// ':'); the resource field is matched as the rest of the string. A pattern
// that is not ARN-shaped is matched against the whole string.
func Match(pattern, s string) bool {
	if pattern == "*" {
		return true
	}
	pp := strings.SplitN(pattern, ":", 6)
	if len(pp) != 6 {
		return Glob(pattern, s)
	}
	sp := strings.SplitN(s, ":", 6)
	if len(sp) != 6 {
		return false
	}
	for i := range pp {
		if !Glob(pp[i], sp[i]) {
			return false
		}
	}
	return true
}

// Glob reports whether s matches a pattern in which '*' matches any run of
// characters and '?' any one character. It runs in O(len(pattern) *
// len(s)) at worst with no recursion (the classic single-backtrack-point
// algorithm).
func Glob(pattern, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			starP, starI = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case starP >= 0:
			p = starP + 1
			starI++
			i = starI
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
