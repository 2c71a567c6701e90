// Command iamd is a self-hosted, AWS-wire-compatible IAM roles and STS
// service. Run "iamd serve --help" for the server's options.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

const usage = `iamd — a self-hosted, AWS-compatible IAM roles and STS service.

Usage:
  iamd serve [flags]     run the server (IAM and STS over the AWS Query protocol, SigV4)
  iamd policy ...        validate and simulate IAM policies offline ("iamd policy --help")
  iamd revoke-sessions   revoke a role's active sessions ("iamd revoke-sessions --help")
  iamd import FILE       load a get-account-authorization-details export ("iamd import --help")
  iamd version           print the version
  iamd help              show this help

Run "iamd serve --help" for the server's flags and environment variables.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := serve(ctx, args[1:], stdout, stderr); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintf(stderr, "iamd: %v\n", err)
			return 1
		}
		return 0
	case "policy":
		return policyCmd(args[1:], stdout, stderr)
	case "revoke-sessions":
		return revokeSessions(context.Background(), args[1:], stdout, stderr)
	case "import":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return importCmd(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "iamd %s\n", versionString())
		return 0
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "iamd: unknown command %q (run \"iamd help\")\n", args[0])
		return 2
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
