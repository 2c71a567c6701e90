package policy

// Version strings AWS accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Policy is a parsed, validated and compiled policy document. It is
// immutable after Parse and safe for concurrent use.
type Policy struct {
	// Version is the document's Version element, "" when absent (AWS then
	// applies 2008-10-17 rules: policy variables are not substituted).
	Version string
	// ID is the optional Id element.
	ID string
	// Statements in document order.
	Statements []Statement
	// Kind is the kind the document was validated as.
	Kind Kind
	// Size is the document's length in characters as AWS counts it for the
	// size quotas (whitespace excluded).
	Size int

	c compiled
}

// Position is a 1-based line and column in the policy document, as
// SimulatePrincipalPolicy reports StartPosition and EndPosition.
type Position struct {
	Line   int
	Column int
}

// Statement is one element of the Statement array.
type Statement struct {
	// Sid is the optional statement id ("" when absent).
	Sid string
	// Effect is Allow or Deny.
	Effect Effect
	// Principal holds the Principal or NotPrincipal element (nil when the
	// statement has neither). NotPrincipal tells which one.
	Principal    *Principals
	NotPrincipal bool
	// Action holds Action or NotAction (NotAction tells which); nil when
	// neither is present.
	Action    []string
	NotAction bool
	// Resource holds Resource or NotResource (NotResource tells which); nil
	// when neither is present (trust policies).
	Resource    []string
	NotResource bool
	// Conditions holds the Condition block flattened to one entry per
	// (operator, key) pair, in document order.
	Conditions []Condition
	// Index is the statement's 0-based position in the Statement array.
	Index int
	// Start and End bracket the statement's JSON object in the document
	// (End is the position just after the closing brace).
	Start, End Position
}

// Principals is a Principal or NotPrincipal element.
type Principals struct {
	// All is true for the bare string "*".
	All bool
	// AWS, Service, Federated and CanonicalUser hold the values under the
	// corresponding map keys.
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition is one (operator, key, values) triple of a Condition block.
type Condition struct {
	// Operator as written, e.g. "ForAnyValue:StringLikeIfExists".
	Operator string
	// Key as written, e.g. "aws:PrincipalTag/Team".
	Key string
	// Values as written; JSON numbers and booleans keep their literal text.
	Values []string
}
