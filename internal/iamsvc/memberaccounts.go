package iamsvc

import (
	"context"
	"errors"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/store"
)

// AdministratorAccessARN is the AWS managed policy Organizations attaches
// to the access role of a new member account.
const AdministratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// MemberAccountInput describes a member account created by AWS
// Organizations' CreateAccount.
type MemberAccountInput struct {
	AccountID string
	Name      string
	Email     string
	// RoleName is the role the management account may assume
	// (OrganizationAccountAccessRole by default).
	RoleName          string
	ManagementAccount string
	Now               time.Time
}

// ProvisionMemberAccount creates, inside tx, a member account: the account
// record and the role RoleName that trusts the management account
// (Principal arn:aws:iam::MGMT:root), with AdministratorAccess attached.
// The account gets no root access key: like AWS member accounts it has no
// usable root credentials. It returns store.ErrExists when the account id
// is taken.
func ProvisionMemberAccount(ctx context.Context, tx store.Tx, in MemberAccountInput) error {
	now := in.Now.UTC().Truncate(time.Millisecond)
	if err := tx.Create(ctx, &store.Entity{Key: accountKey(in.AccountID),
		Data: encode(Account{ID: in.AccountID, Name: in.Name, Email: in.Email, CreateDate: now})}); err != nil {
		return err
	}
	id, err := credential.NewUniqueID(credential.PrefixRole)
	if err != nil {
		return apierr.Internal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		in.ManagementAccount + `:root"},"Action":"sts:AssumeRole"}]}`
	ro := &Role{RoleName: in.RoleName, RoleID: id, Path: "/", ARN: arnFor(in.AccountID, "role", "/", in.RoleName),
		CreateDate: now, AssumeRolePolicyDocument: trust, MaxSessionDuration: defaultMaxSessionDuration}
	if err := tx.Create(ctx, &store.Entity{Key: roleKey(in.AccountID, ro.RoleName), ID: ro.RoleID, Path: ro.Path, Data: encode(ro)}); err != nil {
		if errors.Is(err, store.ErrExists) {
			// A unique-id collision: vanishingly rare; let the caller retry.
			return apierr.Internal(err)
		}
		return err
	}
	return tx.Create(ctx, &store.Entity{
		Key:  store.Key{Account: in.AccountID, Kind: KindRoleAttachment, Parent: ro.RoleName, Name: AdministratorAccessARN},
		Path: "/", Data: encode(AttachedPolicy{PolicyName: "AdministratorAccess", PolicyARN: AdministratorAccessARN}),
	})
}

// OrganizationPolicies gives the simulator the service control policies
// that apply to an account (nil when none do).
type OrganizationPolicies interface {
	SCPDocs(ctx context.Context, account string) ([][]PolicyDoc, error)
}

// SetOrganizations lets SimulatePrincipalPolicy include the SCPs of the
// principal's organization.
func (s *Service) SetOrganizations(o OrganizationPolicies) { s.orgs = o }
