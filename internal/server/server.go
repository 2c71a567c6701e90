package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/api/iamapi"
	"github.com/iamd/iamd/internal/api/stsapi"
	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/awsjson"
	"github.com/iamd/iamd/internal/awsquery"
	"github.com/iamd/iamd/internal/credential"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/orgsvc"
	"github.com/iamd/iamd/internal/sigv4"
	"github.com/iamd/iamd/internal/stssvc"
)

// Service namespaces and versions of the Query-protocol services.
const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	stsVersion   = "2011-06-15"
)

// maxBody bounds request bodies (the largest IAM inputs are policy
// documents of a few KiB).
const maxBody = 1 << 20

// Options configure a Server.
type Options struct {
	IAM *iamsvc.Service
	STS *stssvc.Service
	// Orgs serves AWS Organizations (awsJson1_1); nil leaves it out.
	Orgs     *orgsvc.Service
	LastUsed *iamsvc.LastUsed
	Logger   *slog.Logger
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// TLS tells whether the listener is HTTPS (aws:SecureTransport).
	TLS bool
	// Audit receives one CloudTrail-shaped event per API call; nil
	// disables auditing.
	Audit *slog.Logger
}

// Server is the HTTP handler for every iamd API.
type Server struct {
	opts     Options
	log      *slog.Logger
	verifier *sigv4.Verifier
	iam      *awsquery.Router
	sts      *awsquery.Router
	orgs     *awsjson.Router
}

// New builds a Server and registers every implemented operation.
func New(opts Options) (*Server, error) {
	if opts.IAM == nil || opts.STS == nil {
		return nil, errors.New("server: IAM and STS services are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		verifier: sigv4.NewVerifier(4096),
		iam:      awsquery.NewRouter(iamapi.Service),
		sts:      awsquery.NewRouter(stsapi.Service),
	}
	s.registerIAM()
	s.registerUserPolicies()
	s.registerRoles()
	s.registerManagedPolicies()
	s.registerGroups()
	s.registerAuthDetails()
	s.registerSimulate()
	s.registerAccount()
	s.registerOIDCProviders()
	s.registerMFA()
	s.registerSAMLProviders()
	s.registerSTS()
	s.registerSTSSessions()
	s.registerWebIdentity()
	if opts.Orgs != nil {
		if err := s.registerOrganizations(); err != nil {
			return nil, err
		}
	}
	s.registerSAML()
	return s, nil
}

// requestState travels with one request for logging.
type requestState struct {
	id      string
	service string
	action  string
	region  string
	caller  *identity.Caller
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.opts.Now()
	st := &requestState{id: newRequestID()}
	w.Header().Set("x-amzn-RequestId", st.id)
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic serving request", "request_id", st.id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			awsquery.WriteError(w, iamNamespace, apierr.Internal(fmt.Errorf("panic: %v", v)), st.id)
		}
	}()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	err := s.serve(sw, r, st)
	if ae, ok := apierr.As(err); ok && ae.Cause != nil {
		s.log.Error("request failed", "request_id", st.id, "service", st.service, "action", st.action, "err", ae.Cause)
	} else if err != nil && !ok {
		s.log.Error("request failed", "request_id", st.id, "service", st.service, "action", st.action, "err", err)
	}
	s.log.Debug("request", "request_id", st.id, "service", st.service, "action", st.action, "status", sw.status, "duration", s.opts.Now().Sub(start))
	if st.service != "" {
		s.audit(st, st.region, sourceIP(r), r.UserAgent(), st.caller, err, start)
	}
}

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// serve handles one request and returns the error sent, if any.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, st *requestState) error {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return s.fail(w, iamNamespace, st, apierr.Newf("InvalidAction", "Could not find operation %s for this service", r.Method))
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return s.fail(w, iamNamespace, st, apierr.New("MalformedQueryString", "could not read the request body"))
	}
	if len(body) > maxBody {
		return s.fail(w, iamNamespace, st, &apierr.Error{Code: "RequestEntityTooLarge", Message: "Request body is larger than the maximum allowed size.", Status: http.StatusRequestEntityTooLarge})
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" && r.Method == http.MethodPost {
		return s.serveJSON(w, r, st, body, target)
	}
	values, err := awsquery.ParseForm(r, body)
	if err != nil {
		return s.fail(w, iamNamespace, st, err)
	}
	st.action = values.Get("Action")

	// AssumeRoleWithWebIdentity and AssumeRoleWithSAML are sent unsigned
	// by every SDK: with no SigV4 authentication at all they go to STS
	// without a caller. Every other action still needs a signature.
	if unsignedSTSActions[st.action] && isUnsigned(r, values) {
		st.service = "sts"
		ctx := identity.WithRequest(r.Context(), &identity.Request{SourceIP: sourceIP(r), Secure: s.opts.TLS || r.TLS != nil,
			UserAgent: r.UserAgent(), Time: s.opts.Now(), RequestID: st.id})
		return s.sts.ServeAction(ctx, w, st.action, values, st.id)
	}

	auth, err := sigv4.Parse(r)
	if err != nil {
		return s.fail(w, s.namespaceFor(r, values), st, authError(err))
	}
	router, ns := s.route(auth.Scope.Service)
	st.service, st.region = auth.Scope.Service, auth.Scope.Region
	if router == nil {
		return s.fail(w, iamNamespace, st, sigv4.WrongServiceError(auth.Scope.Service))
	}
	caller, err := s.authenticate(r.Context(), auth, r, body)
	if err != nil {
		return s.fail(w, ns, st, err)
	}
	st.caller = caller
	s.opts.LastUsed.Record(auth.AccessKeyID, auth.Scope.Service, auth.Scope.Region, s.opts.Now())
	ctx := identity.With(r.Context(), caller)
	ctx = identity.WithRequest(ctx, &identity.Request{SourceIP: sourceIP(r), Secure: s.opts.TLS || r.TLS != nil, Region: auth.Scope.Region,
		UserAgent: r.UserAgent(), Time: s.opts.Now(), RequestID: st.id})
	return router.ServeAction(ctx, w, st.action, values, st.id)
}

// serveJSON handles an awsJson1_1 request (X-Amz-Target): AWS
// Organizations.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, st *requestState, body []byte, target string) error {
	fail := func(err error) error {
		awsjson.WriteError(w, err, st.id)
		return err
	}
	if _, op, ok := strings.Cut(target, "."); ok {
		st.action = op
	}
	auth, err := sigv4.Parse(r)
	if err != nil {
		return fail(authError(err))
	}
	st.service, st.region = auth.Scope.Service, auth.Scope.Region
	if auth.Scope.Service != "organizations" || s.orgs == nil {
		return fail(authError(sigv4.WrongServiceError(auth.Scope.Service)))
	}
	op, err := s.orgs.Operation(target)
	if err != nil {
		return fail(err)
	}
	caller, err := s.authenticate(r.Context(), auth, r, body)
	if err != nil {
		return fail(err)
	}
	st.caller = caller
	s.opts.LastUsed.Record(auth.AccessKeyID, auth.Scope.Service, auth.Scope.Region, s.opts.Now())
	ctx := identity.With(r.Context(), caller)
	ctx = identity.WithRequest(ctx, &identity.Request{SourceIP: sourceIP(r), Secure: s.opts.TLS || r.TLS != nil, Region: auth.Scope.Region,
		UserAgent: r.UserAgent(), Time: s.opts.Now(), RequestID: st.id})
	return s.orgs.Serve(ctx, w, op, body, st.id)
}

// route returns the router and XML namespace for a credential-scope
// service.
func (s *Server) route(service string) (*awsquery.Router, string) {
	switch service {
	case "iam":
		return s.iam, iamNamespace
	case "sts":
		return s.sts, stsNamespace
	}
	return nil, ""
}

// namespaceFor guesses the service of an unauthenticated request from its
// Version parameter, for the namespace of the error response.
func (s *Server) namespaceFor(r *http.Request, v awsquery.Values) string {
	if v.Get("Version") == stsVersion {
		return stsNamespace
	}
	return iamNamespace
}

// authError turns a sigv4 error into an apierr value.
func authError(err error) error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return &apierr.Error{Code: se.Code, Message: se.Message, Status: se.Status}
	}
	return apierr.Internal(err)
}

var errInvalidToken = &apierr.Error{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid.", Status: http.StatusForbidden}

// authenticate resolves the access key, verifies the signature and returns
// the caller.
func (s *Server) authenticate(ctx context.Context, a *sigv4.Auth, r *http.Request, body []byte) (*identity.Caller, error) {
	// AWS checks the request time before it looks at the key: a skewed
	// request with an unknown key is "Signature expired".
	if err := a.CheckTime(s.opts.Now()); err != nil {
		return nil, authError(err)
	}
	if credential.IsTemporary(a.AccessKeyID) {
		secret, caller, err := s.opts.STS.Authenticate(ctx, a.AccessKeyID, a.SecurityToken, s.opts.Now())
		if err != nil {
			return nil, err
		}
		if err := s.verifier.Verify(a, r, body, secret, s.opts.Now()); err != nil {
			return nil, authError(err)
		}
		return caller, nil
	}
	secret, caller, err := s.opts.IAM.LookupAccessKey(ctx, a.AccessKeyID)
	switch {
	case errors.Is(err, iamsvc.ErrUnknownKey), errors.Is(err, iamsvc.ErrInactiveKey):
		return nil, errInvalidToken
	case err != nil:
		return nil, apierr.Internal(err)
	}
	if a.SecurityToken != "" {
		// A long-term key never carries a session token.
		return nil, errInvalidToken
	}
	if err := s.verifier.Verify(a, r, body, secret, s.opts.Now()); err != nil {
		return nil, authError(err)
	}
	return caller, nil
}

// fail writes an error response and returns the error.
func (s *Server) fail(w http.ResponseWriter, ns string, st *requestState, err error) error {
	awsquery.WriteError(w, ns, err, st.id)
	return err
}

// newRequestID returns a random UUID (version 4), the shape of AWS request
// ids.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return strings.Trim(r.RemoteAddr, "[]")
	}
	return host
}
