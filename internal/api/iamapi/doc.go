// Package iamapi is the AWS Query wire surface of IAM 2010-05-08, generated
// from botocore's service model (internal/api/models/iam): one input and one
// output type per operation, the shared shapes (User, Role, Tag, ...), a
// decoder per input that enforces the model's constraints with AWS's
// ValidationError wording (IAM leaves values out of its messages), an XML
// encoder per output, and an awsquery.Operation per operation for
// awsquery.Handle.
//
// Field conventions: strings are plain (empty means absent), optional
// numbers and booleans are pointers, timestamps are time.Time (zero means
// absent), nested structures are pointers, lists are slices (nil means
// absent; an empty non-nil slice is sent as an empty element). IsTruncated
// is a plain bool: AWS always sends it. Fields of sensitive members carry
// the json tag "-" and must never be logged.
//
// The package holds no behaviour of its own: domain rules live in
// internal/iamsvc. Do not edit the *_gen.go files; change the generator
// (internal/api/gen) and run go generate ./internal/api/... .
package iamapi

//go:generate go run ../gen -model ../models/iam/service-2.json -style iam -pkg iamapi -out .
