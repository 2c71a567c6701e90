package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedUpToDate runs the generator as go generate does, into a
// temporary directory, and fails if any committed file differs: edit the
// generator or the models, then run go generate ./internal/api/... .
func TestGeneratedUpToDate(t *testing.T) {
	runs := []struct {
		dir  string
		args []string
	}{
		{"../iamapi", []string{"-model", "../models/iam/service-2.json", "-style", "iam", "-pkg", "iamapi"}},
		{"../stsapi", []string{"-model", "../models/sts/service-2.json", "-style", "sts", "-pkg", "stsapi"}},
		{"../protocoltest", []string{"-suites", "testdata/query-input.json,testdata/query-output.json,testdata/legacy-query-input.json,testdata/legacy-query-output.json", "-pkg", "protocoltest"}},
	}
	for _, r := range runs {
		t.Run(filepath.Base(r.dir), func(t *testing.T) {
			out := t.TempDir()
			// The directive's paths are relative to the package directory.
			args := append([]string{}, r.args...)
			for i, a := range args {
				if i > 0 && (args[i-1] == "-model" || args[i-1] == "-suites") {
					var abs []string
					for _, p := range strings.Split(a, ",") {
						abs = append(abs, filepath.Join(r.dir, p))
					}
					args[i] = strings.Join(abs, ",")
				}
			}
			if err := run(append(args, "-out", out)); err != nil {
				t.Fatal(err)
			}
			files, err := filepath.Glob(filepath.Join(out, "*.go"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no output: %v", err)
			}
			committed, _ := filepath.Glob(filepath.Join(r.dir, "*_gen.go"))
			if len(committed) != len(files) {
				t.Errorf("%d committed *_gen.go files, generator writes %d", len(committed), len(files))
			}
			for _, f := range files {
				want, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(r.dir, filepath.Base(f)))
				if err != nil {
					t.Fatalf("%v (run go generate ./internal/api/...)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s is stale: run go generate ./internal/api/...", r.dir, filepath.Base(f))
				}
			}
		})
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"<p>Creates a new IAM user for your Amazon Web Services account. For more, see <a href=\"x\">here</a>.</p>": "Creates a new IAM user for your Amazon Web Services account.",
		"<p>The name &amp; path</p>": "The name & path.",
		"":                           "",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnumConst(t *testing.T) {
	for _, c := range [][3]string{
		{"statusType", "Active", "StatusTypeActive"},
		{"ReportFormatType", "text/csv", "ReportFormatTypeTextCsv"},
		{"PolicySourceType", "aws-managed", "PolicySourceTypeAwsManaged"},
		{"sortKeyType", "SERVICE_NAMESPACE_ASCENDING", "SortKeyTypeServiceNamespaceAscending"},
	} {
		if got := enumConst(c[0], c[1]); got != c[2] {
			t.Errorf("enumConst(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
}
