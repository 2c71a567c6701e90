package botomodel

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Snapshots are LocalStack snapshot files: responses recorded against AWS
// as boto3 dicts, keyed by test id and label.
type Snapshots map[string]struct {
	Content map[string]json.RawMessage `json:"recorded-content"`
}

// LoadSnapshots reads a LocalStack *.snapshot.json file.
func LoadSnapshots(path string) (Snapshots, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Snapshots
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Get returns the recorded value of label in the test whose id ends with
// testSuffix.
func (s Snapshots) Get(testSuffix, label string) (map[string]any, error) {
	for id, t := range s {
		if !strings.HasSuffix(id, testSuffix) {
			continue
		}
		raw, ok := t.Content[label]
		if !ok {
			return nil, fmt.Errorf("snapshot %s has no %s", id, label)
		}
		var v map[string]any
		err := json.Unmarshal(raw, &v)
		return v, err
	}
	return nil, fmt.Errorf("no snapshot test ending in %s", testSuffix)
}

// ValidationMessages returns every ValidationError message recorded, keyed
// by "<test id>|<label>".
func (s Snapshots) ValidationMessages() map[string]string {
	out := map[string]string{}
	for id, t := range s {
		for label, raw := range t.Content {
			var v struct {
				Error struct{ Code, Message string }
			}
			if json.Unmarshal(raw, &v) == nil && v.Error.Code == "ValidationError" &&
				strings.Contains(v.Error.Message, "validation error") {
				out[id+"|"+label] = v.Error.Message
			}
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`<[^<>]+>`)

// MatchSnapshot compares got (from Parser) with a recorded boto3 value and
// returns the differences. Recorded placeholders ("<user-name:1>",
// "arn:<partition>:iam::...") match any non-empty text, "<datetime>" any
// timestamp; a recorded policy document (a dict) matches the URL-encoded
// JSON string IAM sends. ResponseMetadata is ignored.
func MatchSnapshot(want, got any) []string {
	var diffs []string
	matchValue("", want, got, &diffs)
	return diffs
}

func matchValue(path string, want, got any, diffs *[]string) {
	fail := func(format string, args ...any) {
		*diffs = append(*diffs, path+": "+fmt.Sprintf(format, args...))
	}
	switch w := want.(type) {
	case map[string]any:
		if s, ok := got.(string); ok {
			dec, err := url.QueryUnescape(s)
			var doc any
			if err != nil || json.Unmarshal([]byte(dec), &doc) != nil {
				fail("want a policy document, got %q", s)
				return
			}
			got = doc
		}
		g, ok := got.(map[string]any)
		if !ok {
			fail("want a structure, got %T %v", got, got)
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		var sorted []string
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if k == "ResponseMetadata" {
				continue
			}
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inW:
				fail("unexpected member %s", k)
			case !inG:
				fail("missing member %s", k)
			default:
				matchValue(path+"."+k, wv, gv, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			fail("want list of %d, got %v", len(w), got)
			return
		}
		for i := range w {
			matchValue(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	case string:
		if w == "<datetime>" {
			if _, ok := got.(float64); !ok {
				fail("want a timestamp, got %v", got)
			}
			return
		}
		g, ok := got.(string)
		if !ok {
			fail("want string %q, got %v", w, got)
			return
		}
		re := "^" + placeholderPattern(w) + "$"
		if !regexp.MustCompile(re).MatchString(g) {
			fail("got %q, want %q", g, w)
		}
	case float64:
		var g float64
		switch x := got.(type) {
		case int64:
			g = float64(x)
		case float64:
			g = x
		default:
			fail("want number %v, got %v", w, got)
			return
		}
		if g != w {
			fail("got %v, want %v", g, w)
		}
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			fail("got %v, want %v", got, want)
		}
	}
}

func placeholderPattern(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringIndex(s, -1) {
		b.WriteString(regexp.QuoteMeta(s[last:m[0]]))
		b.WriteString(".+")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(s[last:]))
	return b.String()
}
