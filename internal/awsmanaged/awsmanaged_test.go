package awsmanaged

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/iamd/iamd/internal/policy"
)

func TestCatalogue(t *testing.T) {
	want := map[string]struct{ id, path, version string }{
		"AdministratorAccess":              {"ANPAIWMBCKSKIEE64ZLYK", "/", "v1"},
		"PowerUserAccess":                  {"ANPAJYRXTHIB4FOVS3ZXS", "/", "v12"},
		"ReadOnlyAccess":                   {"ANPAILL3HVNFSB6DCOWYQ", "/", "v178"},
		"IAMFullAccess":                    {"ANPAI7XKCFMBPM3QQRRVQ", "/", "v2"},
		"IAMReadOnlyAccess":                {"ANPAJKSO7NDY4T57MWDSQ", "/", "v4"},
		"AmazonSSMManagedInstanceCore":     {"ANPAIXSHM2BNB2D3AXXRU", "/", "v2"},
		"AmazonEC2RoleforSSM":              {"ANPAI6TL3SMY22S4KMMX6", "/service-role/", "v8"},
		"AmazonECSTaskExecutionRolePolicy": {"ANPAJG4T4G4PV56DE72PY", "/service-role/", "v1"},
		"AWSLambdaBasicExecutionRole":      {"ANPAJNCQGXC42545SKXIK", "/service-role/", "v1"},
		"AWSOrganizationsFullAccess":       {"ANPAJZXBNRCJKNLQHSB5M", "/", "v9"},
		"AWSOrganizationsReadOnlyAccess":   {"ANPAJY5RQATUV77PEPVOM", "/", "v6"},
	}
	ps := All()
	if len(ps) != len(want) {
		t.Fatalf("%d policies, want %d", len(ps), len(want))
	}
	for i, p := range ps {
		w, ok := want[p.Name]
		if !ok || p.ID != w.id || p.Path != w.path || p.DefaultVersionID != w.version {
			t.Errorf("%s: id %s path %s version %s", p.Name, p.ID, p.Path, p.DefaultVersionID)
		}
		if i > 0 && strings.ToLower(ps[i-1].Name) >= strings.ToLower(p.Name) {
			t.Errorf("not sorted at %s", p.Name)
		}
		got, ok := Lookup(p.ARN)
		if !ok || got.Name != p.Name {
			t.Errorf("Lookup(%s) failed", p.ARN)
		}
		if p.CreateDate.IsZero() || p.UpdateDate.Before(p.CreateDate) || !p.VersionCreateDate.Equal(p.UpdateDate) {
			t.Errorf("%s: dates %v %v %v", p.Name, p.CreateDate, p.UpdateDate, p.VersionCreateDate)
		}
		// Every document is a valid identity policy for our engine (AWS
		// managed policies are not bound by the customer size quota).
		if _, err := policy.Parse(p.Document, policy.Identity); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if _, ok := Lookup("arn:aws:iam::aws:policy/administratoraccess"); ok {
		t.Error("lookup must be exact")
	}
	a, _ := Lookup(ARNPrefix + "AdministratorAccess")
	var got, wantDoc any
	_ = json.Unmarshal([]byte(a.Document), &got)
	_ = json.Unmarshal([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), &wantDoc)
	if !reflect.DeepEqual(got, wantDoc) {
		t.Errorf("AdministratorAccess document %s", a.Document)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		`{"Policies":[{"PolicyName":"X","PolicyId":"ANPA1","Arn":"arn:aws:iam::aws:policy/Y","Path":"/","DefaultVersionId":"v1","Document":{}}]}`,
		`{"Policies":[{"PolicyName":"X","PolicyId":"AIDA1","Arn":"arn:aws:iam::aws:policy/X","Path":"/","DefaultVersionId":"v1","Document":{}}]}`,
		`{"Policies":[],"Extra":1}`,
		`{`,
	} {
		if _, err := parse([]byte(in)); err == nil {
			t.Errorf("parse(%s) accepted", in)
		}
	}
}

// FuzzParse checks that catalogue parsing never panics.
func FuzzParse(f *testing.F) {
	f.Add(string(raw[:200]))
	f.Add(`{"Policies":[{"PolicyName":"X","PolicyId":"ANPA1","Arn":"arn:aws:iam::aws:policy/X","Path":"/","DefaultVersionId":"v1","Document":{}}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := parse([]byte(in))
		if err != nil {
			return
		}
		for _, p := range ps {
			if !strings.HasPrefix(p.ARN, ARNPrefix) {
				t.Fatalf("accepted %q", p.ARN)
			}
		}
	})
}
