// Package cedarbench compares iamd's policy engine (internal/policy and
// internal/authz) with cedar-go on equivalent policy sets, measured in the
// same run. It is a separate module so that cedar-go never enters the main
// module's dependencies; nothing in iamd imports it.
//
// Run: cd bench/cedarbench && go test -run TestRatios -v -bench . -benchmem
package cedarbench
