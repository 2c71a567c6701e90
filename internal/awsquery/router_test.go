package awsquery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/apierr"
)

type greetIn struct{ Name string }
type greetOut struct{ Greeting string }

var testService = &Service{
	Namespace:  "https://example.com/doc/2020-01-01/",
	Version:    "2020-01-01",
	Operations: []string{"Greet", "Wave"},
}

var greet = Operation[greetIn, greetOut]{
	Name:   "Greet",
	Result: "GreetResult",
	Decode: func(v Values) (*greetIn, error) {
		return DecodeInput(v, &Style{}, func(d *Decoder, in *greetIn) {
			n := d.Push("Name")
			if s, ok := d.Value(); ok {
				d.MaxLength(s, 5, false)
				in.Name = s
			} else {
				d.Required()
			}
			d.Pop(n)
		})
	},
	Encode: func(e *Encoder, o *greetOut) {
		if o.Greeting != "" {
			e.String("Greeting", o.Greeting)
		}
	},
}

func newTestRouter() *Router {
	r := NewRouter(testService)
	Handle(r, greet, func(_ context.Context, in *greetIn) (*greetOut, error) {
		switch in.Name {
		case "boom":
			return nil, fmt.Errorf("db down: secret detail")
		case "gone":
			return nil, apierr.NoSuchEntity("The user with name %s cannot be found.", in.Name)
		case "teapt":
			return nil, &apierr.Error{Code: "NoSuchEntity", Message: "m", Status: 418}
		case "nil":
			return nil, nil
		}
		return &greetOut{Greeting: "hi " + in.Name + " <&>"}, nil
	})
	return r
}

func TestRouter(t *testing.T) {
	r := newTestRouter()
	ns := testService.Namespace
	tests := []struct {
		name, action, query string
		status              int
		body                string
		code                string
	}{
		{name: "ok", action: "Greet", query: "Version=2020-01-01&Name=bob", status: 200,
			body: `<GreetResponse xmlns="` + ns + `"><GreetResult><Greeting>hi bob &lt;&amp;&gt;</Greeting></GreetResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></GreetResponse>`},
		{name: "nil output", action: "Greet", query: "Version=2020-01-01&Name=nil", status: 200,
			body: `<GreetResponse xmlns="` + ns + `"><GreetResult></GreetResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></GreetResponse>`},
		{name: "missing action", action: "", query: "Version=2020-01-01", status: 400, code: CodeMissingAction,
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>MissingAction</Code><Message>Missing Action</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
		{name: "unknown action", action: "Dance", query: "Version=2020-01-01", status: 400, code: CodeInvalidAction,
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation Dance for version 2020-01-01</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
		{name: "no version", action: "Greet", query: "Name=bob", status: 400, code: CodeInvalidAction,
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation Greet for version NO_VERSION_SPECIFIED</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
		{name: "wrong version", action: "Greet", query: "Version=2011-06-15&Name=bob", status: 400, code: CodeInvalidAction},
		{name: "not implemented", action: "Wave", query: "Version=2020-01-01", status: 501, code: CodeNotImplemented,
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Receiver</Type><Code>NotImplemented</Code><Message>The operation Wave is not implemented by this server.</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
		{name: "validation", action: "Greet", query: "Version=2020-01-01&Name=toolong", status: 400, code: CodeValidationError},
		{name: "domain error", action: "Greet", query: "Version=2020-01-01&Name=gone", status: 404, code: "NoSuchEntity",
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name gone cannot be found.</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
		{name: "status override", action: "Greet", query: "Version=2020-01-01&Name=teapt", status: 418, code: "NoSuchEntity"},
		{name: "internal error hides detail", action: "Greet", query: "Version=2020-01-01&Name=boom", status: 500, code: CodeInternalFailure,
			body: `<ErrorResponse xmlns="` + ns + `"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>An internal error occurred.</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			err = r.ServeAction(context.Background(), w, tt.action, v, "rid-1")
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if tt.body != "" && w.Body.String() != tt.body {
				t.Errorf("body\n got %s\nwant %s", w.Body, tt.body)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Error("internal detail leaked")
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/xml" {
				t.Errorf("Content-Type %q", ct)
			}
			if id := w.Header().Get("x-amzn-RequestId"); id != "rid-1" {
				t.Errorf("x-amzn-RequestId %q", id)
			}
			if tt.code == "" {
				if err != nil {
					t.Errorf("ServeAction returned %v", err)
				}
				return
			}
			if got := ToAPIError(err).Code; got != tt.code {
				t.Errorf("returned error code %s, want %s", got, tt.code)
			}
		})
	}
}

func TestRouterReturnsCause(t *testing.T) {
	r := newTestRouter()
	v, _ := ParseQuery("Version=2020-01-01&Name=boom")
	err := r.ServeAction(context.Background(), httptest.NewRecorder(), "Greet", v, "x")
	if err == nil || !strings.Contains(err.Error(), "db down") {
		t.Errorf("ServeAction should return the cause for logging, got %v", err)
	}
	if !r.Known("Wave") || r.Implemented("Wave") || !r.Implemented("Greet") || r.Known("Dance") {
		t.Error("Known/Implemented")
	}
}

func TestHandlePanics(t *testing.T) {
	r := NewRouter(testService)
	Handle(r, greet, func(context.Context, *greetIn) (*greetOut, error) { return nil, nil })
	for name, op := range map[string]Operation[greetIn, greetOut]{
		"duplicate": greet,
		"unknown":   {Name: "Dance"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			Handle(r, op, func(context.Context, *greetIn) (*greetOut, error) { return nil, nil })
		}()
	}
}

func TestStatusCode(t *testing.T) {
	for code, want := range map[string]int{
		"NoSuchEntity": 404, "EntityAlreadyExists": 409, "LimitExceeded": 409, "DeleteConflict": 409,
		"ValidationError": 400, "MalformedPolicyDocument": 400, "InvalidInput": 400, "AccessDenied": 403,
		"InvalidClientTokenId": 403, "SignatureDoesNotMatch": 403, "IncompleteSignature": 400,
		"MissingAuthenticationToken": 403, "ExpiredToken": 403, "ExpiredTokenException": 400,
		"InternalFailure": 500, "ServiceFailure": 500, "Throttling": 400, "InvalidAction": 400,
		"MissingAction": 400, "NotImplemented": 501, "OptInRequired": 403, "RegionDisabledException": 403,
	} {
		if got := StatusCode(code, false); got != want {
			t.Errorf("StatusCode(%s) = %d, want %d", code, got, want)
		}
	}
	if StatusCode("Whatever", true) != http.StatusInternalServerError || StatusCode("Whatever", false) != http.StatusBadRequest {
		t.Error("defaults")
	}
	wrapped := fmt.Errorf("ctx: %w", apierr.LimitExceeded("x"))
	if e := ToAPIError(wrapped); e.Code != "LimitExceeded" || Status(e) != 409 {
		t.Errorf("wrapped apierr: %+v", e)
	}
	if e := ToAPIError(errors.New("x")); e.Code != CodeInternalFailure || !e.Receiver {
		t.Errorf("plain error: %+v", e)
	}
}
