package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/iamd/iamd/internal/apierr"
	"github.com/iamd/iamd/internal/identity"
)

// audit writes one event per API call in the shape of a CloudTrail record
// (eventVersion, eventTime, eventSource, eventName, awsRegion,
// sourceIPAddress, userAgent, userIdentity, requestID, errorCode,
// errorMessage) to the audit logger, a stream separate from the
// operational log. Request parameters are not recorded: they can hold
// secrets and policy documents.
func (s *Server) audit(r *requestState, region, sourceIP, userAgent string, caller *identity.Caller, err error, at time.Time) {
	if s.opts.Audit == nil {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("eventVersion", "1.08"),
		slog.String("eventTime", at.UTC().Format(time.RFC3339)),
		slog.String("eventSource", r.service+".amazonaws.com"),
		slog.String("eventName", r.action),
		slog.String("awsRegion", region),
		slog.String("sourceIPAddress", sourceIP),
		slog.String("userAgent", userAgent),
		slog.String("requestID", r.id),
		slog.String("eventType", "AwsApiCall"),
	)
	if caller != nil {
		ui := []any{
			slog.String("type", string(caller.Type)),
			slog.String("principalId", caller.UserID),
			slog.String("arn", caller.ARN),
			slog.String("accountId", caller.Account),
			slog.String("accessKeyId", caller.AccessKeyID),
		}
		if caller.Type == identity.User {
			ui = append(ui, slog.String("userName", caller.Name))
		}
		attrs = append(attrs, slog.Group("userIdentity", ui...), slog.String("recipientAccountId", caller.Account))
	}
	if err != nil {
		e, ok := apierr.As(err)
		if !ok {
			e = apierr.Internal(err)
		}
		attrs = append(attrs, slog.String("errorCode", e.Code))
		if e.Cause == nil {
			attrs = append(attrs, slog.String("errorMessage", e.Message))
		}
	}
	s.opts.Audit.LogAttrs(context.Background(), slog.LevelInfo, "AwsApiCall", attrs...)
}
