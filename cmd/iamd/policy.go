package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/policy"
)

const policyUsage = `iamd policy — check and simulate IAM policies offline (no server needed).

Usage:
  iamd policy validate [--type KIND] FILE...
      Validate policy documents as AWS would accept them. Prints "FILE: ok"
      or "FILE: MalformedPolicyDocument: <AWS's message>" per file and exits
      1 if any file is invalid. KIND is identity (default), resource, trust,
      scp, rcp, boundary or session.

  iamd policy simulate --policy FILE [--policy FILE...] --action ACTION[,ACTION...] [flags]
      Simulate requests against the policies, as SimulateCustomPolicy does,
      and print for each action and resource the decision (allowed,
      explicitDeny or implicitDeny), the statements that decided it
      (FILE[#Sid] line:column-line:column) and the condition keys the
      policies needed but the request lacked. Exits 0, or 1 with --expect
      when a decision differs from the expected one.

      --policy FILE           identity-based policy (repeatable)
      --boundary FILE         permissions boundary
      --resource-policy FILE  resource-based policy (needs --caller)
      --scp FILE[,FILE...]    service control policies of one organization
                              level (repeat per level, root first)
      --action A[,A...]       actions to simulate, e.g. s3:GetObject (repeatable)
      --resource ARN          resource ARN (repeatable; default "*")
      --resource-owner ARN    owner of resources whose ARN has no account
                              (12-digit id or arn:aws:iam::ACCOUNT:root)
      --caller ARN            simulated caller: IAM user, role or group ARN
      --context KEY=TYPE:VALUE[,VALUE...]
                              condition key for the request (repeatable);
                              TYPE is string, numeric, boolean, ip, binary,
                              date or their List forms (values separated by
                              commas); "KEY=VALUE" means a string
      --expect DECISION       exit 1 unless every decision is DECISION
      --json                  print SimulateCustomPolicy's EvaluationResults
                              as JSON (the shape aws-cli prints)

Examples:
  iamd policy validate --type trust trust.json
  iamd policy simulate --policy deploy.json --action s3:PutObject \
      --resource arn:aws:s3:::artifacts/app.zip --expect allowed
  iamd policy simulate --policy admin.json --boundary boundary.json \
      --action iam:CreateUser --context aws:MultiFactorAuthPresent=boolean:true
`

// policyKinds maps --type values to policy kinds.
var policyKinds = map[string]policy.Kind{
	"identity": policy.Identity,
	"resource": policy.Resource,
	"trust":    policy.Trust,
	"scp":      policy.SCP,
	"rcp":      policy.RCP,
	"boundary": policy.Boundary,
	"session":  policy.Session,
}

// policyCmd runs "iamd policy ..." and returns the exit code.
func policyCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, policyUsage)
		return 2
	}
	switch args[0] {
	case "validate":
		return policyValidate(args[1:], stdout, stderr)
	case "simulate":
		return policySimulate(args[1:], stdout, stderr)
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, policyUsage)
		return 0
	}
	fmt.Fprintf(stderr, "iamd policy: unknown command %q (run \"iamd policy --help\")\n", args[0])
	return 2
}

// newPolicyFlags returns a flag set printing the policy usage on -h.
func newPolicyFlags(name string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("iamd policy "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { fmt.Fprint(stdout, policyUsage) }
	return fs
}

// parseFlags parses args (flags may follow positional arguments) and
// reports the exit code when parsing ended the command.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.Usage()
				return nil, 0, false
			}
			fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
			return nil, 2, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func policyValidate(args []string, stdout, stderr io.Writer) int {
	fs := newPolicyFlags("validate", stdout)
	typ := fs.String("type", "identity", "policy kind")
	files, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	kind, found := policyKinds[*typ]
	if !found {
		fmt.Fprintf(stderr, "iamd policy validate: unknown --type %q (identity, resource, trust, scp, rcp, boundary, session)\n", *typ)
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "iamd policy validate: no FILE given")
		return 2
	}
	code = 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", f, err)
			code = 1
			continue
		}
		if _, err := policy.Parse(string(b), kind); err != nil {
			var ve *policy.ValidationError
			msg := err.Error()
			if errors.As(err, &ve) {
				msg = ve.Message
			}
			fmt.Fprintf(stdout, "%s: MalformedPolicyDocument: %s\n", f, msg)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	return code
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func policySimulate(args []string, stdout, stderr io.Writer) int {
	fs := newPolicyFlags("simulate", stdout)
	var policies, scps, actions, resources, contexts listFlag
	fs.Var(&policies, "policy", "identity-based policy file")
	fs.Var(&scps, "scp", "SCP files of one level")
	fs.Var(&actions, "action", "actions")
	fs.Var(&resources, "resource", "resource ARN")
	fs.Var(&contexts, "context", "context entry")
	boundary := fs.String("boundary", "", "permissions boundary file")
	resourcePolicy := fs.String("resource-policy", "", "resource-based policy file")
	owner := fs.String("resource-owner", "", "resource owner")
	caller := fs.String("caller", "", "caller ARN")
	expect := fs.String("expect", "", "expected decision")
	asJSON := fs.Bool("json", false, "JSON output")
	rest, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iamd policy simulate: "+format+"\n", a...)
		return 2
	}
	if len(rest) > 0 {
		return fail("unexpected argument %q", rest[0])
	}
	if len(policies) == 0 {
		return fail("at least one --policy FILE is required")
	}
	if len(actions) == 0 {
		return fail("at least one --action is required")
	}
	switch *expect {
	case "", "allowed", "explicitDeny", "implicitDeny":
	default:
		return fail("--expect must be allowed, explicitDeny or implicitDeny")
	}
	sim := &iamsvc.Simulation{Resources: resources, ResourceOwner: *owner, CallerARN: *caller, Account: "123456789012"}
	for _, a := range actions {
		for _, x := range strings.Split(a, ",") {
			if x = strings.TrimSpace(x); x != "" {
				sim.Actions = append(sim.Actions, x)
			}
		}
	}
	if len(sim.Resources) == 1 && sim.Resources[0] == "*" {
		sim.Resources = nil
	}
	read := func(file, typ string) (*iamsvc.PolicyDoc, error) {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		return &iamsvc.PolicyDoc{ID: file, Type: typ, Document: string(b)}, nil
	}
	for _, f := range policies {
		d, err := read(f, iamsvc.SourceTypeIAMPolicy)
		if err != nil {
			return fail("%v", err)
		}
		sim.Identity = append(sim.Identity, *d)
	}
	var err error
	if *boundary != "" {
		if sim.Boundary, err = read(*boundary, iamsvc.SourceTypeBoundary); err != nil {
			return fail("%v", err)
		}
	}
	if *resourcePolicy != "" {
		if sim.ResourcePolicy, err = read(*resourcePolicy, iamsvc.SourceTypeResource); err != nil {
			return fail("%v", err)
		}
	}
	for _, level := range scps {
		var docs []iamsvc.PolicyDoc
		for _, f := range strings.Split(level, ",") {
			d, err := read(f, "SCP")
			if err != nil {
				return fail("%v", err)
			}
			docs = append(docs, *d)
		}
		sim.SCPs = append(sim.SCPs, docs)
	}
	for _, c := range contexts {
		e, err := parseContextFlag(c)
		if err != nil {
			return fail("%v", err)
		}
		sim.Context = append(sim.Context, e)
	}
	results, err := iamsvc.Simulate(sim)
	if err != nil {
		if ae, ok := apierr.As(err); ok {
			fmt.Fprintf(stderr, "iamd policy simulate: %s: %s\n", ae.Code, ae.Message)
		} else {
			fmt.Fprintf(stderr, "iamd policy simulate: %v\n", err)
		}
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "    ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]any{"EvaluationResults": jsonResults(results)}); err != nil {
			fmt.Fprintf(stderr, "iamd policy simulate: %v\n", err)
			return 1
		}
	} else {
		printResults(stdout, results)
	}
	if *expect != "" {
		for _, r := range results {
			for _, d := range decisionsOf(r) {
				if d != *expect {
					fmt.Fprintf(stderr, "iamd policy simulate: expected %s, got %s\n", *expect, d)
					return 1
				}
			}
		}
	}
	return 0
}

// decisionsOf returns the per-resource decisions of r (its own decision
// when the simulation named no resource).
func decisionsOf(r iamsvc.EvaluationResult) []string {
	if len(r.Resources) == 0 {
		return []string{r.Decision}
	}
	out := make([]string, len(r.Resources))
	for i, rr := range r.Resources {
		out[i] = rr.Decision
	}
	return out
}

// parseContextFlag parses KEY=TYPE:VALUE[,VALUE...] or KEY=VALUE.
func parseContextFlag(s string) (iamsvc.ContextEntry, error) {
	key, val, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return iamsvc.ContextEntry{}, fmt.Errorf("--context %q: want KEY=TYPE:VALUE", s)
	}
	e := iamsvc.ContextEntry{Name: key, Type: "string", Values: []string{val}}
	if typ, rest, ok := strings.Cut(val, ":"); ok {
		switch typ {
		case "string", "numeric", "boolean", "ip", "binary", "date":
			e.Type, e.Values = typ, []string{rest}
		case "stringList", "numericList", "booleanList", "ipList", "binaryList", "dateList":
			e.Type, e.Values = typ, strings.Split(rest, ",")
			if rest == "" {
				e.Values = []string{}
			}
		}
	}
	return e, nil
}

// printResults writes the human-readable simulation report.
func printResults(w io.Writer, results []iamsvc.EvaluationResult) {
	for _, r := range results {
		if r.Resources == nil {
			printOne(w, r.Action, iamsvc.ResourceResult{Resource: "*", Decision: r.Decision, Matched: r.Matched, Missing: r.Missing, BoundaryAllowed: r.BoundaryAllowed, Decider: r.Decider}, r.OrganizationsAllowed)
			continue
		}
		for _, rr := range r.Resources {
			printOne(w, r.Action, rr, r.OrganizationsAllowed)
		}
	}
}

func printOne(w io.Writer, action string, rr iamsvc.ResourceResult, orgs *bool) {
	fmt.Fprintf(w, "%s on %s: %s\n", action, rr.Resource, rr.Decision)
	stmt := func(m iamsvc.MatchedStatement) string {
		id := m.SourcePolicyID
		if m.Sid != "" {
			id += "#" + m.Sid
		}
		return fmt.Sprintf("%s %d:%d-%d:%d", id, m.Start.Line, m.Start.Column, m.End.Line, m.End.Column)
	}
	for _, m := range rr.Matched {
		fmt.Fprintf(w, "  matched: %s\n", stmt(m))
	}
	if rr.Decider != nil && len(rr.Matched) == 0 {
		fmt.Fprintf(w, "  decided by: %s (%s)\n", stmt(*rr.Decider), rr.Decider.SourcePolicyType)
	}
	if len(rr.Missing) > 0 {
		fmt.Fprintf(w, "  missing context: %s\n", strings.Join(rr.Missing, ", "))
	}
	if rr.BoundaryAllowed != nil {
		fmt.Fprintf(w, "  allowed by permissions boundary: %t\n", *rr.BoundaryAllowed)
	}
	if orgs != nil {
		fmt.Fprintf(w, "  allowed by organizations: %t\n", *orgs)
	}
}

// JSON shapes mirroring SimulateCustomPolicy's output as aws-cli prints it.
type (
	jsonPosition struct {
		Line   int `json:"Line"`
		Column int `json:"Column"`
	}
	jsonStatement struct {
		SourcePolicyID   string       `json:"SourcePolicyId"`
		SourcePolicyType string       `json:"SourcePolicyType"`
		StartPosition    jsonPosition `json:"StartPosition"`
		EndPosition      jsonPosition `json:"EndPosition"`
	}
	jsonBoundary struct {
		AllowedByPermissionsBoundary bool `json:"AllowedByPermissionsBoundary"`
	}
	jsonOrgs struct {
		AllowedByOrganizations bool `json:"AllowedByOrganizations"`
	}
	jsonResourceResult struct {
		EvalResourceName                  string            `json:"EvalResourceName"`
		EvalResourceDecision              string            `json:"EvalResourceDecision"`
		MatchedStatements                 []jsonStatement   `json:"MatchedStatements"`
		MissingContextValues              []string          `json:"MissingContextValues"`
		EvalDecisionDetails               map[string]string `json:"EvalDecisionDetails,omitempty"`
		PermissionsBoundaryDecisionDetail *jsonBoundary     `json:"PermissionsBoundaryDecisionDetail,omitempty"`
	}
	jsonResult struct {
		EvalActionName                    string               `json:"EvalActionName"`
		EvalResourceName                  string               `json:"EvalResourceName"`
		EvalDecision                      string               `json:"EvalDecision"`
		MatchedStatements                 []jsonStatement      `json:"MatchedStatements"`
		MissingContextValues              []string             `json:"MissingContextValues"`
		OrganizationsDecisionDetail       *jsonOrgs            `json:"OrganizationsDecisionDetail,omitempty"`
		PermissionsBoundaryDecisionDetail *jsonBoundary        `json:"PermissionsBoundaryDecisionDetail,omitempty"`
		EvalDecisionDetails               map[string]string    `json:"EvalDecisionDetails,omitzero"`
		ResourceSpecificResults           []jsonResourceResult `json:"ResourceSpecificResults,omitempty"`
	}
)

func jsonStatements(in []iamsvc.MatchedStatement) []jsonStatement {
	out := make([]jsonStatement, len(in))
	for i, m := range in {
		out[i] = jsonStatement{m.SourcePolicyID, m.SourcePolicyType, jsonPosition{m.Start.Line, m.Start.Column}, jsonPosition{m.End.Line, m.End.Column}}
	}
	return out
}

func jsonBool[T any](b *bool, mk func(bool) *T) *T {
	if b == nil {
		return nil
	}
	return mk(*b)
}

func jsonResults(in []iamsvc.EvaluationResult) []jsonResult {
	out := make([]jsonResult, len(in))
	for i, r := range in {
		jr := jsonResult{
			EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
			MatchedStatements: jsonStatements(r.Matched), MissingContextValues: append([]string{}, r.Missing...),
			OrganizationsDecisionDetail:       jsonBool(r.OrganizationsAllowed, func(b bool) *jsonOrgs { return &jsonOrgs{b} }),
			PermissionsBoundaryDecisionDetail: jsonBool(r.BoundaryAllowed, func(b bool) *jsonBoundary { return &jsonBoundary{b} }),
			EvalDecisionDetails:               r.DecisionDetails,
		}
		for _, rr := range r.Resources {
			jr.ResourceSpecificResults = append(jr.ResourceSpecificResults, jsonResourceResult{
				EvalResourceName: rr.Resource, EvalResourceDecision: rr.Decision,
				MatchedStatements: jsonStatements(rr.Matched), MissingContextValues: append([]string{}, rr.Missing...),
				EvalDecisionDetails:               rr.DecisionDetails,
				PermissionsBoundaryDecisionDetail: jsonBool(rr.BoundaryAllowed, func(b bool) *jsonBoundary { return &jsonBoundary{b} }),
			})
		}
		out[i] = jr
	}
	return out
}
