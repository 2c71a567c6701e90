package cedarbench

import (
	"fmt"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/policy"
)

type query struct {
	action, resource, team, ip string
}

var queries = []query{
	{"s3:GetObject", "arn:aws:s3:::bucket-0/key", "red", "192.0.2.10"},
	{"s3:GetObject", "arn:aws:s3:::bucket-0/key", "red", "203.0.113.1"},
	{"s3:GetObject", "arn:aws:s3:::bucket-0/key", "green", "192.0.2.10"},
	{"s3:PutObject", "arn:aws:s3:::bucket-0/key", "red", "192.0.2.10"},
	{"ec2:DescribeInstances", "arn:aws:ec2:::bucket-0", "blue", "198.51.100.7"},
	{"iam:GetUser", "arn:aws:iam::111122223333:user/bucket-0/x", "blue", "198.51.100.7"},
	{"route53:GetHostedZone", "arn:aws:route53:::hostedzone/Z1", "red", "192.0.2.10"},
	{"kms:ListKeys", "arn:aws:kms:::bucket-3", "red", "192.0.2.10"},
}

type iamdEngine struct {
	req *authz.Request
	set *authz.PolicySet
}

func newIAMD(tb testing.TB, w [][]Stmt) *iamdEngine {
	e := &iamdEngine{set: &authz.PolicySet{}, req: &authz.Request{
		Principal: authz.Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333", Type: policy.User, UserID: "AIDAEXAMPLE", Username: "alice"},
	}}
	for i, d := range IAMDocs(w) {
		p, err := policy.Parse(d, policy.Identity)
		if err != nil {
			tb.Fatal(err)
		}
		e.set.Identity = append(e.set.Identity, authz.PolicyRef{ID: fmt.Sprint(i), Kind: policy.Identity, Policy: p})
	}
	return e
}

func (e *iamdEngine) decide(q query) bool {
	e.req.Action, e.req.Resource = q.action, q.resource
	e.req.Context.Reset()
	e.req.Context.Set(policy.KeySourceIP, q.ip)
	e.req.Context.SetNamed("aws:PrincipalTag/team", q.team)
	return authz.Evaluate(e.req, e.set).Allowed()
}

type cedarEngine struct {
	ps *cedar.PolicySet
}

func newCedar(tb testing.TB, w [][]Stmt) *cedarEngine {
	ps, err := cedar.NewPolicySetFromBytes("bench.cedar", []byte(CedarText(w)))
	if err != nil {
		tb.Fatal(err)
	}
	return &cedarEngine{ps: ps}
}

func cedarRequest(tb testing.TB, q query) cedar.Request {
	ip, err := types.ParseIPAddr(q.ip)
	if err != nil {
		tb.Fatal(err)
	}
	return cedar.Request{
		Principal: cedar.NewEntityUID("User", "alice"),
		Action:    cedar.NewEntityUID("Action", cedar.String(q.action)),
		Resource:  cedar.NewEntityUID("Resource", cedar.String(q.resource)),
		Context: cedar.NewRecord(cedar.RecordMap{
			"action":   cedar.String(q.action),
			"resource": cedar.String(q.resource),
			"team":     cedar.String(q.team),
			"sourceIp": ip,
		}),
	}
}

func (e *cedarEngine) decide(req cedar.Request) bool {
	d, _ := cedar.Authorize(e.ps, cedar.EntityMap{}, req)
	return d == cedar.Allow
}

// TestEquivalent checks that both engines decide every query the same way,
// so the benchmark compares equivalent work.
func TestEquivalent(t *testing.T) {
	for _, size := range [][2]int{{10, 5}, {100, 10}} {
		w := Workload(size[0], size[1])
		ie, ce := newIAMD(t, w), newCedar(t, w)
		for _, q := range queries {
			a, b := ie.decide(q), ce.decide(cedarRequest(t, q))
			if a != b {
				t.Errorf("%dx%d %+v: iamd %v, cedar %v", size[0], size[1], q, a, b)
			}
		}
	}
}

func benchIAMD(b *testing.B, np, ns int, q query) {
	e := newIAMD(b, Workload(np, ns))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.decide(q)
	}
}

// benchCedar measures cedar-go with the request built once (favouring
// cedar: iamd's figure includes filling its request context).
func benchCedar(b *testing.B, np, ns int, q query) {
	e := newCedar(b, Workload(np, ns))
	req := cedarRequest(b, q)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.decide(req)
	}
}

func BenchmarkIAMD10x5(b *testing.B)          { benchIAMD(b, 10, 5, queries[0]) }
func BenchmarkCedar10x5(b *testing.B)         { benchCedar(b, 10, 5, queries[0]) }
func BenchmarkIAMD1000(b *testing.B)          { benchIAMD(b, 100, 10, queries[0]) }
func BenchmarkCedar1000(b *testing.B)         { benchCedar(b, 100, 10, queries[0]) }
func BenchmarkIAMDOtherSvc1000(b *testing.B)  { benchIAMD(b, 100, 10, queries[6]) }
func BenchmarkCedarOtherSvc1000(b *testing.B) { benchCedar(b, 100, 10, queries[6]) }

// TestRatios measures each iamd benchmark against its cedar-go counterpart
// in the same run (fastest of three interleaved rounds each) and logs the ratio (run with -v; nothing is asserted, as
// timings are never asserted in tests). Skipped with -short.
func TestRatios(t *testing.T) {
	if testing.Short() {
		t.Skip("benchmark ratios skipped in -short mode")
	}
	for _, c := range []struct {
		name   string
		np, ns int
		q      query
	}{{"10x5+deny", 10, 5, queries[0]}, {"1000+deny", 100, 10, queries[0]}, {"1000, other service", 100, 10, queries[6]}} {
		// Interleave three rounds and keep each engine's fastest, so that
		// load from other processes on a shared machine skews less.
		var ri, rc testing.BenchmarkResult
		for round := 0; round < 3; round++ {
			i := testing.Benchmark(func(b *testing.B) { benchIAMD(b, c.np, c.ns, c.q) })
			k := testing.Benchmark(func(b *testing.B) { benchCedar(b, c.np, c.ns, c.q) })
			if round == 0 || i.NsPerOp() < ri.NsPerOp() {
				ri = i
			}
			if round == 0 || k.NsPerOp() < rc.NsPerOp() {
				rc = k
			}
		}
		t.Logf("%-20s iamd %8d ns/op %3d allocs | cedar-go %9d ns/op %4d allocs | ratio %.4f",
			c.name, ri.NsPerOp(), ri.AllocsPerOp(), rc.NsPerOp(), rc.AllocsPerOp(), float64(ri.NsPerOp())/float64(rc.NsPerOp()))
	}
}
