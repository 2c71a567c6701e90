package oidc

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Errors of fetching an issuer's keys.
var (
	// ErrCommunication: the discovery document or JWKS could not be
	// fetched or parsed.
	ErrCommunication = errors.New("oidc: could not retrieve the issuer's keys")
	// ErrThumbprint: the issuer's certificate is trusted neither by the
	// CA pool nor by a registered thumbprint.
	ErrThumbprint = errors.New("oidc: issuer certificate does not match a configured thumbprint")
)

// Provider is a registered issuer: its URL (https://host[/path]) and the
// thumbprints (lower-case hex SHA-1) that may anchor its TLS chain.
type Provider struct {
	URL         string
	Thumbprints []string
}

// FetcherOptions configure a Fetcher. Zero values take the defaults.
type FetcherOptions struct {
	// Timeout bounds one HTTP exchange (default 5 s).
	Timeout time.Duration
	// MaxResponse bounds a discovery document or JWKS (default 512 KiB).
	MaxResponse int64
	// TTL is how long a fetched key set is used before it is fetched again
	// (default 1 h).
	TTL time.Duration
	// StaleFor is how long an expired key set is still used when its
	// issuer cannot be reached (default 24 h).
	StaleFor time.Duration
	// MinRefetch is the least time between two fetches for one issuer
	// caused by tokens naming an unknown key id (default 30 s).
	MinRefetch time.Duration
	// MaxIssuers bounds the cache (default 1,000 issuers).
	MaxIssuers int
	// RootCAs replaces the system CA pool (tests).
	RootCAs *x509.CertPool
	Logger  *slog.Logger
	Now     func() time.Time
}

// Fetcher fetches and caches issuers' key sets. It is safe for concurrent
// use; at most one fetch per issuer runs at a time.
type Fetcher struct {
	opts    FetcherOptions
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	mu          sync.Mutex
	thumbprints string
	client      *http.Client
	keys        *KeySet
	fetched     time.Time // last successful fetch
	attempted   time.Time // last attempt
}

// NewFetcher returns a Fetcher.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = 512 << 10
	}
	if opts.TTL <= 0 {
		opts.TTL = time.Hour
	}
	if opts.StaleFor <= 0 {
		opts.StaleFor = 24 * time.Hour
	}
	if opts.MinRefetch <= 0 {
		opts.MinRefetch = 30 * time.Second
	}
	if opts.MaxIssuers <= 0 {
		opts.MaxIssuers = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Fetcher{opts: opts, entries: map[string]*entry{}}
}

// KeySet returns the issuer's key set, from the cache while it is fresh
// and it knows kid; otherwise it fetches discovery and JWKS again (an
// unknown kid at most once per MinRefetch).
func (f *Fetcher) KeySet(ctx context.Context, p Provider, kid string) (*KeySet, error) {
	tp := strings.Join(p.Thumbprints, ",")
	f.mu.Lock()
	e := f.entries[p.URL]
	if e == nil || e.thumbprints != tp {
		if e == nil && len(f.entries) >= f.opts.MaxIssuers {
			for k := range f.entries { // evict one arbitrary issuer
				delete(f.entries, k)
				break
			}
		}
		e = &entry{thumbprints: tp, client: f.newClient(p.Thumbprints)}
		f.entries[p.URL] = e
	}
	f.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	now := f.opts.Now()
	fresh := e.keys != nil && now.Sub(e.fetched) < f.opts.TTL
	if fresh && (kid == "" || e.keys.has(kid) || now.Sub(e.attempted) < f.opts.MinRefetch) {
		return e.keys, nil
	}
	if !fresh && e.keys != nil && now.Sub(e.attempted) < f.opts.MinRefetch/10 {
		// A fetch failed just now; do not hammer the issuer.
		if now.Sub(e.fetched) < f.opts.TTL+f.opts.StaleFor {
			return e.keys, nil
		}
	}
	e.attempted = now
	ks, err := f.fetch(ctx, e.client, p.URL)
	if err != nil {
		f.opts.Logger.Warn("oidc: fetching keys failed", "issuer", p.URL, "err", err)
		if e.keys != nil && now.Sub(e.fetched) < f.opts.TTL+f.opts.StaleFor {
			return e.keys, nil
		}
		return nil, err
	}
	e.keys, e.fetched = ks, now
	return ks, nil
}

func (ks *KeySet) has(kid string) bool {
	for i := range ks.Keys {
		if ks.Keys[i].ID == kid {
			return true
		}
	}
	return false
}

// fetch reads the discovery document and the JWKS it names.
func (f *Fetcher) fetch(ctx context.Context, c *http.Client, issuer string) (*KeySet, error) {
	body, err := f.get(ctx, c, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration")
	if err != nil {
		return nil, err
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &disc); err != nil {
		return nil, fmt.Errorf("%w: discovery document: %v", ErrCommunication, err)
	}
	if strings.TrimSuffix(disc.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return nil, fmt.Errorf("%w: discovery issuer %q does not match %q", ErrCommunication, disc.Issuer, issuer)
	}
	if err := checkHTTPS(disc.JWKSURI); err != nil {
		return nil, fmt.Errorf("%w: jwks_uri: %v", ErrCommunication, err)
	}
	body, err = f.get(ctx, c, disc.JWKSURI)
	if err != nil {
		return nil, err
	}
	ks, err := ParseKeySet(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCommunication, err)
	}
	return ks, nil
}

// get fetches u with the bounds of the fetcher.
func (f *Fetcher) get(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCommunication, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		if errors.Is(err, ErrThumbprint) {
			return nil, ErrThumbprint
		}
		return nil, fmt.Errorf("%w: %v", ErrCommunication, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s: HTTP %d", ErrCommunication, u, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCommunication, err)
	}
	if int64(len(body)) > f.opts.MaxResponse {
		return nil, fmt.Errorf("%w: %s: response larger than %d bytes", ErrCommunication, u, f.opts.MaxResponse)
	}
	return body, nil
}

// checkHTTPS accepts only absolute https URLs without user information.
func checkHTTPS(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "https" || u.Host == "" || u.User != nil {
		return errors.New("not an https URL")
	}
	return nil
}

// newClient returns an HTTP client that trusts the CA pool or one of the
// thumbprints, follows no redirects and uses no proxy.
func (f *Fetcher) newClient(thumbprints []string) *http.Client {
	roots := f.opts.RootCAs
	tlsConf := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Verification happens in VerifyConnection, which also accepts a
		// chain anchored at a thumbprinted certificate.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyChain(cs, roots, thumbprints)
		},
	}
	dialer := &net.Dialer{Timeout: f.opts.Timeout}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    f.opts.Timeout,
		ResponseHeaderTimeout:  f.opts.Timeout,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   f.opts.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("redirects are not followed")
		},
	}
}

// verifyChain accepts the server's chain when it verifies against roots
// (the system pool when nil), or when the top certificate it presents has
// one of the thumbprints and the chain verifies with that certificate as
// the trust anchor. The host name is checked either way.
func verifyChain(cs tls.ConnectionState, roots *x509.CertPool, thumbprints []string) error {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return errors.New("oidc: no server certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter, Roots: roots}
	if _, err := certs[0].Verify(opts); err == nil {
		return nil
	}
	top := certs[len(certs)-1]
	sum := sha1.Sum(top.Raw)
	if !slices.Contains(thumbprints, hex.EncodeToString(sum[:])) {
		return ErrThumbprint
	}
	anchor := x509.NewCertPool()
	anchor.AddCert(top)
	opts.Roots = anchor
	if _, err := certs[0].Verify(opts); err != nil {
		return fmt.Errorf("%w: %v", ErrThumbprint, err)
	}
	return nil
}
