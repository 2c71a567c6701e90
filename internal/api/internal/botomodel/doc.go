// Package botomodel reads botocore service models (service-2.json) and the
// botocore protocol test suites, keeping member order, for the code
// generator in internal/api/gen and for tests. It also parses Query XML
// responses the way botocore does, driven by a model (ParseResponse), so
// tests can check encoders against expected values.
//
// It is build- and test-time tooling: nothing on the request path imports
// it.
package botomodel
