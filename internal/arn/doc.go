// Package arn parses, formats and matches Amazon Resource Names the way IAM
// does: six colon-separated fields (arn:partition:service:region:account:
// resource), where the resource field keeps any further colons, and where
// a pattern's '*' and '?' wildcards match within one field only (except in
// the resource field, which is the rest of the ARN).
//
// The package is pure: standard library only, no I/O.
package arn
