package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamd/iamd/internal/enforce"
	"github.com/iamd/iamd/internal/iamsvc"
	"github.com/iamd/iamd/internal/identity"
	"github.com/iamd/iamd/internal/store/sqlstore"
	"github.com/iamd/iamd/internal/stssvc"
)

// clock is a controllable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestSessionExpiry issues a 900-second session and checks it works until
// it expires, then answers ExpiredToken, with a controlled clock.
func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Now().UTC()}
	st, err := sqlstore.Open(ctx, "sqlite://"+t.TempDir()+"/iamd.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	iam := iamsvc.New(st, iamsvc.Options{Now: clk.now})
	if _, err := iam.Bootstrap(ctx, iamsvc.BootstrapInput{AccountID: benchAccount, AccessKeyID: benchKey, SecretAccessKey: benchSecret}); err != nil {
		t.Fatal(err)
	}
	iam.SetAuthorizer(enforce.New(iam, clk.now))
	keys, err := stssvc.LoadKeys(ctx, st, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	sts := stssvc.New(iam, stssvc.Options{Keys: keys, Now: clk.now})
	srv, err := New(Options{IAM: iam, STS: sts, LastUsed: iamsvc.NewLastUsed(iam), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	rootCtx := identity.With(ctx, &identity.Caller{Type: identity.Root, Account: benchAccount, ARN: identity.RootARN(benchAccount), UserID: benchAccount})
	d := int32(900)
	cr, err := sts.GetSessionToken(rootCtx, &d, "", "")
	if err != nil {
		t.Fatal(err)
	}
	call := func() *httptest.ResponseRecorder {
		body := "Action=GetCallerIdentity&Version=2011-06-15"
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: cr.AccessKeyID, SecretAccessKey: cr.SecretAccessKey, SessionToken: cr.SessionToken},
			req, hex.EncodeToString(h[:]), "sts", "us-east-1", clk.now()); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	if w := call(); w.Code != 200 || !strings.Contains(w.Body.String(), ":root</Arn>") {
		t.Fatalf("fresh session: %d %s", w.Code, w.Body.String())
	}
	clk.t = clk.t.Add(899 * time.Second)
	if w := call(); w.Code != 200 {
		t.Fatalf("at 899 s: %d %s", w.Code, w.Body.String())
	}
	clk.t = clk.t.Add(2 * time.Second)
	w := call()
	if w.Code != 403 || !strings.Contains(w.Body.String(), "<Code>ExpiredToken</Code>") ||
		!strings.Contains(w.Body.String(), "The security token included in the request is expired") {
		t.Fatalf("expired: %d %s", w.Code, w.Body.String())
	}
	// A key rotation keeps earlier sessions valid; a token sealed under the
	// new key opens on a node that has not reloaded yet.
	clk.t = clk.t.Add(-10 * time.Second)
	if err := keys.Rotate(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if w := call(); w.Code != 200 {
		t.Fatalf("after rotation: %d %s", w.Code, w.Body.String())
	}
	otherNode, err := stssvc.LoadKeys(ctx, st, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Rotate(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	cr2, err := sts.GetSessionToken(rootCtx, &d, "", "")
	if err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(2 * time.Second)
	if _, err := otherNode.Open(ctx, cr2.SessionToken); err != nil {
		t.Fatalf("other node could not open a token sealed after rotation: %v", err)
	}
}
