package sqlstore

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/store"
	"github.com/iamd/iamd/internal/store/storetest"
)

// postgresEnv names the PostgreSQL server the PostgreSQL tests use, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. Unset, they skip.
const postgresEnv = "IAMD_TEST_POSTGRES_DSN"

func openSQLite(t testing.TB, path string) *Store {
	t.Helper()
	s, err := OpenSQLite(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newSQLite(t testing.TB) *Store {
	return openSQLite(t, filepath.Join(t.TempDir(), "iamd.db"))
}

// postgresDSN returns a DSN whose search_path is a fresh schema, dropped
// when the test ends, so runs never see each other's tables. It skips the
// test when IAMD_TEST_POSTGRES_DSN is unset.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip(postgresEnv + " is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "iamd_test_" + hex.EncodeToString(b)
	db := rawPostgres(t, dsn)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	return withSearchPath(t, dsn, schema)
}

// rawPostgres opens a bare database/sql handle on dsn.
func rawPostgres(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

func openPostgres(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := OpenPostgres(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLite(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T) store.Store { return newSQLite(t) })
}

func TestPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	storetest.RunTests(t, func(t *testing.T) store.Store { return openPostgres(t, dsn) })
}

// backends runs fn against SQLite and, when configured, PostgreSQL.
func backends(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t, postgresDSN(t))) })
}

func TestReadsDoNotWaitForWrites(t *testing.T) {
	backends(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		existing := store.Key{Account: "111111111111", Kind: "user", Name: "existing"}
		pending := store.Key{Account: "111111111111", Kind: "user", Name: "pending"}
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, &store.Entity{Key: existing}) }); err != nil {
			t.Fatal(err)
		}
		started, readDone := make(chan struct{}), make(chan struct{})
		errc := make(chan error, 1)
		go func() {
			errc <- s.Update(ctx, func(tx store.Tx) error {
				if err := tx.Create(ctx, &store.Entity{Key: pending}); err != nil {
					return err
				}
				close(started)
				select {
				case <-readDone:
					return nil
				case <-time.After(30 * time.Second):
					return errors.New("reads blocked behind an open write transaction")
				}
			})
		}()
		select {
		case <-started:
		case err := <-errc:
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, existing); err != nil {
			t.Errorf("Get during a write transaction: %v", err)
		}
		if _, err := s.Get(ctx, pending); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("uncommitted entity visible outside its transaction: %v", err)
		}
		close(readDone)
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, pending); err != nil {
			t.Errorf("Get after commit: %v", err)
		}
	})
}

func TestMigrationsIdempotent(t *testing.T) {
	ms, err := loadMigrations(migrationFS, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pms, err := loadMigrations(migrationFS, "migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(pms) {
		t.Fatalf("%d SQLite migrations but %d PostgreSQL ones", len(ms), len(pms))
	}
	path := filepath.Join(t.TempDir(), "iamd.db")
	for range 3 {
		s, err := OpenSQLite(t.Context(), path, nil)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.writer.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if n != len(ms) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(ms))
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	backends(t, func(t *testing.T, s *Store) {
		if _, err := s.writer.Exec(s.d.placeholders("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)"), 9999, "9999_future.sql", 0); err != nil {
			t.Fatal(err)
		}
		var err error
		var again *Store
		if s.d.name == "sqlite" {
			var path string
			if err := s.writer.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
				t.Fatal(err)
			}
			again, err = OpenSQLite(t.Context(), path, nil)
		} else {
			var schema string
			if err := s.writer.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
				t.Fatal(err)
			}
			again, err = OpenPostgres(t.Context(), withSearchPath(t, os.Getenv(postgresEnv), schema), nil)
		}
		if err == nil {
			again.Close()
			t.Fatal("Open accepted a database with a newer schema")
		}
		if !strings.Contains(err.Error(), "newer") {
			t.Errorf("error %q does not explain the newer schema", err)
		}
	})
}

func TestPostgresConcurrentOpen(t *testing.T) {
	dsn := postgresDSN(t)
	const nodes = 5
	var wg sync.WaitGroup
	errs := make([]error, nodes)
	for i := range nodes {
		wg.Go(func() {
			s, err := OpenPostgres(t.Context(), dsn, nil)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
	s := openPostgres(t, dsn)
	var n int
	if err := s.writer.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("schema_migrations has %d rows, want 1", n)
	}
}

func TestSQLiteFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	dir := filepath.Join(t.TempDir(), "data", "iamd")
	s := openSQLite(t, filepath.Join(dir, "iamd.db"))
	if err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.Create(t.Context(), &store.Entity{Key: store.Key{Kind: "k", Name: "n"}})
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want fs.FileMode
	}{
		{dir, 0o700 | fs.ModeDir},
		{filepath.Dir(dir), 0o700 | fs.ModeDir},
		{filepath.Join(dir, "iamd.db"), 0o600},
		{filepath.Join(dir, "iamd.db-wal"), 0o600},
		{filepath.Join(dir, "iamd.db-shm"), 0o600},
	} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != tc.want {
			t.Errorf("%s: mode %v, want %v", tc.path, fi.Mode(), tc.want)
		}
	}
}

func TestSQLitePragmas(t *testing.T) {
	s := newSQLite(t)
	for _, tc := range []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.writer, "journal_mode", "wal"},
		{s.writer, "synchronous", "2"},
		{s.writer, "foreign_keys", "1"},
		{s.writer, "busy_timeout", "10000"},
		{s.read, "journal_mode", "wal"},
		{s.read, "query_only", "1"},
		{s.read, "busy_timeout", "10000"},
	} {
		var got string
		if err := tc.db.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
		}
	}
	if s.writer.Stats().MaxOpenConnections != 1 {
		t.Errorf("writer pool allows %d connections, want 1", s.writer.Stats().MaxOpenConnections)
	}
	if s.Backend() != "sqlite" {
		t.Errorf("Backend() = %q", s.Backend())
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestSQLiteTwoStoresOneFile checks that two stores on one file (two iamd
// processes by mistake, or a CLI beside the server) lose no updates.
func TestSQLiteTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iamd.db")
	var stores [2]*Store
	var wg sync.WaitGroup
	var openErrs [2]error
	for i := range stores {
		wg.Go(func() { stores[i], openErrs[i] = OpenSQLite(t.Context(), path, nil) })
	}
	wg.Wait()
	for i, s := range stores {
		if openErrs[i] != nil {
			t.Fatal(openErrs[i])
		}
		t.Cleanup(func() { s.Close() })
	}
	ctx := t.Context()
	key := store.Key{Kind: "counter", Name: "c"}
	if err := stores[0].Update(ctx, func(tx store.Tx) error {
		return tx.Create(ctx, &store.Entity{Key: key, Data: []byte("0")})
	}); err != nil {
		t.Fatal(err)
	}
	const per = 10
	errs := make(chan error, 2*per)
	for i := range 2 * per {
		wg.Go(func() {
			errs <- stores[i%2].Update(ctx, func(tx store.Tx) error {
				e, err := tx.Get(ctx, key)
				if err != nil {
					return err
				}
				n, _ := strconv.Atoi(string(e.Data))
				e.Data = []byte(strconv.Itoa(n + 1))
				return tx.Put(ctx, &e)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for _, s := range stores {
		e, err := s.Get(ctx, key)
		if err != nil || string(e.Data) != strconv.Itoa(2*per) {
			t.Errorf("counter = %q, %v; want %d", e.Data, err, 2*per)
		}
	}
}

// durabilityEnv, when set to a database path, turns the test binary into
// the child of TestSQLiteDurabilityAfterSIGKILL.
const durabilityEnv = "IAMD_SQLSTORE_DURABILITY_CHILD"

var ackLine = regexp.MustCompile(`^ok (\d+)$`)

func durabilityKey(i int) store.Key {
	return store.Key{Account: "123456789012", Kind: "user", Name: fmt.Sprintf("user%06d", i)}
}

// durabilityChild creates entities one transaction at a time and prints
// "ok N" after each Update returns, until it is killed.
func durabilityChild(path string) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, path, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(60 * time.Second) // never outlive a broken parent
	for i := 0; time.Now().Before(deadline); i++ {
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.Create(ctx, &store.Entity{Key: durabilityKey(i), Data: []byte(strconv.Itoa(i))})
		})
		if err != nil {
			fmt.Println("update:", err)
			os.Exit(2)
		}
		fmt.Printf("ok %d\n", i) // os.Stdout is unbuffered
	}
	os.Exit(3)
}

func TestSQLiteDurabilityAfterSIGKILL(t *testing.T) {
	if path := os.Getenv(durabilityEnv); path != "" {
		durabilityChild(path)
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	path := filepath.Join(t.TempDir(), "iamd.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteDurabilityAfterSIGKILL$", "-test.count=1")
	cmd.Env = append(os.Environ(), durabilityEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 150
	acked := map[int]bool{}
	sc := bufio.NewScanner(stdout)
	killed := false
	for sc.Scan() {
		m := ackLine.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Logf("child: %s", sc.Text())
			continue
		}
		i, _ := strconv.Atoi(m[1])
		acked[i] = true
		if len(acked) == killAfter && !killed {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			killed = true
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acknowledgements without being killed", len(acked))
	}

	s := openSQLite(t, path)
	var check string
	if err := s.writer.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for i := range acked {
		e, err := s.Get(t.Context(), durabilityKey(i))
		if err != nil {
			t.Errorf("acknowledged entity %d lost: %v", i, err)
			continue
		}
		if string(e.Data) != strconv.Itoa(i) {
			t.Errorf("entity %d has data %q", i, e.Data)
		}
	}
	n, err := s.Count(t.Context(), store.ListOptions{Account: "123456789012", Kind: "user"})
	if err != nil {
		t.Fatal(err)
	}
	// At most the one transaction in flight at the kill was committed
	// without its acknowledgement being read.
	if n < len(acked) || n > len(acked)+1 {
		t.Errorf("%d entities stored, %d acknowledged", n, len(acked))
	}
	t.Logf("%d acknowledged, %d stored after SIGKILL", len(acked), n)
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in, kind, target, err string
	}{
		{in: "postgres://u:secret@db:5432/iamd?sslmode=verify-full", kind: "postgres", target: "postgres://u:secret@db:5432/iamd?sslmode=verify-full"},
		{in: "postgresql://db/iamd", kind: "postgres", target: "postgresql://db/iamd"},
		{in: "POSTGRES://db/iamd", kind: "postgres", target: "POSTGRES://db/iamd"},
		{in: "sqlite:///var/lib/iamd/iamd.db", kind: "sqlite", target: "/var/lib/iamd/iamd.db"},
		{in: "sqlite:///var/lib/iamd%20data/iamd.db", kind: "sqlite", target: "/var/lib/iamd data/iamd.db"},
		{in: "sqlite:data/iamd.db", kind: "sqlite", target: "data/iamd.db"},
		{in: "/var/lib/iamd/iamd.db", kind: "sqlite", target: "/var/lib/iamd/iamd.db"},
		{in: "iamd.db", kind: "sqlite", target: "iamd.db"},
		{in: "./data:v2/iamd.db", kind: "sqlite", target: "./data:v2/iamd.db"},
		{in: "", err: "empty database URL"},
		{in: "postgres:db", err: "must start with postgres://"},
		{in: "sqlite://host/iamd.db", err: "sqlite:///absolute/path"},
		{in: "sqlite://user:pw@/iamd.db", err: "sqlite:///absolute/path"},
		{in: "sqlite:///iamd.db?mode=ro", err: "no query"},
		{in: "sqlite://", err: "no file path"},
		{in: "sqlite:", err: "no file path"},
		{in: "mysql://u:secret@db/iamd", err: `unsupported database URL scheme "mysql"`},
	} {
		kind, target, err := parseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseURL(%q) error %v, want %q", tc.in, err, tc.err)
			}
			if err != nil && (strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "\n")) {
				t.Errorf("parseURL(%q) error %q leaks the URL or spans lines", tc.in, err)
			}
			continue
		}
		if err != nil || kind != tc.kind || target != tc.target {
			t.Errorf("parseURL(%q) = %q, %q, %v; want %q, %q", tc.in, kind, target, err, tc.kind, tc.target)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for _, tc := range []struct{ in, err string }{
		{"mysql://db/iamd", "unsupported"},
		{":memory:", "not a database file path"},
		{"file:iamd.db", "not a database file path"},
		{filepath.Join(dir, "a?b.db"), "must not contain"},
		{dir, "store: sqlite"},
		{"postgres://u:secret@127.0.0.1:1/iamd?connect_timeout=1&sslmode=disable", "postgres: connect"},
		{"postgres://u:secret@[bad/iamd", "postgres"},
	} {
		s, err := Open(ctx, tc.in, nil)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", tc.in)
			continue
		}
		if !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Open(%q): %v, want %q", tc.in, err, tc.err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error leaks the password: %v", tc.in, err)
		}
	}
	s, err := Open(ctx, "sqlite://"+filepath.Join(dir, "ok.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestOpenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "iamd.db"), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenSQLite with a cancelled context: %v", err)
	}
}

func TestDollarNumbers(t *testing.T) {
	got := dollarNumbers("SELECT a FROM t WHERE b = ? AND (c > ? OR d = ?) LIMIT ?")
	want := "SELECT a FROM t WHERE b = $1 AND (c > $2 OR d = $3) LIMIT $4"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMarkerRoundTrip(t *testing.T) {
	for _, tc := range [][2]string{{"", ""}, {"", "alice"}, {"bob", "akia"}, {"é/ω", "x\x00y"}, {strings.Repeat("p", 300), "n"}} {
		m := encodeMarker(tc[0], tc[1])
		p, n, err := decodeMarker(m)
		if err != nil || p != tc[0] || n != tc[1] {
			t.Errorf("decode(encode(%q, %q)) = %q, %q, %v", tc[0], tc[1], p, n, err)
		}
		if strings.ContainsAny(m, "+/=") {
			t.Errorf("marker %q is not URL-safe", m)
		}
	}
}

func FuzzDecodeMarker(f *testing.F) {
	f.Add(encodeMarker("bob", "akia"))
	f.Add(encodeMarker("", ""))
	f.Add("AAAA")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, marker string) {
		p, n, err := decodeMarker(marker)
		if err != nil {
			if !errors.Is(err, store.ErrInvalidMarker) {
				t.Fatalf("error %v does not wrap ErrInvalidMarker", err)
			}
			return
		}
		// Whatever decodes must encode back to a marker naming the same
		// position.
		p2, n2, err := decodeMarker(encodeMarker(p, n))
		if err != nil || p2 != p || n2 != n {
			t.Fatalf("re-encoding %q, %q gave %q, %q, %v", p, n, p2, n2, err)
		}
	})
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"postgres://db/iamd", "sqlite:///a/b.db", "sqlite:x.db", "a.db", "x://y", "sqlite://h/p", "sqlite:%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		kind, target, err := parseURL(in)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if kind != "sqlite" && kind != "postgres" {
			t.Fatalf("kind %q", kind)
		}
		if target == "" {
			t.Fatal("empty target")
		}
	})
}

// TestMarkerFromOtherListing checks that any marker means "after this
// (parent, name) position", whichever listing it came from, so every
// simplified keyset condition in List agrees with the general one.
func TestMarkerFromOtherListing(t *testing.T) {
	backends(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		acct := "210987654321"
		parents := []string{"a", "B", "c"}
		names := []string{"x", "Y", "z"}
		if err := s.Update(ctx, func(tx store.Tx) error {
			for _, p := range parents {
				for _, n := range names {
					if err := tx.Create(ctx, &store.Entity{Key: store.Key{Account: acct, Kind: "k", Parent: p, Name: n}}); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// Markers at every position, and between positions.
		var markers [][2]string
		for _, p := range []string{"", "a", "b", "bb", "c", "d"} {
			for _, n := range []string{"", "x", "xx", "y", "z", "zz"} {
				markers = append(markers, [2]string{p, n})
			}
		}
		for _, m := range markers {
			for _, opts := range []store.ListOptions{
				{Account: acct, Kind: "k", AnyParent: true},
				{Account: acct, Kind: "k", Parent: "B"},
				{Account: acct, Kind: "k", AnyParent: true, Name: "y"},
				{Account: acct, Kind: "k", Parent: "b", Name: "Y"},
			} {
				opts.Marker = encodeMarker(m[0], m[1])
				page, err := s.List(ctx, opts)
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for _, e := range page.Items {
					got = append(got, e.Parent+"/"+e.Name)
				}
				for _, p := range parents {
					for _, n := range names {
						lp, ln := strings.ToLower(p), strings.ToLower(n)
						if !opts.AnyParent && lp != strings.ToLower(opts.Parent) || opts.Name != "" && ln != strings.ToLower(opts.Name) {
							continue
						}
						if lp > m[0] || lp == m[0] && ln > m[1] {
							want = append(want, p+"/"+n)
						}
					}
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("marker %q, opts parent %q any %v name %q: got %v, want %v", m, opts.Parent, opts.AnyParent, opts.Name, got, want)
				}
			}
		}
	})
}

// testGenerations: a commit on one Store moves the generation of that Store
// at once and of a second Store on the same database (another process or
// node) soon after; reads alone never move it.
func testGenerations(t *testing.T, a, b *Store) {
	t.Helper()
	ctx := context.Background()
	waitTracking := func(s *Store) uint64 {
		deadline := time.Now().Add(10 * time.Second)
		for {
			g, ok := s.Generation()
			if ok {
				return g
			}
			if time.Now().After(deadline) {
				t.Fatal("generation never tracked")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitTracking(a)
	waitTracking(b)
	// Let pollers settle so only the commit below moves the generations.
	time.Sleep(3 * sqlitePollInterval)
	ga, gb := waitTracking(a), waitTracking(b)
	if _, err := a.Get(ctx, store.Key{Account: "111111111111", Kind: "user", Name: "nobody"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	if g, _ := a.Generation(); g != ga {
		t.Fatalf("a read moved the generation: %d -> %d", ga, g)
	}
	err := a.Update(ctx, func(tx store.Tx) error {
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: "111111111111", Kind: "user", Name: "gen-" + strconv.FormatInt(time.Now().UnixNano(), 36)}, Data: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := a.Generation(); g == ga {
		t.Fatal("commit did not move the writer's generation")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if g, _ := b.Generation(); g != gb {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other store never saw the commit")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestGenerationsSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iamd.db")
	testGenerations(t, openSQLite(t, path), openSQLite(t, path))
}

func TestGenerationsPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	testGenerations(t, openPostgres(t, dsn), openPostgres(t, dsn))
}
