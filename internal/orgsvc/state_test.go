package orgsvc

import (
	"slices"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/apierr"
)

func code(err error) string {
	if err == nil {
		return ""
	}
	if ae, ok := apierr.As(err); ok {
		return ae.Code
	}
	return err.Error()
}

func newTestState(t *testing.T) *State {
	t.Helper()
	st := newState("o-abcdefghij", "r-ab12", Member{ID: "111111111111", Name: "mgmt", JoinedAt: time.Unix(0, 0)})
	st.init()
	for _, id := range []string{"222222222222", "333333333333"} {
		if err := st.AddAccount(Member{ID: id, Name: id, Email: id + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestOUTree(t *testing.T) {
	st := newTestState(t)
	a, err := st.AddOU("ou-ab12-aaaaaaaa", "r-ab12", "A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddOU("ou-ab12-bbbbbbbb", "r-ab12", "A"); code(err) != "DuplicateOrganizationalUnitException" {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := st.AddOU("ou-ab12-cccccccc", "ou-ab12-nonexist", "X"); code(err) != "ParentNotFoundException" {
		t.Fatalf("parent: %v", err)
	}
	// Depth: five levels of OUs under the root, not six.
	parent := a.ID
	for i, id := range []string{"ou-ab12-d1111111", "ou-ab12-d2222222", "ou-ab12-d3333333", "ou-ab12-d4444444"} {
		if _, err := st.AddOU(id, parent, "L"+string(rune('2'+i))); err != nil {
			t.Fatal(err)
		}
		parent = id
	}
	if _, err := st.AddOU("ou-ab12-d5555555", parent, "L6"); code(err) != "ConstraintViolationException" {
		t.Fatalf("depth: %v", err)
	}
	if err := st.MoveAccount("222222222222", "r-ab12", parent); err != nil {
		t.Fatal(err)
	}
	if got := st.OrgPath("222222222222"); got != "o-abcdefghij/r-ab12/ou-ab12-aaaaaaaa/ou-ab12-d1111111/ou-ab12-d2222222/ou-ab12-d3333333/ou-ab12-d4444444/" {
		t.Fatalf("path %s", got)
	}
	if err := st.MoveAccount("222222222222", parent, parent); code(err) != "DuplicateAccountException" {
		t.Fatalf("move same: %v", err)
	}
	if err := st.MoveAccount("222222222222", "r-ab12", a.ID); code(err) != "AccountNotFoundException" {
		t.Fatalf("wrong source: %v", err)
	}
	if err := st.MoveAccount("999999999999", "r-ab12", a.ID); code(err) != "AccountNotFoundException" {
		t.Fatalf("unknown account: %v", err)
	}
	if err := st.MoveAccount("333333333333", "r-ab12", "ou-ab12-zzzzzzzz"); code(err) != "DestinationParentNotFoundException" {
		t.Fatalf("dest: %v", err)
	}
	if err := st.DeleteOU(parent); code(err) != "OrganizationalUnitNotEmptyException" {
		t.Fatalf("delete non-empty: %v", err)
	}
	if err := st.DeleteOU("ou-ab12-d3333333"); code(err) != "OrganizationalUnitNotEmptyException" {
		t.Fatalf("delete with child OU: %v", err)
	}
	kids, _ := st.Children("r-ab12", childTypeAccount)
	if !slices.Equal(kids, []string{"111111111111", "333333333333"}) {
		t.Fatalf("children %v", kids)
	}
	if p, typ, _ := st.Parent("ou-ab12-d1111111"); p != a.ID || typ != parentTypeOU {
		t.Fatalf("parent %s %s", p, typ)
	}
	if _, _, err := st.Parent("444444444444"); code(err) != "ChildNotFoundException" {
		t.Fatalf("parent of unknown: %v", err)
	}
}

func TestPolicyTypesAndAttachments(t *testing.T) {
	st := newTestState(t)
	ou, _ := st.AddOU("ou-ab12-aaaaaaaa", "r-ab12", "A")
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`
	p, err := st.AddPolicy(Policy{ID: "p-aaaaaaaaaa", Name: "deny", Type: TypeSCP, Content: deny})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddPolicy(Policy{ID: "p-bbbbbbbbbb", Name: "deny", Type: TypeSCP, Content: deny}); code(err) != "DuplicatePolicyException" {
		t.Fatalf("dup: %v", err)
	}
	if _, err := st.AddPolicy(Policy{ID: "p-cccccccccc", Name: "FullAWSAccess", Type: TypeSCP, Content: deny}); code(err) != "DuplicatePolicyException" {
		t.Fatalf("managed name: %v", err)
	}
	if _, err := st.AddPolicy(Policy{ID: "p-dddddddddd", Name: "bad", Type: TypeSCP, Content: `{"Statement":[]}`}); code(err) != "MalformedPolicyDocumentException" {
		t.Fatalf("malformed: %v", err)
	}
	if _, err := st.AddPolicy(Policy{ID: "p-eeeeeeeeee", Name: "tag", Type: "TAG_POLICY", Content: "{}"}); code(err) != "PolicyTypeNotAvailableForOrganizationException" {
		t.Fatalf("type: %v", err)
	}
	if err := st.Attach(p.ID, ou.ID); code(err) != "PolicyTypeNotEnabledException" {
		t.Fatalf("not enabled: %v", err)
	}
	if st.Levels("222222222222", TypeSCP) != nil {
		t.Fatal("levels without SCPs enabled")
	}
	if err := st.EnablePolicyType("r-zzzz", TypeSCP); code(err) != "RootNotFoundException" {
		t.Fatalf("root: %v", err)
	}
	if err := st.EnablePolicyType("r-ab12", TypeSCP); err != nil {
		t.Fatal(err)
	}
	if err := st.EnablePolicyType("r-ab12", TypeSCP); code(err) != "PolicyTypeAlreadyEnabledException" {
		t.Fatalf("again: %v", err)
	}
	// FullAWSAccess everywhere, and on what is created later.
	for _, target := range []string{"r-ab12", ou.ID, "222222222222"} {
		if ps, _ := st.PoliciesForTarget(target, TypeSCP); len(ps) != 1 || ps[0].ID != FullAWSAccessID {
			t.Fatalf("%s: %v", target, ps)
		}
	}
	later, _ := st.AddOU("ou-ab12-bbbbbbbb", "r-ab12", "B")
	if ps, _ := st.PoliciesForTarget(later.ID, TypeSCP); len(ps) != 1 {
		t.Fatalf("later OU: %v", ps)
	}
	_ = st.MoveAccount("222222222222", "r-ab12", ou.ID)
	if err := st.Attach(p.ID, ou.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Attach(p.ID, ou.ID); code(err) != "DuplicatePolicyAttachmentException" {
		t.Fatalf("dup attach: %v", err)
	}
	if err := st.Attach(p.ID, "ou-ab12-zzzzzzzz"); code(err) != "TargetNotFoundException" {
		t.Fatalf("target: %v", err)
	}
	if err := st.Attach("p-zzzzzzzzzz", ou.ID); code(err) != "PolicyNotFoundException" {
		t.Fatalf("policy: %v", err)
	}
	lv := st.Levels("222222222222", TypeSCP)
	if len(lv) != 3 || len(lv[0]) != 1 || len(lv[1]) != 2 || len(lv[2]) != 1 {
		t.Fatalf("levels %v", lv)
	}
	if st.Levels("111111111111", TypeSCP) != nil {
		t.Fatal("management account must not be restricted")
	}
	if err := st.Detach(FullAWSAccessID, "333333333333"); code(err) != "ConstraintViolationException" {
		t.Fatalf("last policy: %v", err)
	}
	if err := st.Detach(p.ID, "333333333333"); code(err) != "PolicyNotAttachedException" {
		t.Fatalf("not attached: %v", err)
	}
	if err := st.Detach(FullAWSAccessID, ou.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePolicy(p.ID); code(err) != "PolicyInUseException" {
		t.Fatalf("in use: %v", err)
	}
	if err := st.DeletePolicy(FullAWSAccessID); code(err) != "InvalidInputException" {
		t.Fatalf("managed: %v", err)
	}
	if got := st.TargetsForPolicy(p.ID); !slices.Equal(got, []string{ou.ID}) {
		t.Fatalf("targets %v", got)
	}
	// RCPs are independent of SCPs.
	if err := st.EnablePolicyType("r-ab12", TypeRCP); err != nil {
		t.Fatal(err)
	}
	if lv := st.Levels("222222222222", TypeRCP); len(lv) != 3 || lv[1][0].ID != RCPFullAWSAccessID {
		t.Fatalf("rcp levels %v", lv)
	}
	if err := st.DisablePolicyType("r-ab12", TypeSCP); err != nil {
		t.Fatal(err)
	}
	if err := st.DisablePolicyType("r-ab12", TypeSCP); code(err) != "PolicyTypeNotEnabledException" {
		t.Fatalf("disable twice: %v", err)
	}
	if len(st.TargetsForPolicy(p.ID)) != 0 || st.Levels("222222222222", TypeSCP) != nil {
		t.Fatal("disable must detach SCPs")
	}
	if err := st.DeletePolicy(p.ID); err != nil {
		t.Fatal(err)
	}
}

func TestTagsAndPaging(t *testing.T) {
	st := newTestState(t)
	if err := st.TagResource("222222222222", []Tag{{"a", "1"}, {"b", "2"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.TagResource("222222222222", []Tag{{"a", "3"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.TagResource("222222222222", []Tag{{"c", "1"}, {"c", "2"}}); code(err) != "InvalidInputException" {
		t.Fatalf("dup key: %v", err)
	}
	if err := st.TagResource("999999999999", []Tag{{"a", "1"}}); code(err) != "TargetNotFoundException" {
		t.Fatalf("unknown: %v", err)
	}
	_ = st.UntagResource("222222222222", []string{"b"})
	if tags, _ := st.ListTags("222222222222"); len(tags) != 1 || tags[0] != (Tag{"a", "3"}) {
		t.Fatalf("tags %v", tags)
	}
	items := []int{1, 2, 3, 4, 5}
	p, err := paginate(items, &PageToken{MaxResults: 2})
	if err != nil || !slices.Equal(p.Items, []int{1, 2}) || p.NextToken == "" {
		t.Fatalf("%v %v", p, err)
	}
	p, _ = paginate(items, &PageToken{MaxResults: 2, NextToken: p.NextToken})
	p, _ = paginate(items, &PageToken{MaxResults: 2, NextToken: p.NextToken})
	if !slices.Equal(p.Items, []int{5}) || p.NextToken != "" {
		t.Fatalf("last page %v", p)
	}
	if _, err := paginate(items, &PageToken{NextToken: "garbage"}); code(err) != "InvalidInputException" {
		t.Fatalf("token: %v", err)
	}
}

func TestView(t *testing.T) {
	st := newTestState(t)
	_ = st.EnablePolicyType("r-ab12", TypeSCP)
	v := buildView(st, 1)
	if v.Account("111111111111").SCP != nil || v.Account("222222222222").SCP == nil {
		t.Fatal("SCP levels")
	}
	if av := v.Account("222222222222"); av.OrgID != "o-abcdefghij" || av.Paths[0] != "o-abcdefghij/r-ab12/" || av.SCP[0][0].Policy == nil {
		t.Fatalf("view %+v", av)
	}
	if v.Account("999999999999") != nil || (*View)(nil).Account("x") != nil {
		t.Fatal("non-members")
	}
}
