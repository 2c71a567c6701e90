package iamsvc

import (
	"context"
	"errors"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/store"
)

// Account alias entity kinds: the alias in its account (Account = owner,
// Name = alias) and its installation-wide reservation (Account = "", Name
// = alias), which makes aliases unique across every hosted account.
const (
	KindAccountAlias       = "account-alias"
	KindAccountAliasGlobal = "account-alias-global"
)

// maxAccountAliases is AWS's AccountAliasesPerAccount quota (fixed).
const maxAccountAliases = 1

type aliasRecord struct {
	Alias   string `json:"alias"`
	Account string `json:"account"`
}

// CreateAccountAlias gives the caller's account an alias (one per
// account, unique across the installation). Creating the alias the
// account already has succeeds.
func (s *Service) CreateAccountAlias(ctx context.Context, alias string) error {
	c, err := s.authorize(ctx, "iam:CreateAccountAlias", "*", nil)
	if err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		pg, err := tx.List(ctx, store.ListOptions{Account: c.Account, Kind: KindAccountAlias})
		if err != nil {
			return err
		}
		for _, e := range pg.Items {
			if e.Name == alias {
				return nil
			}
		}
		if len(pg.Items) >= maxAccountAliases {
			return apierr.LimitExceeded("Cannot exceed quota for AccountAliasesPerAccount: %d", maxAccountAliases)
		}
		data := encode(aliasRecord{Alias: alias, Account: c.Account})
		if err := tx.Create(ctx, &store.Entity{Key: store.Key{Kind: KindAccountAliasGlobal, Name: alias}, Path: "/", Data: data}); errors.Is(err, store.ErrExists) {
			return apierr.EntityAlreadyExists("The account alias %s already exists.", alias)
		} else if err != nil {
			return err
		}
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: c.Account, Kind: KindAccountAlias, Name: alias}, Path: "/", Data: data})
	}))
}

// DeleteAccountAlias removes the caller's account alias.
func (s *Service) DeleteAccountAlias(ctx context.Context, alias string) error {
	c, err := s.authorize(ctx, "iam:DeleteAccountAlias", "*", nil)
	if err != nil {
		return err
	}
	return storeErr(s.store.Update(ctx, func(tx store.Tx) error {
		e, err := tx.Get(ctx, store.Key{Account: c.Account, Kind: KindAccountAlias, Name: alias})
		if errors.Is(err, store.ErrNotFound) || (err == nil && e.Name != alias) {
			return apierr.NoSuchEntity("The account alias %s cannot be found.", alias)
		} else if err != nil {
			return err
		}
		if err := tx.Delete(ctx, e.Key, e.Version); err != nil {
			return err
		}
		err = tx.Delete(ctx, store.Key{Kind: KindAccountAliasGlobal, Name: alias}, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}))
}

// ListAccountAliases lists the caller's account alias (zero or one).
func (s *Service) ListAccountAliases(ctx context.Context, marker string, maxItems *int32) (Page[string], error) {
	c, err := s.authorize(ctx, "iam:ListAccountAliases", "*", nil)
	if err != nil {
		return Page[string]{}, err
	}
	p, err := listPage[aliasRecord](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindAccountAlias, Marker: marker, Limit: pageLimit(maxItems)})
	if err != nil {
		return Page[string]{}, err
	}
	out := Page[string]{Items: make([]string, len(p.Items)), Marker: p.Marker, IsTruncated: p.IsTruncated}
	for i, a := range p.Items {
		out.Items[i] = a.Alias
	}
	return out, nil
}

// summaryCounts maps the entity counters of GetAccountSummary to the
// kinds they count. Capabilities that add entities (groups, identity
// providers, MFA devices, server certificates) add their kinds here.
var summaryCounts = map[string][]string{
	"Users":              {KindUser},
	"Roles":              {KindRole},
	"Policies":           {KindPolicy},
	"InstanceProfiles":   {KindInstanceProfile},
	"Groups":             {KindGroup},
	"Providers":          nil,
	"MFADevices":         nil,
	"MFADevicesInUse":    nil,
	"ServerCertificates": nil,
}

// GetAccountSummary returns AWS's SummaryMap for the caller's account:
// entity counts from the store and quotas from the service's Limits.
func (s *Service) GetAccountSummary(ctx context.Context) (map[string]int32, error) {
	c, err := s.authorize(ctx, "iam:GetAccountSummary", "*", nil)
	if err != nil {
		return nil, err
	}
	out := map[string]int32{}
	for name, v := range s.limits.summaryQuotas() {
		out[name] = int32(v)
	}
	for name, kinds := range summaryCounts {
		n := 0
		for _, k := range kinds {
			m, err := s.store.Count(ctx, store.ListOptions{Account: c.Account, Kind: k})
			if err != nil {
				return nil, apierr.Internal(err)
			}
			n += m
		}
		out[name] = int32(n)
	}
	// Versions of the customer managed policies.
	policies, err := listAll[ManagedPolicy](ctx, s.store, store.ListOptions{Account: c.Account, Kind: KindPolicy})
	if err != nil {
		return nil, err
	}
	versions := 0
	for _, p := range policies {
		versions += len(p.Versions)
	}
	out["PolicyVersionsInUse"] = int32(versions)
	// The root user's long-term keys.
	rootKeys, err := s.store.Count(ctx, store.ListOptions{Account: c.Account, Kind: KindAccessKey, Parent: ""})
	if err != nil {
		return nil, apierr.Internal(err)
	}
	out["AccountAccessKeysPresent"] = boolInt(rootKeys > 0)
	out["AccountMFAEnabled"] = 0
	out["AccountPasswordPresent"] = 0
	out["AccountSigningCertificatesPresent"] = 0
	out["GlobalEndpointTokenVersion"] = 1
	return out, nil
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
