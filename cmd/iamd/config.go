package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/iamsvc"
)

// config is the server's configuration: flags, with environment variables
// as defaults.
type config struct {
	Addr         string
	DataDir      string
	StoreURL     string
	LogLevel     slog.Level
	LogFormat    string
	AccountID    string
	RootKeyID    string
	RootSecret   string
	AuditLog     string
	TLSCert      string
	TLSKey       string
	ShutdownWait time.Duration
	// Limits are the IAM quotas (AWS's defaults, changed by --quota).
	Limits       iamsvc.Limits
	SAMLEndpoint string
}

// quotaFlags collects repeated --quota Name=Value flags.
type quotaFlags []string

func (q *quotaFlags) String() string     { return strings.Join(*q, ",") }
func (q *quotaFlags) Set(v string) error { *q = append(*q, v); return nil }

// configVars documents every setting once; the README's table mirrors it.
var configVars = []struct{ flag, env, def, help string }{
	{"addr", "IAMD_ADDR", "127.0.0.1:8080", "address to listen on (host:port)"},
	{"data", "IAMD_DATA", "./iamd-data", "data directory (SQLite database, generated root credentials)"},
	{"store", "IAMD_STORE", "", "store URL: postgres://... for PostgreSQL; empty for SQLite in the data directory"},
	{"log-level", "IAMD_LOG_LEVEL", "info", "log level: debug, info, warn, error"},
	{"log-format", "IAMD_LOG_FORMAT", "text", "log format: text or json"},
	{"audit-log", "IAMD_AUDIT_LOG", "", "audit log: one CloudTrail-shaped JSON event per API call; a file path, \"-\" for stderr, \"off\"; default <data>/audit.log"},
	{"tls-cert", "IAMD_TLS_CERT", "", "PEM certificate file; with --tls-key, serve HTTPS"},
	{"tls-key", "IAMD_TLS_KEY", "", "PEM private key file for --tls-cert"},
	{"saml-endpoint", "IAMD_SAML_ENDPOINT", "", "this server's SAML endpoint URL, accepted as SAML Audience and Recipient besides https://signin.aws.amazon.com/saml"},
}

func parseConfig(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("iamd serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	for _, v := range configVars {
		def := v.def
		if e, ok := os.LookupEnv(v.env); ok {
			def = e
		}
		vals[v.flag] = fs.String(v.flag, def, v.help+" (env "+v.env+")")
	}
	var quotaArgs quotaFlags
	fs.Var(&quotaArgs, "quota", "IAM quota Name=Value, repeatable; names as GetAccountSummary reports them (e.g. RolesQuota=50) "+
		"(env IAMD_QUOTAS=\"Name=Value,...\"; flags override it); known: "+strings.Join(iamsvc.QuotaNames(), ", "))
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: iamd serve [flags]\n\nRuns the iamd server: AWS IAM and STS APIs over the AWS Query protocol, authenticated with SigV4.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, `
Environment only:
  IAMD_ACCOUNT_ID               12-digit id of the management account created on first start (default: random)
  IAMD_ROOT_ACCESS_KEY_ID       root access key id (AKIA..., 20 characters); with IAMD_ROOT_SECRET_ACCESS_KEY
  IAMD_ROOT_SECRET_ACCESS_KEY   root secret access key (40 characters)
Without root keys in the environment, the first start generates them and writes
<data>/root-credentials.json (mode 0600).
`)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := &config{
		Addr: *vals["addr"], DataDir: *vals["data"], StoreURL: *vals["store"], LogFormat: *vals["log-format"],
		TLSCert: *vals["tls-cert"], TLSKey: *vals["tls-key"], AuditLog: *vals["audit-log"], SAMLEndpoint: *vals["saml-endpoint"],
		AccountID: os.Getenv("IAMD_ACCOUNT_ID"), RootKeyID: os.Getenv("IAMD_ROOT_ACCESS_KEY_ID"), RootSecret: os.Getenv("IAMD_ROOT_SECRET_ACCESS_KEY"),
		ShutdownWait: 10 * time.Second,
	}
	if env := os.Getenv("IAMD_QUOTAS"); env != "" {
		if err := c.Limits.ParseQuotas(strings.Split(env, ",")); err != nil {
			return nil, fmt.Errorf("bad IAMD_QUOTAS: %v", err)
		}
	}
	if err := c.Limits.ParseQuotas(quotaArgs); err != nil {
		return nil, fmt.Errorf("bad --quota: %v", err)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, fmt.Errorf("bad --addr %q: %v", c.Addr, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(*vals["log-level"])); err != nil {
		return nil, fmt.Errorf("bad --log-level %q: want debug, info, warn or error", *vals["log-level"])
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return nil, fmt.Errorf("bad --log-format %q: want text or json", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, errors.New("--tls-cert and --tls-key must be given together")
	}
	if c.SAMLEndpoint != "" {
		u, err := url.Parse(c.SAMLEndpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("bad --saml-endpoint %q: want an absolute http(s) URL", c.SAMLEndpoint)
		}
	}
	if c.DataDir == "" {
		return nil, errors.New("--data must not be empty")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return nil, fmt.Errorf("bad --data %q: %v", c.DataDir, err)
	}
	c.DataDir = abs
	if c.AuditLog == "" {
		c.AuditLog = filepath.Join(c.DataDir, "audit.log")
	}
	if c.StoreURL == "" {
		c.StoreURL = "sqlite://" + filepath.Join(c.DataDir, "iamd.db")
	} else if err := checkStoreURL(c.StoreURL); err != nil {
		return nil, err
	}
	return c, nil
}

func checkStoreURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("bad --store URL: %v", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "postgres", "postgresql":
		if u.Host == "" {
			return fmt.Errorf("bad --store URL %q: missing host", redactURL(u))
		}
	case "sqlite":
		if u.Path == "" && u.Opaque == "" {
			return fmt.Errorf("bad --store URL %q: missing file path", s)
		}
	default:
		return fmt.Errorf("bad --store URL %q: scheme must be postgres:// or sqlite://", redactURL(u))
	}
	return nil
}

// redactURL hides a password in a URL before it is printed.
func redactURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	if _, has := u.User.Password(); has {
		c := *u
		c.User = url.UserPassword(u.User.Username(), "xxxxx")
		return c.String()
	}
	return u.String()
}

func newLogger(c *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
