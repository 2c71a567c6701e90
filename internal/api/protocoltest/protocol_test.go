package protocoltest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/api/internal/botomodel"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsquery"
)

// skipped are cases that test client-side behaviour a server cannot see.
var skipped = map[string]string{
	"QueryProtocolIdempotencyTokenAutoFill":                 "the client fills the token; the server sees it as a normal parameter",
	"Idempotency token auto fill/1":                         "the client fills the token; the server sees it as a normal parameter",
	"SDKAppliedContentEncoding_awsQuery":                    "request compression is client-side (no body in the case)",
	"SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery": "request compression is client-side (no body in the case)",
	"QueryEmptyQueryMaps":                                   "clients do not serialize an empty map; the server cannot tell it from an absent one",
}

// ignored returns the Query cases botocore itself skips
// (testdata/protocol-tests-ignore-list.json): they expect Smithy's naming of
// flattened lists with a member xmlName, where botocore, the legacy suites
// and this code generator use the list member's locationName.
func ignored(t *testing.T) map[string]bool {
	b, err := os.ReadFile("testdata/protocol-tests-ignore-list.json")
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Protocols map[string]map[string]struct {
			Cases []string `json:"cases"`
		} `json:"protocols"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, dir := range l.Protocols["query"] {
		for _, c := range dir.Cases {
			out[c] = true
		}
	}
	return out
}

func caseName(s botomodel.Suite, ci int, c botomodel.Case) string {
	if c.ID != "" {
		return c.ID
	}
	if c.Description != "" {
		return c.Description
	}
	return fmt.Sprintf("%s/%d", s.Description, ci)
}

func skip(t *testing.T, ign map[string]bool, name string) {
	t.Helper()
	if why, ok := skipped[name]; ok {
		t.Skip(why)
	}
	if ign[name] {
		t.Skip("in botocore's protocol-tests-ignore-list.json")
	}
}

// dropEmptyStrings removes "" members: generated types use "" for absent
// strings, so an empty string is not sent (a documented design choice).
func dropEmptyStrings(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e != "" {
				out[k] = dropEmptyStrings(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropEmptyStrings(e)
		}
		return out
	}
	return v
}

// TestInputSuites decodes every serialized request body of botocore's Query
// input suites and checks that the generated decoder recovers the params.
func TestInputSuites(t *testing.T) {
	n := 0
	ign := ignored(t)
	for _, file := range []string{"query-input.json", "legacy-query-input.json"} {
		suites, err := botomodel.LoadSuites("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for si, s := range suites {
			for ci, c := range s.Cases {
				t.Run(fmt.Sprintf("%s/%d/%d/%s", file, si, ci, caseName(s, ci, c)), func(t *testing.T) {
					skip(t, ign, caseName(s, ci, c))
					op, ok := Ops[fmt.Sprintf("%s#%d/%s", file, si, c.Given.Name)]
					if !ok {
						t.Fatalf("no generated operation for %s", c.Given.Name)
					}
					v, err := awsquery.ParseQuery(c.Serialized.Body)
					if err != nil {
						t.Fatalf("ParseQuery(%q): %v", c.Serialized.Body, err)
					}
					in, err := op.Decode(v)
					if err != nil {
						t.Fatalf("Decode(%q): %v", c.Serialized.Body, err)
					}
					var want any = map[string]any{}
					if len(c.Params) > 0 {
						if err := json.Unmarshal(c.Params, &want); err != nil {
							t.Fatal(err)
						}
					}
					got := toGeneric(reflect.ValueOf(in))
					if got == nil {
						got = map[string]any{}
					}
					if !reflect.DeepEqual(normalize(got), normalize(want)) {
						t.Errorf("body %s\n got %s\nwant %s", c.Serialized.Body, js(got), js(want))
					}
					n++
				})
			}
		}
	}
	t.Logf("%d input cases passed", n)
}

// TestOutputSuites fills each expected result into the generated output
// type, encodes it, and parses the XML back the way botocore does; it also
// checks that the parser reads the suite's own response body to the same
// result, which validates the parser.
func TestOutputSuites(t *testing.T) {
	ign := ignored(t)
	for _, file := range []string{"query-output.json", "legacy-query-output.json"} {
		suites, err := botomodel.LoadSuites("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for si, s := range suites {
			for ci, c := range s.Cases {
				t.Run(fmt.Sprintf("%s/%d/%d/%s", file, si, ci, caseName(s, ci, c)), func(t *testing.T) {
					skip(t, ign, caseName(s, ci, c))
					if c.ErrorCode != "" || len(c.Error) > 0 {
						checkError(t, c)
						return
					}
					var want any = map[string]any{}
					if len(c.Result) > 0 {
						if err := json.Unmarshal(c.Result, &want); err != nil {
							t.Fatal(err)
						}
					}
					p := &botomodel.Parser{Shapes: s.Shapes}
					if c.Given.Output == nil {
						return // nothing to encode
					}
					outShape := c.Given.Output.Shape

					// The parser on the suite's own body.
					if strings.TrimSpace(c.Response.Body) != "" {
						root, err := botomodel.ParseXML([]byte(c.Response.Body))
						if err != nil {
							t.Fatal(err)
						}
						res := root
						if wrapper := resultNode(root); wrapper != nil {
							res = wrapper
						}
						ref, err := p.Structure(outShape, res)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(normalize(ref), normalize(want)) {
							t.Fatalf("parser check: suite body parses to\n%s\nwant\n%s", js(ref), js(want))
						}
					}
					want = dropEmptyStrings(want)

					op, ok := Ops[fmt.Sprintf("%s#%d/%s", file, si, c.Given.Name)]
					if !ok {
						t.Fatalf("no generated operation for %s", c.Given.Name)
					}
					out := op.NewOutput()
					if err := fill(reflect.ValueOf(out).Elem(), want); err != nil {
						t.Fatalf("fill: %v", err)
					}
					var e awsquery.Encoder
					op.Encode(&e, out)
					doc := "<Result>" + string(e.Bytes()) + "</Result>"
					node, err := botomodel.ParseXML([]byte(doc))
					if err != nil {
						t.Fatalf("encoder output is not XML: %v\n%s", err, doc)
					}
					got, err := p.Structure(outShape, node)
					if err != nil {
						t.Fatalf("parse %s: %v", doc, err)
					}
					if !reflect.DeepEqual(normalize(got), normalize(want)) {
						t.Errorf("encoded %s\n got %s\nwant %s", doc, js(got), js(want))
					}
				})
			}
		}
	}
}

func resultNode(root *botomodel.Node) *botomodel.Node {
	for _, c := range root.Children {
		if strings.HasSuffix(c.Name, "Result") {
			return c
		}
	}
	return nil
}

// checkError writes the case's error with awsquery.WriteError and checks
// what botocore reads from it: code, message, and the HTTP status.
func checkError(t *testing.T, c botomodel.Case) {
	var fields map[string]any
	_ = json.Unmarshal(c.Error, &fields)
	msg := c.ErrorMessage
	for k := range fields {
		if k != "Message" {
			t.Skipf("error members besides Message (%s) are not part of the ErrorResponse this server writes", k)
		}
	}
	w := httptest.NewRecorder()
	awsquery.WriteError(w, "https://example.com/", &apierr.Error{Code: c.ErrorCode, Message: msg, Status: c.Response.StatusCode}, "foo-id")
	root, err := botomodel.ParseXML(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	e := root.Child("Error")
	if root.Name != "ErrorResponse" || e == nil {
		t.Fatalf("not an ErrorResponse: %s", w.Body)
	}
	if got := e.Child("Code").Text; got != c.ErrorCode {
		t.Errorf("Code = %q, want %q", got, c.ErrorCode)
	}
	if got := e.Child("Message").Text; got != msg {
		t.Errorf("Message = %q, want %q", got, msg)
	}
	if got := e.Child("Type").Text; got != "Sender" {
		t.Errorf("Type = %q", got)
	}
	if got := root.Child("RequestId").Text; got != "foo-id" {
		t.Errorf("RequestId = %q", got)
	}
	if w.Code != c.Response.StatusCode {
		t.Errorf("status %d, want %d", w.Code, c.Response.StatusCode)
	}
}

func js(v any) string {
	b, _ := json.Marshal(normalize(v))
	return string(b)
}

// normalize maps numbers to float64 so that decoded and expected values
// compare.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return v
}

var timeType = reflect.TypeOf(time.Time{})

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// toGeneric converts a generated value to the botocore params form.
func toGeneric(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return toGeneric(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if t.IsZero() {
				return nil
			}
			return botomodel.EpochSeconds(t)
		}
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			if g := toGeneric(v.Field(i)); g != nil {
				out[jsonName(v.Type().Field(i))] = g
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return string(v.Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toGeneric(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			out[k.String()] = toGeneric(v.MapIndex(k))
		}
		return out
	case reflect.String:
		if v.String() == "" {
			return nil
		}
		return v.String()
	case reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN"
		case math.IsInf(f, 1):
			return "Infinity"
		case math.IsInf(f, -1):
			return "-Infinity"
		}
		return f
	case reflect.Bool:
		return v.Bool()
	}
	panic("unsupported kind " + v.Kind().String())
}

// fill sets dst from a botocore result value.
func fill(dst reflect.Value, src any) error {
	if src == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		if err := fill(p.Elem(), src); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.Struct:
		if dst.Type() == timeType {
			f, ok := src.(float64)
			if !ok {
				return fmt.Errorf("timestamp %v", src)
			}
			sec, frac := math.Modf(f)
			dst.Set(reflect.ValueOf(time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()))
			return nil
		}
		m, ok := src.(map[string]any)
		if !ok {
			return fmt.Errorf("structure %v", src)
		}
		for i := 0; i < dst.NumField(); i++ {
			name := jsonName(dst.Type().Field(i))
			if v, ok := m[name]; ok {
				if err := fill(dst.Field(i), v); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
		}
	case reflect.Slice:
		if dst.Type().Elem().Kind() == reflect.Uint8 {
			dst.SetBytes([]byte(src.(string)))
			return nil
		}
		l, ok := src.([]any)
		if !ok {
			return fmt.Errorf("list %v", src)
		}
		s := reflect.MakeSlice(dst.Type(), len(l), len(l))
		for i, e := range l {
			if err := fill(s.Index(i), e); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Map:
		m, ok := src.(map[string]any)
		if !ok {
			return fmt.Errorf("map %v", src)
		}
		mv := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, e := range m {
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := fill(ev, e); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(k), ev)
		}
		dst.Set(mv)
	case reflect.String:
		dst.SetString(fmt.Sprint(src))
	case reflect.Int32, reflect.Int64:
		dst.SetInt(int64(src.(float64)))
	case reflect.Float32, reflect.Float64:
		switch x := src.(type) {
		case string:
			switch x {
			case "NaN":
				dst.SetFloat(math.NaN())
			case "Infinity":
				dst.SetFloat(math.Inf(1))
			case "-Infinity":
				dst.SetFloat(math.Inf(-1))
			default:
				return fmt.Errorf("float %q", x)
			}
		case float64:
			dst.SetFloat(x)
		}
	case reflect.Bool:
		dst.SetBool(src.(bool))
	default:
		return fmt.Errorf("unsupported kind %s", dst.Kind())
	}
	return nil
}
