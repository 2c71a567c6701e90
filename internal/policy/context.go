package policy

import "strings"

// Key identifies a well-known global condition key that iamd fills for
// every request. Keys not in this list (service keys such as s3:prefix and
// tag keys such as aws:PrincipalTag/team) are stored by name.
type Key uint8

// Well-known condition keys.
const (
	KeyNone Key = iota
	KeyPrincipalArn
	KeyPrincipalAccount
	KeyPrincipalType
	KeyPrincipalOrgID
	KeyPrincipalOrgPaths
	KeyPrincipalIsAWSService
	KeyPrincipalServiceName
	KeyUserID
	KeyUsername
	KeySourceIP
	KeySecureTransport
	KeyCurrentTime
	KeyEpochTime
	KeyRequestedRegion
	KeyTagKeys
	KeyResourceAccount
	KeyResourceOrgID
	KeyResourceOrgPaths
	KeyMultiFactorAuthPresent
	KeyMultiFactorAuthAge
	KeyTokenIssueTime
	KeySourceIdentity
	KeyViaAWSService
	KeyCalledVia
	KeyCalledViaFirst
	KeyCalledViaLast
	KeySourceAccount
	KeySourceArn
	KeySourceOrgID
	KeyUserAgent
	KeyFederatedProvider
	numKeys
)

// keyNames are the canonical spellings of the well-known keys.
var keyNames = [numKeys]string{
	KeyPrincipalArn:           "aws:PrincipalArn",
	KeyPrincipalAccount:       "aws:PrincipalAccount",
	KeyPrincipalType:          "aws:PrincipalType",
	KeyPrincipalOrgID:         "aws:PrincipalOrgID",
	KeyPrincipalOrgPaths:      "aws:PrincipalOrgPaths",
	KeyPrincipalIsAWSService:  "aws:PrincipalIsAWSService",
	KeyPrincipalServiceName:   "aws:PrincipalServiceName",
	KeyUserID:                 "aws:userid",
	KeyUsername:               "aws:username",
	KeySourceIP:               "aws:SourceIp",
	KeySecureTransport:        "aws:SecureTransport",
	KeyCurrentTime:            "aws:CurrentTime",
	KeyEpochTime:              "aws:EpochTime",
	KeyRequestedRegion:        "aws:RequestedRegion",
	KeyTagKeys:                "aws:TagKeys",
	KeyResourceAccount:        "aws:ResourceAccount",
	KeyResourceOrgID:          "aws:ResourceOrgID",
	KeyResourceOrgPaths:       "aws:ResourceOrgPaths",
	KeyMultiFactorAuthPresent: "aws:MultiFactorAuthPresent",
	KeyMultiFactorAuthAge:     "aws:MultiFactorAuthAge",
	KeyTokenIssueTime:         "aws:TokenIssueTime",
	KeySourceIdentity:         "aws:SourceIdentity",
	KeyViaAWSService:          "aws:ViaAWSService",
	KeyCalledVia:              "aws:CalledVia",
	KeyCalledViaFirst:         "aws:CalledViaFirst",
	KeyCalledViaLast:          "aws:CalledViaLast",
	KeySourceAccount:          "aws:SourceAccount",
	KeySourceArn:              "aws:SourceArn",
	KeySourceOrgID:            "aws:SourceOrgID",
	KeyUserAgent:              "aws:UserAgent",
	KeyFederatedProvider:      "aws:FederatedProvider",
}

// String returns the key's canonical name, e.g. "aws:SourceIp".
func (k Key) String() string {
	if k < numKeys {
		return keyNames[k]
	}
	return ""
}

// LookupKey returns the well-known key named name (case-insensitively), or
// KeyNone.
func LookupKey(name string) Key {
	if len(name) < 5 || !strings.EqualFold(name[:4], "aws:") {
		return KeyNone
	}
	for k := KeyNone + 1; k < numKeys; k++ {
		if len(keyNames[k]) == len(name) && strings.EqualFold(keyNames[k], name) {
			return k
		}
	}
	return KeyNone
}

// Value is the value of one condition key in a request: absent, a single
// string, or a list of strings (a multivalued key such as aws:TagKeys).
type Value struct {
	one   string
	many  []string
	state uint8 // 0 absent, 1 single, 2 multi
}

// Present reports whether the key is present in the request.
func (v Value) Present() bool { return v.state != 0 }

// Len is the number of values (0 when absent).
func (v Value) Len() int {
	switch v.state {
	case 1:
		return 1
	case 2:
		return len(v.many)
	}
	return 0
}

// At returns the i-th value.
func (v Value) At(i int) string {
	if v.state == 1 {
		return v.one
	}
	return v.many[i]
}

// Single returns the value of a single-valued key and whether the key holds
// exactly one value.
func (v Value) Single() (string, bool) {
	switch v.state {
	case 1:
		return v.one, true
	case 2:
		if len(v.many) == 1 {
			return v.many[0], true
		}
	}
	return "", false
}

// Multi reports whether the key was set as a list (multivalued key).
func (v Value) Multi() bool { return v.state == 2 }

type namedValue struct {
	name string
	v    Value
}

// Context holds the condition keys of one request. Well-known keys live in a
// fixed array; other keys in a slice that keeps its capacity across Reset,
// so a reused Context costs no allocation. Key names compare
// case-insensitively. The zero value is an empty context.
type Context struct {
	fixed [numKeys]Value
	extra []namedValue
}

// Reset empties the context, keeping its storage.
func (c *Context) Reset() {
	c.fixed = [numKeys]Value{}
	for i := range c.extra {
		c.extra[i] = namedValue{}
	}
	c.extra = c.extra[:0]
}

// Set sets a well-known key to a single value.
func (c *Context) Set(k Key, v string) {
	if k > KeyNone && k < numKeys {
		c.fixed[k] = Value{one: v, state: 1}
	}
}

// SetMulti sets a well-known key to a list of values (a multivalued key; an
// empty list is present but empty, as AWS treats an empty aws:TagKeys).
func (c *Context) SetMulti(k Key, vs []string) {
	if k > KeyNone && k < numKeys {
		c.fixed[k] = Value{many: vs, state: 2}
	}
}

// Unset removes a key.
func (c *Context) Unset(k Key) {
	if k > KeyNone && k < numKeys {
		c.fixed[k] = Value{}
	}
}

// Has reports whether a well-known key is present.
func (c *Context) Has(k Key) bool { return k > KeyNone && k < numKeys && c.fixed[k].state != 0 }

// Get returns a well-known key's value.
func (c *Context) Get(k Key) Value {
	if k > KeyNone && k < numKeys {
		return c.fixed[k]
	}
	return Value{}
}

// SetNamed sets any key, well-known or not, to a single value. The name is
// matched case-insensitively; setting a name twice replaces the value.
func (c *Context) SetNamed(name, v string) { c.setNamed(name, Value{one: v, state: 1}) }

// SetNamedMulti sets any key to a list of values.
func (c *Context) SetNamedMulti(name string, vs []string) {
	c.setNamed(name, Value{many: vs, state: 2})
}

func (c *Context) setNamed(name string, v Value) {
	if k := LookupKey(name); k != KeyNone {
		c.fixed[k] = v
		return
	}
	for i := range c.extra {
		if strings.EqualFold(c.extra[i].name, name) {
			c.extra[i].v = v
			return
		}
	}
	c.extra = append(c.extra, namedValue{name: name, v: v})
}

// Lookup returns the value of the key named name (case-insensitive).
func (c *Context) Lookup(name string) Value {
	if k := LookupKey(name); k != KeyNone {
		return c.fixed[k]
	}
	return c.lookupExtra(name)
}

func (c *Context) lookupExtra(name string) Value {
	for i := range c.extra {
		if len(c.extra[i].name) == len(name) && strings.EqualFold(c.extra[i].name, name) {
			return c.extra[i].v
		}
	}
	return Value{}
}

// Each calls fn for every present key, well-known keys first.
func (c *Context) Each(fn func(name string, v Value)) {
	for k := KeyNone + 1; k < numKeys; k++ {
		if c.fixed[k].state != 0 {
			fn(keyNames[k], c.fixed[k])
		}
	}
	for _, e := range c.extra {
		fn(e.name, e.v)
	}
}
