package iamsvc

import (
	"strings"
	"testing"
)

// FuzzParseQuotas checks that quota parsing never panics and that
// accepted input leaves every quota positive.
func FuzzParseQuotas(f *testing.F) {
	for _, s := range []string{"RolesQuota=3", "RolesQuota=3,PolicySizeQuota=100", "Nope=1", "RolesQuota=", "=", ",,", "RolesQuota=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var l Limits
		if err := l.ParseQuotas(strings.Split(in, ",")); err != nil {
			return
		}
		l = l.withDefaults()
		for _, q := range quotas {
			if *q.field(&l) < 1 {
				t.Fatalf("%s = %d after %q", q.name, *q.field(&l), in)
			}
		}
	})
}
