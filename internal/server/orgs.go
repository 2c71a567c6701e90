package server

import (
	"context"

	"github.com/iamd/iamd/internal/api/models/organizations"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsjson"
	"github.com/iamd/iamd/internal/orgsvc"
)

// Wire shapes of AWS Organizations (member names from the botocore model).
type (
	orgTag struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}
	orgPolicyType struct {
		Type   string `json:"Type"`
		Status string `json:"Status"`
	}
	orgOrganization struct {
		Id                   string          `json:"Id"`
		Arn                  string          `json:"Arn"`
		FeatureSet           string          `json:"FeatureSet"`
		MasterAccountArn     string          `json:"MasterAccountArn"`
		MasterAccountId      string          `json:"MasterAccountId"`
		MasterAccountEmail   string          `json:"MasterAccountEmail,omitempty"`
		AvailablePolicyTypes []orgPolicyType `json:"AvailablePolicyTypes"`
	}
	orgAccount struct {
		Id              string       `json:"Id"`
		Arn             string       `json:"Arn"`
		Email           string       `json:"Email,omitempty"`
		Name            string       `json:"Name,omitempty"`
		Status          string       `json:"Status"`
		State           string       `json:"State"`
		JoinedMethod    string       `json:"JoinedMethod"`
		JoinedTimestamp awsjson.Time `json:"JoinedTimestamp"`
	}
	orgCreateStatus struct {
		Id                 string        `json:"Id"`
		AccountName        string        `json:"AccountName,omitempty"`
		State              string        `json:"State"`
		RequestedTimestamp awsjson.Time  `json:"RequestedTimestamp"`
		CompletedTimestamp *awsjson.Time `json:"CompletedTimestamp,omitempty"`
		AccountId          string        `json:"AccountId,omitempty"`
		FailureReason      string        `json:"FailureReason,omitempty"`
	}
	orgRoot struct {
		Id          string          `json:"Id"`
		Arn         string          `json:"Arn"`
		Name        string          `json:"Name"`
		PolicyTypes []orgPolicyType `json:"PolicyTypes"`
	}
	orgOU struct {
		Id   string `json:"Id"`
		Arn  string `json:"Arn"`
		Name string `json:"Name"`
	}
	orgChild struct {
		Id   string `json:"Id"`
		Type string `json:"Type"`
	}
	orgPolicySummary struct {
		Id          string `json:"Id"`
		Arn         string `json:"Arn"`
		Name        string `json:"Name"`
		Description string `json:"Description"`
		Type        string `json:"Type"`
		AwsManaged  bool   `json:"AwsManaged"`
	}
	orgPolicy struct {
		PolicySummary orgPolicySummary `json:"PolicySummary"`
		Content       string           `json:"Content"`
	}
	orgTarget struct {
		TargetId string `json:"TargetId"`
		Arn      string `json:"Arn"`
		Name     string `json:"Name"`
		Type     string `json:"Type"`
	}
	orgPaging struct {
		NextToken  string `json:"NextToken"`
		MaxResults int    `json:"MaxResults"`
	}
)

func (p orgPaging) token() *orgsvc.PageToken {
	return &orgsvc.PageToken{NextToken: p.NextToken, MaxResults: p.MaxResults}
}

func nextToken(t string) *string {
	if t == "" {
		return nil
	}
	return &t
}

func wireTags(in []orgTag) []orgsvc.Tag {
	out := make([]orgsvc.Tag, 0, len(in))
	for _, t := range in {
		out = append(out, orgsvc.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func policyTypes(in []orgsvc.PolicyTypeSummary) []orgPolicyType {
	out := make([]orgPolicyType, 0, len(in))
	for _, t := range in {
		out = append(out, orgPolicyType{Type: t.Type, Status: t.Status})
	}
	return out
}

func wireOrg(o *orgsvc.Organization) *orgOrganization {
	return &orgOrganization{Id: o.ID, Arn: o.ARN, FeatureSet: o.FeatureSet, MasterAccountArn: o.MasterAccountARN,
		MasterAccountId: o.MasterAccountID, MasterAccountEmail: o.MasterAccountEmail, AvailablePolicyTypes: policyTypes(o.PolicyTypes)}
}

func wireAccount(a *orgsvc.AccountInfo) orgAccount {
	return orgAccount{Id: a.ID, Arn: a.ARN, Email: a.Email, Name: a.Name, Status: "ACTIVE", State: "ACTIVE",
		JoinedMethod: a.Joined, JoinedTimestamp: awsjson.Time(a.JoinedAt)}
}

func wireAccounts(in []orgsvc.AccountInfo) []orgAccount {
	out := make([]orgAccount, 0, len(in))
	for i := range in {
		out = append(out, wireAccount(&in[i]))
	}
	return out
}

func wireStatus(s *orgsvc.CreateAccountStatus) orgCreateStatus {
	out := orgCreateStatus{Id: s.ID, AccountName: s.AccountName, State: s.State, RequestedTimestamp: awsjson.Time(s.RequestedAt),
		AccountId: s.AccountID, FailureReason: s.FailureReason}
	if !s.CompletedAt.IsZero() && s.State != "IN_PROGRESS" {
		t := awsjson.Time(s.CompletedAt)
		out.CompletedTimestamp = &t
	}
	return out
}

func wireRoot(r *orgsvc.Root) orgRoot {
	return orgRoot{Id: r.ID, Arn: r.ARN, Name: r.Name, PolicyTypes: policyTypes(r.PolicyTypes)}
}

func wireOU(o *orgsvc.OUInfo) orgOU { return orgOU{Id: o.ID, Arn: o.ARN, Name: o.Name} }

func wireSummary(p *orgsvc.PolicyInfo) orgPolicySummary {
	return orgPolicySummary{Id: p.ID, Arn: p.ARN, Name: p.Name, Description: p.Description, Type: p.Type, AwsManaged: p.AWSManaged}
}

func wireSummaries(in []orgsvc.PolicyInfo) []orgPolicySummary {
	out := make([]orgPolicySummary, 0, len(in))
	for i := range in {
		out = append(out, wireSummary(&in[i]))
	}
	return out
}

// orgConstraint maps a model-constraint violation to Organizations'
// InvalidInputException with its Reason (wording of the API reference).
func orgConstraint(ce *awsjson.ConstraintError) *apierr.Error {
	reason, msg := "INVALID_PATTERN", "You provided a value that does not match the required pattern."
	switch ce.Violation {
	case awsjson.Required:
		reason, msg = "INPUT_REQUIRED", "You must include a value for all required parameters."
	case awsjson.MinLength:
		reason, msg = "MIN_LENGTH_EXCEEDED", "You provided a string parameter that is shorter than allowed."
	case awsjson.MaxLength:
		reason, msg = "MAX_LENGTH_EXCEEDED", "You provided a string parameter that is longer than allowed."
	case awsjson.MinValue:
		reason, msg = "MIN_VALUE_EXCEEDED", "You provided a numeric parameter that has a smaller value than allowed."
	case awsjson.MaxValue:
		reason, msg = "MAX_VALUE_EXCEEDED", "You provided a numeric parameter that has a larger value than allowed."
	case awsjson.NotInEnum:
		reason, msg = "INVALID_ENUM", "You specified an invalid value."
		if ce.Shape == "PolicyType" {
			reason, msg = "INVALID_ENUM_POLICY_TYPE", "You specified an invalid policy type string."
		}
	}
	return &apierr.Error{Code: "InvalidInputException", Message: msg, Reason: reason}
}

// registerOrganizations registers the implemented Organizations
// operations.
func (s *Server) registerOrganizations() error {
	m, err := awsjson.LoadModel(organizations.Model)
	if err != nil {
		return err
	}
	r := awsjson.NewRouter(m, orgConstraint)
	s.orgs = r
	svc := s.opts.Orgs
	type empty struct{}

	awsjson.Handle(r, "CreateOrganization", func(ctx context.Context, in *struct {
		FeatureSet string `json:"FeatureSet"`
	}) (*struct {
		Organization *orgOrganization `json:"Organization"`
	}, error) {
		o, err := svc.CreateOrganization(ctx, in.FeatureSet)
		if err != nil {
			return nil, err
		}
		return &struct {
			Organization *orgOrganization `json:"Organization"`
		}{wireOrg(o)}, nil
	})
	awsjson.Handle(r, "DescribeOrganization", func(ctx context.Context, _ *empty) (*struct {
		Organization *orgOrganization `json:"Organization"`
	}, error) {
		o, err := svc.DescribeOrganization(ctx)
		if err != nil {
			return nil, err
		}
		return &struct {
			Organization *orgOrganization `json:"Organization"`
		}{wireOrg(o)}, nil
	})
	awsjson.Handle(r, "DeleteOrganization", func(ctx context.Context, _ *empty) (*empty, error) {
		return nil, svc.DeleteOrganization(ctx)
	})

	type statusOut struct {
		CreateAccountStatus orgCreateStatus `json:"CreateAccountStatus"`
	}
	awsjson.Handle(r, "CreateAccount", func(ctx context.Context, in *struct {
		Email       string   `json:"Email"`
		AccountName string   `json:"AccountName"`
		RoleName    string   `json:"RoleName"`
		Tags        []orgTag `json:"Tags"`
	}) (*statusOut, error) {
		st, err := svc.CreateAccount(ctx, &orgsvc.CreateAccountInput{Email: in.Email, AccountName: in.AccountName, RoleName: in.RoleName, Tags: wireTags(in.Tags)})
		if err != nil {
			return nil, err
		}
		return &statusOut{wireStatus(st)}, nil
	})
	awsjson.Handle(r, "DescribeCreateAccountStatus", func(ctx context.Context, in *struct {
		CreateAccountRequestId string `json:"CreateAccountRequestId"`
	}) (*statusOut, error) {
		st, err := svc.DescribeCreateAccountStatus(ctx, in.CreateAccountRequestId)
		if err != nil {
			return nil, err
		}
		return &statusOut{wireStatus(st)}, nil
	})
	type statusesOut struct {
		CreateAccountStatuses []orgCreateStatus `json:"CreateAccountStatuses"`
		NextToken             *string           `json:"NextToken,omitempty"`
	}
	awsjson.Handle(r, "ListCreateAccountStatus", func(ctx context.Context, in *struct {
		States []string `json:"States"`
		orgPaging
	}) (*statusesOut, error) {
		p, err := svc.ListCreateAccountStatus(ctx, in.States, in.token())
		if err != nil {
			return nil, err
		}
		out := &statusesOut{CreateAccountStatuses: []orgCreateStatus{}, NextToken: nextToken(p.NextToken)}
		for _, st := range p.Items {
			out.CreateAccountStatuses = append(out.CreateAccountStatuses, wireStatus(st))
		}
		return out, nil
	})

	type accountsOut struct {
		Accounts  []orgAccount `json:"Accounts"`
		NextToken *string      `json:"NextToken,omitempty"`
	}
	awsjson.Handle(r, "ListAccounts", func(ctx context.Context, in *orgPaging) (*accountsOut, error) {
		p, err := svc.ListAccounts(ctx, in.token())
		if err != nil {
			return nil, err
		}
		return &accountsOut{Accounts: wireAccounts(p.Items), NextToken: nextToken(p.NextToken)}, nil
	})
	awsjson.Handle(r, "ListAccountsForParent", func(ctx context.Context, in *struct {
		ParentId string `json:"ParentId"`
		orgPaging
	}) (*accountsOut, error) {
		p, err := svc.ListAccountsForParent(ctx, in.ParentId, in.token())
		if err != nil {
			return nil, err
		}
		return &accountsOut{Accounts: wireAccounts(p.Items), NextToken: nextToken(p.NextToken)}, nil
	})
	awsjson.Handle(r, "DescribeAccount", func(ctx context.Context, in *struct {
		AccountId string `json:"AccountId"`
	}) (*struct {
		Account orgAccount `json:"Account"`
	}, error) {
		a, err := svc.DescribeAccount(ctx, in.AccountId)
		if err != nil {
			return nil, err
		}
		return &struct {
			Account orgAccount `json:"Account"`
		}{wireAccount(a)}, nil
	})
	awsjson.Handle(r, "ListRoots", func(ctx context.Context, in *orgPaging) (*struct {
		Roots []orgRoot `json:"Roots"`
	}, error) {
		roots, err := svc.ListRoots(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Roots []orgRoot `json:"Roots"`
		}{}
		for i := range roots {
			out.Roots = append(out.Roots, wireRoot(&roots[i]))
		}
		return out, nil
	})

	type ouOut struct {
		OrganizationalUnit orgOU `json:"OrganizationalUnit"`
	}
	awsjson.Handle(r, "CreateOrganizationalUnit", func(ctx context.Context, in *struct {
		ParentId string   `json:"ParentId"`
		Name     string   `json:"Name"`
		Tags     []orgTag `json:"Tags"`
	}) (*ouOut, error) {
		o, err := svc.CreateOrganizationalUnit(ctx, in.ParentId, in.Name, wireTags(in.Tags))
		if err != nil {
			return nil, err
		}
		return &ouOut{wireOU(o)}, nil
	})
	awsjson.Handle(r, "DescribeOrganizationalUnit", func(ctx context.Context, in *struct {
		OrganizationalUnitId string `json:"OrganizationalUnitId"`
	}) (*ouOut, error) {
		o, err := svc.DescribeOrganizationalUnit(ctx, in.OrganizationalUnitId)
		if err != nil {
			return nil, err
		}
		return &ouOut{wireOU(o)}, nil
	})
	awsjson.Handle(r, "UpdateOrganizationalUnit", func(ctx context.Context, in *struct {
		OrganizationalUnitId string `json:"OrganizationalUnitId"`
		Name                 string `json:"Name"`
	}) (*ouOut, error) {
		o, err := svc.UpdateOrganizationalUnit(ctx, in.OrganizationalUnitId, in.Name)
		if err != nil {
			return nil, err
		}
		return &ouOut{wireOU(o)}, nil
	})
	awsjson.Handle(r, "DeleteOrganizationalUnit", func(ctx context.Context, in *struct {
		OrganizationalUnitId string `json:"OrganizationalUnitId"`
	}) (*empty, error) {
		return nil, svc.DeleteOrganizationalUnit(ctx, in.OrganizationalUnitId)
	})
	awsjson.Handle(r, "ListOrganizationalUnitsForParent", func(ctx context.Context, in *struct {
		ParentId string `json:"ParentId"`
		orgPaging
	}) (*struct {
		OrganizationalUnits []orgOU `json:"OrganizationalUnits"`
		NextToken           *string `json:"NextToken,omitempty"`
	}, error) {
		p, err := svc.ListOrganizationalUnitsForParent(ctx, in.ParentId, in.token())
		if err != nil {
			return nil, err
		}
		out := &struct {
			OrganizationalUnits []orgOU `json:"OrganizationalUnits"`
			NextToken           *string `json:"NextToken,omitempty"`
		}{OrganizationalUnits: []orgOU{}, NextToken: nextToken(p.NextToken)}
		for i := range p.Items {
			out.OrganizationalUnits = append(out.OrganizationalUnits, wireOU(&p.Items[i]))
		}
		return out, nil
	})
	awsjson.Handle(r, "ListChildren", func(ctx context.Context, in *struct {
		ParentId  string `json:"ParentId"`
		ChildType string `json:"ChildType"`
		orgPaging
	}) (*struct {
		Children  []orgChild `json:"Children"`
		NextToken *string    `json:"NextToken,omitempty"`
	}, error) {
		p, err := svc.ListChildren(ctx, in.ParentId, in.ChildType, in.token())
		if err != nil {
			return nil, err
		}
		out := &struct {
			Children  []orgChild `json:"Children"`
			NextToken *string    `json:"NextToken,omitempty"`
		}{Children: []orgChild{}, NextToken: nextToken(p.NextToken)}
		for _, c := range p.Items {
			out.Children = append(out.Children, orgChild{Id: c.ID, Type: c.Type})
		}
		return out, nil
	})
	awsjson.Handle(r, "ListParents", func(ctx context.Context, in *struct {
		ChildId string `json:"ChildId"`
		orgPaging
	}) (*struct {
		Parents []orgChild `json:"Parents"`
	}, error) {
		ps, err := svc.ListParents(ctx, in.ChildId)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Parents []orgChild `json:"Parents"`
		}{}
		for _, c := range ps {
			out.Parents = append(out.Parents, orgChild{Id: c.ID, Type: c.Type})
		}
		return out, nil
	})
	awsjson.Handle(r, "MoveAccount", func(ctx context.Context, in *struct {
		AccountId           string `json:"AccountId"`
		SourceParentId      string `json:"SourceParentId"`
		DestinationParentId string `json:"DestinationParentId"`
	}) (*empty, error) {
		return nil, svc.MoveAccount(ctx, in.AccountId, in.SourceParentId, in.DestinationParentId)
	})

	type rootOut struct {
		Root orgRoot `json:"Root"`
	}
	type typeIn struct {
		RootId     string `json:"RootId"`
		PolicyType string `json:"PolicyType"`
	}
	awsjson.Handle(r, "EnablePolicyType", func(ctx context.Context, in *typeIn) (*rootOut, error) {
		rt, err := svc.EnablePolicyType(ctx, in.RootId, in.PolicyType)
		if err != nil {
			return nil, err
		}
		return &rootOut{wireRoot(rt)}, nil
	})
	awsjson.Handle(r, "DisablePolicyType", func(ctx context.Context, in *typeIn) (*rootOut, error) {
		rt, err := svc.DisablePolicyType(ctx, in.RootId, in.PolicyType)
		if err != nil {
			return nil, err
		}
		return &rootOut{wireRoot(rt)}, nil
	})

	type policyOut struct {
		Policy orgPolicy `json:"Policy"`
	}
	wirePolicy := func(p *orgsvc.PolicyInfo) *policyOut {
		return &policyOut{orgPolicy{PolicySummary: wireSummary(p), Content: p.Content}}
	}
	awsjson.Handle(r, "CreatePolicy", func(ctx context.Context, in *struct {
		Content     string   `json:"Content"`
		Description string   `json:"Description"`
		Name        string   `json:"Name"`
		Type        string   `json:"Type"`
		Tags        []orgTag `json:"Tags"`
	}) (*policyOut, error) {
		p, err := svc.CreatePolicy(ctx, orgsvc.Policy{Name: in.Name, Description: in.Description, Type: in.Type, Content: in.Content}, wireTags(in.Tags))
		if err != nil {
			return nil, err
		}
		return wirePolicy(p), nil
	})
	awsjson.Handle(r, "UpdatePolicy", func(ctx context.Context, in *struct {
		PolicyId    string  `json:"PolicyId"`
		Name        *string `json:"Name"`
		Description *string `json:"Description"`
		Content     *string `json:"Content"`
	}) (*policyOut, error) {
		p, err := svc.UpdatePolicy(ctx, in.PolicyId, in.Name, in.Description, in.Content)
		if err != nil {
			return nil, err
		}
		return wirePolicy(p), nil
	})
	awsjson.Handle(r, "DescribePolicy", func(ctx context.Context, in *struct {
		PolicyId string `json:"PolicyId"`
	}) (*policyOut, error) {
		p, err := svc.DescribePolicy(ctx, in.PolicyId)
		if err != nil {
			return nil, err
		}
		return wirePolicy(p), nil
	})
	awsjson.Handle(r, "DeletePolicy", func(ctx context.Context, in *struct {
		PolicyId string `json:"PolicyId"`
	}) (*empty, error) {
		return nil, svc.DeletePolicy(ctx, in.PolicyId)
	})
	type policiesOut struct {
		Policies  []orgPolicySummary `json:"Policies"`
		NextToken *string            `json:"NextToken,omitempty"`
	}
	awsjson.Handle(r, "ListPolicies", func(ctx context.Context, in *struct {
		Filter string `json:"Filter"`
		orgPaging
	}) (*policiesOut, error) {
		p, err := svc.ListPolicies(ctx, in.Filter, in.token())
		if err != nil {
			return nil, err
		}
		return &policiesOut{Policies: wireSummaries(p.Items), NextToken: nextToken(p.NextToken)}, nil
	})
	awsjson.Handle(r, "ListPoliciesForTarget", func(ctx context.Context, in *struct {
		TargetId string `json:"TargetId"`
		Filter   string `json:"Filter"`
		orgPaging
	}) (*policiesOut, error) {
		p, err := svc.ListPoliciesForTarget(ctx, in.TargetId, in.Filter, in.token())
		if err != nil {
			return nil, err
		}
		return &policiesOut{Policies: wireSummaries(p.Items), NextToken: nextToken(p.NextToken)}, nil
	})
	type attachIn struct {
		PolicyId string `json:"PolicyId"`
		TargetId string `json:"TargetId"`
	}
	awsjson.Handle(r, "AttachPolicy", func(ctx context.Context, in *attachIn) (*empty, error) {
		return nil, svc.AttachPolicy(ctx, in.PolicyId, in.TargetId)
	})
	awsjson.Handle(r, "DetachPolicy", func(ctx context.Context, in *attachIn) (*empty, error) {
		return nil, svc.DetachPolicy(ctx, in.PolicyId, in.TargetId)
	})
	awsjson.Handle(r, "ListTargetsForPolicy", func(ctx context.Context, in *struct {
		PolicyId string `json:"PolicyId"`
		orgPaging
	}) (*struct {
		Targets   []orgTarget `json:"Targets"`
		NextToken *string     `json:"NextToken,omitempty"`
	}, error) {
		p, err := svc.ListTargetsForPolicy(ctx, in.PolicyId, in.token())
		if err != nil {
			return nil, err
		}
		out := &struct {
			Targets   []orgTarget `json:"Targets"`
			NextToken *string     `json:"NextToken,omitempty"`
		}{Targets: []orgTarget{}, NextToken: nextToken(p.NextToken)}
		for _, t := range p.Items {
			out.Targets = append(out.Targets, orgTarget{TargetId: t.ID, Arn: t.ARN, Name: t.Name, Type: t.Type})
		}
		return out, nil
	})
	awsjson.Handle(r, "TagResource", func(ctx context.Context, in *struct {
		ResourceId string   `json:"ResourceId"`
		Tags       []orgTag `json:"Tags"`
	}) (*empty, error) {
		return nil, svc.TagResource(ctx, in.ResourceId, wireTags(in.Tags))
	})
	awsjson.Handle(r, "UntagResource", func(ctx context.Context, in *struct {
		ResourceId string   `json:"ResourceId"`
		TagKeys    []string `json:"TagKeys"`
	}) (*empty, error) {
		return nil, svc.UntagResource(ctx, in.ResourceId, in.TagKeys)
	})
	awsjson.Handle(r, "ListTagsForResource", func(ctx context.Context, in *struct {
		ResourceId string `json:"ResourceId"`
		NextToken  string `json:"NextToken"`
	}) (*struct {
		Tags      []orgTag `json:"Tags"`
		NextToken *string  `json:"NextToken,omitempty"`
	}, error) {
		p, err := svc.ListTagsForResource(ctx, in.ResourceId, &orgsvc.PageToken{NextToken: in.NextToken})
		if err != nil {
			return nil, err
		}
		out := &struct {
			Tags      []orgTag `json:"Tags"`
			NextToken *string  `json:"NextToken,omitempty"`
		}{Tags: []orgTag{}, NextToken: nextToken(p.NextToken)}
		for _, t := range p.Items {
			out.Tags = append(out.Tags, orgTag{Key: t.Key, Value: t.Value})
		}
		return out, nil
	})
	return nil
}
