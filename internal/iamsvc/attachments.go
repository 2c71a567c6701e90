package iamsvc

import (
	"context"
	"errors"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"
)

// Attachment entity kinds: a managed policy attached to a user or role
// (Parent = user or role name, Name = policy ARN, Path = policy path).
const (
	KindUserAttachment = "user-attached-policy"
	KindRoleAttachment = "role-attached-policy"
)

const detachFirst = "Cannot delete entity, must detach all policies first."

func init() {
	userChildKinds = append(userChildKinds, struct {
		kind     string
		conflict string
	}{KindUserAttachment, detachFirst})
	// AWS reports attached managed policies before inline ones for roles.
	roleChildKinds = append([]struct {
		kind     string
		conflict string
	}{{KindRoleAttachment, detachFirst}}, roleChildKinds...)
}

// AttachedPolicy is one managed policy attached to a user or role.
type AttachedPolicy struct {
	PolicyName string `json:"name"`
	PolicyARN  string `json:"arn"`
}

// principalRef names the user or role an attachment call is about.
type principalRef struct {
	kind       string // KindUser, KindRole or KindGroup
	attachKind string
	quotaName  string
	// limit returns the attached-policies quota from the service's limits.
	limit func(Limits) int
	name  string
}

func userRef(name string) principalRef {
	return principalRef{kind: KindUser, attachKind: KindUserAttachment, quotaName: "PoliciesPerUser", limit: func(l Limits) int { return l.AttachedPoliciesPerUser }, name: name}
}

func roleRef(name string) principalRef {
	return principalRef{kind: KindRole, attachKind: KindRoleAttachment, quotaName: "PoliciesPerRole", limit: func(l Limits) int { return l.AttachedPoliciesPerRole }, name: name}
}

func groupRef(name string) principalRef {
	return principalRef{kind: KindGroup, attachKind: KindGroupAttachment, quotaName: "PoliciesPerGroup", limit: func(l Limits) int { return l.AttachedPoliciesPerGroup }, name: name}
}

// authorizePrincipal authorizes action on the user or role and returns
// its canonical name.
func (s *Service) authorizePrincipal(ctx context.Context, action string, ref principalRef, keys map[string][]string) (string, error) {
	if ref.kind == KindGroup {
		g, err := s.groupForRead(ctx, action, ref.name, keys)
		if err != nil {
			return "", err
		}
		return g.GroupName, nil
	}
	if ref.kind == KindRole {
		ro, err := s.roleForRead(ctx, action, ref.name, keys)
		if err != nil {
			return "", err
		}
		return ro.RoleName, nil
	}
	c, err := caller(ctx)
	if err != nil {
		return "", err
	}
	u, _, err := getUser(ctx, s.store, c.Account, ref.name)
	if err != nil {
		if _, aerr := s.authorize(ctx, action, arnFor(c.Account, "user", "/", ref.name), keys); aerr != nil {
			return "", aerr
		}
		return "", err
	}
	keys = withCurrentBoundary(action, keys, u.PermissionsBoundary)
	if _, err := s.authorize(ctx, action, u.ARN, mergeKeys(keys, resourceTagKeys(u.Tags))); err != nil {
		return "", err
	}
	return u.UserName, nil
}

// principalExists checks inside a transaction that the user or role still
// exists.
func principalExists(ctx context.Context, tx store.Reader, account string, ref principalRef) error {
	if ref.kind == KindGroup {
		_, _, err := getGroup(ctx, tx, account, ref.name)
		return err
	}
	if ref.kind == KindRole {
		_, _, err := getRole(ctx, tx, account, ref.name)
		return err
	}
	_, _, err := getUser(ctx, tx, account, ref.name)
	return err
}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, userName, policyARN string) error {
	return s.attach(ctx, "iam:AttachUserPolicy", userRef(userName), policyARN)
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, roleName, policyARN string) error {
	return s.attach(ctx, "iam:AttachRolePolicy", roleRef(roleName), policyARN)
}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, userName, policyARN string) error {
	return s.detach(ctx, "iam:DetachUserPolicy", userRef(userName), policyARN)
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, roleName, policyARN string) error {
	return s.detach(ctx, "iam:DetachRolePolicy", roleRef(roleName), policyARN)
}

// attach stores the attachment and increments the policy's
// AttachmentCount in one transaction; attaching twice is a no-op, as in
// AWS.
func (s *Service) attach(ctx context.Context, action string, ref principalRef, policyARN string) error {
	if _, _, _, ok, _ := policyARNParts(policyARN); !ok {
		return errInvalidARN
	}
	name, err := s.authorizePrincipal(ctx, action, ref, map[string][]string{"iam:PolicyARN": {policyARN}})
	if err != nil {
		return err
	}
	ref.name = name
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if err := principalExists(ctx, tx, account, ref); err != nil {
			return err
		}
		p, pe, err := lookupPolicy(ctx, tx, account, policyARN, policyNotAttachable)
		if err != nil {
			return err
		}
		key := store.Key{Account: account, Kind: ref.attachKind, Parent: ref.name, Name: p.ARN}
		if _, err := tx.Get(ctx, key); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: account, Kind: ref.attachKind, Parent: ref.name})
		if err != nil {
			return err
		}
		if limit := ref.limit(s.limits); n >= limit {
			return apierr.LimitExceeded("Cannot exceed quota for %s: %d", ref.quotaName, limit)
		}
		if err := tx.Create(ctx, &store.Entity{Key: key, Path: p.Path, Data: encode(AttachedPolicy{PolicyName: p.PolicyName, PolicyARN: p.ARN})}); err != nil {
			return err
		}
		if p.AWSManaged {
			// Counted from the attachments on read.
			return nil
		}
		p.AttachmentCount++
		pe.Data = encode(p)
		return tx.Put(ctx, &pe)
	}))
}

// detach removes the attachment and decrements AttachmentCount in one
// transaction.
func (s *Service) detach(ctx context.Context, action string, ref principalRef, policyARN string) error {
	if _, _, _, ok, _ := policyARNParts(policyARN); !ok {
		return errInvalidARN
	}
	name, err := s.authorizePrincipal(ctx, action, ref, map[string][]string{"iam:PolicyARN": {policyARN}})
	if err != nil {
		return err
	}
	ref.name = name
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		if err := principalExists(ctx, tx, account, ref); err != nil {
			return err
		}
		p, pe, err := lookupPolicy(ctx, tx, account, policyARN, policyNotFound)
		if err != nil {
			return err
		}
		err = tx.Delete(ctx, store.Key{Account: account, Kind: ref.attachKind, Parent: ref.name, Name: p.ARN}, 0)
		if errors.Is(err, store.ErrNotFound) {
			return policyNotFound(policyARN)
		} else if err != nil {
			return err
		}
		if p.AWSManaged {
			return nil
		}
		if p.AttachmentCount > 0 {
			p.AttachmentCount--
		}
		pe.Data = encode(p)
		return tx.Put(ctx, &pe)
	}))
}

// ListAttachedUserPolicies lists the managed policies attached to a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, userName, pathPrefix, marker string, maxItems *int32) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, "iam:ListAttachedUserPolicies", userRef(userName), pathPrefix, marker, maxItems)
}

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, roleName, pathPrefix, marker string, maxItems *int32) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, "iam:ListAttachedRolePolicies", roleRef(roleName), pathPrefix, marker, maxItems)
}

func (s *Service) listAttached(ctx context.Context, action string, ref principalRef, pathPrefix, marker string, maxItems *int32) (Page[AttachedPolicy], error) {
	name, err := s.authorizePrincipal(ctx, action, ref, nil)
	if err != nil {
		return Page[AttachedPolicy]{}, err
	}
	return listPage[AttachedPolicy](ctx, s.store, store.ListOptions{Account: identityAccount(ctx), Kind: ref.attachKind, Parent: name,
		PathPrefix: pathPrefix, Marker: marker, Limit: pageLimit(maxItems)})
}

// PolicyEntity is a user, group or role that uses a managed policy.
type PolicyEntity struct {
	// Type is "User", "Role" or "Group".
	Type string
	Name string
	ID   string
}

// ListEntitiesForPolicyInput is the domain input of ListEntitiesForPolicy.
type ListEntitiesForPolicyInput struct {
	PolicyARN         string
	EntityFilter      string
	PathPrefix        string
	PolicyUsageFilter string
	Marker            string
	MaxItems          *int32
}

// ListEntitiesForPolicy lists the users and roles a policy is attached to
// (PermissionsPolicy) and/or that use it as permissions boundary
// (PermissionsBoundary); both when PolicyUsageFilter is empty.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, in *ListEntitiesForPolicyInput) (Page[PolicyEntity], error) {
	p, err := s.policyForRead(ctx, "iam:ListEntitiesForPolicy", in.PolicyARN, nil, policyNotFound)
	if err != nil {
		return Page[PolicyEntity]{}, err
	}
	account := identityAccount(ctx)
	var out []PolicyEntity
	kinds := []struct {
		typ, kind, attach, filter string
	}{
		{"Group", KindGroup, KindGroupAttachment, entityFilterGroup},
		{"User", KindUser, KindUserAttachment, entityFilterUser},
		{"Role", KindRole, KindRoleAttachment, entityFilterRole},
	}
	for _, k := range kinds {
		if in.EntityFilter != "" && in.EntityFilter != k.filter {
			continue
		}
		ents, err := s.principalsUsing(ctx, account, k.kind, k.attach, p.ARN, in.PathPrefix, in.PolicyUsageFilter)
		if err != nil {
			return Page[PolicyEntity]{}, err
		}
		for _, e := range ents {
			out = append(out, PolicyEntity{Type: k.typ, Name: e.Name, ID: e.ID})
		}
	}
	// Groups come before users, users before roles (the order of AWS's
	// response elements); the marker key keeps that order.
	return offsetPage(out, func(e PolicyEntity) string {
		switch e.Type {
		case "Group":
			return "0/" + strings.ToLower(e.Name)
		case "User":
			return "1/" + strings.ToLower(e.Name)
		}
		return "2/" + strings.ToLower(e.Name)
	}, in.Marker, in.MaxItems)
}

// principalsUsing returns, in name order, the entities of kind that have
// policyARN attached and/or as boundary, filtered by path prefix.
func (s *Service) principalsUsing(ctx context.Context, account, kind, attachKind, policyARN, pathPrefix, usage string) ([]store.Entity, error) {
	var out []store.Entity
	seen := map[string]bool{}
	if usage == "" || usage == policyUsagePermissions {
		marker := ""
		for {
			pg, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: attachKind, AnyParent: true, Name: policyARN, Marker: marker, Limit: 500})
			if err != nil {
				return nil, apierr.Internal(err)
			}
			for _, a := range pg.Items {
				e, err := s.store.Get(ctx, store.Key{Account: account, Kind: kind, Name: a.Parent})
				if errors.Is(err, store.ErrNotFound) {
					continue
				} else if err != nil {
					return nil, apierr.Internal(err)
				}
				if strings.HasPrefix(e.Path, pathPrefix) && !seen[strings.ToLower(e.Name)] {
					seen[strings.ToLower(e.Name)] = true
					out = append(out, e)
				}
			}
			if pg.NextMarker == "" {
				break
			}
			marker = pg.NextMarker
		}
	}
	// Groups cannot have a permissions boundary.
	if (usage == "" || usage == policyUsageBoundary) && kind != KindGroup {
		marker := ""
		for {
			pg, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: kind, PathPrefix: pathPrefix, Marker: marker, Limit: 500})
			if err != nil {
				return nil, apierr.Internal(err)
			}
			for _, e := range pg.Items {
				b, err := decode[boundaryOnly](e)
				if err != nil {
					return nil, apierr.Internal(err)
				}
				if b.Boundary == policyARN && !seen[strings.ToLower(e.Name)] {
					seen[strings.ToLower(e.Name)] = true
					out = append(out, e)
				}
			}
			if pg.NextMarker == "" {
				break
			}
			marker = pg.NextMarker
		}
	}
	sortEntitiesByName(out)
	return out, nil
}

func sortEntitiesByName(es []store.Entity) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && strings.ToLower(es[j].Name) < strings.ToLower(es[j-1].Name); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// PutUserPermissionsBoundary sets a user's permissions boundary to an
// existing managed policy.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, userName, boundaryARN string) error {
	return s.setUserBoundary(ctx, "iam:PutUserPermissionsBoundary", userName, boundaryARN)
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, userName string) error {
	return s.setUserBoundary(ctx, "iam:DeleteUserPermissionsBoundary", userName, "")
}

func (s *Service) setUserBoundary(ctx context.Context, action, userName, boundaryARN string) error {
	var keys map[string][]string
	if boundaryARN != "" {
		keys = map[string][]string{"iam:PermissionsBoundary": {boundaryARN}}
	}
	name, err := s.authorizePrincipal(ctx, action, userRef(userName), keys)
	if err != nil {
		return err
	}
	account := identityAccount(ctx)
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		u, e, err := getUser(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if boundaryARN != "" {
			if err := checkBoundary(ctx, tx, account, boundaryARN); err != nil {
				return err
			}
		}
		u.PermissionsBoundary = boundaryARN
		e.Data = encode(u)
		return tx.Put(ctx, &e)
	}))
}

// managedDocs appends the default-version documents of the managed
// policies attached to the user or role parent (ID = policy ARN, Type
// "IAM Policy") to out.Identity.
func (s *Service) managedDocs(ctx context.Context, account, attachKind, parent string, out *PrincipalPolicies) error {
	marker := ""
	for {
		pg, err := s.store.List(ctx, store.ListOptions{Account: account, Kind: attachKind, Parent: parent, Marker: marker, Limit: 100})
		if err != nil {
			return apierr.Internal(err)
		}
		for _, a := range pg.Items {
			p, e, err := lookupPolicy(ctx, s.store, account, a.Name, policyNotFound)
			if err != nil {
				if ae, ok := apierr.As(err); ok && ae.Code == "NoSuchEntity" {
					continue
				}
				return err
			}
			out.Identity = append(out.Identity, PolicyDoc{ID: p.ARN, Type: "IAM Policy", Document: p.defaultDocument(), Version: e.Version})
		}
		if pg.NextMarker == "" {
			return nil
		}
		marker = pg.NextMarker
	}
}

// boundaryDoc sets out.Boundary to the document of the boundary policy
// boundaryARN. A boundary whose policy cannot be read is returned with an
// empty document, which the engine treats as allowing nothing (fail
// closed).
func (s *Service) boundaryDoc(ctx context.Context, account, boundaryARN string, out *PrincipalPolicies) error {
	if boundaryARN == "" {
		return nil
	}
	p, e, err := lookupPolicy(ctx, s.store, account, boundaryARN, policyNotFound)
	if err != nil {
		if ae, ok := apierr.As(err); ok && ae.Code != "InternalFailure" {
			out.Boundary = &PolicyDoc{ID: boundaryARN, Type: "IAM Policy"}
			return nil
		}
		return err
	}
	out.Boundary = &PolicyDoc{ID: p.ARN, Type: "IAM Policy", Document: p.defaultDocument(), Version: e.Version}
	return nil
}

// rolePolicies fills out with a role's inline and attached policies, its
// boundary and its tags.
func (s *Service) rolePolicies(ctx context.Context, account, name string, out *PrincipalPolicies) error {
	ro, _, err := getRole(ctx, s.store, account, name)
	if err != nil {
		return err
	}
	out.Tags = ro.Tags
	if err := s.inlineDocs(ctx, account, KindRolePolicy, ro.RoleName, "role", out); err != nil {
		return err
	}
	if err := s.managedDocs(ctx, account, KindRoleAttachment, ro.RoleName, out); err != nil {
		return err
	}
	return s.boundaryDoc(ctx, account, ro.PermissionsBoundary, out)
}
