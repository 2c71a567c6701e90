package stsapi_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/awsquery"
)

// benchBody is a realistic AssumeRole request as botocore serializes it.
const benchBody = "Action=AssumeRole&Version=2011-06-15" +
	"&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fdeploy" +
	"&RoleSessionName=ci-runner-42&DurationSeconds=3600&ExternalId=ext-123456" +
	"&SourceIdentity=alice&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess" +
	"&Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=env&Tags.member.2.Value=prod"

func benchOutput() *stsapi.AssumeRoleOutput {
	return &stsapi.AssumeRoleOutput{
		Credentials: &stsapi.Credentials{
			AccessKeyId: "ASIAEXAMPLEKEYID0001", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
			SessionToken: strings.Repeat("IQoJb3JpZ2luX2VjEXAMPLE", 20), Expiration: expiration,
		},
		AssumedRoleUser: &stsapi.AssumedRoleUser{
			AssumedRoleId: "AROAEXAMPLEROLEID0001:ci-runner-42",
			Arn:           "arn:aws:sts::111111111111:assumed-role/deploy/ci-runner-42",
		},
		PackedPolicySize: new(int32),
		SourceIdentity:   "alice",
	}
}

func benchRequest() *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return r
}

// BenchmarkAssumeRoleDecode: form parsing plus generated decoding and
// validation of a full AssumeRole input.
func BenchmarkAssumeRoleDecode(b *testing.B) {
	r, body := benchRequest(), []byte(benchBody)
	b.ReportAllocs()
	for b.Loop() {
		v, err := awsquery.ParseForm(r, body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := stsapi.AssumeRole.Decode(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssumeRoleEncode: the generated encoder writing the result.
func BenchmarkAssumeRoleEncode(b *testing.B) {
	out := benchOutput()
	var e awsquery.Encoder
	b.ReportAllocs()
	for b.Loop() {
		e.Reset()
		stsapi.AssumeRole.Encode(&e, out)
	}
}

// discard is a ResponseWriter that keeps nothing.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkAssumeRoleServe: parse, decode, validate, call a handler that
// returns a fixed output, encode and write the whole response.
func BenchmarkAssumeRoleServe(b *testing.B) {
	rt := awsquery.NewRouter(stsapi.Service)
	out := benchOutput()
	awsquery.Handle(rt, stsapi.AssumeRole, func(context.Context, *stsapi.AssumeRoleInput) (*stsapi.AssumeRoleOutput, error) {
		return out, nil
	})
	r, body := benchRequest(), []byte(benchBody)
	w := &discard{h: http.Header{}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v, err := awsquery.ParseForm(r, body)
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.ServeAction(ctx, w, "AssumeRole", v, "c6104cbe-af31-11e0-8154-cbc7ccf896c7"); err != nil {
			b.Fatal(err)
		}
	}
}

// Baseline: the same work with the standard library's generic tools
// (url.ParseQuery, then encoding/xml marshalling by reflection), without
// validation.
type baselineResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
	Result  struct {
		Credentials     *stsapi.Credentials     `xml:"Credentials"`
		AssumedRoleUser *stsapi.AssumedRoleUser `xml:"AssumedRoleUser"`
		PackedPolicy    *int32                  `xml:"PackedPolicySize"`
		SourceIdentity  string                  `xml:"SourceIdentity,omitempty"`
	} `xml:"AssumeRoleResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

func BenchmarkBaselineStdlib(b *testing.B) {
	out := benchOutput()
	b.ReportAllocs()
	for b.Loop() {
		v, err := url.ParseQuery(benchBody)
		if err != nil {
			b.Fatal(err)
		}
		_ = v.Get("RoleArn")
		var resp baselineResponse
		resp.Result.Credentials, resp.Result.AssumedRoleUser = out.Credentials, out.AssumedRoleUser
		resp.Result.PackedPolicy, resp.Result.SourceIdentity = out.PackedPolicySize, out.SourceIdentity
		resp.RequestID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"
		if _, err := xml.Marshal(&resp); err != nil {
			b.Fatal(err)
		}
	}
}
