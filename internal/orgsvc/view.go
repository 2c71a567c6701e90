package orgsvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"

	"github.com/iamd/iamd/internal/authz"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/policy"
)

// View is an immutable snapshot of the organization for the policy
// engine, rebuilt when the organization record changes. A nil *View means
// no organization.
type View struct {
	version  int64
	created  time.Time
	orgID    string
	accounts map[string]*AccountView
}

// AccountView is what decisions need about one account of the
// organization.
type AccountView struct {
	// OrgID is the organization id (aws:PrincipalOrgID,
	// aws:ResourceOrgID).
	OrgID string
	// Paths is aws:PrincipalOrgPaths / aws:ResourceOrgPaths (one path).
	Paths []string
	// SCP and RCP are the compiled policy levels (root, OUs, account);
	// nil when the type does not apply (not enabled, management account).
	SCP, RCP [][]authz.PolicyRef
	scpDocs  [][]iamsvc.PolicyDoc
}

// Account returns the view of account, or nil when it is not a member of
// an organization.
func (v *View) Account(id string) *AccountView {
	if v == nil {
		return nil
	}
	return v.accounts[id]
}

// View returns the current snapshot (one store read; the snapshot is
// rebuilt only when the organization changed).
func (s *Service) View(ctx context.Context) (*View, error) {
	e, err := s.store.Get(ctx, stateKey)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, apierr.Internal(err)
	}
	s.mu.Lock()
	cached := s.view
	s.mu.Unlock()
	// Created tells a re-created organization from the one cached.
	if cached != nil && cached.version == e.Version && cached.created.Equal(e.Created) {
		return cached, nil
	}
	st := new(State)
	if err := json.Unmarshal(e.Data, st); err != nil {
		return nil, apierr.Internal(fmt.Errorf("orgsvc: decode organization: %w", err))
	}
	st.init()
	v := buildView(st, e.Version)
	v.created = e.Created
	s.mu.Lock()
	s.view = v
	s.mu.Unlock()
	return v, nil
}

// buildView compiles every account's policy levels. A policy that no
// longer compiles grants nothing (fail closed).
func buildView(st *State, version int64) *View {
	v := &View{version: version, orgID: st.ID, accounts: make(map[string]*AccountView, len(st.Accounts))}
	compiled := map[string]*policy.Policy{}
	compile := func(p *Policy) *policy.Policy {
		if c, ok := compiled[p.ID]; ok {
			return c
		}
		kind := policy.SCP
		if p.Type == TypeRCP {
			kind = policy.RCP
		}
		c, err := policy.Parse(p.Content, kind)
		if err != nil {
			c = nil
		}
		compiled[p.ID] = c
		return c
	}
	refs := func(levels [][]*Policy, kind policy.Kind) [][]authz.PolicyRef {
		if levels == nil {
			return nil
		}
		out := make([][]authz.PolicyRef, len(levels))
		for i, lv := range levels {
			for _, p := range lv {
				out[i] = append(out[i], authz.PolicyRef{ID: st.PolicyARN(p), Kind: kind, Policy: compile(p)})
			}
		}
		return out
	}
	for id := range st.Accounts {
		scp := st.Levels(id, TypeSCP)
		av := &AccountView{OrgID: st.ID, Paths: []string{st.OrgPath(id)}, SCP: refs(scp, policy.SCP), RCP: refs(st.Levels(id, TypeRCP), policy.RCP)}
		if scp != nil {
			av.scpDocs = make([][]iamsvc.PolicyDoc, len(scp))
			for i, lv := range scp {
				av.scpDocs[i] = []iamsvc.PolicyDoc{}
				for _, p := range lv {
					av.scpDocs[i] = append(av.scpDocs[i], iamsvc.PolicyDoc{ID: st.PolicyARN(p), Type: "SCP", Document: p.Content})
				}
			}
		}
		v.accounts[id] = av
	}
	return v
}

// SCPDocs implements iamsvc.OrganizationPolicies: the SCP documents that
// apply to account, per level, or nil.
func (s *Service) SCPDocs(ctx context.Context, account string) ([][]iamsvc.PolicyDoc, error) {
	v, err := s.View(ctx)
	if err != nil {
		return nil, err
	}
	if av := v.Account(account); av != nil {
		return av.scpDocs, nil
	}
	return nil, nil
}
