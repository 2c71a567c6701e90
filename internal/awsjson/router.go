package awsjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/iamd/iamd/internal/apierr"
)

// ContentType is the media type of awsJson1_1 requests and responses.
const ContentType = "application/x-amz-json-1.1"

type handler func(ctx context.Context, body []byte) (any, error)

// Router dispatches the operations of one JSON service.
type Router struct {
	model    *Model
	handlers map[string]handler
	// MapConstraint turns a constraint violation into the service's
	// exception.
	MapConstraint func(*ConstraintError) *apierr.Error
}

// NewRouter returns a Router for the operations of m.
func NewRouter(m *Model, mapConstraint func(*ConstraintError) *apierr.Error) *Router {
	return &Router{model: m, handlers: map[string]handler{}, MapConstraint: mapConstraint}
}

// Model returns the router's model.
func (r *Router) Model() *Model { return r.model }

// Handle registers fn as the implementation of op; I is the input struct
// (JSON tags = member names), O the output (nil means {}). Handle panics
// when op is not in the model or is registered twice.
func Handle[I, O any](r *Router, op string, fn func(context.Context, *I) (*O, error)) {
	if !r.model.HasOperation(op) {
		panic("awsjson: " + op + " is not an operation of " + r.model.TargetPrefix)
	}
	if _, dup := r.handlers[op]; dup {
		panic("awsjson: " + op + " registered twice")
	}
	r.handlers[op] = func(ctx context.Context, body []byte) (any, error) {
		in := new(I)
		if err := r.model.Decode(op, body, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// Operation returns the operation named by an X-Amz-Target value, or an
// error (UnknownOperationException) when the target is not one of this
// service's operations.
func (r *Router) Operation(target string) (string, error) {
	prefix, op, ok := strings.Cut(target, ".")
	if !ok || prefix != r.model.TargetPrefix || !r.model.HasOperation(op) {
		return "", apierr.New("UnknownOperationException", "")
	}
	return op, nil
}

// Serve runs operation op on body and writes the response or error. It
// returns the error sent, if any.
func (r *Router) Serve(ctx context.Context, w http.ResponseWriter, op string, body []byte, requestID string) error {
	h, ok := r.handlers[op]
	if !ok {
		err := apierr.Newf("UnknownOperationException", "The operation %s is not implemented by this server.", op)
		WriteError(w, err, requestID)
		return err
	}
	out, err := h(ctx, body)
	if err != nil {
		var ce *ConstraintError
		if errors.As(err, &ce) && r.MapConstraint != nil {
			err = r.MapConstraint(ce)
		}
		WriteError(w, err, requestID)
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		err = apierr.Internal(fmt.Errorf("awsjson: encode %s output: %w", op, err))
		WriteError(w, err, requestID)
		return err
	}
	write(w, http.StatusOK, b, requestID)
	return nil
}

// jsonCodes renames Query-protocol codes that JSON services spell
// differently (authentication errors raised before routing).
var jsonCodes = map[string]string{
	"InvalidClientTokenId":  "UnrecognizedClientException",
	"SignatureDoesNotMatch": "InvalidSignatureException",
	"ExpiredToken":          "ExpiredTokenException",
	"AccessDenied":          "AccessDeniedException",
	"InternalFailure":       "InternalFailure",
}

// WriteError writes err as a JSON error: {"__type": code, "Message":
// message[, "Reason": reason]}, status 400 for sender faults and 500 for
// receiver faults (any non-*apierr.Error is an internal failure, shown
// without detail).
func WriteError(w http.ResponseWriter, err error, requestID string) {
	e, ok := apierr.As(err)
	if !ok {
		e = apierr.Internal(err)
	}
	code := e.Code
	if c, ok := jsonCodes[code]; ok {
		code = c
	}
	status := http.StatusBadRequest
	if e.Receiver {
		status = http.StatusInternalServerError
	}
	if e.Status >= 500 {
		status = e.Status
	}
	body := struct {
		Type    string `json:"__type"`
		Message string `json:"Message,omitempty"`
		Reason  string `json:"Reason,omitempty"`
	}{code, e.Message, e.Reason}
	b, _ := json.Marshal(body)
	write(w, status, b, requestID)
}

func write(w http.ResponseWriter, status int, body []byte, requestID string) {
	h := w.Header()
	h["Content-Type"] = []string{ContentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if requestID != "" {
		h["X-Amzn-Requestid"] = []string{requestID}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Time is a timestamp encoded as awsJson1_1 does by default: epoch seconds
// as a JSON number with millisecond precision.
type Time time.Time

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler (epoch seconds).
func (t *Time) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("awsjson: timestamp %s", b)
	}
	*t = Time(time.UnixMilli(int64(math.Round(f * 1000))).UTC())
	return nil
}
