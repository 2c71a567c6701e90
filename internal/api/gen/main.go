package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run parses args, generates and writes the files.
func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	model := fs.String("model", "", "botocore service-2.json")
	suites := fs.String("suites", "", "comma-separated botocore Query protocol test files (instead of -model)")
	style := fs.String("style", "plain", "message conventions: iam, sts or plain")
	pkg := fs.String("pkg", "", "Go package name")
	out := fs.String("out", ".", "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pkg == "" || (*model == "") == (*suites == "") {
		return fmt.Errorf("need -pkg and exactly one of -model, -suites")
	}
	st, ok := styles[*style]
	if !ok {
		return fmt.Errorf("unknown style %q", *style)
	}
	var files map[string][]byte
	var err error
	if *model != "" {
		files, err = generateService(*model, *pkg, st)
	} else {
		files, err = generateSuites(strings.Split(*suites, ","), *pkg)
	}
	if err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(*out, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
