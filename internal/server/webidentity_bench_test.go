package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// webIdentityBody is an unsigned AssumeRoleWithWebIdentity request with a
// fresh RS256 token for the role of webIdentitySetup.
func webIdentityBody(tb testing.TB) (http.Handler, string) {
	s, is, _ := webIdentitySetup(tb)
	tok := is.Sign("RS256", "rsa1", is.Claims("app", "alice"))
	body := form("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15", "RoleArn", "arn:aws:iam::123456789012:role/fed",
		"RoleSessionName", "bench", "WebIdentityToken", tok).Encode()
	// Warm the JWKS cache.
	if w := call(tb, s, "sts", nil, mustQuery(tb, body)); w.Code != 200 {
		tb.Fatal(w.Body.String())
	}
	return s, body
}

func mustQuery(tb testing.TB, body string) url.Values {
	v, err := url.ParseQuery(body)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

var trivialPOST = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`)
})

// BenchmarkWebIdentityInProcess measures one unsigned
// AssumeRoleWithWebIdentity (RS256, cached JWKS) through the handler:
// parse, token verification, provider and role reads, trust decision,
// sealing the session.
func BenchmarkWebIdentityInProcess(b *testing.B) {
	h, body := webIdentityBody(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}

// BenchmarkRatioWebIdentityHTTP measures throughput over loopback HTTP
// (keep-alive clients, as many as GOMAXPROCS×4) of AssumeRoleWithWebIdentity
// with a cached JWKS and of a trivial POST handler, in alternating rounds
// of the same run, and reports ratio = web identity throughput ÷ trivial
// handler throughput.
func BenchmarkRatioWebIdentityHTTP(b *testing.B) {
	h, body := webIdentityBody(b)
	web := httptest.NewServer(h)
	defer web.Close()
	triv := httptest.NewServer(trivialPOST)
	defer triv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	run := func(url string, n int) time.Duration {
		start := time.Now()
		done := make(chan struct{})
		work := make(chan struct{}, n)
		for range n {
			work <- struct{}{}
		}
		close(work)
		const workers = 8
		for range workers {
			go func() {
				defer func() { done <- struct{}{} }()
				for range work {
					resp, err := client.Post(url, "application/x-www-form-urlencoded; charset=utf-8", strings.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			}()
		}
		for range workers {
			<-done
		}
		return time.Since(start)
	}
	run(web.URL, 200)
	run(triv.URL, 200)
	b.ResetTimer()
	var tWeb, tTriv time.Duration
	n := 0
	for b.Loop() {
		n++
		if n%500 != 0 {
			continue
		}
		tWeb += run(web.URL, 500)
		tTriv += run(triv.URL, 500)
	}
	if tWeb > 0 {
		b.ReportMetric(float64(tTriv)/float64(tWeb), "ratio")
		b.ReportMetric(float64(tWeb.Nanoseconds())/float64(n), "web-ns/req")
		b.ReportMetric(float64(tTriv.Nanoseconds())/float64(n), "trivial-ns/req")
	}
}
