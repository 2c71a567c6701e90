package iamsvc

import (
	"encoding/json"
	"fmt"
	"time"

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
