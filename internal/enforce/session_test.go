package enforce

import (
	"github.com/iamd/iamd/internal/policy"
	"testing"
)

// The allow-nothing session policy must compile, or federation sessions
// without policies would fail open on a nil policy.
func TestAllowNothingCompiles(t *testing.T) {
	if _, err := policy.Parse(allowNothing, policy.Session); err != nil {
		t.Fatal(err)
	}
}
