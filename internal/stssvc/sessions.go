package stssvc

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/identity"
)

// Errors for temporary credentials, with AWS's codes and wording.
var (
	errInvalidToken = &apierr.Error{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid.", Status: http.StatusForbidden}
	errExpiredToken = &apierr.Error{Code: "ExpiredToken", Message: "The security token included in the request is expired", Status: http.StatusForbidden}
)

// Authenticate resolves temporary credentials: it opens the sealed session
// token (no store read), checks that it belongs to accessKeyID and has not
// expired at now, and returns the session's secret and caller. The server
// then verifies the request signature with the secret.
func (s *Service) Authenticate(ctx context.Context, accessKeyID, token string, now time.Time) (string, *identity.Caller, error) {
	if token == "" || s.keys == nil {
		return "", nil, errInvalidToken
	}
	o := s.opened.get(token)
	if o == nil {
		sess, err := s.keys.Open(ctx, token)
		if err != nil {
			return "", nil, errInvalidToken
		}
		c := callerFromSession(sess)
		// The cached caller is shared by every request of the session: clip
		// its slices so an append by one request copies instead of writing
		// into another's.
		c.Tags, c.ProviderKeys, c.SessionPolicies = slices.Clip(c.Tags), slices.Clip(c.ProviderKeys), slices.Clip(c.SessionPolicies)
		c.SessionPolicyARNs, c.TransitiveTagKeys = slices.Clip(c.SessionPolicyARNs), slices.Clip(c.TransitiveTagKeys)
		o = &openedSession{accessKeyID: sess.AccessKeyID, secret: sess.SecretAccessKey, expires: sess.Expires, caller: *c}
		s.opened.put(token, o, now)
	}
	if subtle.ConstantTimeCompare([]byte(o.accessKeyID), []byte(accessKeyID)) != 1 {
		return "", nil, errInvalidToken
	}
	if !now.Before(o.expires) {
		return "", nil, errExpiredToken
	}
	c := o.caller
	return o.secret, &c, nil
}

// callerFromSession builds the caller a session authenticates.
func callerFromSession(sess *credential.Session) *identity.Caller {
	c := &identity.Caller{
		Account: sess.Account, AccessKeyID: sess.AccessKeyID, Temporary: true, MFAAuthenticated: sess.MFA,
		TokenIssueTime: sess.IssuedAt, SourceIdentity: sess.SourceIdentity, PrincipalARN: sess.PrincipalARN,
		SessionPolicies: sess.Policies, SessionPolicyARNs: sess.PolicyARNs, MFAAuthTime: sess.MFAAuthTime, TransitiveTagKeys: sess.TransitiveKeys, ChainDepth: int(sess.ChainDepth),
	}
	for _, t := range sess.Tags {
		c.Tags = append(c.Tags, identity.Tag{Key: t.Key, Value: t.Value})
	}
	for _, t := range sess.ProviderKeys {
		c.ProviderKeys = append(c.ProviderKeys, identity.Tag{Key: t.Key, Value: t.Value})
	}
	switch sess.Type {
	case credential.SessionToken:
		c.SessionKind = "GetSessionToken"
		c.ARN, c.UserID = sess.PrincipalARN, sess.PrincipalID
		if sess.PrincipalARN == identity.RootARN(sess.Account) {
			c.Type = identity.Root
		} else {
			c.Type = identity.User
			c.Path, c.Name = splitPathName(sess.PrincipalARN)
		}
	case credential.SessionAssumedRole:
		c.SessionKind = "AssumeRole"
		c.Type = identity.AssumedRole
		c.Path, c.Name = splitPathName(sess.PrincipalARN)
		c.SessionName = sess.SessionName
		c.ARN = "arn:aws:sts::" + sess.Account + ":assumed-role/" + c.Name + "/" + sess.SessionName
		c.UserID = sess.PrincipalID + ":" + sess.SessionName
	case credential.SessionFederatedUser:
		c.SessionKind = "GetFederationToken"
		c.Type = identity.FederatedUser
		c.SessionName, c.Name = sess.SessionName, sess.SessionName
		c.ARN = "arn:aws:sts::" + sess.Account + ":federated-user/" + sess.SessionName
		c.UserID = sess.Account + ":" + sess.SessionName
	}
	return c
}

// splitPathName splits arn:aws:iam::ACCT:user/path/name into ("/path/",
// "name").
func splitPathName(arn string) (string, string) {
	i := strings.IndexByte(arn, '/')
	j := strings.LastIndexByte(arn, '/')
	if i < 0 {
		return "/", ""
	}
	return arn[i : j+1], arn[j+1:]
}

// Temporary credentials issued by GetSessionToken.
const (
	defaultSessionTokenDuration = 12 * time.Hour
	rootSessionTokenDuration    = time.Hour
)

// Credentials are freshly issued temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// GetSessionToken issues temporary credentials with the caller's own
// permissions (an IAM user or the root user, signing with long-term keys).
// It writes nothing to the store.
func (s *Service) GetSessionToken(ctx context.Context, duration *int32, serialNumber, tokenCode string) (*Credentials, error) {
	c := identity.From(ctx)
	if c == nil {
		return nil, apierr.Internal(errors.New("stssvc: no caller"))
	}
	if c.Temporary {
		return nil, apierr.AccessDenied("Cannot call GetSessionToken with session credentials")
	}
	m, err := s.checkMFA(ctx, c, serialNumber, tokenCode)
	if err != nil {
		return nil, err
	}
	d := defaultSessionTokenDuration
	if duration != nil {
		d = time.Duration(*duration) * time.Second
	}
	if c.Type == identity.Root && d > rootSessionTokenDuration {
		d = rootSessionTokenDuration
	}
	sess := &credential.Session{Type: credential.SessionToken, Account: c.Account, PrincipalARN: c.ARN, PrincipalID: c.UserID,
		MFA: m.present, MFAAuthTime: m.authTime}
	return s.issue(sess, d)
}

// issue fills the session's key, secret and times, seals it and returns
// the credentials.
func (s *Service) issue(sess *credential.Session, d time.Duration) (*Credentials, error) {
	var err error
	if s.keys == nil {
		return nil, apierr.Internal(errors.New("stssvc: no key ring"))
	}
	if sess.AccessKeyID, err = credential.NewAccessKeyID(credential.PrefixTemporaryKey, sess.Account); err != nil {
		return nil, apierr.Internal(err)
	}
	if sess.SecretAccessKey, err = credential.NewSecretAccessKey(); err != nil {
		return nil, apierr.Internal(err)
	}
	now := s.now().UTC().Truncate(time.Second)
	sess.IssuedAt, sess.Expires = now, now.Add(d)
	tok, err := s.keys.Seal(sess)
	if err != nil {
		return nil, apierr.Internal(err)
	}
	return &Credentials{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey, SessionToken: tok, Expiration: sess.Expires}, nil
}
