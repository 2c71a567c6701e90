package iamsvc

import (
	"strings"
	"testing"
)

func TestMergeRevocation(t *testing.T) {
	const stamp = "2026-01-02T03:04:05Z"
	for _, tc := range []struct {
		name, doc string
		ok        bool
		keep      string
	}{
		{"console policy", revokeDocument("2020-01-01T00:00:00Z"), true, ""},
		{"extra statement kept", `{"Version":"2012-10-17","Statement":[{"Sid":"Other","Effect":"Deny","Action":"s3:*","Resource":"*"},` +
			`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:tokenissuetime":"2020-01-01T00:00:00Z"}}}]}`, true, `"Sid":"Other"`},
		{"single statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}}}`, true, ""},
		{"no revocation condition", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false, ""},
		{"not JSON", `{`, false, ""},
	} {
		got, ok := mergeRevocation(tc.doc, stamp)
		if ok != tc.ok {
			t.Errorf("%s: ok %v", tc.name, ok)
			continue
		}
		if ok && (!strings.Contains(got, stamp) || strings.Contains(got, "2020-01-01") || !strings.Contains(got, tc.keep)) {
			t.Errorf("%s: %s", tc.name, got)
		}
	}
}
