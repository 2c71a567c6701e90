package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/policy/golden")

// TestPolicyCommandGolden runs "iamd policy ..." command lines and compares
// their exit code, standard output and standard error with golden files.
// Paths in the command lines are relative to testdata/policy.
func TestPolicyCommandGolden(t *testing.T) {
	tests := []struct {
		name string
		args string
		code int
	}{
		{"validate-ok", "validate deploy.json boundary.json", 0},
		{"validate-bad", "validate deploy.json bad-syntax.json bad-principal.json missing.json", 1},
		{"validate-trust", "validate --type trust trust.json deploy.json", 1},
		{"validate-scp", "validate --type scp scp-root.json scp-account.json", 0},
		{"validate-unknown-type", "validate --type nope deploy.json", 2},
		{"simulate-text", "simulate --policy deploy.json --action s3:GetObject,s3:DeleteObject,ec2:RunInstances --resource arn:aws:s3:::artifacts/app.zip", 0},
		{"simulate-missing-context", "simulate --policy deploy.json --action iam:CreateUser", 0},
		{"simulate-context", "simulate --policy deploy.json --action iam:CreateUser --context aws:MultiFactorAuthPresent=boolean:true", 0},
		{"simulate-boundary", "simulate --policy deploy.json --boundary boundary.json --action s3:GetObject,s3:PutObject --resource arn:aws:s3:::artifacts/app.zip", 0},
		{"simulate-scp", "simulate --policy deploy.json --scp scp-root.json --scp scp-account.json --action iam:CreateUser --context aws:MultiFactorAuthPresent=boolean:true --context aws:RequestedRegion=eu-west-1", 0},
		{"simulate-resource-policy", "simulate --policy boundary.json --resource-policy bucket.json --caller arn:aws:iam::111122223333:user/partner --action s3:GetObject --resource arn:aws:s3:::artifacts/app.zip --resource-owner 123456789012", 0},
		{"simulate-json", "simulate --policy deploy.json --boundary boundary.json --action s3:GetObject,s3:DeleteObject --resource arn:aws:s3:::artifacts/app.zip --json", 0},
		{"simulate-json-star", "simulate --policy deploy.json --action iam:CreateUser --json", 0},
		{"simulate-expect-ok", "simulate --policy deploy.json --action s3:DeleteObject --expect explicitDeny", 0},
		{"simulate-expect-fail", "simulate --policy deploy.json --action s3:PutObject --resource arn:aws:s3:::other/x --expect allowed", 1},
		{"simulate-malformed", "simulate --policy bad-principal.json --action s3:GetObject", 1},
		{"simulate-bad-context", "simulate --policy deploy.json --action iam:CreateUser --context aws:MultiFactorAuthPresent=boolean:maybe", 1},
		{"simulate-no-action", "simulate --policy deploy.json", 2},
		{"help", "--help", 0},
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "testdata", "policy"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"policy"}, strings.Fields(tt.args)...), &stdout, &stderr)
			got := fmt.Sprintf("$ iamd policy %s\nexit %d\n--- stdout\n%s--- stderr\n%s", tt.args, code, stdout.String(), stderr.String())
			golden := filepath.Join("golden", tt.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
		})
	}
}

// TestParseContextFlag checks the --context syntax.
func TestParseContextFlag(t *testing.T) {
	tests := []struct {
		in, name, typ string
		values        []string
		err           bool
	}{
		{"aws:SourceIp=ip:10.0.0.1", "aws:SourceIp", "ip", []string{"10.0.0.1"}, false},
		{"s3:prefix=home/", "s3:prefix", "string", []string{"home/"}, false},
		{"aws:TagKeys=stringList:a,b", "aws:TagKeys", "stringList", []string{"a", "b"}, false},
		{"aws:TagKeys=stringList:", "aws:TagKeys", "stringList", []string{}, false},
		{"k=url:http://x", "k", "string", []string{"url:http://x"}, false},
		{"novalue", "", "", nil, true},
	}
	for _, tt := range tests {
		e, err := parseContextFlag(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("%q: err %v", tt.in, err)
			continue
		}
		if err == nil && (e.Name != tt.name || e.Type != tt.typ || fmt.Sprint(e.Values) != fmt.Sprint(tt.values) || len(e.Values) != len(tt.values)) {
			t.Errorf("%q: got %+v", tt.in, e)
		}
	}
}
