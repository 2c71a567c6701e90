package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/iamd/iamd/internal/apierr"
)

// Violation is the kind of a model constraint a value failed.
type Violation uint8

// Violations.
const (
	Required Violation = iota + 1
	MinLength
	MaxLength
	MinValue
	MaxValue
	NotInEnum
	PatternMismatch
)

// ConstraintError reports an input that is well-formed JSON of the right
// types but fails a model constraint. Services turn it into their own
// exception (Organizations: InvalidInputException with a Reason).
type ConstraintError struct {
	Violation Violation
	// Path is the member's location, e.g. "Tags[0].Key".
	Path string
	// Shape is the violated shape's name.
	Shape string
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("awsjson: %s violates constraint %d of shape %s", e.Path, e.Violation, e.Shape)
}

// serialization returns AWS's SerializationException for an input that is
// not JSON of the modeled types.
func serialization(msg string) *apierr.Error {
	return apierr.New("SerializationException", msg)
}

// Decode validates body as the input of op and unmarshals it into v (a
// pointer to the operation's input struct, whose JSON tags are the model's
// member names). An empty body is an empty object. Malformed JSON, a
// trailing value or a member of the wrong type is a SerializationException
// (*apierr.Error); a constraint violation a *ConstraintError. Members the
// model does not know are ignored, as AWS ignores them.
func (m *Model) Decode(op string, body []byte, v any) error {
	in, ok := m.ops[op]
	if !ok {
		return fmt.Errorf("awsjson: unknown operation %s", op)
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		return serialization("Invalid UTF-8 in request body.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return serialization("Malformed JSON in request body.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return serialization("Unexpected content after the JSON request body.")
	}
	obj, isObj := doc.(map[string]any)
	if !isObj {
		return serialization("Start of structure or map expected.")
	}
	if in != "" {
		if err := m.check(m.shapes[in], obj, ""); err != nil {
			return err
		}
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		// The types were checked above; a failure here is a mismatch
		// between v and the model.
		return apierr.Internal(fmt.Errorf("awsjson: %s input: %w", op, err))
	}
	return nil
}

func join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// check validates value against shape s.
func (m *Model) check(s *Shape, value any, path string) error {
	if value == nil || s == nil {
		return nil
	}
	switch s.Type {
	case "structure":
		obj, ok := value.(map[string]any)
		if !ok {
			return serialization(fmt.Sprintf("Expected a structure for %s.", pathOr(path, s.Name)))
		}
		for _, r := range s.Required {
			if v, ok := obj[r]; !ok || v == nil {
				return &ConstraintError{Violation: Required, Path: join(path, r), Shape: s.Name}
			}
		}
		names := make([]string, 0, len(obj))
		for k := range obj {
			if _, known := s.Members[k]; known {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			if err := m.check(m.shapes[s.Members[k]], obj[k], join(path, k)); err != nil {
				return err
			}
		}
	case "list":
		arr, ok := value.([]any)
		if !ok {
			return serialization(fmt.Sprintf("Expected a list for %s.", pathOr(path, s.Name)))
		}
		if err := m.count(s, len(arr), path); err != nil {
			return err
		}
		for i, e := range arr {
			if err := m.check(m.shapes[s.Member], e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "map":
		obj, ok := value.(map[string]any)
		if !ok {
			return serialization(fmt.Sprintf("Expected a map for %s.", pathOr(path, s.Name)))
		}
		if err := m.count(s, len(obj), path); err != nil {
			return err
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := m.check(m.shapes[s.Key], k, path+".key"); err != nil {
				return err
			}
			if err := m.check(m.shapes[s.Value], obj[k], path+"."+k); err != nil {
				return err
			}
		}
	case "string", "blob":
		str, ok := value.(string)
		if !ok {
			return serialization(fmt.Sprintf("Expected a string for %s.", pathOr(path, s.Name)))
		}
		if s.Type == "blob" {
			return nil
		}
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			return &ConstraintError{Violation: NotInEnum, Path: path, Shape: s.Name}
		}
		if err := m.count(s, utf8.RuneCountInString(str), path); err != nil {
			return err
		}
		if s.re != nil && !s.re.MatchString(str) {
			return &ConstraintError{Violation: PatternMismatch, Path: path, Shape: s.Name}
		}
	case "integer", "long":
		n, ok := value.(json.Number)
		if !ok {
			return serialization(fmt.Sprintf("Expected a number for %s.", pathOr(path, s.Name)))
		}
		i, err := n.Int64()
		if err != nil || (s.Type == "integer" && (i > 1<<31-1 || i < -(1<<31))) {
			return serialization(fmt.Sprintf("Expected an integer for %s.", pathOr(path, s.Name)))
		}
		if s.Min != nil && float64(i) < *s.Min {
			return &ConstraintError{Violation: MinValue, Path: path, Shape: s.Name}
		}
		if s.Max != nil && float64(i) > *s.Max {
			return &ConstraintError{Violation: MaxValue, Path: path, Shape: s.Name}
		}
	case "double", "float":
		if _, ok := value.(json.Number); !ok {
			return serialization(fmt.Sprintf("Expected a number for %s.", pathOr(path, s.Name)))
		}
	case "boolean":
		if _, ok := value.(bool); !ok {
			return serialization(fmt.Sprintf("Expected a boolean for %s.", pathOr(path, s.Name)))
		}
	case "timestamp":
		switch value.(type) {
		case json.Number, string:
		default:
			return serialization(fmt.Sprintf("Expected a timestamp for %s.", pathOr(path, s.Name)))
		}
	}
	return nil
}

// count applies min/max to a string length or a collection size.
func (m *Model) count(s *Shape, n int, path string) error {
	if s.Min != nil && float64(n) < *s.Min {
		return &ConstraintError{Violation: MinLength, Path: path, Shape: s.Name}
	}
	if s.Max != nil && float64(n) > *s.Max {
		return &ConstraintError{Violation: MaxLength, Path: path, Shape: s.Name}
	}
	return nil
}

func pathOr(path, name string) string {
	if path == "" {
		return name
	}
	return path
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
