package policy

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
