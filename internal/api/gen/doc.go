// Command gen generates the Go types, Query decoders (with the model's
// validation) and XML encoders of an AWS Query service from its botocore
// model, for internal/api/iamapi and internal/api/stsapi; run it with
// go generate ./internal/api/... . It can also turn botocore's Query
// protocol test suites into a package (internal/api/protocoltest) so that
// the generated code is checked against them.
//
// Usage:
//
//	gen -model service-2.json -style iam -pkg iamapi -out .
//	gen -suites input.json,output.json -pkg protocoltest -out .
//
// The generator owns the translation from model to Go: naming, field
// types, constraint checks (Java patterns become RE2 at generation time and
// generation fails on a construct it cannot translate exactly), and the
// service conventions the model lacks (style.go). It must not be imported
// and must not reach outside the repository: models are read from
// internal/api/models. TestGeneratedUpToDate fails when committed files
// drift from its output.
package main
