package awsquery

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestClassMatcher checks the fast path against the regexp engine.
func TestClassMatcher(t *testing.T) {
	exprs := []string{
		`[\w+=,.@-]+`, `[\w+=,.@-]*`, `[\x{9}\x{A}\x{D}\x{20}-\x{FF}]+`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`,
		`\d{12}`, `[\d]+`, `[\x{9}\x{A}\x{D}\x{20}-\x{7E}\x{85}\x{A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{1000}0-\x{10FF}FF]+`,
		`[a-z]{2,4}`,
	}
	alphabet := []rune("aZ09_+=,.@-/:~ \t\n\r\x00\x7f\u00a0\u00ff\u0100é€\U0001F600\u2028")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, expr := range exprs {
		p := NewPattern(expr, expr)
		if p.class == nil {
			t.Errorf("%s: no fast path", expr)
		}
		re := regexp.MustCompile(`^(?:` + expr + `)$`)
		for i := 0; i < 3000; i++ {
			n := rng.IntN(16)
			rs := make([]rune, n)
			for j := range rs {
				rs[j] = alphabet[rng.IntN(len(alphabet))]
			}
			if n == 12 && i%3 == 0 {
				for j := range rs {
					rs[j] = rune('0' + rng.IntN(10))
				}
			}
			s := string(rs)
			if got, want := p.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%s on %q: fast %v, regexp %v", expr, s, got, want)
			}
		}
	}
	if p := NewPattern(`v[1-9][0-9]*`, `v[1-9][0-9]*`); p.class != nil || !p.MatchString("v12") || p.MatchString("v0") {
		t.Error("non-class pattern")
	}
	p := NewPattern("alias", `^[a-z0-9](?:[a-z0-9]|-){1,61}[a-z0-9]$`).Forbid("--")
	for s, want := range map[string]bool{"my-alias": true, "my--alias": false, "-a": false, "ab": false, "abc": true} {
		if p.MatchString(s) != want {
			t.Errorf("alias %q", s)
		}
	}
}
