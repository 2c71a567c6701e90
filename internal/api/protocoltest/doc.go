// Package protocoltest holds code generated from botocore's AWS Query
// protocol test suites (testdata/, Apache-2.0, see testdata/SOURCE.md): the
// suites' shapes as Go types with generated decoders and encoders, so that
// the tests of this package check the generator and the awsquery runtime
// against the serialized bodies and XML responses botocore expects.
//
// It exists for tests only; nothing outside tests imports it.
package protocoltest

//go:generate go run ../gen -suites testdata/query-input.json,testdata/query-output.json,testdata/legacy-query-input.json,testdata/legacy-query-output.json -pkg protocoltest -out .
