// Package stssvc is the STS domain: who the caller is (GetCallerIdentity),
// which account owns a key (GetAccessKeyInfo) and, as later capabilities
// land, the AssumeRole family that mints temporary credentials.
//
// It receives the authenticated caller through internal/identity and
// returns *apierr.Error values. It must not import net/http, encoding/xml or
// a database driver.
package stssvc
