package policy

import (
	"sort"
	"strconv"
	"strings"
)

// AWS's MalformedPolicyDocument messages.
const (
	msgSyntax            = "Syntax errors in policy."
	msgInvalidJSON       = "This policy contains invalid Json"
	msgVersion           = "Policy document must be version 2012-10-17 or greater."
	msgLegacy            = "The policy failed legacy parsing"
	msgSidUnique         = "Statement IDs (SID) in a single policy must be unique."
	msgNoActions         = "Policy statement must contain actions."
	msgNoResources       = "Policy statement must contain resources."
	msgVendor            = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon          = "Actions/Condition can contain only one colon."
	msgNoPrincipal       = "Policy document should not specify a principal."
	msgMissingPrincipal  = "Missing required field Principal"
	msgTrustResource     = "Has prohibited field Resource"
	msgTrustNotPrincipal = "AssumeRole policy must not contain NotPrincipal field."
	msgTrustActions      = "AssumeRole policy may only specify STS AssumeRole actions."
	msgVendorQualified   = "Resource vendor must be fully qualified and cannot contain regexes."
	msgIAMPath           = `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`
	msgAllowNotPrincipal = "Allow with NotPrincipal is not allowed."
)

// validPartitions are the ARN partitions a Resource may name.
var validPartitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
	"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

var iamPathPrefixes = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// rawStmt keeps, next to the AST, the facts of the JSON shape that the
// staged validation needs (AWS reports some errors only for arrays, some
// only for strings).
type rawStmt struct {
	node                            *jnode
	hasAction, hasResource          bool
	actionNode, resourceNode        *jnode
	hasSid                          bool
	effectRaw                       string
	principalNode                   *jnode
	principalIsNot, hasAnyPrincipal bool
}

// Parse parses and validates a policy document of the given kind and
// compiles it for evaluation. An invalid document yields a
// *ValidationError whose Message is AWS's MalformedPolicyDocument message.
//
// The checks run in the order AWS reports them: JSON and element syntax
// ("Syntax errors in policy."), the version ("Policy document must be
// version 2012-10-17 or greater." for managed identity policies), the
// Principal rules of the kind, legacy parsing of effects, dates and
// resources ("The policy failed legacy parsing"), Sid uniqueness, presence
// of actions and resources, resource ARN format, and action vendors.
func Parse(doc string, kind Kind) (*Policy, error) {
	root, err := parseJSON(doc)
	if err != nil {
		if kind == Trust {
			return nil, malformed(msgInvalidJSON)
		}
		return nil, malformed(msgSyntax)
	}
	p := &Policy{Kind: kind, Size: nonSpaceLen(doc)}
	raws, verr := buildSyntax(root, p, kind)
	if verr != nil {
		return nil, verr
	}
	if err := validate(p, raws, kind); err != nil {
		return nil, err
	}
	computePositions(doc, p, raws)
	compile(p)
	return p, nil
}

func nonSpaceLen(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// MaxSize returns AWS's default size quota, in characters not counting
// white space, for a document of the kind: 6,144 for managed policies
// (Identity, Boundary), 2,048 for trust policies and inline session
// policies, 5,120 for SCPs and RCPs (AWS Organizations counts white space
// for these; compare with len(doc)), 10,240 for inline role policies
// (aggregate; callers of Inline apply their own per-principal totals), 0
// when AWS sets no fixed limit (Resource).
func MaxSize(kind Kind) int {
	switch kind {
	case Identity, Boundary:
		return 6144
	case Trust, Session:
		return 2048
	case SCP, RCP:
		return 5120
	case Inline:
		return 10240
	}
	return 0
}

// isStrOrStrList reports whether n is a string or an array of strings
// (null elements, which AWS ignores, allowed).
func isStrOrStrList(n *jnode) bool {
	if n.kind == 's' {
		return true
	}
	if n.kind != 'a' {
		return false
	}
	for _, k := range n.kids {
		if k.kind != 's' && k.kind != 'z' {
			return false
		}
	}
	return true
}

// strList returns the strings of a string or array (nulls dropped).
func strList(n *jnode) []string {
	if n.kind == 's' {
		return []string{n.str}
	}
	out := make([]string, 0, len(n.kids))
	for _, k := range n.kids {
		if k.kind == 's' {
			out = append(out, k.str)
		}
	}
	return out
}

// buildSyntax checks the document's shape and builds the AST.
func buildSyntax(root *jnode, p *Policy, kind Kind) ([]rawStmt, error) {
	syn := malformed(msgSyntax)
	if root.kind != 'o' {
		return nil, syn
	}
	var stmtNode *jnode
	for i, k := range root.keys {
		v := root.kids[i]
		switch k {
		case "Version":
			if v.kind != 's' || (v.str != Version2012 && v.str != Version2008) {
				return nil, syn
			}
			p.Version = v.str
		case "Id":
			if v.kind != 's' {
				return nil, syn
			}
			p.ID = v.str
		case "Statement":
			stmtNode = v
		default:
			return nil, syn
		}
	}
	if stmtNode == nil {
		return nil, syn
	}
	var stmts []*jnode
	switch stmtNode.kind {
	case 'o':
		stmts = []*jnode{stmtNode}
	case 'a':
		stmts = stmtNode.kids
	default:
		return nil, syn
	}
	if len(stmts) == 0 {
		return nil, syn
	}
	p.Statements = make([]Statement, len(stmts))
	raws := make([]rawStmt, len(stmts))
	for si, sn := range stmts {
		if sn.kind != 'o' {
			return nil, syn
		}
		st := &p.Statements[si]
		st.Index = si
		raw := &raws[si]
		raw.node = sn
		seen := map[string]bool{}
		for i, k := range sn.keys {
			v := sn.kids[i]
			seen[k] = true
			switch k {
			case "Sid":
				if v.kind != 's' {
					return nil, syn
				}
				st.Sid = v.str
				raw.hasSid = true
			case "Effect":
				if v.kind != 's' {
					return nil, syn
				}
				raw.effectRaw = v.str
				switch strings.ToLower(v.str) {
				case "allow":
					st.Effect = Allow
				case "deny":
					st.Effect = Deny
				default:
					return nil, syn
				}
			case "Action", "NotAction":
				if !isStrOrStrList(v) {
					return nil, syn
				}
				st.Action = strList(v)
				st.NotAction = k == "NotAction"
				raw.hasAction = true
				raw.actionNode = v
			case "Resource", "NotResource":
				if !isStrOrStrList(v) {
					return nil, syn
				}
				st.Resource = strList(v)
				st.NotResource = k == "NotResource"
				raw.hasResource = true
				raw.resourceNode = v
			case "Principal", "NotPrincipal":
				pr, ok := parsePrincipal(v)
				if !ok {
					return nil, syn
				}
				st.Principal = pr
				st.NotPrincipal = k == "NotPrincipal"
				raw.principalNode = v
				raw.principalIsNot = st.NotPrincipal
				raw.hasAnyPrincipal = true
			case "Condition":
				conds, ok := parseConditionBlock(v)
				if !ok {
					return nil, syn
				}
				st.Conditions = conds
			default:
				return nil, syn
			}
		}
		if (seen["Action"] && seen["NotAction"]) || (seen["Resource"] && seen["NotResource"]) ||
			(seen["Principal"] && seen["NotPrincipal"]) || !seen["Effect"] {
			return nil, syn
		}
	}
	return raws, nil
}

func parsePrincipal(n *jnode) (*Principals, bool) {
	if n.kind == 's' {
		if n.str == "*" {
			return &Principals{All: true}, true
		}
		return nil, false
	}
	if n.kind != 'o' {
		return nil, false
	}
	pr := &Principals{}
	for i, k := range n.keys {
		v := n.kids[i]
		if !isStrOrStrList(v) {
			return nil, false
		}
		vals := strList(v)
		switch k {
		case "AWS":
			pr.AWS = append(pr.AWS, vals...)
		case "Service":
			pr.Service = append(pr.Service, vals...)
		case "Federated":
			pr.Federated = append(pr.Federated, vals...)
		case "CanonicalUser":
			pr.CanonicalUser = append(pr.CanonicalUser, vals...)
		default:
			return nil, false
		}
	}
	return pr, true
}

func parseConditionBlock(n *jnode) ([]Condition, bool) {
	if n.kind != 'o' {
		return nil, false
	}
	var out []Condition
	for i, op := range n.keys {
		blk := n.kids[i]
		if blk.kind != 'o' {
			return nil, false
		}
		if _, ok := parseOperator(op); !ok && len(blk.keys) > 0 {
			return nil, false
		}
		for j, key := range blk.keys {
			v := blk.kids[j]
			var vals []string
			switch v.kind {
			case 's', 'n', 'b':
				vals = []string{v.str}
			case 'a':
				vals = make([]string, 0, len(v.kids))
				for _, e := range v.kids {
					switch e.kind {
					case 's', 'n', 'b':
						vals = append(vals, e.str)
					default:
						return nil, false
					}
				}
			default:
				return nil, false
			}
			out = append(out, Condition{Operator: op, Key: key, Values: vals})
		}
	}
	return out, true
}

func identityLike(k Kind) bool {
	return k == Identity || k == Inline || k == Boundary || k == Session || k == SCP
}

func validate(p *Policy, raws []rawStmt, kind Kind) error {
	// Version.
	if kind == Identity && p.Version != Version2012 {
		return malformed(msgVersion)
	}
	// Principal rules of the kind.
	for i := range p.Statements {
		st := &p.Statements[i]
		switch {
		case identityLike(kind):
			if raws[i].hasAnyPrincipal {
				return malformed(msgNoPrincipal)
			}
		case kind == Trust:
			if st.Principal == nil {
				return malformed(msgMissingPrincipal)
			}
			if st.NotPrincipal {
				if st.Effect == Allow {
					return malformed(msgAllowNotPrincipal)
				}
				return malformed(msgTrustNotPrincipal)
			}
		case kind == Resource || kind == RCP:
			if st.Principal == nil {
				return malformed(msgMissingPrincipal)
			}
			if st.NotPrincipal && st.Effect == Allow {
				return malformed(msgAllowNotPrincipal)
			}
		}
	}
	// First legacy parsing: case-sensitive effect and date values.
	for i := range p.Statements {
		if e := raws[i].effectRaw; e != "Allow" && e != "Deny" {
			return malformed(msgLegacy)
		}
		for _, c := range p.Statements[i].Conditions {
			op, _ := parseOperator(c.Operator)
			if op.base.isDate() {
				for _, v := range c.Values {
					if !legacyDateOK(v) {
						return malformed(msgLegacy)
					}
				}
			}
		}
	}
	// Resource formats (errors deferred) and legacy resource parsing.
	resourceErr := ""
	if kind != Trust {
		for _, not := range []bool{false, true} {
			for i := range p.Statements {
				st := &p.Statements[i]
				if !raws[i].hasResource || st.NotResource != not {
					continue
				}
				n := raws[i].resourceNode
				vals := st.Resource
				if n.kind == 'a' {
					vals = append([]string(nil), vals...)
					sort.Sort(sort.Reverse(sort.StringSlice(vals)))
				}
				for _, r := range vals {
					if m := resourceFormatError(r); m != "" {
						resourceErr = m
					}
				}
				if resourceErr == "" && !legacyResourceOK(n) {
					return malformed(msgLegacy)
				}
			}
		}
	}
	// Sid uniqueness.
	sids := map[string]bool{}
	for i := range p.Statements {
		if s := p.Statements[i].Sid; s != "" {
			if sids[s] {
				return malformed(msgSidUnique)
			}
			sids[s] = true
		}
	}
	// Actions present.
	for i := range raws {
		r := &raws[i]
		if !r.hasAction || len(p.Statements[i].Action) == 0 {
			if kind == Trust {
				return malformed("Missing required field Action")
			}
			return malformed(msgNoActions)
		}
	}
	if resourceErr != "" {
		return malformed(resourceErr)
	}
	// Action vendors (Action first, then NotAction).
	for _, not := range []bool{false, true} {
		for i := range p.Statements {
			st := &p.Statements[i]
			if st.NotAction != not {
				continue
			}
			for _, a := range st.Action {
				if m := actionPrefixError(a); m != "" {
					return malformed(m)
				}
			}
		}
	}
	// Resources present (prohibited in trust policies).
	for i := range raws {
		r := &raws[i]
		if kind == Trust {
			if r.hasResource {
				return malformed(msgTrustResource)
			}
			continue
		}
		if !r.hasResource || len(p.Statements[i].Resource) == 0 {
			return malformed(msgNoResources)
		}
	}
	if kind == Trust {
		for i := range p.Statements {
			for _, a := range p.Statements[i].Action {
				if a != "*" && !(len(a) > 4 && strings.EqualFold(a[:4], "sts:")) {
					return malformed(msgTrustActions)
				}
			}
		}
	}
	return nil
}

func actionPrefixError(a string) string {
	parts := strings.Split(a, ":")
	if len(parts) == 1 && parts[0] != "*" {
		return msgVendor
	}
	if len(parts) > 2 {
		return msgOneColon
	}
	if v := parts[0]; v != "*" {
		for i := 0; i < len(v); i++ {
			c := v[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
				return "Vendor " + v + " is not valid"
			}
		}
	}
	return ""
}

// resourceFormatError returns AWS's message for a Resource value that is
// neither "*" nor a well-formed ARN pattern, or "".
func resourceFormatError(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(maskVars(r), ":")
	if !ok {
		return "Resource " + r + ` must be in ARN format or "*".`
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !validPartitions[partition] {
		parts := strings.Split(rest, ":")
		f := [4]string{"*", "*", "*", "*"}
		if parts[0] != "" || len(parts) > 1 {
			f[0] = parts[0]
		}
		if len(parts) > 1 {
			f[1] = parts[1]
		}
		if len(parts) > 2 {
			f[2] = parts[2]
		}
		if len(parts) > 3 {
			f[3] = strings.Join(parts[3:], ":")
		}
		return `Partition "` + partition + `" is not valid for resource "arn:` + partition + ":" + f[0] + ":" + f[1] + ":" + f[2] + ":" + f[3] + `".`
	}
	if !ok {
		return msgVendorQualified
	}
	service, rest, _ := strings.Cut(rest, ":")
	if !strings.HasPrefix(rest, ":") {
		switch service {
		case "iam":
			return "IAM resource " + r + " cannot contain region information."
		case "s3":
			// Bucket and object ARNs have neither region nor account;
			// regional S3 resources (access points, jobs, ...) have both.
			if _, acct, _ := strings.Cut(rest, ":"); strings.HasPrefix(acct, ":") || acct == "" {
				return "Resource " + r + " can not contain region information."
			}
		}
	}
	if service == "iam" {
		_, rest, _ = strings.Cut(rest, ":")
		_, res, _ := strings.Cut(rest, ":")
		if res == "*" || strings.HasPrefix(res, "${") {
			return ""
		}
		for _, pfx := range iamPathPrefixes {
			if strings.HasPrefix(res, pfx) {
				return ""
			}
		}
		return msgIAMPath
	}
	return ""
}

// maskVars replaces each policy variable "${...}" with "${}" so that colons
// inside variable names do not count as ARN separators during validation.
func maskVars(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString("${}")
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// legacyResourceOK reports whether AWS's legacy parser accepts a Resource
// element: an ARN with fewer than five colons must not contain "::", and
// the service field must not be empty.
func legacyResourceOK(n *jnode) bool {
	check := func(r string) bool {
		r = maskVars(r)
		if r == "*" {
			return true
		}
		if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
			return false
		}
		parts := strings.SplitN(r, ":", 4)
		return len(parts) >= 3 && parts[2] != ""
	}
	if n.kind == 's' {
		return check(n.str)
	}
	for _, k := range n.kids {
		if k.kind != 's' || k.str == "*" {
			continue
		}
		if r := maskVars(k.str); strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
			return false
		}
	}
	return true
}

// legacyDateOK reports whether a Date condition value is an ISO 8601
// date-time or an epoch-seconds integer AWS's legacy parser accepts.
func legacyDateOK(v string) bool {
	lv := strings.ToLower(v)
	if strings.Contains(lv, "t") || strings.Contains(lv, "-") {
		return validISO8601(lv)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n >= 0
}

func atoiRange(s string, lo, hi int64) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n >= lo && n <= hi
}

// validISO8601 checks the lower-cased date-time shapes AWS accepts:
// [-]yyyy[-mm[-dd]][thh[:mm[:ss[.fff][z|+hh[:mm]]]]].
func validISO8601(s string) bool {
	date, tpart, _ := strings.Cut(s, "t")
	neg := strings.HasPrefix(date, "-")
	if neg {
		date = date[1:]
	}
	dp := strings.Split(date, "-")
	year := dp[0]
	if neg {
		year = "-" + year
	}
	if !atoiRange(year, -292275054, 292278993) {
		return false
	}
	if len(dp) > 1 && !atoiRange(dp[1], 1, 12) {
		return false
	}
	if len(dp) > 2 && !atoiRange(dp[2], 1, 31) {
		return false
	}
	if len(dp) > 3 {
		return false
	}
	tp := strings.Split(tpart, ":")
	if tp[0] != "" && !atoiRange(tp[0], 0, 23) {
		return false
	}
	if len(tp) > 1 && !atoiRange(tp[1], 0, 59) {
		return false
	}
	if len(tp) > 2 {
		sec := tp[2]
		switch {
		case strings.Contains(sec, "z"):
			var after string
			sec, after, _ = strings.Cut(sec, "z")
			if after != "" {
				return false
			}
		case strings.Contains(sec, "+"):
			var tz string
			sec, tz, _ = strings.Cut(sec, "+")
			// Offset minutes (":mm") fall into the next ':'-separated
			// part, which the legacy parser does not look at.
			if len(tz) != 2 || !atoiRange(tz, 0, 23) {
				return false
			}
		}
		whole, frac, hasFrac := strings.Cut(sec, ".")
		if !atoiRange(whole, 0, 59) {
			return false
		}
		if hasFrac && !atoiRange(frac, 0, 999999999) {
			return false
		}
	}
	return true
}

// computePositions fills each statement's Start and End (1-based line and
// column) from the byte offsets of its JSON object.
func computePositions(doc string, p *Policy, raws []rawStmt) {
	line, col, off := 1, 1, 0
	advance := func(to int) Position {
		for off < to && off < len(doc) {
			if doc[off] == '\n' {
				line++
				col = 1
			} else if doc[off] < 0x80 || doc[off] >= 0xC0 {
				col++
			}
			off++
		}
		return Position{Line: line, Column: col}
	}
	for i := range raws {
		p.Statements[i].Start = advance(raws[i].node.start)
		p.Statements[i].End = advance(raws[i].node.end)
	}
}
