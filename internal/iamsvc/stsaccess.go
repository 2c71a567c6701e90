package iamsvc

import (
	"context"
	"strings"

	"github.com/iamd/iamd/internal/apierr"
)

// RoleByARN returns the role an ARN names, in any account hosted here,
// without authorization: STS reads it to decide AssumeRole (whose own
// authorization is the trust policy and the caller's policies). ok is
// false when the ARN is not a role ARN or the role does not exist.
func (s *Service) RoleByARN(ctx context.Context, arn string) (ro *Role, account string, ok bool, err error) {
	type hit struct {
		role    *Role
		account string
		ok      bool
	}
	key := "rolearn\x00" + arn
	if v, cached := s.cache.get(key); cached {
		h := v.(*hit)
		return h.role, h.account, h.ok, nil
	}
	gen, _ := s.cache.begin()
	ro, account, ok, err = s.roleByARN(ctx, arn)
	if err == nil {
		s.cache.put(gen, key, &hit{role: ro, account: account, ok: ok})
	}
	return ro, account, ok, err
}

// roleByARN reads RoleByARN's answer from the store.
func (s *Service) roleByARN(ctx context.Context, arn string) (ro *Role, account string, ok bool, err error) {
	const prefix = "arn:aws:iam::"
	if !strings.HasPrefix(arn, prefix) || len(arn) < len(prefix)+13 || arn[len(prefix)+12] != ':' {
		return nil, "", false, nil
	}
	account = arn[len(prefix) : len(prefix)+12]
	rest := arn[len(prefix)+13:]
	if !strings.HasPrefix(rest, "role/") {
		return nil, account, false, nil
	}
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	ro, _, err = getRole(ctx, s.store, account, name)
	if err != nil {
		if isNoSuchEntity(err) {
			return nil, account, false, nil
		}
		return nil, account, false, err
	}
	// The path in the ARN must match the role's (AWS compares whole ARNs).
	if ro.ARN != arn {
		return nil, account, false, nil
	}
	if ro, err = withEffectiveTrust(ctx, s.store, ro); err != nil {
		return nil, account, false, err
	}
	return ro, account, true, nil
}

func isNoSuchEntity(err error) bool {
	ae, ok := apierr.As(err)
	return ok && ae.Code == "NoSuchEntity"
}
