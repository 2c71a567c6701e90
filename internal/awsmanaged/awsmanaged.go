package awsmanaged

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ARNPrefix starts the ARN of every AWS managed policy.
const ARNPrefix = "arn:aws:iam::aws:policy/"

// Policy is one AWS managed policy with its default version.
type Policy struct {
	Name             string
	ID               string
	ARN              string
	Path             string
	Description      string
	DefaultVersionID string
	CreateDate       time.Time
	UpdateDate       time.Time
	// VersionCreateDate is when the default version was created.
	VersionCreateDate time.Time
	// Document is the default version's policy document (compact JSON,
	// keys in AWS's order).
	Document string
}

//go:embed policies.json
var raw []byte

type file struct {
	Policies []struct {
		PolicyName        string
		PolicyID          string `json:"PolicyId"`
		Arn               string
		Path              string
		Description       string
		DefaultVersionID  string `json:"DefaultVersionId"`
		CreateDate        time.Time
		UpdateDate        time.Time
		VersionCreateDate time.Time
		Document          json.RawMessage
	}
}

var (
	all   []Policy
	byARN map[string]*Policy
)

func init() {
	ps, err := parse(raw)
	if err != nil {
		panic(err)
	}
	all = ps
	byARN = make(map[string]*Policy, len(all))
	for i := range all {
		byARN[all[i].ARN] = &all[i]
	}
}

// parse decodes and checks a catalogue file.
func parse(b []byte) ([]Policy, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("awsmanaged: %w", err)
	}
	out := make([]Policy, 0, len(f.Policies))
	for _, p := range f.Policies {
		var doc bytes.Buffer
		if err := json.Compact(&doc, p.Document); err != nil {
			return nil, fmt.Errorf("awsmanaged: %s document: %w", p.PolicyName, err)
		}
		if p.Arn != ARNPrefix+strings.TrimPrefix(p.Path, "/")+p.PolicyName || !strings.HasPrefix(p.PolicyID, "ANPA") || p.DefaultVersionID == "" {
			return nil, fmt.Errorf("awsmanaged: inconsistent entry %s", p.PolicyName)
		}
		out = append(out, Policy{Name: p.PolicyName, ID: p.PolicyID, ARN: p.Arn, Path: p.Path, Description: p.Description,
			DefaultVersionID: p.DefaultVersionID, CreateDate: p.CreateDate.UTC(), UpdateDate: p.UpdateDate.UTC(),
			VersionCreateDate: p.VersionCreateDate.UTC(), Document: doc.String()})
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// Lookup returns the AWS managed policy with the given ARN. ARNs are
// compared exactly, as IAM does.
func Lookup(arn string) (*Policy, bool) {
	p, ok := byARN[arn]
	if !ok {
		return nil, false
	}
	c := *p
	return &c, true
}

// All returns every policy of the catalogue, ordered by name
// (case-insensitively).
func All() []Policy { return append([]Policy(nil), all...) }

// IsAWSManaged reports whether arn names a policy in the aws account
// (whether or not the catalogue has it).
func IsAWSManaged(arn string) bool { return strings.HasPrefix(arn, ARNPrefix) }
