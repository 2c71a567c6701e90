package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/enforce"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/orgsvc"
	"github.com/iamd/iamd/internal/server"
	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/store/sqlstore"
	"github.com/iamd/iamd/internal/stssvc"
)

const rootCredentialsFile = "root-credentials.json"

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	st, err := sqlstore.Open(ctx, cfg.StoreURL, log)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()

	iam := iamsvc.New(st, iamsvc.Options{Logger: log, Limits: cfg.Limits})
	account, err := bootstrap(ctx, cfg, iam, st, log)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	enforcer := enforce.New(iam, nil)
	orgs := orgsvc.New(iam, orgsvc.Options{Logger: log})
	enforcer.SetOrganizations(orgs)
	iam.SetOrganizations(orgs)
	iam.SetAuthorizer(enforcer)
	keys, err := stssvc.LoadKeys(ctx, st, nil)
	if err != nil {
		return fmt.Errorf("session key ring: %w", err)
	}
	// Denials carry an encoded authorization message sealed with the ring.
	enforcer.SetMessageSealer(keys)
	roleUse := iamsvc.NewRoleLastUsed(iam)
	stsOpts := stssvc.Options{Logger: log, Keys: keys, RoleLastUsed: roleUse}
	if cfg.SAMLEndpoint != "" {
		stsOpts.SAMLEndpoints = []string{cfg.SAMLEndpoint}
	}
	if strings.HasPrefix(strings.ToLower(cfg.StoreURL), "postgres") {
		// Several nodes may share this store: SAML assertions redeemed on
		// one must be refused on the others.
		stsOpts.SAMLReplay = stssvc.NewStoreReplay(st)
	}
	sts := stssvc.New(iam, stsOpts)
	lastUsed := iamsvc.NewLastUsed(iam)

	audit, closeAudit, err := openAudit(cfg.AuditLog, stderr)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer closeAudit()
	srv, err := server.New(server.Options{IAM: iam, STS: sts, Orgs: orgs, LastUsed: lastUsed, Logger: log, TLS: cfg.TLSCert != "", Audit: audit})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	bgCtx, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	bgDone := make(chan struct{})
	roleUseDone := make(chan struct{})
	go func() { lastUsed.Run(bgCtx, 5*time.Second); close(bgDone) }()
	go func() { roleUse.Run(bgCtx, 5*time.Second); close(roleUseDone) }()
	// Rotate the session sealing key daily; keep old keys for the longest
	// session (GetSessionToken: 36 hours) plus a margin.
	go keys.RunRotation(bgCtx, 24*time.Hour, 37*time.Hour, func(err error) { log.Warn("session key rotation failed", "err", err) })

	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	log.Info("iamd listening", "url", scheme+"://"+ln.Addr().String(), "account", account, "data", cfg.DataDir, "store", storeKind(cfg.StoreURL), "version", versionString())
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		stopBG()
		<-bgDone
		<-roleUseDone
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	err = hs.Shutdown(sctx)
	stopBG()
	<-bgDone
	<-roleUseDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func storeKind(u string) string {
	if len(u) >= 6 && u[:6] == "sqlite" {
		return "sqlite"
	}
	return "postgres"
}

// bootstrap creates the management account and root credentials on the
// first start. Generated credentials are written to the data directory
// BEFORE they are stored, so a crash in between cannot leave a root key
// whose secret nobody knows.
func bootstrap(ctx context.Context, cfg *config, iam *iamsvc.Service, st store.Store, log *slog.Logger) (string, error) {
	in := iamsvc.BootstrapInput{AccountID: cfg.AccountID, AccessKeyID: cfg.RootKeyID, SecretAccessKey: cfg.RootSecret}
	path := filepath.Join(cfg.DataDir, rootCredentialsFile)
	if in.AccessKeyID == "" && in.SecretAccessKey == "" {
		if rc, err := readRootCredentials(path); err == nil {
			in.AccessKeyID, in.SecretAccessKey = rc.AccessKeyID, rc.SecretAccessKey
			if in.AccountID == "" {
				in.AccountID = rc.AccountID
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		} else if _, err := iam.ManagementAccount(ctx); errors.Is(err, store.ErrNotFound) {
			rc, err := generateRootCredentials(in.AccountID)
			if err != nil {
				return "", err
			}
			if err := writeRootCredentials(path, rc); err != nil {
				return "", err
			}
			log.Info("generated root credentials", "file", path)
			in = iamsvc.BootstrapInput{AccountID: rc.AccountID, AccessKeyID: rc.AccessKeyID, SecretAccessKey: rc.SecretAccessKey}
		} else if err != nil {
			return "", err
		}
	}
	res, err := iam.Bootstrap(ctx, in)
	if err != nil {
		return "", err
	}
	if res.Created {
		log.Info("created management account", "account", res.AccountID)
	}
	return res.AccountID, nil
}

func generateRootCredentials(account string) (*iamsvc.RootCredentials, error) {
	var err error
	if account == "" {
		if account, err = credential.NewAccountID(); err != nil {
			return nil, err
		}
	}
	id, err := credential.NewAccessKeyID(credential.PrefixLongTermKey, account)
	if err != nil {
		return nil, err
	}
	secret, err := credential.NewSecretAccessKey()
	if err != nil {
		return nil, err
	}
	return &iamsvc.RootCredentials{AccountID: account, AccessKeyID: id, SecretAccessKey: secret}, nil
}

func readRootCredentials(path string) (*iamsvc.RootCredentials, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rc iamsvc.RootCredentials
	if err := json.Unmarshal(b, &rc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &rc, nil
}

// writeRootCredentials writes the file with mode 0600, durably (write to a
// temporary file, fsync, rename, fsync the directory).
func writeRootCredentials(path string, rc *iamsvc.RootCredentials) error {
	b, err := json.MarshalIndent(rc, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// openAudit opens the audit stream: JSON lines appended to a file (0600),
// stderr for "-", or nothing for "off".
func openAudit(path string, stderr io.Writer) (*slog.Logger, func(), error) {
	switch path {
	case "off":
		return nil, func() {}, nil
	case "-":
		return slog.New(slog.NewJSONHandler(stderr, nil)), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}
