package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// freshPostgresDB creates an empty database on the server named by
// IAMD_TEST_POSTGRES_DSN and returns its URL; it is dropped after the test.
func freshPostgresDB(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("IAMD_TEST_POSTGRES_DSN")
	if dsn == "" {
		if requireClients() {
			t.Fatal("IAMD_TEST_POSTGRES_DSN not set (IAMD_E2E_REQUIRE_CLIENTS=1)")
		}
		t.Skip("IAMD_TEST_POSTGRES_DSN not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "iamd_e2e_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(context.Background())
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestPostgresTwoNodes runs two iamd nodes on one PostgreSQL database: a
// user and key created through one node authenticate at once on the other,
// a key disabled on one is refused by the other, and data survives a
// restart of both.
func TestPostgresTwoNodes(t *testing.T) {
	db := freshPostgresDB(t)
	a := startServer(t, fixedEnv(), "--store", db)
	b := startServer(t, fixedEnv(), "--store", db)
	root := fixedRoot()
	mustOK(t, a.awsV1(t, root, "iam", "create-user", "--user-name", "dora"))
	key := mustOK(t, a.awsV1(t, root, "iam", "create-access-key", "--user-name", "dora")).json(t)["AccessKey"].(map[string]any)
	dora := creds{AccessKeyID: key["AccessKeyId"].(string), SecretAccessKey: key["SecretAccessKey"].(string)}
	id := mustOK(t, b.awsV1(t, dora, "sts", "get-caller-identity")).json(t)
	if !strings.HasSuffix(id["Arn"].(string), ":user/dora") {
		t.Fatalf("node b: %v", id)
	}
	mustOK(t, b.awsV1(t, root, "iam", "update-access-key", "--user-name", "dora", "--access-key-id", dora.AccessKeyID, "--status", "Inactive"))
	mustFail(t, a.awsV1(t, dora, "sts", "get-caller-identity"), "InvalidClientTokenId")
	mustFail(t, b.awsV1(t, root, "iam", "create-user", "--user-name", "DORA"), "EntityAlreadyExists")
	a.restart()
	b.kill()
	users := mustOK(t, a.awsV1(t, root, "iam", "list-users")).json(t)["Users"].([]any)
	if len(users) != 1 || users[0].(map[string]any)["UserName"] != "dora" {
		t.Fatalf("after restart: %v", users)
	}
}
