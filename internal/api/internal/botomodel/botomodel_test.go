package botomodel

import "testing"

func TestMatchSnapshot(t *testing.T) {
	want := map[string]any{
		"User": map[string]any{
			"Arn": "arn:<partition>:iam::111111111111:user/<user-name:1>", "CreateDate": "<datetime>",
			"Path": "/", "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}, "Count": float64(0),
			"Doc": map[string]any{"Version": "2012-10-17"},
		},
		"ResponseMetadata": map[string]any{"HTTPStatusCode": float64(200)},
	}
	got := map[string]any{
		"User": map[string]any{
			"Arn": "arn:aws:iam::111111111111:user/bob", "CreateDate": float64(1.7e9),
			"Path": "/", "Tags": []any{map[string]any{"Key": "k", "Value": "v"}}, "Count": int64(0),
			"Doc": "%7B%22Version%22%3A%222012-10-17%22%7D",
		},
	}
	if d := MatchSnapshot(want, got); len(d) != 0 {
		t.Errorf("unexpected differences: %v", d)
	}
	bad := map[string]any{"User": map[string]any{
		"Arn": "arn:aws:iam::222222222222:user/bob", "CreateDate": "x", "Path": "/", "Extra": "e",
		"Tags": []any{}, "Count": int64(1), "Doc": "{}",
	}}
	if d := MatchSnapshot(want, bad); len(d) != 6 {
		t.Errorf("want 6 differences, got %d: %v", len(d), d)
	}
}

func TestParserFlattenedAndMaps(t *testing.T) {
	shapes := map[string]*Shape{
		"Out": {Type: "structure", Members: Members{
			{Name: "L", Ref: &Ref{Shape: "List", Flattened: true}},
			{Name: "M", Ref: &Ref{Shape: "Map"}},
			{Name: "T", Ref: &Ref{Shape: "Time"}},
		}},
		"List": {Type: "list", Member: &Ref{Shape: "Str"}},
		"Map":  {Type: "map", Key: &Ref{Shape: "Str"}, Value: &Ref{Shape: "Int"}},
		"Str":  {Type: "string"}, "Int": {Type: "integer"}, "Time": {Type: "timestamp"},
	}
	n, err := ParseXML([]byte(`<R><L>a</L><L>b</L><M><entry><key>k</key><value>2</value></entry></M><T>2014-04-29T18:30:38Z</T></R>`))
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&Parser{Shapes: shapes}).Structure("Out", n)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if l := m["L"].([]any); len(l) != 2 || l[1] != "b" {
		t.Errorf("L = %v", m["L"])
	}
	if m["M"].(map[string]any)["k"] != int64(2) || m["T"] != float64(1398796238) {
		t.Errorf("parsed %v", m)
	}
}
