package authz

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

type corpusFile struct {
	Policies map[string]struct {
		Kind string          `json:"kind"`
		Doc  json.RawMessage `json:"doc"`
	} `json:"policies"`
	Cases []corpusCase `json:"cases"`
}

type corpusCase struct {
	Name            string                     `json:"name"`
	Principal       string                     `json:"principal"`
	Action          string                     `json:"action"`
	Resource        string                     `json:"resource"`
	ResourceAccount string                     `json:"resource_account"`
	Identity        []string                   `json:"identity"`
	Boundary        string                     `json:"boundary"`
	Session         []string                   `json:"session"`
	ResourcePolicy  string                     `json:"resource_policy"`
	SCP             [][]string                 `json:"scp"`
	RCP             [][]string                 `json:"rcp"`
	Context         map[string]json.RawMessage `json:"context"`
	Expect          string                     `json:"expect"`
	Reason          string                     `json:"reason"`
	Statement       string                     `json:"statement"`
	Message         string                     `json:"message"`
}

var kindByName = map[string]policy.Kind{
	"Identity": policy.Identity, "Resource": policy.Resource, "Trust": policy.Trust, "Boundary": policy.Boundary,
	"Session": policy.Session, "SCP": policy.SCP, "RCP": policy.RCP, "Inline": policy.Inline,
}

// corpus is the loaded corpus: every policy parsed once.
type corpus struct {
	file     corpusFile
	policies map[string]PolicyRef
}

func loadCorpus(t testing.TB) *corpus {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	c := &corpus{policies: map[string]PolicyRef{}}
	if err := json.Unmarshal(b, &c.file); err != nil {
		t.Fatal(err)
	}
	for id, p := range c.file.Policies {
		kind, ok := kindByName[p.Kind]
		if !ok {
			t.Fatalf("policy %s: unknown kind %q", id, p.Kind)
		}
		c.policies[id] = PolicyRef{ID: id, Kind: kind, Policy: mustParse(t, string(p.Doc), kind)}
	}
	return c
}

func (c *corpus) ref(t testing.TB, id string) PolicyRef {
	t.Helper()
	r, ok := c.policies[id]
	if !ok {
		t.Fatalf("unknown policy %q", id)
	}
	return r
}

func (c *corpus) refs(t testing.TB, ids []string) []PolicyRef {
	var out []PolicyRef
	for _, id := range ids {
		out = append(out, c.ref(t, id))
	}
	return out
}

func (c *corpus) levels(t testing.TB, lv [][]string) [][]PolicyRef {
	if lv == nil {
		return nil
	}
	out := make([][]PolicyRef, len(lv))
	for i, l := range lv {
		out[i] = c.refs(t, l)
		if out[i] == nil {
			out[i] = []PolicyRef{}
		}
	}
	return out
}

// build returns the request and policy set of a case.
func (c *corpus) build(t testing.TB, cc *corpusCase) (*Request, *PolicySet) {
	t.Helper()
	set := &PolicySet{Identity: c.refs(t, cc.Identity), Session: c.refs(t, cc.Session), SCP: c.levels(t, cc.SCP), RCP: c.levels(t, cc.RCP)}
	if cc.Boundary != "" {
		r := c.ref(t, cc.Boundary)
		set.Boundary = &r
	}
	if cc.ResourcePolicy != "" {
		r := c.ref(t, cc.ResourcePolicy)
		set.Resource = &r
	}
	req := &Request{Action: cc.Action, Resource: cc.Resource, ResourceAccount: cc.ResourceAccount}
	if cc.Principal != "anonymous" {
		req.Principal = principalFromARN(t, cc.Principal)
	}
	for k, raw := range cc.Context {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			req.Context.SetNamed(k, one)
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			t.Fatalf("%s: context %s: %v", cc.Name, k, err)
		}
		if many == nil {
			many = []string{}
		}
		req.Context.SetNamedMulti(k, many)
	}
	return req, set
}

func TestCorpus(t *testing.T) {
	c := loadCorpus(t)
	if n := len(c.file.Cases); n < 300 {
		t.Errorf("corpus has %d cases, want at least 300", n)
	}
	names := map[string]bool{}
	for i := range c.file.Cases {
		cc := &c.file.Cases[i]
		if names[cc.Name] {
			t.Errorf("duplicate case name %q", cc.Name)
		}
		names[cc.Name] = true
		req, set := c.build(t, cc)
		d := Evaluate(req, set)
		if got := d.Effect.String(); got != cc.Expect {
			t.Errorf("%s: got %s (reason %q, statement %s#%d), want %s", cc.Name, got, d.Reason, d.Statement.PolicyID, d.Statement.Index, cc.Expect)
			continue
		}
		if cc.Reason != "" && d.Reason.String() != cc.Reason {
			t.Errorf("%s: reason %q, want %q", cc.Name, d.Reason, cc.Reason)
		}
		if cc.Statement != "" {
			if got := d.Statement.PolicyID + "#" + strconv.Itoa(d.Statement.Index); got != cc.Statement {
				t.Errorf("%s: statement %s, want %s", cc.Name, got, cc.Statement)
			}
		}
		if cc.Message != "" {
			if got := d.AccessDeniedMessage(req); got != cc.Message {
				t.Errorf("%s: message\n got %q\nwant %q", cc.Name, got, cc.Message)
			}
		}
		if d.Effect == Allowed && d.AccessDeniedMessage(req) != "" {
			t.Errorf("%s: allowed decision has a message", cc.Name)
		}
		// The traced evaluation decides the same way.
		req2, _ := c.build(t, cc)
		var tr Trace
		if d2 := EvaluateTrace(req2, set, &tr); d2 != d {
			t.Errorf("%s: EvaluateTrace %+v differs from Evaluate %+v", cc.Name, d2, d)
		}
		if d.Statement.Index >= 0 && d.Reason != SourceNone {
			found := false
			for _, m := range tr.Matched {
				if m == d.Statement {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: deciding statement %+v not in trace %+v", cc.Name, d.Statement, tr.Matched)
			}
		}
	}
	_ = strings.TrimSpace
}
