package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/store/sqlstore"
)

// revokeSessions implements "iamd revoke-sessions": it revokes a role's
// active sessions the way AWS's console does, directly in the store that
// "iamd serve" uses (same --data and --store settings), so running nodes
// enforce it on their next request.
func revokeSessions(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("iamd revoke-sessions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "name of the role whose sessions to revoke (required)")
	account := fs.String("account", "", "12-digit account of the role (default: the management account)")
	data := fs.String("data", envOr("IAMD_DATA", "./iamd-data"), "data directory, as for iamd serve (env IAMD_DATA)")
	storeURL := fs.String("store", os.Getenv("IAMD_STORE"), "store URL, as for iamd serve (env IAMD_STORE)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: iamd revoke-sessions --role NAME [--account ID] [--data DIR] [--store URL]\n\n"+
			"Revokes every session of the role issued until now, as the IAM console's \"Revoke active sessions\":\n"+
			"puts the inline role policy %s denying all actions to sessions with an earlier\n"+
			"aws:TokenIssueTime (an existing one is moved forward).\n\nFlags:\n", iamsvc.RevokePolicyName)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *role == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	cargs := []string{"--data", *data}
	if *storeURL != "" {
		cargs = append(cargs, "--store", *storeURL)
	}
	cfg, err := parseConfig(cargs, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamd: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := sqlstore.Open(ctx, cfg.StoreURL, log)
	if err != nil {
		fmt.Fprintf(stderr, "iamd: open store: %v\n", err)
		return 1
	}
	defer st.Close()
	iam := iamsvc.New(st, iamsvc.Options{Logger: log})
	acct := *account
	if acct == "" {
		if acct, err = iam.ManagementAccount(ctx); err != nil {
			fmt.Fprintf(stderr, "iamd: no account in the store (has iamd serve run?): %v\n", err)
			return 1
		}
	}
	doc, err := iam.RevokeRoleSessions(ctx, acct, *role, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "iamd: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "revoked sessions of arn:aws:iam::%s:role/%s issued before now; policy %s:\n%s\n", acct, *role, iamsvc.RevokePolicyName, doc)
	return 0
}

func envOr(k, def string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return def
}
