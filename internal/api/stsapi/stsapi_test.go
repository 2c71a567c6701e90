package stsapi_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/api/internal/botomodel"
	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsquery"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

var expiration = time.Date(2026, 11, 22, 21, 4, 5, 0, time.UTC)

func creds() *stsapi.Credentials {
	return &stsapi.Credentials{
		AccessKeyId: "ASIAEXAMPLEKEYID0001", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
		SessionToken: "IQoJb3JpZ2luX2VjEXAMPLE+/=", Expiration: expiration,
	}
}

func newRouter() *awsquery.Router {
	r := awsquery.NewRouter(stsapi.Service)
	awsquery.Handle(r, stsapi.GetCallerIdentity, func(context.Context, *stsapi.GetCallerIdentityInput) (*stsapi.GetCallerIdentityOutput, error) {
		return &stsapi.GetCallerIdentityOutput{UserId: "AIDAEXAMPLEUSERID0001", Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/bob"}, nil
	})
	awsquery.Handle(r, stsapi.AssumeRole, func(_ context.Context, in *stsapi.AssumeRoleInput) (*stsapi.AssumeRoleOutput, error) {
		if strings.HasSuffix(in.RoleArn, "/disabled") {
			return nil, apierr.New("RegionDisabledException", "STS is not activated in this region for account:111111111111.")
		}
		out := &stsapi.AssumeRoleOutput{
			Credentials: creds(),
			AssumedRoleUser: &stsapi.AssumedRoleUser{
				AssumedRoleId: "AROAEXAMPLEROLEID0001:" + in.RoleSessionName,
				Arn:           "arn:aws:sts::111111111111:assumed-role/web/" + in.RoleSessionName,
			},
			SourceIdentity: in.SourceIdentity,
		}
		if in.Policy != "" || len(in.PolicyArns) > 0 || len(in.Tags) > 0 {
			out.PackedPolicySize = new(int32)
			*out.PackedPolicySize = 6
		}
		return out, nil
	})
	awsquery.Handle(r, stsapi.GetFederationToken, func(_ context.Context, in *stsapi.GetFederationTokenInput) (*stsapi.GetFederationTokenOutput, error) {
		var zero int32
		return &stsapi.GetFederationTokenOutput{
			Credentials: creds(),
			FederatedUser: &stsapi.FederatedUser{
				FederatedUserId: "111111111111:" + in.Name, Arn: "arn:aws:sts::111111111111:federated-user/" + in.Name,
			},
			PackedPolicySize: &zero,
		}, nil
	})
	awsquery.Handle(r, stsapi.AssumeRoleWithSAML, func(context.Context, *stsapi.AssumeRoleWithSAMLInput) (*stsapi.AssumeRoleWithSAMLOutput, error) {
		return nil, nil
	})
	awsquery.Handle(r, stsapi.AssumeRoleWithWebIdentity, func(context.Context, *stsapi.AssumeRoleWithWebIdentityInput) (*stsapi.AssumeRoleWithWebIdentityOutput, error) {
		return nil, apierr.New("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	})
	return r
}

func serve(t *testing.T, r *awsquery.Router, action, query string) *httptest.ResponseRecorder {
	t.Helper()
	v, err := awsquery.ParseQuery("Action=" + action + "&Version=2011-06-15&" + query)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	_ = r.ServeAction(context.Background(), w, action, v, "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
	return w
}

const roleArn = "RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fweb"

func TestGolden(t *testing.T) {
	m, err := botomodel.Load("../models/sts/service-2.json")
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := botomodel.LoadSnapshots("testdata/test_sts.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	r := newRouter()
	tests := []struct {
		golden, action, query string
		status                int
		snapTest, snapLabel   string
	}{
		{"get-caller-identity", "GetCallerIdentity", "", 200, "", ""},
		{"assume-role", "AssumeRole", roleArn + "&RoleSessionName=s1", 200, "TestSTSIntegrations::test_assume_role", "assume-role"},
		{"assume-role-tags", "AssumeRole", roleArn + "&RoleSessionName=s1&SourceIdentity=alice&Tags.member.1.Key=team&Tags.member.1.Value=blue", 200, "", ""},
		{"get-federation-token", "GetFederationToken", "Name=fed-user", 200, "TestSTSIntegrations::test_get_federation_token", "get-federation-token"},
		{"error-region-disabled", "AssumeRole", "RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fdisabled&RoleSessionName=s1", 403, "", ""},
		{"error-invalid-session-name", "AssumeRole", roleArn + "&RoleSessionName=Session1%3A2", 400,
			"TestSTSIntegrations::test_sts_invalid_parameters", "invalid-session-name"},
		{"error-web-identity", "AssumeRoleWithWebIdentity", roleArn + "&RoleSessionName=s1&WebIdentityToken=eyJ.x.y", 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			w := serve(t, r, tt.action, tt.query)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			checkGolden(t, tt.golden, w.Body.Bytes())
			var got map[string]any
			if w.Code == 200 {
				res, rid, err := botomodel.ParseResponse(m, tt.action, w.Body.Bytes())
				if err != nil || rid == "" {
					t.Fatalf("boto3 would not parse the response: %v", err)
				}
				got = res
			} else {
				e, rid, err := botomodel.ParseError(w.Body.Bytes())
				if err != nil || rid == "" {
					t.Fatalf("bad ErrorResponse: %v", err)
				}
				got = map[string]any{"Error": e}
			}
			if tt.snapTest == "" {
				return
			}
			want, err := snaps.Get(tt.snapTest, tt.snapLabel)
			if err != nil {
				t.Fatal(err)
			}
			if st, ok := want["ResponseMetadata"].(map[string]any)["HTTPStatusCode"].(float64); ok && int(st) != w.Code {
				t.Errorf("recorded status %v, got %d", st, w.Code)
			}
			for _, d := range botomodel.MatchSnapshot(want, got) {
				t.Error("recorded response differs:", d)
			}
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".xml")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("response differs from %s (go test -update rewrites it)\n got %s\nwant %s", path, got, want)
	}
}

func TestValidationMessages(t *testing.T) {
	snaps, err := botomodel.LoadSnapshots("testdata/test_sts.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	recorded := snaps.ValidationMessages()
	if len(recorded) != 1 {
		t.Fatalf("expected the one recorded ValidationError, found %v", recorded)
	}
	for key, want := range recorded {
		if !strings.HasSuffix(key, "test_sts_invalid_parameters|invalid-session-name") {
			t.Fatalf("uncovered recorded ValidationError %s", key)
		}
		check(t, "AssumeRole", roleArn+"&RoleSessionName=Session1%3A2", "ValidationError", want)
	}

	arnOf := func(n int) string { return strings.Repeat("a", n) }
	tags51 := ""
	keys51 := ""
	for i := 1; i <= 51; i++ {
		tags51 += "&Tags.member." + itoa(i) + ".Key=k" + itoa(i) + "&Tags.member." + itoa(i) + ".Value=v"
		keys51 += "&TransitiveTagKeys.member." + itoa(i) + "=k"
	}
	for _, tt := range []struct{ action, query, code, message string }{
		{"AssumeRole", "", "ValidationError",
			"2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1&DurationSeconds=100", "ValidationError",
			"1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1&DurationSeconds=43201", "ValidationError",
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1&DurationSeconds=1h", "InvalidParameterValue",
			"The value for parameter DurationSeconds is not a valid integer."},
		{"AssumeRole", "RoleArn=" + arnOf(19) + "&RoleSessionName=s1", "ValidationError",
			"1 validation error detected: Value '" + arnOf(19) + "' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1&PolicyArns.member.1.arn=arn%3Ax", "ValidationError",
			"1 validation error detected: Value 'arn:x' at 'policyArns.1.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1&Tags.member.1.Key=a%2Ab&Tags.member.1.Value=v", "ValidationError",
			`1 validation error detected: Value 'a*b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"AssumeRole", roleArn + "&RoleSessionName=s1" + keys51, "ValidationError",
			"1 validation error detected: Value '[" + strings.TrimSuffix(strings.Repeat("k, ", 51), ", ") + "]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"AssumeRole", roleArn + "&RoleSessionName=s1" + tags51, "ValidationError",
			"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		// Sensitive members are never echoed.
		{"AssumeRoleWithSAML", roleArn + "&PrincipalArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Asaml-provider%2Fidp&SAMLAssertion=abc", "ValidationError",
			"1 validation error detected: Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4"},
		{"AssumeRoleWithWebIdentity", roleArn + "&RoleSessionName=s1&WebIdentityToken=abc", "ValidationError",
			"1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"},
	} {
		check(t, tt.action, tt.query, tt.code, tt.message)
	}
}

// TestDomainARNChecks: STS answers "<arn> is invalid" for these (recorded)
// role ARNs; they pass the model's constraints, so the decoder must accept
// them and leave the message to internal/stssvc.
func TestDomainARNChecks(t *testing.T) {
	snaps, err := botomodel.LoadSnapshots("testdata/test_sts.snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"malformed-arn", "no-partition", "no-service", "not-enough-colons", "no-resource"} {
		rec, err := snaps.Get("test_sts_invalid_parameters", label)
		if err != nil {
			t.Fatal(err)
		}
		msg := rec["Error"].(map[string]any)["Message"].(string)
		arn := strings.TrimSuffix(msg, " is invalid")
		v, err := awsquery.ParseQuery("RoleArn=" + url.QueryEscape(arn) + "&RoleSessionName=s1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stsapi.AssumeRole.Decode(v); err != nil {
			t.Errorf("%s: decoder rejects %q: %v", label, arn, err)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func check(t *testing.T, action, query, code, message string) {
	t.Helper()
	w := serve(t, newRouter(), action, query)
	e, _, err := botomodel.ParseError(w.Body.Bytes())
	if err != nil {
		t.Errorf("%s %s: not an error: %s", action, query, w.Body)
		return
	}
	if e["Code"] != code || e["Message"] != message {
		t.Errorf("%s %.80s:\n got %v: %v\nwant %s: %s", action, query, e["Code"], e["Message"], code, message)
	}
}

func TestModeledErrorStatuses(t *testing.T) {
	m, err := botomodel.Load("../models/sts/service-2.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range m.Shapes {
		if !s.Exception {
			continue
		}
		code, status := name, 400
		if s.Error != nil && s.Error.Code != "" {
			code, status = s.Error.Code, s.Error.HTTPStatusCode
		}
		if got := awsquery.StatusCode(code, false); got != status {
			t.Errorf("%s: table says %d, model %d", code, got, status)
		}
	}
	if len(stsapi.Operations) != 11 || len(m.Operations) != 11 {
		t.Errorf("%d operations", len(stsapi.Operations))
	}
}

func TestSensitiveNotInJSON(t *testing.T) {
	v, _ := awsquery.ParseQuery(roleArn + "&PrincipalArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Asaml-provider%2Fidp&SAMLAssertion=PHNhbWw%2Bc2VjcmV0")
	in, err := stsapi.AssumeRoleWithSAML.Decode(v)
	if err != nil {
		t.Fatal(err)
	}
	if in.SAMLAssertion != "PHNhbWw+c2VjcmV0" {
		t.Fatalf("SAMLAssertion %q", in.SAMLAssertion)
	}
	b, err := jsonMarshal(in)
	if err != nil || strings.Contains(string(b), "PHNhbWw") {
		t.Errorf("sensitive member in JSON: %s", b)
	}
	b, _ = jsonMarshal(creds())
	if strings.Contains(string(b), "wJalrXUtnFEMI") || strings.Contains(string(b), "IQoJ") {
		t.Errorf("secret in JSON: %s", b)
	}
}

func FuzzDecodeAssumeRole(f *testing.F) {
	f.Add(roleArn + "&RoleSessionName=s1&DurationSeconds=3600&Tags.member.1.Key=a&Tags.member.1.Value=b&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX")
	f.Add("RoleSessionName=&DurationSeconds=-1&TransitiveTagKeys.member.1=")
	f.Add("Tags=&Tags.member.1.Key=%E2%82%AC&PolicyArns.member.2.arn=x")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := awsquery.ParseQuery(q)
		if err != nil {
			return
		}
		in, err := stsapi.AssumeRole.Decode(v)
		if err != nil {
			e, ok := apierr.As(err)
			if !ok || (e.Code != "ValidationError" && e.Code != "InvalidParameterValue") || e.Message == "" {
				t.Fatalf("unexpected error %#v", err)
			}
			return
		}
		if len(in.RoleArn) < 20 || len(in.RoleSessionName) < 2 || len(in.Tags) > 50 || len(in.PolicyArns) > 10 {
			t.Fatalf("constraints not enforced: %+v", in)
		}
		if in.DurationSeconds != nil && (*in.DurationSeconds < 900 || *in.DurationSeconds > 43200) {
			t.Fatalf("range not enforced")
		}
		// The output encoder must always produce well-formed XML.
		var e awsquery.Encoder
		stsapi.AssumeRole.Encode(&e, &stsapi.AssumeRoleOutput{
			AssumedRoleUser: &stsapi.AssumedRoleUser{AssumedRoleId: in.RoleSessionName, Arn: in.RoleArn},
			SourceIdentity:  in.SourceIdentity,
		})
		if err := xml.Unmarshal(append(append([]byte("<R>"), e.Bytes()...), "</R>"...), new(struct{})); err != nil {
			t.Fatalf("encoder produced bad XML: %v", err)
		}
	})
}
