package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Backends wrap them; callers test with errors.Is.
var (
	// ErrNotFound is returned when no entity has the requested key or id.
	ErrNotFound = errors.New("store: not found")
	// ErrExists is returned by Create when the key (compared
	// case-insensitively) or the non-empty ID is already taken.
	ErrExists = errors.New("store: already exists")
	// ErrConflict is returned by Put and Delete when the entity's stored
	// version differs from the expected one (compare-and-swap failed).
	ErrConflict = errors.New("store: version conflict")
	// ErrInvalidMarker is returned by List when ListOptions.Marker was not
	// produced by a previous List of the same backend.
	ErrInvalidMarker = errors.New("store: invalid marker")
)

// Key identifies an entity. Parent and Name are compared case-insensitively
// (IAM names are unique regardless of case); Account and Kind exactly.
type Key struct {
	// Account is the 12-digit account id that owns the entity, or "" for
	// records that belong to the whole installation (key ring, settings).
	Account string
	// Kind names the record type, e.g. "user", "accesskey", "role".
	Kind string
	// Parent is the name of the owning entity ("" for top-level entities),
	// e.g. the user name for an access key or an inline user policy.
	Parent string
	// Name is the entity's name as the user gave it.
	Name string
}

// Entity is one stored record.
type Entity struct {
	Key
	// ID is a globally unique identifier (AIDA..., AKIA..., AROA...), or ""
	// when the kind has none. Non-empty IDs are unique across all accounts
	// and kinds and can be looked up with GetByID.
	ID string
	// Path is the IAM path ("/" by default) used by PathPrefix listings.
	Path string
	// Data is the domain record, JSON-encoded by its owning service.
	Data []byte
	// Version starts at 1 on Create and grows by one on every Put. Put and
	// Delete compare it with the stored version (compare-and-swap).
	Version int64
	// Created and Updated are UTC timestamps with microsecond precision,
	// set by the store.
	Created time.Time
	Updated time.Time
}

// ListOptions selects entities of one kind in one account.
type ListOptions struct {
	Account string
	Kind    string
	// Parent restricts the listing to children of one parent (compared
	// case-insensitively). Ignored when AnyParent is set.
	Parent string
	// AnyParent lists across all parents (for reverse lookups together with
	// Name).
	AnyParent bool
	// Name, when set, keeps only entities with this name (case-insensitive),
	// e.g. every attachment of one policy ARN across roles.
	Name string
	// PathPrefix, when set, keeps only entities whose Path starts with it.
	PathPrefix string
	// Marker continues a listing: pass the NextMarker of the previous page.
	Marker string
	// Limit is the page size; 0 means no limit.
	Limit int
}

// Page is one page of a listing, ordered by (Parent, Name) compared
// case-insensitively. NextMarker is "" when no more entities follow.
// Markers are opaque, and stable under concurrent inserts: an entity that
// existed for the whole listing is returned exactly once.
type Page struct {
	Items      []Entity
	NextMarker string
}

// Reader is the read half of the contract, available both on a Store and
// inside a transaction.
type Reader interface {
	// Get returns the entity with the given key or ErrNotFound.
	Get(ctx context.Context, key Key) (Entity, error)
	// GetByID returns the entity with the given globally unique id or
	// ErrNotFound.
	GetByID(ctx context.Context, id string) (Entity, error)
	// List returns one page of entities.
	List(ctx context.Context, opts ListOptions) (Page, error)
	// Count returns how many entities match opts (Marker and Limit are
	// ignored).
	Count(ctx context.Context, opts ListOptions) (int, error)
}

// Tx is a serializable transaction.
type Tx interface {
	Reader
	// Create inserts e with Version 1 and Created = Updated = now, and
	// writes those back into e. It returns ErrExists when the key or the
	// non-empty ID is taken.
	Create(ctx context.Context, e *Entity) error
	// Put replaces the stored entity with e when the stored Version equals
	// e.Version, then increments e.Version and sets e.Updated. It returns
	// ErrNotFound or ErrConflict. Key and Created cannot change; ID and Path
	// can.
	Put(ctx context.Context, e *Entity) error
	// Delete removes the entity with the given key when its stored version
	// equals version (or unconditionally when version is 0). It returns
	// ErrNotFound or ErrConflict.
	Delete(ctx context.Context, key Key, version int64) error
}

// Store is a durable, shareable entity store. It is safe for concurrent use.
type Store interface {
	Reader
	// Update runs fn in a serializable transaction and commits it when fn
	// returns nil; the commit is durable when Update returns nil. When the
	// backend reports a serialization conflict, Update rolls back and runs
	// fn again (a bounded number of times), so fn must have no effects
	// outside tx. Errors returned by fn are returned unchanged (wrapped
	// errors keep their identity).
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the backend's resources.
	Close() error
}

// Generations is implemented by stores that tell readers when cached reads
// may be stale, so hot paths can cache what they read.
type Generations interface {
	// Generation returns a number that changes after every committed
	// Update: at once on this node, and on other nodes sharing the database
	// when the change notification reaches them. ok is false while the
	// store cannot tell (nothing may be cached then). A reader takes the
	// generation before it reads and may reuse what it read only while the
	// generation is unchanged.
	Generation() (gen uint64, ok bool)
}
