package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/store/sqlstore"
)

const importUsage = `Usage: iamd import [flags] FILE

Loads a GetAccountAuthorizationDetails export — the JSON that
"aws iam get-account-authorization-details" prints (documents as JSON
objects), or the raw API's (documents URL-encoded) — into an account:
customer managed policies with all their versions and default, groups with
their inline policies and attachments, users with boundaries, tags, inline
policies, attachments and group memberships, roles with trust policies,
boundaries, tags, inline policies and attachments. Unique ids and creation
dates are kept. Policy ARNs of the exported account are rewritten to the
target account.

Entities that already exist are left as they are ("exists"); inline
policies, attachments and memberships are (re)applied, so running an
import twice is safe. Each failure is reported and the import goes on;
the exit status is 1 when anything failed.

FILE "-" reads standard input. Flags:
`

// export is the GetAccountAuthorizationDetails output as JSON.
type export struct {
	UserDetailList   []exportUser   `json:"UserDetailList"`
	GroupDetailList  []exportGroup  `json:"GroupDetailList"`
	RoleDetailList   []exportRole   `json:"RoleDetailList"`
	Policies         []exportPolicy `json:"Policies"`
	IsTruncated      bool           `json:"IsTruncated"`
	Marker           string         `json:"Marker"`
	ResponseMetadata any            `json:"ResponseMetadata"`
}

type exportInline struct {
	PolicyName     string   `json:"PolicyName"`
	PolicyDocument document `json:"PolicyDocument"`
}

type exportAttached struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type exportBoundary struct {
	PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
}

type exportTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type exportUser struct {
	Path                    string           `json:"Path"`
	UserName                string           `json:"UserName"`
	UserID                  string           `json:"UserId"`
	Arn                     string           `json:"Arn"`
	CreateDate              time.Time        `json:"CreateDate"`
	UserPolicyList          []exportInline   `json:"UserPolicyList"`
	GroupList               []string         `json:"GroupList"`
	AttachedManagedPolicies []exportAttached `json:"AttachedManagedPolicies"`
	PermissionsBoundary     *exportBoundary  `json:"PermissionsBoundary"`
	Tags                    []exportTag      `json:"Tags"`
}

type exportGroup struct {
	Path                    string           `json:"Path"`
	GroupName               string           `json:"GroupName"`
	GroupID                 string           `json:"GroupId"`
	Arn                     string           `json:"Arn"`
	CreateDate              time.Time        `json:"CreateDate"`
	GroupPolicyList         []exportInline   `json:"GroupPolicyList"`
	AttachedManagedPolicies []exportAttached `json:"AttachedManagedPolicies"`
}

type exportRole struct {
	Path                     string            `json:"Path"`
	RoleName                 string            `json:"RoleName"`
	RoleID                   string            `json:"RoleId"`
	Arn                      string            `json:"Arn"`
	CreateDate               time.Time         `json:"CreateDate"`
	AssumeRolePolicyDocument document          `json:"AssumeRolePolicyDocument"`
	Description              string            `json:"Description"`
	MaxSessionDuration       int32             `json:"MaxSessionDuration"`
	InstanceProfileList      []json.RawMessage `json:"InstanceProfileList"`
	RolePolicyList           []exportInline    `json:"RolePolicyList"`
	AttachedManagedPolicies  []exportAttached  `json:"AttachedManagedPolicies"`
	PermissionsBoundary      *exportBoundary   `json:"PermissionsBoundary"`
	Tags                     []exportTag       `json:"Tags"`
	RoleLastUsed             json.RawMessage   `json:"RoleLastUsed"`
}

type exportVersion struct {
	Document         document  `json:"Document"`
	VersionID        string    `json:"VersionId"`
	IsDefaultVersion bool      `json:"IsDefaultVersion"`
	CreateDate       time.Time `json:"CreateDate"`
}

type exportPolicy struct {
	PolicyName                    string          `json:"PolicyName"`
	PolicyID                      string          `json:"PolicyId"`
	Arn                           string          `json:"Arn"`
	Path                          string          `json:"Path"`
	DefaultVersionID              string          `json:"DefaultVersionId"`
	AttachmentCount               int32           `json:"AttachmentCount"`
	PermissionsBoundaryUsageCount int32           `json:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool            `json:"IsAttachable"`
	Description                   string          `json:"Description"`
	CreateDate                    time.Time       `json:"CreateDate"`
	UpdateDate                    time.Time       `json:"UpdateDate"`
	PolicyVersionList             []exportVersion `json:"PolicyVersionList"`
	Tags                          []exportTag     `json:"Tags"`
}

// document is a policy document as an export holds it: a JSON object
// (aws-cli decodes documents), a URL-encoded string (the raw API), or a
// plain JSON string. It holds the compact JSON text.
type document string

// UnmarshalJSON implements json.Unmarshaler.
func (d *document) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '{':
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*d = document(buf.String())
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		t := strings.TrimSpace(s)
		if !strings.HasPrefix(t, "{") {
			dec, err := url.PathUnescape(s)
			if err != nil {
				return fmt.Errorf("policy document is neither JSON nor URL-encoded JSON: %w", err)
			}
			s, t = dec, strings.TrimSpace(dec)
		}
		if !strings.HasPrefix(t, "{") || !json.Valid([]byte(t)) {
			return errors.New("policy document is not a JSON object")
		}
		*d = document(s)
		return nil
	}
	return errors.New("policy document must be a JSON object or a string")
}

// parseExport decodes an export strictly: unknown fields are an error (an
// export of another API would otherwise import as nothing), and the JSON
// must be one object.
func parseExport(data []byte) (*export, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ex export
	if err := dec.Decode(&ex); err != nil {
		return nil, fmt.Errorf("not a GetAccountAuthorizationDetails export: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a GetAccountAuthorizationDetails export: trailing data after the JSON object")
	}
	if ex.IsTruncated {
		return nil, errors.New("the export is truncated (IsTruncated is true): export without --max-items/--no-paginate so it holds every entity")
	}
	return &ex, nil
}

// sourceAccount returns the account the export came from (from the first
// ARN in it), or "".
func (ex *export) sourceAccount() string {
	var arns []string
	for _, u := range ex.UserDetailList {
		arns = append(arns, u.Arn)
	}
	for _, g := range ex.GroupDetailList {
		arns = append(arns, g.Arn)
	}
	for _, r := range ex.RoleDetailList {
		arns = append(arns, r.Arn)
	}
	for _, p := range ex.Policies {
		arns = append(arns, p.Arn)
	}
	for _, a := range arns {
		if parts := strings.SplitN(a, ":", 6); len(parts) == 6 && len(parts[4]) == 12 {
			return parts[4]
		}
	}
	return ""
}

// importer applies an export to one account and reports what it did.
type importer struct {
	iam     *iamsvc.Service
	ctx     context.Context
	account string
	source  string
	out     io.Writer
	errOut  io.Writer
	failed  int
	created int
	existed int
}

func (im *importer) done(what string, err error) {
	switch ae, _ := apierr.As(err); {
	case err == nil:
		im.created++
		fmt.Fprintf(im.out, "created %s\n", what)
	case ae != nil && ae.Code == "EntityAlreadyExists":
		im.existed++
		fmt.Fprintf(im.out, "exists  %s\n", what)
	default:
		im.failed++
		fmt.Fprintf(im.errOut, "iamd import: %s: %v\n", what, err)
	}
}

func (im *importer) step(what string, err error) {
	if err != nil {
		im.failed++
		fmt.Fprintf(im.errOut, "iamd import: %s: %v\n", what, err)
	}
}

// policyARN rewrites a customer managed policy ARN of the source account
// to the target account; other ARNs (AWS managed) are kept.
func (im *importer) policyARN(a string) string {
	if im.source != "" && im.source != im.account {
		return strings.Replace(a, "arn:aws:iam::"+im.source+":policy/", "arn:aws:iam::"+im.account+":policy/", 1)
	}
	return a
}

func tagsOf(ts []exportTag) []iamsvc.Tag {
	var out []iamsvc.Tag
	for _, t := range ts {
		out = append(out, iamsvc.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func boundaryOf(b *exportBoundary, im *importer) string {
	if b == nil {
		return ""
	}
	return im.policyARN(b.PermissionsBoundaryArn)
}

// run imports policies first (boundaries and attachments refer to them),
// then groups, users (memberships refer to groups) and roles.
func (im *importer) run(ex *export) {
	ctx := im.ctx
	for _, p := range ex.Policies {
		if strings.HasPrefix(p.Arn, "arn:aws:iam::aws:policy/") {
			// AWS managed policies are AWS's, not the account's.
			continue
		}
		in := &iamsvc.CreatePolicyInput{PolicyName: p.PolicyName, Path: p.Path, Description: p.Description, Tags: tagsOf(p.Tags),
			Preserve: iamsvc.Preserved{ID: p.PolicyID, CreateDate: p.CreateDate}, DefaultVersionID: p.DefaultVersionID, UpdateDate: p.UpdateDate}
		for _, v := range p.PolicyVersionList {
			in.Versions = append(in.Versions, iamsvc.PolicyVersion{VersionID: v.VersionID, Document: string(v.Document), CreateDate: v.CreateDate})
		}
		_, err := im.iam.CreatePolicy(ctx, in)
		im.done("policy "+p.Path+p.PolicyName, err)
	}
	for _, g := range ex.GroupDetailList {
		_, err := im.iam.CreateGroup(ctx, &iamsvc.CreateGroupInput{GroupName: g.GroupName, Path: g.Path, Preserve: iamsvc.Preserved{ID: g.GroupID, CreateDate: g.CreateDate}})
		im.done("group "+g.GroupName, err)
		for _, ip := range g.GroupPolicyList {
			im.step("group "+g.GroupName+" inline policy "+ip.PolicyName, im.iam.PutGroupPolicy(ctx, g.GroupName, ip.PolicyName, string(ip.PolicyDocument)))
		}
		for _, a := range g.AttachedManagedPolicies {
			im.step("group "+g.GroupName+" attach "+a.PolicyArn, im.iam.AttachGroupPolicy(ctx, g.GroupName, im.policyARN(a.PolicyArn)))
		}
	}
	for _, u := range ex.UserDetailList {
		_, err := im.iam.CreateUser(ctx, &iamsvc.CreateUserInput{UserName: u.UserName, Path: u.Path, PermissionsBoundary: boundaryOf(u.PermissionsBoundary, im),
			Tags: tagsOf(u.Tags), Preserve: iamsvc.Preserved{ID: u.UserID, CreateDate: u.CreateDate}})
		im.done("user "+u.UserName, err)
		for _, ip := range u.UserPolicyList {
			im.step("user "+u.UserName+" inline policy "+ip.PolicyName, im.iam.PutUserPolicy(ctx, u.UserName, ip.PolicyName, string(ip.PolicyDocument)))
		}
		for _, a := range u.AttachedManagedPolicies {
			im.step("user "+u.UserName+" attach "+a.PolicyArn, im.iam.AttachUserPolicy(ctx, u.UserName, im.policyARN(a.PolicyArn)))
		}
		for _, g := range u.GroupList {
			im.step("user "+u.UserName+" membership of "+g, im.iam.AddUserToGroup(ctx, g, u.UserName))
		}
	}
	for _, r := range ex.RoleDetailList {
		_, err := im.iam.CreateRole(ctx, &iamsvc.CreateRoleInput{RoleName: r.RoleName, Path: r.Path, AssumeRolePolicyDocument: string(r.AssumeRolePolicyDocument),
			Description: r.Description, MaxSessionDuration: r.MaxSessionDuration, PermissionsBoundary: boundaryOf(r.PermissionsBoundary, im),
			Tags: tagsOf(r.Tags), Preserve: iamsvc.Preserved{ID: r.RoleID, CreateDate: r.CreateDate}})
		im.done("role "+r.RoleName, err)
		for _, ip := range r.RolePolicyList {
			im.step("role "+r.RoleName+" inline policy "+ip.PolicyName, im.iam.PutRolePolicy(ctx, r.RoleName, ip.PolicyName, string(ip.PolicyDocument)))
		}
		for _, a := range r.AttachedManagedPolicies {
			im.step("role "+r.RoleName+" attach "+a.PolicyArn, im.iam.AttachRolePolicy(ctx, r.RoleName, im.policyARN(a.PolicyArn)))
		}
		if len(r.InstanceProfileList) > 0 {
			im.step("role "+r.RoleName+" instance profiles", fmt.Errorf("%d instance profile(s) not imported: instance profiles are not supported by this build", len(r.InstanceProfileList)))
		}
	}
}

// importCmd implements "iamd import".
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("iamd import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envOr := func(env, def string) string {
		if v, ok := os.LookupEnv(env); ok {
			return v
		}
		return def
	}
	dataDir := fs.String("data", envOr("IAMD_DATA", "./iamd-data"), "data directory, as for serve (env IAMD_DATA)")
	storeURL := fs.String("store", envOr("IAMD_STORE", ""), "store URL, as for serve (env IAMD_STORE)")
	account := fs.String("account", "", "12-digit account to import into (default: the management account)")
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	var data []byte
	var err error
	if fs.Arg(0) == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamd import: %v\n", err)
		return 1
	}
	ex, err := parseExport(data)
	if err != nil {
		fmt.Fprintf(stderr, "iamd import: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	// The same configuration as serve: data directory, store, and (for a
	// fresh installation) the bootstrap from the environment.
	cfg, err := parseConfig([]string{"--data", *dataDir, "--store", *storeURL}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamd import: %v\n", err)
		return 2
	}
	code, err := runImport(ctx, cfg, *account, ex, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamd import: %v\n", err)
		return 1
	}
	return code
}

// runImport opens the store, bootstraps a fresh installation as serve
// would, and imports ex into account.
func runImport(ctx context.Context, cfg *config, account string, ex *export, stdout, stderr io.Writer) (int, error) {
	log := newLogger(cfg, io.Discard)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return 1, fmt.Errorf("data directory: %w", err)
	}
	st, err := sqlstore.Open(ctx, cfg.StoreURL, log)
	if err != nil {
		return 1, fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	iam := iamsvc.New(st, iamsvc.Options{Logger: log})
	mgmt, err := bootstrap(ctx, cfg, iam, st, log)
	if err != nil {
		return 1, fmt.Errorf("bootstrap: %w", err)
	}
	if account == "" {
		account = mgmt
	}
	if _, err := iam.GetAccount(ctx, account); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return 1, fmt.Errorf("account %s is not hosted by this installation (%s)", account, filepath.Clean(cfg.DataDir))
		}
		return 1, err
	}
	// The import acts as the account's root user, so every call is checked
	// as an API call would be.
	actx := identity.With(ctx, &identity.Caller{Type: identity.Root, Account: account, ARN: identity.RootARN(account),
		PrincipalARN: identity.RootARN(account), UserID: account})
	im := &importer{iam: iam, ctx: actx, account: account, source: ex.sourceAccount(), out: stdout, errOut: stderr}
	im.run(ex)
	fmt.Fprintf(stdout, "imported into %s: %d created, %d already existed, %d failed\n", account, im.created, im.existed, im.failed)
	if im.failed > 0 {
		return 1, nil
	}
	return 0, nil
}
