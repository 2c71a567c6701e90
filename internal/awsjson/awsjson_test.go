package awsjson_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/api/models/organizations"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsjson"
)

func orgModel(t testing.TB) *awsjson.Model {
	t.Helper()
	m, err := awsjson.LoadModel(organizations.Model)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type attachInput struct {
	PolicyId string `json:"PolicyId"`
	TargetId string `json:"TargetId"`
}

func TestDecode(t *testing.T) {
	m := orgModel(t)
	if m.TargetPrefix != "AWSOrganizationsV20161128" {
		t.Fatalf("prefix %q", m.TargetPrefix)
	}
	cases := []struct {
		name, op, body string
		code           string            // SerializationException
		viol           awsjson.Violation // constraint
		path           string
	}{
		{name: "ok", op: "AttachPolicy", body: `{"PolicyId":"p-abcdefgh12","TargetId":"123456789012"}`},
		{name: "ok ou target", op: "AttachPolicy", body: `{"PolicyId":"p-FullAWSAccess","TargetId":"ou-ab12-abcdefgh"}`},
		{name: "unknown member ignored", op: "AttachPolicy", body: `{"PolicyId":"p-abcdefgh12","TargetId":"r-ab12","Extra":[1]}`},
		{name: "missing required", op: "AttachPolicy", body: `{"PolicyId":"p-abcdefgh12"}`, viol: awsjson.Required, path: "TargetId"},
		{name: "null is absent", op: "AttachPolicy", body: `{"PolicyId":"p-abcdefgh12","TargetId":null}`, viol: awsjson.Required, path: "TargetId"},
		{name: "pattern", op: "AttachPolicy", body: `{"PolicyId":"x","TargetId":"r-ab12"}`, viol: awsjson.PatternMismatch, path: "PolicyId"},
		{name: "wrong type", op: "AttachPolicy", body: `{"PolicyId":1,"TargetId":"r-ab12"}`, code: "SerializationException"},
		{name: "malformed", op: "AttachPolicy", body: `{"PolicyId":`, code: "SerializationException"},
		{name: "trailing", op: "AttachPolicy", body: `{} {}`, code: "SerializationException"},
		{name: "not object", op: "AttachPolicy", body: `[]`, code: "SerializationException"},
		{name: "enum", op: "ListPolicies", body: `{"Filter":"NOPE"}`, viol: awsjson.NotInEnum, path: "Filter"},
		{name: "range", op: "ListPolicies", body: `{"Filter":"SERVICE_CONTROL_POLICY","MaxResults":0}`, viol: awsjson.MinValue, path: "MaxResults"},
		{name: "range max", op: "ListPolicies", body: `{"Filter":"SERVICE_CONTROL_POLICY","MaxResults":21}`, viol: awsjson.MaxValue, path: "MaxResults"},
		{name: "int not integral", op: "ListPolicies", body: `{"Filter":"SERVICE_CONTROL_POLICY","MaxResults":1.5}`, code: "SerializationException"},
		{name: "nested list", op: "TagResource", body: `{"ResourceId":"r-ab12","Tags":[{"Key":"","Value":"v"}]}`, viol: awsjson.MinLength, path: "Tags[0].Key"},
		{name: "empty body", op: "DescribeOrganization", body: ``},
		{name: "email pattern", op: "CreateAccount", body: `{"Email":"nope-at-example","AccountName":"a"}`, viol: awsjson.PatternMismatch, path: "Email"},
		{name: "unicode pattern", op: "CreateAccount", body: `{"Email":"a@b.co","AccountName":"caf\u00e9"}`, viol: awsjson.PatternMismatch, path: "AccountName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := m.Decode(tc.op, []byte(tc.body), nil)
			var ce *awsjson.ConstraintError
			switch {
			case tc.code != "":
				ae, ok := apierr.As(err)
				if !ok || ae.Code != tc.code {
					t.Fatalf("err %v, want %s", err, tc.code)
				}
			case tc.viol != 0:
				if !errors.As(err, &ce) || ce.Violation != tc.viol || ce.Path != tc.path {
					t.Fatalf("err %v (%+v), want violation %d at %s", err, ce, tc.viol, tc.path)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	var in attachInput
	if err := m.Decode("AttachPolicy", []byte(`{"PolicyId":"p-abcdefgh12","TargetId":"r-ab12"}`), &in); err != nil || in.TargetId != "r-ab12" {
		t.Fatalf("%v %+v", err, in)
	}
}

type out struct {
	When awsjson.Time `json:"When"`
}

func TestRouter(t *testing.T) {
	m := orgModel(t)
	r := awsjson.NewRouter(m, func(ce *awsjson.ConstraintError) *apierr.Error {
		return &apierr.Error{Code: "InvalidInputException", Message: "bad", Reason: "INVALID_PATTERN"}
	})
	awsjson.Handle(r, "AttachPolicy", func(ctx context.Context, in *attachInput) (*out, error) {
		if in.TargetId == "r-zzzz" {
			return nil, apierr.New("TargetNotFoundException", "You specified a target that doesn't exist.")
		}
		return &out{When: awsjson.Time(time.Unix(1700000000, 123e6))}, nil
	})
	if _, err := r.Operation("AWSOrganizationsV20161128.Nope"); err == nil {
		t.Fatal("unknown op accepted")
	}
	op, err := r.Operation("AWSOrganizationsV20161128.AttachPolicy")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body, want string
		status     int
	}{
		{`{"PolicyId":"p-abcdefgh12","TargetId":"r-ab12"}`, `{"When":1700000000.123}`, 200},
		{`{"PolicyId":"p-abcdefgh12","TargetId":"r-zzzz"}`, `{"__type":"TargetNotFoundException","Message":"You specified a target that doesn't exist."}`, 400},
		{`{"PolicyId":"nope","TargetId":"r-ab12"}`, `{"__type":"InvalidInputException","Message":"bad","Reason":"INVALID_PATTERN"}`, 400},
	} {
		w := httptest.NewRecorder()
		r.Serve(context.Background(), w, op, []byte(tc.body), "rid")
		if w.Code != tc.status || strings.TrimSpace(w.Body.String()) != tc.want {
			t.Errorf("%s: %d %s", tc.body, w.Code, w.Body.String())
		}
		if w.Header().Get("X-Amzn-Requestid") != "rid" || w.Header().Get("Content-Type") != awsjson.ContentType {
			t.Errorf("headers %v", w.Header())
		}
	}
	w := httptest.NewRecorder()
	awsjson.WriteError(w, errors.New("boom"), "rid")
	var e map[string]string
	_ = json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code != 500 || e["__type"] != "InternalFailure" || strings.Contains(w.Body.String(), "boom") {
		t.Errorf("internal: %d %s", w.Code, w.Body.String())
	}
}

func FuzzDecode(f *testing.F) {
	m := orgModel(f)
	for _, s := range []string{`{}`, `{"PolicyId":"p-abcdefgh12","TargetId":"r-ab12"}`, `{"Tags":[{"Key":"k","Value":"v"}]}`, `[1,2]`, `{"MaxResults":1e400}`, "\xff"} {
		f.Add("AttachPolicy", s)
		f.Add("TagResource", s)
	}
	f.Fuzz(func(t *testing.T, op, body string) {
		if !m.HasOperation(op) {
			return
		}
		var v map[string]any
		err := m.Decode(op, []byte(body), &v)
		if err == nil {
			return
		}
		var ce *awsjson.ConstraintError
		if errors.As(err, &ce) {
			return
		}
		if ae, ok := apierr.As(err); !ok || (ae.Code != "SerializationException" && ae.Code != "InternalFailure") {
			t.Fatalf("unexpected error %v", err)
		}
	})
}
