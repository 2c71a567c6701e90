// Package orgsvc implements AWS Organizations for the accounts iamd hosts:
// the organization, its root, organizational units, member accounts
// (created with CreateAccount, each with an OrganizationAccountAccessRole
// that the management account may assume), and service control and
// resource control policies with their attachments.
//
// The whole organization is one record (State), changed by pure methods
// that enforce AWS's invariants (state.go) inside store transactions
// (compare-and-swap on the one record keeps them under concurrency). View
// is an immutable, precompiled snapshot the policy engine reads on every
// decision: per account its organization path and its SCP and RCP levels
// (root → OUs → account), rebuilt only when the record's version changes.
//
// Like the other domain packages it must not import net/http, wire codecs
// or database drivers.
package orgsvc
