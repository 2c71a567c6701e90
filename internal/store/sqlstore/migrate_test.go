package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestMigrationsUnchanged pins the checksum of every released migration:
// a migration that has run somewhere must never change (add a new one
// instead). Run with -update after adding a migration.
func TestMigrationsUnchanged(t *testing.T) {
	var b strings.Builder
	for _, dir := range []string{"sqlite", "postgres"} {
		ms, err := loadMigrations(migrationFS, "migrations/"+dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			sum := sha256.Sum256([]byte(m.sql))
			b.WriteString(dir + "/" + m.name + " " + hex.EncodeToString(sum[:]) + "\n")
		}
	}
	golden := filepath.Join("testdata", "migrations.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	// Existing lines must stay; new lines need -update.
	for _, line := range strings.SplitAfter(string(want), "\n") {
		if line != "" && !strings.Contains(got, line) {
			t.Errorf("released migration changed or removed: %s", strings.TrimSpace(line))
		}
	}
	if got != string(want) {
		t.Errorf("migrations differ from %s; if you added one, run go test -run TestMigrationsUnchanged -update", golden)
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	for name, files := range map[string][]string{
		"gap":        {"m/0001_a.sql", "m/0003_c.sql"},
		"duplicate":  {"m/0001_a.sql", "m/0001_b.sql"},
		"unnumbered": {"m/init.sql"},
		"zero":       {"m/0000_a.sql"},
		"missing":    nil,
	} {
		fsys := fstest.MapFS{}
		for _, f := range files {
			fsys[f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
		}
		if _, err := loadMigrations(fsys, "m"); err == nil {
			t.Errorf("%s: loadMigrations accepted %v", name, files)
		}
	}
	ms, err := loadMigrations(fstest.MapFS{
		"m/0002_b.sql":   {Data: []byte("2")},
		"m/0001_a.sql":   {Data: []byte("1")},
		"m/README.md":    {Data: []byte("x")},
		"m/sub/0003.sql": {Data: []byte("3"), Mode: fs.ModeDir},
	}, "m")
	if err != nil || len(ms) != 2 || ms[0].sql != "1" || ms[1].version != 2 {
		t.Errorf("loadMigrations = %+v, %v", ms, err)
	}
}
