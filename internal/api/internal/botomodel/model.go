package botomodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Model is a botocore service model.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is the model's service metadata.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	Protocol       string `json:"protocol"`
	XMLNamespace   string `json:"xmlNamespace"`
	ServiceID      string `json:"serviceId"`
	EndpointPrefix string `json:"endpointPrefix"`
}

// Operation is one API operation.
type Operation struct {
	Name          string `json:"name"`
	Input         *Ref   `json:"input"`
	Output        *Ref   `json:"output"`
	Errors        []Ref  `json:"errors"`
	Documentation string `json:"documentation"`
	Deprecated    bool   `json:"deprecated"`
}

// XMLNamespace is an xmlNamespace trait.
type XMLNamespace struct {
	Prefix string `json:"prefix"`
	URI    string `json:"uri"`
}

// UnmarshalJSON accepts the object form and the bare-URI string form.
func (x *XMLNamespace) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &x.URI)
	}
	type plain XMLNamespace
	return json.Unmarshal(b, (*plain)(x))
}

// Ref is a reference to a shape with traits: a structure member, a list
// member, a map key or value, or an operation's input or output.
type Ref struct {
	Shape            string        `json:"shape"`
	LocationName     string        `json:"locationName"`
	Flattened        bool          `json:"flattened"`
	XMLNamespace     *XMLNamespace `json:"xmlNamespace"`
	XMLAttribute     bool          `json:"xmlAttribute"`
	TimestampFormat  string        `json:"timestampFormat"`
	ResultWrapper    string        `json:"resultWrapper"`
	Documentation    string        `json:"documentation"`
	IdempotencyToken bool          `json:"idempotencyToken"`
	HostLabel        bool          `json:"hostLabel"`
	Deprecated       bool          `json:"deprecated"`
}

// Member is a named structure member, in model order.
type Member struct {
	Name string
	*Ref
}

// Members keeps the JSON order of a structure's members.
type Members []Member

// UnmarshalJSON decodes an object of members in order.
func (ms *Members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("members: want object, got %v", t)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		var r Ref
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		*ms = append(*ms, Member{Name: name, Ref: &r})
	}
	_, err = dec.Token()
	return err
}

// ErrorInfo is a modeled exception's wire code and status.
type ErrorInfo struct {
	Code           string `json:"code"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	SenderFault    bool   `json:"senderFault"`
}

// Shape is a model shape.
type Shape struct {
	Type            string        `json:"type"`
	Members         Members       `json:"members"`
	Required        []string      `json:"required"`
	Member          *Ref          `json:"member"`
	Key             *Ref          `json:"key"`
	Value           *Ref          `json:"value"`
	Min             *float64      `json:"min"`
	Max             *float64      `json:"max"`
	Pattern         string        `json:"pattern"`
	Enum            []string      `json:"enum"`
	Sensitive       bool          `json:"sensitive"`
	Box             bool          `json:"box"`
	Flattened       bool          `json:"flattened"`
	LocationName    string        `json:"locationName"`
	TimestampFormat string        `json:"timestampFormat"`
	XMLNamespace    *XMLNamespace `json:"xmlNamespace"`
	Exception       bool          `json:"exception"`
	Error           *ErrorInfo    `json:"error"`
	Union           bool          `json:"union"`
	Documentation   string        `json:"documentation"`
	ResultWrapper   string        `json:"resultWrapper"`
	Deprecated      bool          `json:"deprecated"`
}

// IsRequired reports whether member is in s's required list.
func (s *Shape) IsRequired(member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}

// Load reads a service-2.json file.
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// Suite is one botocore protocol test suite: a model fragment and cases.
type Suite struct {
	Description string            `json:"description"`
	Metadata    Metadata          `json:"metadata"`
	Shapes      map[string]*Shape `json:"shapes"`
	Cases       []Case            `json:"cases"`
}

// Case is one protocol test case.
type Case struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Given       Operation       `json:"given"`
	Params      json.RawMessage `json:"params"`
	Serialized  *struct {
		Method string `json:"method"`
		URI    string `json:"uri"`
		Body   string `json:"body"`
	} `json:"serialized"`
	Result       json.RawMessage `json:"result"`
	Error        json.RawMessage `json:"error"`
	ErrorCode    string          `json:"errorCode"`
	ErrorMessage string          `json:"errorMessage"`
	Response     *struct {
		StatusCode int               `json:"status_code"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	} `json:"response"`
}

// LoadSuites reads a botocore protocol test file.
func LoadSuites(path string) ([]Suite, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s []Suite
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
