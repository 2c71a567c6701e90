package stssvc

import (
	"context"

	"github.com/iamd/iamd/internal/identity"
)

// noteRoleUse records, off the request path, that a role was assumed
// (GetRole's RoleLastUsed), with the region the request was signed for.
func (s *Service) noteRoleUse(ctx context.Context, account, roleName string) {
	region := ""
	if rf := identity.RequestFrom(ctx); rf != nil {
		region = rf.Region
	}
	s.roleUse.Record(account, roleName, region, s.now())
}
