package policy

import "strings"

// compiled is a policy's evaluation form, built once by Parse.
type compiled struct {
	stmts []cstmt
	// services lists each lower-case service prefix named literally in an
	// Action list with the indexes of those statements (svcHash holds
	// foldHash of each name, for a fast scan).
	services []svcIndex
	// always holds the statements that must be checked for every action:
	// NotAction, "*", and wildcards in the service prefix.
	always []int32
}

type svcIndex struct {
	hash  uint64
	name  string
	stmts []int32
}

type cstmt struct {
	effect      Effect
	actions     []glob // lower case "service:action" patterns
	notAction   bool
	resources   []arnPattern
	notResource bool
	hasResource bool
	principal   *Principals
	notPrinc    bool
	conds       []ccond
}

func compile(p *Policy) {
	vars := p.Version == Version2012
	c := &p.c
	c.stmts = make([]cstmt, len(p.Statements))
	byService := map[string][]int32{}
	var order []string
	for i := range p.Statements {
		st := &p.Statements[i]
		cs := &c.stmts[i]
		cs.effect = st.Effect
		cs.notAction = st.NotAction
		cs.actions = make([]glob, len(st.Action))
		always := st.NotAction
		seen := map[string]bool{}
		for j, a := range st.Action {
			la := strings.ToLower(a)
			cs.actions[j] = compileGlob(la)
			svc, _, ok := strings.Cut(la, ":")
			if !ok || strings.ContainsAny(svc, "*?") {
				always = true
				continue
			}
			if !seen[svc] {
				seen[svc] = true
			}
		}
		if always {
			c.always = append(c.always, int32(i))
		} else {
			for _, a := range st.Action {
				svc, _, _ := strings.Cut(strings.ToLower(a), ":")
				if seen[svc] {
					seen[svc] = false // once per statement
					if byService[svc] == nil {
						order = append(order, svc)
					}
					byService[svc] = append(byService[svc], int32(i))
				}
			}
		}
		cs.hasResource = st.Resource != nil
		cs.notResource = st.NotResource
		cs.resources = make([]arnPattern, len(st.Resource))
		for j, r := range st.Resource {
			cs.resources[j] = compileARNPattern(r, vars)
		}
		cs.principal = st.Principal
		cs.notPrinc = st.NotPrincipal
		cs.conds = make([]ccond, len(st.Conditions))
		for j, cd := range st.Conditions {
			cs.conds[j] = compileCondition(cd, vars)
		}
	}
	for _, svc := range order {
		c.services = append(c.services, svcIndex{hash: foldHash(svc), name: svc, stmts: byService[svc]})
	}
}

// Evaluate evaluates the policy against r.
func (p *Policy) Evaluate(r *Request) Result { return p.EvaluateTrace(r, nil) }

// EvaluateTrace evaluates the policy against r and, when t is not nil,
// records every matching statement and missing context key in t. It
// allocates nothing when t is nil.
func (p *Policy) EvaluateTrace(r *Request, t *Trace) Result {
	res := Result{Allow: -1, Deny: -1}
	if p == nil {
		return res
	}
	c := &p.c
	pp := r.prepare()
	var list []int32
	for k := range c.services {
		if e := &c.services[k]; e.hash == pp.svcHash && len(e.name) == len(pp.svc) && strings.EqualFold(e.name, pp.svc) {
			list = e.stmts
			break
		}
	}
	always := c.always
	// Merge the two sorted index lists.
	for len(list) > 0 || len(always) > 0 {
		var i int32
		if len(always) == 0 || (len(list) > 0 && list[0] < always[0]) {
			i, list = list[0], list[1:]
		} else {
			i, always = always[0], always[1:]
		}
		cs := &c.stmts[i]
		if cs.effect == Allow && res.Allow >= 0 && t == nil && (cs.principal == nil || res.AllowMatch == MatchExact) {
			continue // an earlier Allow already decided this effect
		}
		if cs.effect == Deny && res.Deny >= 0 && t == nil {
			continue
		}
		pm, ok := cs.matches(r, t)
		if !ok {
			continue
		}
		if t != nil {
			t.Matched = append(t.Matched, int(i))
		}
		if cs.effect == Deny {
			if res.Deny < 0 {
				res.Deny = int(i)
			}
		} else {
			if res.Allow < 0 {
				res.Allow = int(i)
			}
			if pm > res.AllowMatch {
				res.AllowMatch = pm
			}
		}
	}
	return res
}

// matches reports whether the statement applies to the request, and how
// its Principal matched.
func (cs *cstmt) matches(r *Request, t *Trace) (PrincipalMatch, bool) {
	if !cs.matchAction(r.Action) {
		return MatchNone, false
	}
	if cs.hasResource && !cs.matchResource(&r.prep, r.Context) {
		return MatchNone, false
	}
	pm := MatchNone
	if cs.principal != nil {
		if cs.notPrinc {
			if notPrincipalExcludes(cs.principal, r.Principal) {
				return MatchNone, false
			}
			pm = MatchExact
		} else if pm = matchPrincipals(cs.principal, r.Principal); pm == MatchNone {
			return MatchNone, false
		}
	}
	ok := true
	for i := range cs.conds {
		res, present := cs.conds[i].eval(r.Context)
		if !present && t != nil {
			t.addMissing(cs.conds[i].name)
		}
		if !res {
			ok = false
			if t == nil {
				break
			}
		}
	}
	return pm, ok
}

func (cs *cstmt) matchAction(a string) bool {
	for i := range cs.actions {
		if cs.actions[i].matchFold(a) {
			return !cs.notAction
		}
	}
	return cs.notAction
}

// matchResource applies Resource / NotResource. A Resource entry whose
// policy variable cannot be resolved matches nothing; for NotResource such
// an entry makes the statement not apply.
func (cs *cstmt) matchResource(pp *prepared, ctx *Context) bool {
	for i := range cs.resources {
		m, resolved := cs.resources[i].matchPrepared(pp, ctx)
		if !resolved {
			if cs.notResource {
				return false
			}
			continue
		}
		if m {
			return !cs.notResource
		}
	}
	return cs.notResource
}

// ContextKeys returns the condition keys the policy references — in
// Condition blocks and in policy variables of Resource and condition
// values — each once (compared case-insensitively), in the spelling and
// order of their first occurrence.
func (p *Policy) ContextKeys() []string {
	var out []string
	add := func(k string) {
		for _, o := range out {
			if strings.EqualFold(o, k) {
				return
			}
		}
		out = append(out, k)
	}
	for i := range p.c.stmts {
		cs := &p.c.stmts[i]
		for j := range cs.resources {
			for _, k := range cs.resources[j].varKeys(nil) {
				add(k)
			}
		}
		for j := range cs.conds {
			add(cs.conds[j].name)
			for _, v := range cs.conds[j].vals {
				for _, k := range v.str.varKeys(nil) {
					add(k)
				}
				if v.arn != nil {
					for _, k := range v.arn.varKeys(nil) {
						add(k)
					}
				}
			}
		}
	}
	return out
}

func (ap *arnPattern) varKeys(dst []string) []string {
	dst = ap.whole.varKeys(dst)
	for i := range ap.fields {
		dst = ap.fields[i].varKeys(dst)
	}
	return dst
}
