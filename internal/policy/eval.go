package policy

import "strings"

// Request is what one policy is evaluated against.
type Request struct {
	// Principal is the caller; only Principal/NotPrincipal matching and
	// nothing else reads it (condition keys come from Context).
	Principal *Principal
	// Action is "service:Operation", e.g. "iam:CreateRole".
	Action string
	// Resource is the resource ARN, or "*" for actions without a resource.
	Resource string
	// Context holds the request's condition keys (and the values policy
	// variables resolve to). May be nil.
	Context *Context

	prep prepared // per-request work shared by all policies
}

// prepared caches what every policy evaluation of one request needs: the
// hash of the lower-cased service prefix and the split resource ARN. It is
// recomputed whenever Action or Resource changes.
type prepared struct {
	action   string
	svcHash  uint64
	svc      string // service prefix as written
	resource string
	parts    [6]string
	isARN    bool
	ok       bool
}

func (r *Request) prepare() *prepared {
	pp := &r.prep
	if !pp.ok || pp.action != r.Action {
		pp.action = r.Action
		svc := r.Action
		if i := strings.IndexByte(svc, ':'); i >= 0 {
			svc = svc[:i]
		}
		pp.svc = svc
		pp.svcHash = foldHash(svc)
	}
	if !pp.ok || pp.resource != r.Resource {
		pp.resource = r.Resource
		pp.isARN = splitARN(r.Resource, &pp.parts)
	}
	pp.ok = true
	return pp
}

// foldHash is FNV-1a over the ASCII-lower-cased bytes of s.
func foldHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(lowerByte(s[i]))
		h *= 1099511628211
	}
	return h
}

// Result is the outcome of evaluating one policy.
type Result struct {
	// Allow is the index of the first matching Allow statement, -1 if none.
	Allow int
	// Deny is the index of the first matching Deny statement, -1 if none.
	Deny int
	// AllowMatch is the most specific way a matching Allow statement's
	// Principal matched (resource and trust policies); MatchNone for
	// policies without Principal.
	AllowMatch PrincipalMatch
}

// Trace collects simulation detail during EvaluateTrace. Reuse it across
// calls by truncating its slices.
type Trace struct {
	// Matched holds the index of every matching statement (Allow and Deny),
	// in document order.
	Matched []int
	// Missing holds the names (as written in the policy) of condition keys
	// that statements matching the action and resource referenced but the
	// context did not have; each name at most once.
	Missing []string
}

func (t *Trace) addMissing(name string) {
	for _, m := range t.Missing {
		if m == name {
			return
		}
	}
	t.Missing = append(t.Missing, name)
}
