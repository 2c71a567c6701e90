package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamd/iamd/internal/store"
)

// RunTests runs the conformance suite. newStore is called once per subtest
// and must return a ready store; the constructor owns it (close it with
// t.Cleanup). Stores returned for different subtests may share one
// database: the suite never depends on it being empty.
func RunTests(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CreateGet", testCreateGet},
		{"CreateWritesBack", testCreateWritesBack},
		{"CaseInsensitiveKeys", testCaseInsensitiveKeys},
		{"UnicodeCaseFolding", testUnicodeCaseFolding},
		{"KeyScope", testKeyScope},
		{"IDUniqueness", testIDUniqueness},
		{"GetNotFound", testGetNotFound},
		{"DataRoundTrip", testDataRoundTrip},
		{"Put", testPut},
		{"PutConflict", testPutConflict},
		{"PutChangesIDAndPath", testPutChangesIDAndPath},
		{"PutDuplicateID", testPutDuplicateID},
		{"Delete", testDelete},
		{"ListChildren", testListChildren},
		{"ListAnyParentByName", testListAnyParentByName},
		{"ListPathPrefix", testListPathPrefix},
		{"ListOrder", testListOrder},
		{"Pagination", testPagination},
		{"PaginationConcurrentInserts", testPaginationConcurrentInserts},
		{"InvalidMarker", testInvalidMarker},
		{"Count", testCount},
		{"TxReadsOwnWrites", testTxReadsOwnWrites},
		{"UpdateRollback", testUpdateRollback},
		{"UpdatePanicRollsBack", testUpdatePanicRollsBack},
		{"ConcurrentCreateSameName", testConcurrentCreateSameName},
		{"ConcurrentCreateSameID", testConcurrentCreateSameID},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"QuotaUnderConcurrency", testQuotaUnderConcurrency},
		{"UTCRoundTrip", testUTCRoundTrip},
		{"ContextCancelled", testContextCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

// account returns a fresh random 12-digit account id.
func account(t testing.TB) string {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(1e12))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%012d", n)
}

// uniq returns prefix followed by 16 random upper-case hex digits, for ids
// that must be unique across runs against one database.
func uniq(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand.Read crashes the program instead)
	return prefix + strings.ToUpper(hex.EncodeToString(b))
}

// create stores e in its own transaction and returns it as written back.
func create(t testing.TB, s store.Store, e store.Entity) store.Entity {
	t.Helper()
	if err := s.Update(context.Background(), func(tx store.Tx) error {
		c := e
		if err := tx.Create(context.Background(), &c); err != nil {
			return err
		}
		e = c
		return nil
	}); err != nil {
		t.Fatalf("Create(%+v): %v", e.Key, err)
	}
	return e
}

// tryCreate returns Create's error.
func tryCreate(ctx context.Context, s store.Store, e store.Entity) error {
	return s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, &e) })
}

func put(ctx context.Context, s store.Store, e *store.Entity) error {
	return s.Update(ctx, func(tx store.Tx) error {
		c := *e
		if err := tx.Put(ctx, &c); err != nil {
			return err
		}
		*e = c
		return nil
	})
}

func del(ctx context.Context, s store.Store, k store.Key, version int64) error {
	return s.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, k, version) })
}

func mustGet(t testing.TB, s store.Reader, k store.Key) store.Entity {
	t.Helper()
	e, err := s.Get(context.Background(), k)
	if err != nil {
		t.Fatalf("Get(%+v): %v", k, err)
	}
	return e
}

// sameEntity fails unless got and want are equal field by field, with
// timestamps equal and in UTC.
func sameEntity(t testing.TB, got, want store.Entity) {
	t.Helper()
	if got.Key != want.Key || got.ID != want.ID || got.Path != want.Path || !bytes.Equal(got.Data, want.Data) || got.Version != want.Version {
		t.Fatalf("entity mismatch:\n got %+v\nwant %+v", brief(got), brief(want))
	}
	if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
		t.Fatalf("timestamps of %+v: got created %v updated %v, want %v %v", got.Key, got.Created, got.Updated, want.Created, want.Updated)
	}
	if got.Created.Location() != time.UTC || got.Updated.Location() != time.UTC {
		t.Fatalf("timestamps of %+v not UTC: %v %v", got.Key, got.Created.Location(), got.Updated.Location())
	}
}

// brief drops Data from an entity for messages.
func brief(e store.Entity) string {
	return fmt.Sprintf("{%+v ID:%q Path:%q Data:%dB Version:%d}", e.Key, e.ID, e.Path, len(e.Data), e.Version)
}

func names(items []store.Entity) []string {
	out := make([]string, len(items))
	for i, e := range items {
		out[i] = e.Parent + "/" + e.Name
	}
	return out
}

// listAll pages through opts with the given page size.
func listAll(t testing.TB, s store.Reader, opts store.ListOptions, limit int) []store.Entity {
	t.Helper()
	opts.Limit = limit
	var all []store.Entity
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("listing does not end")
		}
		p, err := s.List(context.Background(), opts)
		if err != nil {
			t.Fatalf("List(%+v): %v", opts, err)
		}
		if limit > 0 && len(p.Items) > limit {
			t.Fatalf("page of %d items for limit %d", len(p.Items), limit)
		}
		all = append(all, p.Items...)
		if p.NextMarker == "" {
			return all
		}
		if len(p.Items) == 0 {
			t.Fatal("empty page with a NextMarker")
		}
		opts.Marker = p.NextMarker
	}
}

// sortKey is the listing order: folded parent, then folded name, bytewise.
func sortKey(e store.Entity) [2]string {
	return [2]string{strings.ToLower(e.Parent), strings.ToLower(e.Name)}
}

func compareKeys(a, b store.Entity) int {
	ka, kb := sortKey(a), sortKey(b)
	if c := strings.Compare(ka[0], kb[0]); c != 0 {
		return c
	}
	return strings.Compare(ka[1], kb[1])
}

func testCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	e := create(t, s, store.Entity{
		Key:  store.Key{Account: acct, Kind: "user", Name: "Alice"},
		ID:   uniq("AIDA"),
		Path: "/engineering/",
		Data: []byte(`{"arn":"arn:aws:iam::` + acct + `:user/engineering/Alice"}`),
	})
	sameEntity(t, mustGet(t, s, e.Key), e)
	got, err := s.GetByID(ctx, e.ID)
	if err != nil {
		t.Fatalf("GetByID: %v", err)
	}
	sameEntity(t, got, e)

	child := create(t, s, store.Entity{
		Key:  store.Key{Account: acct, Kind: "accesskey", Parent: "Alice", Name: uniq("AKIA")},
		Data: []byte(`{}`),
	})
	sameEntity(t, mustGet(t, s, child.Key), child)

	// Installation-wide records have no account.
	global := create(t, s, store.Entity{Key: store.Key{Kind: uniq("keyring-"), Name: "current"}, Data: []byte("k")})
	sameEntity(t, mustGet(t, s, global.Key), global)
}

func testCreateWritesBack(t *testing.T, s store.Store) {
	e := store.Entity{Key: store.Key{Account: account(t), Kind: "role", Name: "r"}, Version: 42}
	e.Created = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	got := create(t, s, e)
	if got.Version != 1 {
		t.Errorf("Version = %d after Create, want 1", got.Version)
	}
	if got.Created.IsZero() || got.Created.Year() == 2001 || !got.Created.Equal(got.Updated) {
		t.Errorf("Created %v Updated %v: want both set to now and equal", got.Created, got.Updated)
	}
	sameEntity(t, mustGet(t, s, got.Key), got)
}

func testCaseInsensitiveKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	alice := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "Alice"}, Data: []byte("1")})
	for _, name := range []string{"alice", "ALICE", "aLiCe", "Alice"} {
		err := tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: name}, Data: []byte("2")})
		if !errors.Is(err, store.ErrExists) {
			t.Errorf("Create %q after \"Alice\": %v, want ErrExists", name, err)
		}
		got := mustGet(t, s, store.Key{Account: acct, Kind: "user", Name: name})
		sameEntity(t, got, alice)
		if got.Name != "Alice" {
			t.Errorf("Get(%q).Name = %q, want the original \"Alice\"", name, got.Name)
		}
	}
	// Parents compare case-insensitively too.
	k := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "userpolicy", Parent: "Alice", Name: "Inline"}})
	if err := tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "userpolicy", Parent: "ALICE", Name: "INLINE"}}); !errors.Is(err, store.ErrExists) {
		t.Errorf("Create with parent and name in another case: %v, want ErrExists", err)
	}
	got := mustGet(t, s, store.Key{Account: acct, Kind: "userpolicy", Parent: "aLICE", Name: "inline"})
	sameEntity(t, got, k)
	// Put and Delete find the entity whatever the case; the stored key keeps
	// its original case.
	upd := got
	upd.Key = store.Key{Account: acct, Kind: "userpolicy", Parent: "alice", Name: "INLINE"}
	upd.Data = []byte("v2")
	if err := put(ctx, s, &upd); err != nil {
		t.Fatalf("Put with the key in another case: %v", err)
	}
	got = mustGet(t, s, k.Key)
	if got.Parent != "Alice" || got.Name != "Inline" || string(got.Data) != "v2" {
		t.Errorf("after Put: %s parent %q name %q data %q; want original case kept and data v2", brief(got), got.Parent, got.Name, got.Data)
	}
	if err := del(ctx, s, store.Key{Account: acct, Kind: "userpolicy", Parent: "ALICE", Name: "inline"}, got.Version); err != nil {
		t.Fatalf("Delete with the key in another case: %v", err)
	}
	if _, err := s.Get(ctx, k.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
}

func testUnicodeCaseFolding(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	e := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "ÉLODIE-Ω"}})
	if err := tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "élodie-ω"}}); !errors.Is(err, store.ErrExists) {
		t.Errorf("Create of the lower-case Unicode name: %v, want ErrExists", err)
	}
	sameEntity(t, mustGet(t, s, store.Key{Account: acct, Kind: "user", Name: "Élodie-ω"}), e)
}

func testKeyScope(t *testing.T, s store.Store) {
	ctx := t.Context()
	a1, a2 := account(t), account(t)
	keys := []store.Key{
		{Account: a1, Kind: "user", Name: "Bob"},
		{Account: a2, Kind: "user", Name: "Bob"},              // other account
		{Account: a1, Kind: "role", Name: "Bob"},              // other kind
		{Account: a1, Kind: "user", Parent: "x", Name: "Bob"}, // other parent
		{Account: a1, Kind: "User", Name: "Bob"},              // kinds compare exactly
	}
	for i, k := range keys {
		e := create(t, s, store.Entity{Key: k, Data: []byte(strconv.Itoa(i))})
		sameEntity(t, mustGet(t, s, k), e)
	}
	if err := tryCreate(ctx, s, store.Entity{Key: keys[0]}); !errors.Is(err, store.ErrExists) {
		t.Errorf("second Create of %+v: %v, want ErrExists", keys[0], err)
	}
}

func testIDUniqueness(t *testing.T, s store.Store) {
	ctx := t.Context()
	a1, a2 := account(t), account(t)
	id := uniq("AIDA")
	user := create(t, s, store.Entity{Key: store.Key{Account: a1, Kind: "user", Name: "u"}, ID: id})
	for _, k := range []store.Key{
		{Account: a1, Kind: "user", Name: "other"},
		{Account: a2, Kind: "user", Name: "u"},
		{Account: a2, Kind: "role", Name: "r"},
	} {
		err := tryCreate(ctx, s, store.Entity{Key: k, ID: id})
		if !errors.Is(err, store.ErrExists) {
			t.Errorf("Create %+v with a taken id: %v, want ErrExists", k, err)
		}
		if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("entity %+v was stored despite the id clash: %v", k, err)
		}
	}
	got, err := s.GetByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sameEntity(t, got, user)
	// Empty ids are not unique.
	for i := range 3 {
		create(t, s, store.Entity{Key: store.Key{Account: a1, Kind: "noid", Name: strconv.Itoa(i)}})
	}
	if _, err := s.GetByID(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf(`GetByID(""): %v, want ErrNotFound`, err)
	}
	// Ids compare exactly.
	if _, err := s.GetByID(ctx, strings.ToLower(id)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetByID(lower-case id): %v, want ErrNotFound", err)
	}
}

func testGetNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "present"}})
	for _, k := range []store.Key{
		{Account: acct, Kind: "user", Name: "absent"},
		{Account: acct, Kind: "role", Name: "present"},
		{Account: acct, Kind: "user", Parent: "present", Name: "present"},
		{Account: account(t), Kind: "user", Name: "present"},
	} {
		if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%+v): %v, want ErrNotFound", k, err)
		}
	}
	if _, err := s.GetByID(ctx, uniq("AIDA")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetByID(unknown): %v, want ErrNotFound", err)
	}
}

func testDataRoundTrip(t *testing.T, s store.Store) {
	acct := account(t)
	big := make([]byte, 256<<10)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	for i, data := range [][]byte{nil, {}, {0}, []byte("\x00\xff\xfe binary"), []byte(`{"a":"ü"}`), big} {
		e := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "blob", Name: strconv.Itoa(i)}, Data: data})
		got := mustGet(t, s, e.Key)
		if !bytes.Equal(got.Data, data) {
			t.Errorf("data %d: got %d bytes, want %d", i, len(got.Data), len(data))
		}
	}
}

func testPut(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := create(t, s, store.Entity{Key: store.Key{Account: account(t), Kind: "role", Name: "Admin"}, ID: uniq("AROA"), Path: "/", Data: []byte("v1")})
	created := e.Created
	for v := int64(1); v <= 3; v++ {
		e.Data = []byte(fmt.Sprintf("v%d", v+1))
		if err := put(ctx, s, &e); err != nil {
			t.Fatalf("Put at version %d: %v", v, err)
		}
		if e.Version != v+1 {
			t.Fatalf("Version after Put = %d, want %d", e.Version, v+1)
		}
		if !e.Created.Equal(created) || e.Updated.Before(e.Created) || e.Updated.Location() != time.UTC {
			t.Fatalf("after Put: Created %v (was %v) Updated %v", e.Created, created, e.Updated)
		}
		sameEntity(t, mustGet(t, s, e.Key), e)
	}
	// Put does not create.
	missing := store.Entity{Key: store.Key{Account: e.Account, Kind: "role", Name: "missing"}, Version: 1}
	if err := put(ctx, s, &missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Put of a missing entity: %v, want ErrNotFound", err)
	}
	if _, err := s.Get(ctx, missing.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Put created an entity: %v", err)
	}
}

func testPutConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	e := create(t, s, store.Entity{Key: store.Key{Account: account(t), Kind: "user", Name: "u"}, ID: uniq("AIDA"), Path: "/a/", Data: []byte("original")})
	fresh := e
	fresh.Data = []byte("second")
	if err := put(ctx, s, &fresh); err != nil {
		t.Fatal(err)
	}
	for _, stale := range []int64{e.Version, 0, fresh.Version + 1, -1} {
		c := e
		c.Version = stale
		c.Data, c.Path, c.ID = []byte("stale"), "/stale/", uniq("AIDA")
		if err := put(ctx, s, &c); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Put with version %d (stored %d): %v, want ErrConflict", stale, fresh.Version, err)
		}
		if c.Version != stale {
			t.Errorf("failed Put changed the caller's Version to %d", c.Version)
		}
		sameEntity(t, mustGet(t, s, e.Key), fresh)
		if _, err := s.GetByID(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("failed Put stored its id: %v", err)
		}
	}
}

func testPutChangesIDAndPath(t *testing.T, s store.Store) {
	ctx := t.Context()
	oldID, newID := uniq("AIDA"), uniq("AIDA")
	e := create(t, s, store.Entity{Key: store.Key{Account: account(t), Kind: "user", Name: "mover"}, ID: oldID, Path: "/old/"})
	e.ID, e.Path = newID, "/new/"
	if err := put(ctx, s, &e); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetByID(ctx, oldID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetByID(old id): %v, want ErrNotFound", err)
	}
	got, err := s.GetByID(ctx, newID)
	if err != nil {
		t.Fatal(err)
	}
	sameEntity(t, got, e)
	// The old id is free again.
	create(t, s, store.Entity{Key: store.Key{Account: e.Account, Kind: "user", Name: "other"}, ID: oldID})
	// Clearing the id is allowed.
	e.ID = ""
	if err := put(ctx, s, &e); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetByID(ctx, newID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetByID after clearing the id: %v, want ErrNotFound", err)
	}
}

func testPutDuplicateID(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	a := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "a"}, ID: uniq("AIDA")})
	b := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "b"}, ID: uniq("AIDA")})
	c := b
	c.ID = a.ID
	if err := put(ctx, s, &c); !errors.Is(err, store.ErrExists) {
		t.Errorf("Put taking another entity's id: %v, want ErrExists", err)
	}
	sameEntity(t, mustGet(t, s, b.Key), b)
	// The transaction stays usable after the refused Put.
	err := s.Update(ctx, func(tx store.Tx) error {
		c := b
		c.ID = a.ID
		if err := tx.Put(ctx, &c); !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("Put taking another entity's id: %v, want ErrExists", err)
		}
		c = b
		c.Data = []byte("after")
		return tx.Put(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, b.Key); string(got.Data) != "after" || got.ID != b.ID {
		t.Errorf("after refused then good Put: %s data %q", brief(got), got.Data)
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	id := uniq("AIDA")
	e := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "Gone"}, ID: id})
	e.Data = []byte("v2")
	if err := put(ctx, s, &e); err != nil {
		t.Fatal(err)
	}
	if err := del(ctx, s, e.Key, 1); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Delete with a stale version: %v, want ErrConflict", err)
	}
	sameEntity(t, mustGet(t, s, e.Key), e)
	if err := del(ctx, s, e.Key, e.Version); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, e.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if _, err := s.GetByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetByID after Delete: %v", err)
	}
	for _, v := range []int64{0, 1, 2} {
		if err := del(ctx, s, e.Key, v); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete(version %d) of a missing entity: %v, want ErrNotFound", v, err)
		}
	}
	// Name and id can be reused; version 0 deletes unconditionally.
	again := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "gone"}, ID: id})
	if again.Version != 1 {
		t.Errorf("re-created Version = %d, want 1", again.Version)
	}
	again.Data = []byte("x")
	if err := put(ctx, s, &again); err != nil {
		t.Fatal(err)
	}
	if err := del(ctx, s, again.Key, 0); err != nil {
		t.Errorf("unconditional Delete: %v", err)
	}
}

// family creates users and their access keys in a fresh account.
func family(t *testing.T, s store.Store) (acct string, keys map[string][]store.Entity) {
	acct = account(t)
	keys = map[string][]store.Entity{}
	err := s.Update(t.Context(), func(tx store.Tx) error {
		clear(keys)
		for _, user := range []string{"Carol", "alice", "Bob"} {
			u := store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: user}}
			if err := tx.Create(t.Context(), &u); err != nil {
				return err
			}
			for i := range 3 {
				k := store.Entity{Key: store.Key{Account: acct, Kind: "accesskey", Parent: user, Name: fmt.Sprintf("AKIA%d%s", i, strings.ToUpper(user))}}
				if err := tx.Create(t.Context(), &k); err != nil {
					return err
				}
				keys[strings.ToLower(user)] = append(keys[strings.ToLower(user)], k)
			}
		}
		// A same-named kind in another account must never show up.
		other := store.Entity{Key: store.Key{Account: account(t), Kind: "accesskey", Parent: "alice", Name: "AKIA0ALICE"}}
		return tx.Create(t.Context(), &other)
	})
	if err != nil {
		t.Fatal(err)
	}
	return acct, keys
}

func testListChildren(t *testing.T, s store.Store) {
	acct, keys := family(t, s)
	for _, parent := range []string{"alice", "ALICE", "Bob", "carol"} {
		got := listAll(t, s, store.ListOptions{Account: acct, Kind: "accesskey", Parent: parent}, 0)
		want := keys[strings.ToLower(parent)]
		if !slices.Equal(names(got), names(want)) {
			t.Errorf("children of %q: %v, want %v", parent, names(got), names(want))
		}
	}
	if got := listAll(t, s, store.ListOptions{Account: acct, Kind: "accesskey", Parent: "nobody"}, 0); len(got) != 0 {
		t.Errorf("children of a missing parent: %v", names(got))
	}
	// Top-level listing: Parent "" without AnyParent.
	users := listAll(t, s, store.ListOptions{Account: acct, Kind: "user"}, 0)
	if want := []string{"/alice", "/Bob", "/Carol"}; !slices.Equal(names(users), want) {
		t.Errorf("users: %v, want %v", names(users), want)
	}
	if got := listAll(t, s, store.ListOptions{Account: acct, Kind: "accesskey"}, 0); len(got) != 0 {
		t.Errorf("access keys with Parent \"\" and no AnyParent: %v, want none", names(got))
	}
	all := listAll(t, s, store.ListOptions{Account: acct, Kind: "accesskey", AnyParent: true}, 0)
	want := slices.Concat(keys["alice"], keys["bob"], keys["carol"])
	if !slices.Equal(names(all), names(want)) {
		t.Errorf("all access keys: %v, want %v", names(all), names(want))
	}
	// Name within one parent.
	got := listAll(t, s, store.ListOptions{Account: acct, Kind: "accesskey", Parent: "bob", Name: "akia1bob"}, 0)
	if len(got) != 1 || got[0].Name != "AKIA1BOB" {
		t.Errorf("Name filter within a parent: %v", names(got))
	}
}

func testListAnyParentByName(t *testing.T, s store.Store) {
	acct := account(t)
	arn := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	var want []store.Entity
	for _, role := range []string{"zeta", "Alpha", "mid"} {
		want = append(want, create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "roleattach", Parent: role, Name: arn}}))
		create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "roleattach", Parent: role, Name: arn + "2"}})
	}
	create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "userattach", Parent: "u", Name: arn}})
	slices.SortFunc(want, compareKeys)
	for _, name := range []string{arn, strings.ToUpper(arn)} {
		for _, limit := range []int{0, 1, 2} {
			got := listAll(t, s, store.ListOptions{Account: acct, Kind: "roleattach", AnyParent: true, Name: name}, limit)
			if !slices.Equal(names(got), names(want)) {
				t.Errorf("attachments of %q (limit %d): %v, want %v", name, limit, names(got), names(want))
			}
		}
	}
	n, err := s.Count(t.Context(), store.ListOptions{Account: acct, Kind: "roleattach", AnyParent: true, Name: arn})
	if err != nil || n != 3 {
		t.Errorf("Count of attachments = %d, %v; want 3", n, err)
	}
}

func testListPathPrefix(t *testing.T, s store.Store) {
	acct := account(t)
	paths := map[string]string{
		"root":    "/",
		"a":       "/a/",
		"ab":      "/a/b/",
		"upper":   "/A/",
		"percent": "/a%/",
		"under":   "/a_b/",
		"axb":     "/axb/",
		"unicode": "/é/x/",
		"nopath":  "",
	}
	for name, p := range paths {
		create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "role", Name: name}, Path: p})
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"a", "ab", "axb", "nopath", "percent", "root", "under", "unicode", "upper"}},
		{"/", []string{"a", "ab", "axb", "percent", "root", "under", "unicode", "upper"}},
		{"/a/", []string{"a", "ab"}},
		{"/a", []string{"a", "ab", "axb", "percent", "under"}},
		{"/A", []string{"upper"}},
		{"/a%", []string{"percent"}},
		{"/a_", []string{"under"}},
		{"/a_b/", []string{"under"}},
		{"%", nil},
		{"_", nil},
		{"/é/", []string{"unicode"}},
		{"/a/b/c/", nil},
	} {
		opts := store.ListOptions{Account: acct, Kind: "role", PathPrefix: tc.prefix}
		got := listAll(t, s, opts, 0)
		var gotNames []string
		for _, e := range got {
			gotNames = append(gotNames, e.Name)
		}
		if !slices.Equal(gotNames, tc.want) {
			t.Errorf("PathPrefix %q: %v, want %v", tc.prefix, gotNames, tc.want)
		}
		if paged := listAll(t, s, opts, 2); !slices.Equal(names(paged), names(got)) {
			t.Errorf("PathPrefix %q paged by 2: %v, want %v", tc.prefix, names(paged), names(got))
		}
		n, err := s.Count(t.Context(), opts)
		if err != nil || n != len(tc.want) {
			t.Errorf("Count PathPrefix %q = %d, %v; want %d", tc.prefix, n, err, len(tc.want))
		}
	}
}

// orderNames are mixed-case, punctuated and non-ASCII names whose listing
// order is bytewise on strings.ToLower.
var orderNames = []string{"b", "A", "c", "B2", "a1", "Zeta", "éclair", "Éa", "_x", "-y", "a.b", "a+b", "a=b", "a,b", "a@b", "Z", "0", "9z", "ω", "Ω1"}

func testListOrder(t *testing.T, s store.Store) {
	acct := account(t)
	var want []store.Entity
	for i, parent := range []string{"p", "P2", "é", ""} {
		for _, name := range orderNames[i*3 : i*3+8] {
			want = append(want, create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "thing", Parent: parent, Name: name}}))
		}
	}
	slices.SortFunc(want, compareKeys)
	got := listAll(t, s, store.ListOptions{Account: acct, Kind: "thing", AnyParent: true}, 0)
	if !slices.Equal(names(got), names(want)) {
		t.Errorf("order:\n got %q\nwant %q", names(got), names(want))
	}
	for i := range got {
		if i < len(want) {
			sameEntity(t, got[i], want[i])
		}
	}
}

func testPagination(t *testing.T, s store.Store) {
	acct := account(t)
	var want []store.Entity
	err := s.Update(t.Context(), func(tx store.Tx) error {
		want = want[:0]
		for i, name := range orderNames[:13] {
			e := store.Entity{Key: store.Key{Account: acct, Kind: "thing", Parent: []string{"x", "Y"}[i%2], Name: name}}
			if err := tx.Create(t.Context(), &e); err != nil {
				return err
			}
			want = append(want, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, compareKeys)
	n := len(want)
	for limit := 0; limit <= n+1; limit++ {
		opts := store.ListOptions{Account: acct, Kind: "thing", AnyParent: true, Limit: limit}
		var got []store.Entity
		pages := 0
		for {
			p, err := s.List(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			got = append(got, p.Items...)
			if limit > 0 && p.NextMarker != "" && len(p.Items) != limit {
				t.Errorf("limit %d: short page of %d with a NextMarker", limit, len(p.Items))
			}
			if p.NextMarker == "" {
				break
			}
			if pages > n+1 {
				t.Fatalf("limit %d: too many pages", limit)
			}
			opts.Marker = p.NextMarker
		}
		if !slices.Equal(names(got), names(want)) {
			t.Errorf("limit %d: %v, want %v", limit, names(got), names(want))
		}
		wantPages := 1
		if limit > 0 {
			wantPages = max(1, (n+limit-1)/limit)
		}
		if pages != wantPages {
			t.Errorf("limit %d: %d pages, want %d (no empty trailing page)", limit, pages, wantPages)
		}
	}
	// One parent, paged.
	var wantX []string
	for _, e := range want {
		if e.Parent == "x" {
			wantX = append(wantX, e.Parent+"/"+e.Name)
		}
	}
	if got := listAll(t, s, store.ListOptions{Account: acct, Kind: "thing", Parent: "X"}, 2); !slices.Equal(names(got), wantX) {
		t.Errorf("parent x paged: %v, want %v", names(got), wantX)
	}
	// A listing with nothing to return.
	p, err := s.List(t.Context(), store.ListOptions{Account: acct, Kind: "none", Limit: 5})
	if err != nil || len(p.Items) != 0 || p.NextMarker != "" {
		t.Errorf("empty listing: %+v, %v", p, err)
	}
}

func testPaginationConcurrentInserts(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	var original []store.Entity
	err := s.Update(ctx, func(tx store.Tx) error {
		original = original[:0]
		for i := 0; i < 40; i += 2 {
			e := store.Entity{Key: store.Key{Account: acct, Kind: "thing", Name: fmt.Sprintf("n%03d", i)}}
			if err := tx.Create(ctx, &e); err != nil {
				return err
			}
			original = append(original, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Insert odd names (and names before and after the range) while paging.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		i := 1
		for {
			select {
			case <-stop:
				return
			default:
			}
			if i > 41 {
				return
			}
			for _, name := range []string{fmt.Sprintf("n%03d", i), fmt.Sprintf("a%03d", i), fmt.Sprintf("z%03d", i)} {
				if err := tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "thing", Name: name}}); err != nil {
					t.Errorf("concurrent Create: %v", err)
					return
				}
			}
			i += 2
		}
	})
	opts := store.ListOptions{Account: acct, Kind: "thing", Limit: 3}
	var got []store.Entity
	for {
		p, err := s.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Items...)
		// Deterministic inserts between pages too: just before and just
		// after the marker position.
		if len(p.Items) > 0 {
			last := p.Items[len(p.Items)-1].Name
			for _, name := range []string{last + "-", last + "+"} {
				if err := tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "thing", Name: name}}); err != nil && !errors.Is(err, store.ErrExists) {
					t.Fatal(err)
				}
			}
		}
		if p.NextMarker == "" {
			break
		}
		opts.Marker = p.NextMarker
	}
	close(stop)
	wg.Wait()
	seen := map[string]int{}
	for i, e := range got {
		seen[e.Name]++
		if i > 0 && compareKeys(got[i-1], e) >= 0 {
			t.Errorf("out of order: %q then %q", got[i-1].Name, e.Name)
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%q listed %d times", name, n)
		}
	}
	for _, e := range original {
		if seen[e.Name] != 1 {
			t.Errorf("original %q listed %d times, want once", e.Name, seen[e.Name])
		}
	}
}

func testInvalidMarker(t *testing.T, s store.Store) {
	acct := account(t)
	for i := range 3 {
		create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "thing", Name: strconv.Itoa(i)}})
	}
	for _, marker := range []string{
		"!!!",
		"not a marker",
		"AAAA",
		base64.RawURLEncoding.EncodeToString([]byte{0xff, 0xff, 0xff}),
		base64.RawURLEncoding.EncodeToString([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}),
		base64.StdEncoding.EncodeToString([]byte("=+/=")),
		strings.Repeat("A", 100000),
	} {
		_, err := s.List(t.Context(), store.ListOptions{Account: acct, Kind: "thing", Marker: marker, Limit: 1})
		if !errors.Is(err, store.ErrInvalidMarker) {
			t.Errorf("List with marker %.20q: %v, want ErrInvalidMarker", marker, err)
		}
	}
}

func testCount(t *testing.T, s store.Store) {
	acct, keys := family(t, s)
	for _, tc := range []struct {
		opts store.ListOptions
		want int
	}{
		{store.ListOptions{Account: acct, Kind: "user"}, 3},
		{store.ListOptions{Account: acct, Kind: "user", Limit: 1, Marker: "ignored"}, 3},
		{store.ListOptions{Account: acct, Kind: "accesskey", Parent: "ALICE"}, len(keys["alice"])},
		{store.ListOptions{Account: acct, Kind: "accesskey", AnyParent: true}, 9},
		{store.ListOptions{Account: acct, Kind: "accesskey", AnyParent: true, Name: "akia0bob"}, 1},
		{store.ListOptions{Account: acct, Kind: "accesskey"}, 0},
		{store.ListOptions{Account: acct, Kind: "missing"}, 0},
		{store.ListOptions{Account: account(t), Kind: "user"}, 0},
	} {
		n, err := s.Count(t.Context(), tc.opts)
		if err != nil || n != tc.want {
			t.Errorf("Count(%+v) = %d, %v; want %d", tc.opts, n, err, tc.want)
		}
	}
}

func testTxReadsOwnWrites(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	old := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "old"}})
	id := uniq("AIDA")
	err := s.Update(ctx, func(tx store.Tx) error {
		e := store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "New"}, ID: id}
		if err := tx.Create(ctx, &e); err != nil {
			return err
		}
		if got, err := tx.Get(ctx, store.Key{Account: acct, Kind: "user", Name: "new"}); err != nil || got.Version != 1 {
			return fmt.Errorf("Get in tx: %+v, %v", got, err)
		}
		if got, err := tx.GetByID(ctx, id); err != nil || got.Name != "New" {
			return fmt.Errorf("GetByID in tx: %+v, %v", got, err)
		}
		if err := tx.Delete(ctx, old.Key, old.Version); err != nil {
			return err
		}
		p, err := tx.List(ctx, store.ListOptions{Account: acct, Kind: "user"})
		if err != nil || len(p.Items) != 1 || p.Items[0].Name != "New" {
			return fmt.Errorf("List in tx: %v, %v", names(p.Items), err)
		}
		n, err := tx.Count(ctx, store.ListOptions{Account: acct, Kind: "user"})
		if err != nil || n != 1 {
			return fmt.Errorf("Count in tx: %d, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// errRollback is returned by transactions that must roll back.
var errRollback = errors.New("storetest: roll back")

func testUpdateRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	keep := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "keep"}, Data: []byte("v1")})
	doomed := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "doomed"}})
	id := uniq("AIDA")
	returned := fmt.Errorf("quota check failed: %w", errRollback)
	err := s.Update(ctx, func(tx store.Tx) error {
		e := store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "phantom"}, ID: id}
		if err := tx.Create(ctx, &e); err != nil {
			return err
		}
		k := keep
		k.Data = []byte("v2")
		if err := tx.Put(ctx, &k); err != nil {
			return err
		}
		if err := tx.Delete(ctx, doomed.Key, 0); err != nil {
			return err
		}
		return returned
	})
	if err != returned || !errors.Is(err, errRollback) { //nolint:errorlint // identity is the point
		t.Fatalf("Update returned %v, want fn's error unchanged", err)
	}
	if _, err := s.Get(ctx, store.Key{Account: acct, Kind: "user", Name: "phantom"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("created entity survived the rollback: %v", err)
	}
	if _, err := s.GetByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("created id survived the rollback: %v", err)
	}
	sameEntity(t, mustGet(t, s, keep.Key), keep)
	sameEntity(t, mustGet(t, s, doomed.Key), doomed)

	// A store error returned by fn keeps its identity too.
	err = s.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Get(ctx, store.Key{Account: acct, Kind: "user", Name: "absent"})
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Update returning Get's error: %v, want ErrNotFound", err)
	}

	// The transaction must not be usable after Update returns.
	var leaked store.Tx
	if err := s.Update(ctx, func(tx store.Tx) error { leaked = tx; return nil }); err != nil {
		t.Fatal(err)
	}
	e := store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "late"}}
	if err := leaked.Create(ctx, &e); err == nil {
		t.Error("Create on a finished transaction succeeded")
	}
	if _, err := s.Get(ctx, e.Key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Create on a finished transaction stored the entity: %v", err)
	}
}

func testUpdatePanicRollsBack(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the panic to propagate", r)
			}
		}()
		_ = s.Update(ctx, func(tx store.Tx) error {
			e := store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "panicky"}}
			if err := tx.Create(ctx, &e); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if _, err := s.Get(ctx, store.Key{Account: acct, Kind: "user", Name: "panicky"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("entity created before a panic survived: %v", err)
	}
	// The store still works (the connection was released).
	create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "after"}})
}

// parallel runs fn(i) for i in [0, n) at once and returns the errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func testConcurrentCreateSameName(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	variants := []string{"Shared", "shared", "SHARED", "sHaReD"}
	errs := parallel(30, func(i int) error {
		return tryCreate(ctx, s, store.Entity{
			Key:  store.Key{Account: acct, Kind: "user", Name: variants[i%len(variants)]},
			Data: []byte(strconv.Itoa(i)),
		})
	})
	winners := 0
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
			winner = i
		case !errors.Is(err, store.ErrExists):
			t.Errorf("goroutine %d: %v, want nil or ErrExists", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d creates won, want exactly 1", winners)
	}
	got := mustGet(t, s, store.Key{Account: acct, Kind: "user", Name: "shared"})
	if string(got.Data) != strconv.Itoa(winner) || got.Name != variants[winner%len(variants)] || got.Version != 1 {
		t.Errorf("stored %s data %q, want the winner's (%d)", brief(got), got.Data, winner)
	}
}

func testConcurrentCreateSameID(t *testing.T, s store.Store) {
	ctx := t.Context()
	acct := account(t)
	id := uniq("AKIA")
	errs := parallel(20, func(i int) error {
		return tryCreate(ctx, s, store.Entity{Key: store.Key{Account: acct, Kind: "accesskey", Parent: "u", Name: strconv.Itoa(i)}, ID: id})
	})
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case !errors.Is(err, store.ErrExists):
			t.Errorf("goroutine %d: %v, want nil or ErrExists", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d creates won, want exactly 1", winners)
	}
	if n, err := s.Count(ctx, store.ListOptions{Account: acct, Kind: "accesskey", Parent: "u"}); err != nil || n != 1 {
		t.Errorf("Count = %d, %v; want 1", n, err)
	}
}

func testConcurrentIncrements(t *testing.T, s store.Store) {
	ctx := t.Context()
	const n = 20
	counter := create(t, s, store.Entity{Key: store.Key{Account: account(t), Kind: "counter", Name: "c"}, Data: []byte("0")})
	errs := parallel(n, func(int) error {
		return s.Update(ctx, func(tx store.Tx) error {
			e, err := tx.Get(ctx, counter.Key)
			if err != nil {
				return err
			}
			v, err := strconv.Atoi(string(e.Data))
			if err != nil {
				return err
			}
			e.Data = []byte(strconv.Itoa(v + 1))
			return tx.Put(ctx, &e)
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("increment %d: %v", i, err)
		}
	}
	got := mustGet(t, s, counter.Key)
	if string(got.Data) != strconv.Itoa(n) || got.Version != n+1 {
		t.Errorf("counter = %s at version %d, want %d at version %d (lost updates)", got.Data, got.Version, n, n+1)
	}
}

// errQuota is returned when the quota is full.
var errQuota = errors.New("storetest: quota exceeded")

func testQuotaUnderConcurrency(t *testing.T, s store.Store) {
	ctx := t.Context()
	const quota, workers = 5, 30
	acct := account(t)
	parent := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "owner"}})
	errs := parallel(workers, func(i int) error {
		return s.Update(ctx, func(tx store.Tx) error {
			n, err := tx.Count(ctx, store.ListOptions{Account: acct, Kind: "accesskey", Parent: parent.Name})
			if err != nil {
				return err
			}
			if n >= quota {
				return errQuota
			}
			return tx.Create(ctx, &store.Entity{Key: store.Key{Account: acct, Kind: "accesskey", Parent: parent.Name, Name: fmt.Sprintf("k%02d", i)}})
		})
	})
	created := 0
	for i, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, errQuota):
			t.Errorf("worker %d: %v, want nil or the quota error", i, err)
		}
	}
	n, err := s.Count(ctx, store.ListOptions{Account: acct, Kind: "accesskey", Parent: parent.Name})
	if err != nil {
		t.Fatal(err)
	}
	if created != quota || n != quota {
		t.Errorf("%d creates succeeded and %d children exist, want exactly %d", created, n, quota)
	}
}

func testUTCRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	before := time.Now().Truncate(time.Microsecond)
	e := create(t, s, store.Entity{Key: store.Key{Account: account(t), Kind: "user", Name: "clock"}})
	after := time.Now()
	for _, ts := range []time.Time{e.Created, e.Updated} {
		if ts.Location() != time.UTC {
			t.Errorf("timestamp %v is in %v, want UTC", ts, ts.Location())
		}
		if !ts.Equal(ts.Truncate(time.Microsecond)) {
			t.Errorf("timestamp %v has sub-microsecond digits", ts)
		}
		if ts.Before(before) || ts.After(after) {
			t.Errorf("timestamp %v outside [%v, %v]", ts, before, after)
		}
	}
	got := mustGet(t, s, e.Key)
	if got.Created != e.Created || got.Updated != e.Updated { // == on purpose: same wall, no monotonic, same *Location
		t.Errorf("round trip: got %#v / %#v, want %#v / %#v", got.Created, got.Updated, e.Created, e.Updated)
	}
	if err := put(ctx, s, &got); err != nil {
		t.Fatal(err)
	}
	again := mustGet(t, s, e.Key)
	if again.Created != e.Created || again.Updated != got.Updated || again.Updated.Before(again.Created) {
		t.Errorf("after Put: created %v updated %v; want created %v updated %v", again.Created, again.Updated, e.Created, got.Updated)
	}
}

func testContextCancelled(t *testing.T, s store.Store) {
	acct := account(t)
	e := create(t, s, store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "u"}, ID: uniq("AIDA")})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	opts := store.ListOptions{Account: acct, Kind: "user"}
	checks := map[string]error{}
	_, checks["Get"] = s.Get(ctx, e.Key)
	_, checks["GetByID"] = s.GetByID(ctx, e.ID)
	_, checks["List"] = s.List(ctx, opts)
	_, checks["Count"] = s.Count(ctx, opts)
	called := false
	checks["Update"] = s.Update(ctx, func(tx store.Tx) error {
		called = true
		return tx.Create(ctx, &store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "never"}})
	})
	for op, err := range checks {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", op, err)
		}
	}
	_ = called // a backend may or may not call fn; it must not commit
	if _, err := s.Get(t.Context(), store.Key{Account: acct, Kind: "user", Name: "never"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Update with a cancelled context committed: %v", err)
	}

	// Cancelled while fn runs: nothing is committed.
	ctx, cancel = context.WithCancel(t.Context())
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Create(ctx, &store.Entity{Key: store.Key{Account: acct, Kind: "user", Name: "midway"}}); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update cancelled inside fn: %v, want context.Canceled", err)
	}
	if _, err := s.Get(t.Context(), store.Key{Account: acct, Kind: "user", Name: "midway"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Update cancelled inside fn committed: %v", err)
	}

	// Deadlines too.
	ctx, cancel = context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := s.Get(ctx, e.Key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Get past the deadline: %v, want context.DeadlineExceeded", err)
	}
	// The store still works.
	sameEntity(t, mustGet(t, s, e.Key), e)
}
