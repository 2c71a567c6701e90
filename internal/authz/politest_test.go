package authz

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

type politestFile struct {
	Policies map[string]string `json:"policies"`
	Cases    []struct {
		Source         string   `json:"source"`
		Test           string   `json:"test"`
		Identity       *string  `json:"identity"`
		ResourcePolicy *string  `json:"resource_policy"`
		SCPs           []string `json:"scps"`
		CallerARN      string   `json:"caller_arn"`
		ResourceOwner  string   `json:"resource_owner"`
		Action         string   `json:"action"`
		Resource       string   `json:"resource"`
		Context        []struct {
			Key    string   `json:"key"`
			Type   string   `json:"type"`
			Values []string `json:"values"`
		} `json:"context"`
		Expect string `json:"expect"`
	} `json:"cases"`
}

// TestPolitest runs the politest scenarios, whose expectations were checked
// against AWS SimulateCustomPolicy. politest passes SCP and RCP documents as
// permissions boundaries; one SCP level holding them all is equivalent.
func TestPolitest(t *testing.T) {
	b, err := os.ReadFile("testdata/politest/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var f politestFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 92 {
		t.Fatalf("only %d cases", len(f.Cases))
	}
	parsed := map[string]*policy.Policy{}
	get := func(id string, kind policy.Kind) *policy.Policy {
		k := id + kind.String()
		if p, ok := parsed[k]; ok {
			return p
		}
		p := mustParse(t, f.Policies[id], kind)
		parsed[k] = p
		return p
	}
	for i, c := range f.Cases {
		set := &PolicySet{}
		if c.Identity != nil {
			set.Identity = []PolicyRef{{ID: *c.Identity, Kind: policy.Inline, Policy: get(*c.Identity, policy.Inline)}}
		}
		if c.ResourcePolicy != nil {
			set.Resource = &PolicyRef{ID: *c.ResourcePolicy, Kind: policy.Resource, Policy: get(*c.ResourcePolicy, policy.Resource)}
		}
		if len(c.SCPs) > 0 {
			var level []PolicyRef
			for _, id := range c.SCPs {
				kind := policy.SCP
				if p, err := policy.Parse(f.Policies[id], policy.SCP); err != nil || p == nil {
					kind = policy.RCP
				}
				level = append(level, PolicyRef{ID: id, Kind: kind, Policy: get(id, kind)})
			}
			set.SCP = [][]PolicyRef{level}
		}
		caller := c.CallerARN
		if caller == "" {
			caller = "arn:aws:iam::123456789012:user/simulated"
		}
		req := &Request{Principal: principalFromARN(t, caller), Action: c.Action, Resource: c.Resource, ResourceAccount: accountOf(c.ResourceOwner)}
		for _, e := range c.Context {
			setContext(&req.Context, e.Key, e.Type, e.Values)
		}
		d := Evaluate(req, set)
		if got := d.Effect.String(); got != c.Expect {
			t.Errorf("case %d %s / %s: %s on %s = %s (reason %s), want %s", i, c.Source, c.Test, c.Action, c.Resource, got, d.Reason, c.Expect)
		}
	}
}
