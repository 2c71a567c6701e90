package awsquery

import (
	"context"
	"fmt"
	"net/http"

	"github.com/iamd/iamd/internal/apierr"
)

// Service describes one Query service of the model: generated packages
// export one (iamapi.Service, stsapi.Service).
type Service struct {
	// Namespace is the XML namespace of responses,
	// e.g. https://iam.amazonaws.com/doc/2010-05-08/.
	Namespace string
	// Version is the API version clients send, e.g. 2010-05-08.
	Version string
	// Operations lists every operation of the model, implemented or not.
	Operations []string
}

// Operation binds an operation's name to its generated decoder and
// encoder. I and O are the generated input and output types.
type Operation[I, O any] struct {
	// Name is the Action, e.g. CreateUser.
	Name string
	// Result is the result wrapper element (CreateUserResult), or "" when
	// the operation has no output members.
	Result string
	// Decode reads and validates the input.
	Decode func(Values) (*I, error)
	// Encode writes the output's members inside the result wrapper.
	Encode func(*Encoder, *O)
}

type handler func(ctx context.Context, w http.ResponseWriter, v Values, requestID string) error

// Router dispatches the Actions of one Service to registered handlers and
// writes their responses or errors.
type Router struct {
	svc      *Service
	known    map[string]bool
	handlers map[string]handler
}

// NewRouter returns a Router for svc with no handlers.
func NewRouter(svc *Service) *Router {
	r := &Router{svc: svc, known: make(map[string]bool, len(svc.Operations)), handlers: map[string]handler{}}
	for _, op := range svc.Operations {
		r.known[op] = true
	}
	return r
}

// Handle registers fn as the implementation of op. fn gets the decoded,
// validated input; it returns the output (nil means an empty one) or an
// error, typically an *apierr.Error. Handle panics when op is not an
// operation of the router's service or is registered twice.
func Handle[I, O any](r *Router, op Operation[I, O], fn func(context.Context, *I) (*O, error)) {
	if !r.known[op.Name] {
		panic(fmt.Sprintf("awsquery: %s is not an operation of %s", op.Name, r.svc.Namespace))
	}
	if _, dup := r.handlers[op.Name]; dup {
		panic("awsquery: " + op.Name + " registered twice")
	}
	r.handlers[op.Name] = func(ctx context.Context, w http.ResponseWriter, v Values, requestID string) error {
		in, err := op.Decode(v)
		if err != nil {
			r.WriteError(w, err, requestID)
			return err
		}
		out, err := fn(ctx, in)
		if err != nil {
			r.WriteError(w, err, requestID)
			return err
		}
		if out == nil {
			out = new(O)
		}
		e := getEncoder()
		e.raw("<")
		e.raw(op.Name)
		e.raw(`Response xmlns="`)
		e.text(r.svc.Namespace)
		e.raw(`">`)
		if op.Result != "" {
			e.Start(op.Result)
			op.Encode(e, out)
			e.End(op.Result)
		}
		e.raw("<ResponseMetadata>")
		e.String("RequestId", requestID)
		e.raw("</ResponseMetadata></")
		e.raw(op.Name)
		e.raw("Response>")
		writeXML(w, http.StatusOK, e.buf, requestID)
		putEncoder(e)
		return nil
	}
}

// Implemented reports whether action has a registered handler.
func (r *Router) Implemented(action string) bool {
	_, ok := r.handlers[action]
	return ok
}

// Known reports whether action is an operation of the service's model.
func (r *Router) Known(action string) bool { return r.known[action] }

// ServeAction runs action with parameters v and writes the response:
//   - no action: 400 MissingAction;
//   - an action the model does not have, or a Version other than the
//     service's: 400 InvalidAction "Could not find operation X for version
//     V" (V is NO_VERSION_SPECIFIED when Version is absent);
//   - a model action without handler: 501 NotImplemented;
//   - invalid input: the decoder's ValidationError or InvalidParameterValue;
//   - otherwise the handler's output, or its error through WriteError.
//
// It returns the error sent to the client (nil on success) so that the
// caller can log it and record the error code; errors that are not
// *apierr.Error were sent as InternalFailure.
func (r *Router) ServeAction(ctx context.Context, w http.ResponseWriter, action string, v Values, requestID string) error {
	if action == "" {
		err := apierr.New(CodeMissingAction, "Missing Action")
		r.WriteError(w, err, requestID)
		return err
	}
	version, ok := v.Lookup("Version")
	if !ok || version == "" {
		version = "NO_VERSION_SPECIFIED"
	}
	if !r.known[action] || version != r.svc.Version {
		err := apierr.Newf(CodeInvalidAction, "Could not find operation %s for version %s", action, version)
		r.WriteError(w, err, requestID)
		return err
	}
	h, ok := r.handlers[action]
	if !ok {
		err := &apierr.Error{Code: CodeNotImplemented, Receiver: true,
			Message: "The operation " + action + " is not implemented by this server."}
		r.WriteError(w, err, requestID)
		return err
	}
	return h(ctx, w, v, requestID)
}

// WriteError writes err as the service's ErrorResponse (see the
// package-level WriteError).
func (r *Router) WriteError(w http.ResponseWriter, err error, requestID string) {
	WriteError(w, r.svc.Namespace, err, requestID)
}
