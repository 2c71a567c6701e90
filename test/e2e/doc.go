// Package e2e holds iamd's end-to-end tests: they build the real iamd
// binary, start it on a free port with a temporary data directory, and
// drive it with real AWS clients — aws-cli v1 (`aws`), aws-cli v2
// (`/usr/bin/aws`), boto3 and the AWS SDK for Go v2.
//
// A client that is not installed makes its tests skip, unless
// IAMD_E2E_REQUIRE_CLIENTS=1 (set by .ci/run), which makes them fail.
package e2e
