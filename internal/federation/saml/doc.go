// Package saml verifies SAML 2.0 responses for AssumeRoleWithSAML and
// parses the IdP metadata documents of IAM SAML providers.
//
// The XML signature itself is checked by github.com/russellhaering/goxmldsig
// (v1.6.1, which has the fix for CVE-2026-33487); this package wraps it with
// strict input handling and the defences a relying party needs around it:
// no DTDs, entities, comments or processing instructions anywhere in the
// document; the encoding/xml round-trip check; exactly one Assertion in the
// whole document, a direct child of the Response; no EncryptedAssertion;
// unique ID attributes; and every value read only from the element whose
// signature was verified (never from the unverified tree), so that a
// signature-wrapping attack cannot move a signed assertion aside.
//
// It checks time (Conditions, SubjectConfirmationData), audience, recipient
// and destination against the caller's accepted values, and returns the
// assertion's subject and attributes. It does not know IAM: provider lookup,
// the Role attribute and trust policies belong to internal/stssvc. It does
// no I/O except through a [ReplayCache] supplied by the caller.
package saml
