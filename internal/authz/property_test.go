package authz

import (
	"go/build"
	"math/rand"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

// TestPure fails if the package imports anything outside the standard
// library and internal/policy.
func TestPure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && imp != "github.com/iamd/iamd/internal/policy" {
			t.Errorf("non-standard import %q", imp)
		}
	}
}

var extraDenies = []string{
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::b/*"}}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/x":"y"}}}}`,
}

// TestAddingDenyNeverAllows: for every corpus case, adding a Deny statement
// to any policy slot never turns a denied request into an allowed one, and
// never turns an explicit deny into anything else.
func TestAddingDenyNeverAllows(t *testing.T) {
	c := loadCorpus(t)
	denies := make([]*policy.Policy, len(extraDenies))
	for i, d := range extraDenies {
		denies[i] = mustParse(t, d, policy.Identity)
	}
	for i := range c.file.Cases {
		cc := &c.file.Cases[i]
		req, set := c.build(t, cc)
		before := Evaluate(req, set)
		for j, dp := range denies {
			for slot := 0; slot < 4; slot++ {
				req2, set2 := c.build(t, cc)
				ref := PolicyRef{ID: "extra", Kind: policy.Identity, Policy: dp}
				switch slot {
				case 0:
					set2.Identity = append(set2.Identity, ref)
				case 1:
					if set2.Boundary == nil {
						continue
					}
					b := withStatements(t, *set2.Boundary, dp)
					set2.Boundary = &b
				case 2:
					if len(set2.Session) == 0 {
						continue
					}
					set2.Session = append(set2.Session, ref)
				case 3:
					if len(set2.SCP) == 0 {
						continue
					}
					set2.SCP[0] = append(set2.SCP[0], ref)
				}
				after := Evaluate(req2, set2)
				if before.Effect != Allowed && after.Effect == Allowed {
					t.Errorf("%s: deny %d in slot %d turned %s into allowed", cc.Name, j, slot, before.Effect)
				}
				if before.Effect == ExplicitDeny && after.Effect != ExplicitDeny {
					t.Errorf("%s: deny %d in slot %d turned an explicit deny into %s", cc.Name, j, slot, after.Effect)
				}
			}
		}
		_ = req
	}
}

// withStatements returns ref's policy with extra's statements appended.
func withStatements(t *testing.T, ref PolicyRef, extra *policy.Policy) PolicyRef {
	p := *ref.Policy
	p.Statements = append(append([]policy.Statement(nil), p.Statements...), extra.Statements...)
	q, err := policy.Parse(p.String(), ref.Kind)
	if err != nil {
		t.Fatalf("re-parse %s: %v", ref.ID, err)
	}
	ref.Policy = q
	return ref
}

// shuffled returns p with its statements in a random order.
func shuffled(t *testing.T, rng *rand.Rand, ref PolicyRef) PolicyRef {
	p := *ref.Policy
	p.Statements = append([]policy.Statement(nil), p.Statements...)
	rng.Shuffle(len(p.Statements), func(i, j int) { p.Statements[i], p.Statements[j] = p.Statements[j], p.Statements[i] })
	q, err := policy.Parse(p.String(), ref.Kind)
	if err != nil {
		t.Fatalf("re-parse shuffled %s: %v", ref.ID, err)
	}
	ref.Policy = q
	return ref
}

// TestStatementOrderIrrelevant: shuffling statements within policies and
// policies within a slot never changes the decision or its reason.
func TestStatementOrderIrrelevant(t *testing.T) {
	c := loadCorpus(t)
	rng := rand.New(rand.NewSource(1))
	for i := range c.file.Cases {
		cc := &c.file.Cases[i]
		req, set := c.build(t, cc)
		want := Evaluate(req, set)
		for round := 0; round < 3; round++ {
			req2, set2 := c.build(t, cc)
			for k := range set2.Identity {
				set2.Identity[k] = shuffled(t, rng, set2.Identity[k])
			}
			rng.Shuffle(len(set2.Identity), func(i, j int) { set2.Identity[i], set2.Identity[j] = set2.Identity[j], set2.Identity[i] })
			for k := range set2.Session {
				set2.Session[k] = shuffled(t, rng, set2.Session[k])
			}
			for _, lv := range set2.SCP {
				for k := range lv {
					lv[k] = shuffled(t, rng, lv[k])
				}
				rng.Shuffle(len(lv), func(i, j int) { lv[i], lv[j] = lv[j], lv[i] })
			}
			if set2.Resource != nil {
				r := shuffled(t, rng, *set2.Resource)
				set2.Resource = &r
			}
			if set2.Boundary != nil {
				r := shuffled(t, rng, *set2.Boundary)
				set2.Boundary = &r
			}
			got := Evaluate(req2, set2)
			if got.Effect != want.Effect || got.Reason != want.Reason {
				t.Errorf("%s: shuffled decision %s/%s, want %s/%s", cc.Name, got.Effect, got.Reason, want.Effect, want.Reason)
			}
		}
	}
}

// TestEvaluateAllocations checks the hot path allocates nothing for a
// reused request.
func TestEvaluateAllocations(t *testing.T) {
	req, set := benchSetup(t, 10, 5)
	allocs := testing.AllocsPerRun(200, func() {
		req.Context.Reset()
		req.Context.Set(policy.KeySourceIP, "192.0.2.10")
		req.Context.Set(policy.KeyCurrentTime, "2024-06-01T12:00:00Z")
		req.Context.SetNamed("aws:PrincipalTag/team", "red")
		if d := Evaluate(req, set); d.Effect != Allowed {
			t.Fatalf("benchmark request not allowed: %+v", d)
		}
	})
	if allocs > 2 {
		t.Errorf("Evaluate allocates %.1f times per decision, want at most 2", allocs)
	}
	t.Logf("allocations per decision: %.1f", allocs)
}
