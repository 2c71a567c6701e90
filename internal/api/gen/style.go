package main

// style is a service's wire conventions that the model does not carry.
type style struct {
	// redact: AWS leaves values (and enum value sets) out of this service's
	// validation messages.
	redact bool
	// patternMessages maps model patterns to the whole message the service
	// returns instead of the generic pattern violation; %s is the member.
	patternMessages map[string]string
	// alwaysEmit names output boolean members AWS always sends (false
	// included); they are plain bool fields.
	alwaysEmit map[string]bool
	// sensitive names shapes to treat as sensitive although the model does
	// not mark them: never echoed in messages, json:"-".
	sensitive map[string]bool
}

var styles = map[string]style{
	// IAM: recorded responses (localstack snapshots recorded against AWS,
	// 2025) show "Value at 'serviceSpecificCredentialId' failed to satisfy
	// constraint: ..." and "Member must satisfy enum value set" with neither
	// the value nor the set; names failing [\w+=,.@-]+ get "The specified
	// value for roleName is invalid. ..." (widely reported AWS responses);
	// list responses always carry IsTruncated.
	"iam": {
		redact: true,
		patternMessages: map[string]string{
			`[\w+=,.@-]+`: "The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
			`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`: "The specified value for %s is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
		},
		alwaysEmit: map[string]bool{"IsTruncated": true},
	},
	// STS echoes values: "Value 'Session1:2' at 'roleSessionName' ...".
	// Session tokens are credentials although the model leaves tokenType
	// unmarked.
	"sts": {sensitive: map[string]bool{"tokenType": true}},
	// plain: generic Coral conventions (protocol test shapes).
	"plain": {},
}
