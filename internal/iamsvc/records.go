package iamsvc

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/credential"

	"github.com/iamd/iamd/internal/store"
)

// Entity kinds stored by this package.
const (
	KindAccount   = "account"
	KindUser      = "user"
	KindAccessKey = "accesskey"
)

// Tag is an IAM tag.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// Account is an AWS account hosted by this installation.
type Account struct {
	ID         string    `json:"id"`
	Name       string    `json:"name,omitempty"`
	Email      string    `json:"email,omitempty"`
	Management bool      `json:"management,omitempty"`
	CreateDate time.Time `json:"created"`
}

// User is an IAM user.
type User struct {
	UserName            string    `json:"name"`
	UserID              string    `json:"id"`
	Path                string    `json:"path"`
	ARN                 string    `json:"arn"`
	CreateDate          time.Time `json:"created"`
	PermissionsBoundary string    `json:"boundary,omitempty"`
	Tags                []Tag     `json:"tags,omitempty"`
}

// Access key statuses.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// AccessKey is a long-term access key of a user or of an account's root
// user (UserName "").
type AccessKey struct {
	AccessKeyID string    `json:"id"`
	UserName    string    `json:"user,omitempty"`
	Secret      string    `json:"secret"`
	Status      string    `json:"status"`
	CreateDate  time.Time `json:"created"`
	// LastUsed* are folded in asynchronously (see LastUsed).
	LastUsedDate    time.Time `json:"lastUsed,omitempty"`
	LastUsedService string    `json:"lastService,omitempty"`
	LastUsedRegion  string    `json:"lastRegion,omitempty"`
}

// Preserved carries the identity an imported entity keeps from its source
// account (iamd import): its unique id and creation date. API calls leave
// it zero and get a fresh id and the current time.
type Preserved struct {
	// ID is the unique id (AIDA..., AGPA..., AROA..., ANPA...); its prefix
	// must match the entity type.
	ID         string
	CreateDate time.Time
}

// idFor returns p.ID after checking its prefix, or a new unique id.
func (p Preserved) idFor(prefix string) (string, error) {
	if p.ID == "" {
		id, err := credential.NewUniqueID(prefix)
		if err != nil {
			return "", apierr.Internal(err)
		}
		return id, nil
	}
	if len(p.ID) < 16 || len(p.ID) > 128 || !strings.HasPrefix(p.ID, prefix) {
		return "", apierr.InvalidInput("Invalid unique id %s: want an id starting with %s.", p.ID, prefix)
	}
	for _, r := range p.ID {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", apierr.InvalidInput("Invalid unique id %s: want an id starting with %s.", p.ID, prefix)
		}
	}
	return p.ID, nil
}

// date returns p.CreateDate (UTC, millisecond precision) or now.
func (p Preserved) date(now time.Time) time.Time {
	if p.CreateDate.IsZero() {
		return now.UTC().Truncate(1e6)
	}
	return p.CreateDate.UTC().Truncate(1e6)
}

// decode unmarshals an entity's data into v.
func decode[T any](e store.Entity) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(e.Data, v); err != nil {
		return nil, fmt.Errorf("iamsvc: decode %s %q: %w", e.Kind, e.Name, err)
	}
	return v, nil
}

// encode marshals v as an entity's data.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Records are plain structs of strings, times and slices: Marshal
		// cannot fail on them.
		panic(fmt.Sprintf("iamsvc: encode %T: %v", v, err))
	}
	return b
}
