package policy

import "strings"

// matchPrincipals tells how a Principal element matches the caller.
func matchPrincipals(ps *Principals, pr *Principal) PrincipalMatch {
	if ps.All {
		return MatchWildcard
	}
	if pr == nil {
		return MatchNone
	}
	best := MatchNone
	up := func(m PrincipalMatch) {
		if m > best {
			best = m
		}
	}
	for _, v := range ps.AWS {
		up(matchAWSPrincipal(v, pr))
	}
	for _, v := range ps.Service {
		if pr.Type == Service && strings.EqualFold(v, pr.ARN) {
			up(MatchExact)
		}
	}
	for _, v := range ps.Federated {
		if (pr.Type == WebIdentity || pr.Type == SAML) && v == pr.ARN {
			up(MatchExact)
		}
	}
	for _, v := range ps.CanonicalUser {
		if pr.CanonicalUser != "" && v == pr.CanonicalUser {
			up(MatchExact)
		}
	}
	return best
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// accountOf returns the account a principal value names as a whole
// ("123456789012" or "arn:<partition>:iam::123456789012:root"), or "".
func accountOf(v string) string {
	if isAccountID(v) {
		return v
	}
	if strings.HasPrefix(v, "arn:") && strings.HasSuffix(v, ":root") {
		var parts [6]string
		if splitARN(v, &parts) && parts[2] == "iam" && parts[3] == "" && parts[5] == "root" && isAccountID(parts[4]) {
			return parts[4]
		}
	}
	return ""
}

func matchAWSPrincipal(v string, pr *Principal) PrincipalMatch {
	if v == "*" {
		return MatchWildcard
	}
	switch pr.Type {
	case Anonymous, Service, WebIdentity, SAML:
		return MatchNone
	}
	if v == pr.ARN {
		return MatchExact
	}
	if (pr.Type == AssumedRole || pr.Type == FederatedUser) && pr.RoleARN != "" && v == pr.RoleARN {
		return MatchRole
	}
	if a := accountOf(v); a != "" && a == pr.Account {
		if pr.Type == Root {
			return MatchExact
		}
		return MatchAccount
	}
	return MatchNone
}

// notPrincipalExcludes reports whether a NotPrincipal element exempts the
// caller: AWS evaluates a Deny with NotPrincipal against each identity in
// the caller's chain (the account, the role, the session), so the caller is
// exempt only when every one of them is listed.
func notPrincipalExcludes(ps *Principals, pr *Principal) bool {
	if ps.All {
		return true
	}
	if pr == nil {
		return false
	}
	has := func(pred func(string) bool) bool {
		for _, v := range ps.AWS {
			if pred(v) {
				return true
			}
		}
		return false
	}
	switch pr.Type {
	case Service, WebIdentity, SAML:
		return matchPrincipals(ps, pr) == MatchExact
	case Anonymous:
		return false
	}
	acct := has(func(v string) bool { return accountOf(v) == pr.Account })
	if pr.Type == Root {
		return acct
	}
	self := has(func(v string) bool { return v == pr.ARN })
	if !self || !acct {
		return false
	}
	if (pr.Type == AssumedRole || pr.Type == FederatedUser) && pr.RoleARN != "" {
		return has(func(v string) bool { return v == pr.RoleARN })
	}
	return true
}
