// Package stsapi is the AWS Query wire surface of STS 2011-06-15, generated
// from botocore's service model (internal/api/models/sts): one input and one
// output type per operation, the shared shapes (Credentials, Tag,
// PolicyDescriptorType, ...), a decoder per input that enforces the model's
// constraints with AWS's ValidationError wording (STS quotes offending
// values, except of sensitive members such as SAMLAssertion and
// WebIdentityToken), an XML encoder per output, and an awsquery.Operation
// per operation for awsquery.Handle.
//
// Field conventions: strings are plain (empty means absent), optional
// numbers and booleans are pointers, timestamps are time.Time (zero means
// absent), nested structures are pointers, lists are slices (nil means
// absent). Fields of sensitive members carry the json tag "-" and must
// never be logged.
//
// The package holds no behaviour of its own: domain rules live in
// internal/stssvc. Do not edit the *_gen.go files; change the generator
// (internal/api/gen) and run go generate ./internal/api/... .
package stsapi

//go:generate go run ../gen -model ../models/sts/service-2.json -style sts -pkg stsapi -out .
