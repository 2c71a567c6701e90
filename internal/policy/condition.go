package policy

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

type opBase uint8

const (
	opInvalid opBase = iota
	opStringEquals
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

var opNames = map[string]opBase{
	"StringEquals":              opStringEquals,
	"StringNotEquals":           opStringNotEquals,
	"StringEqualsIgnoreCase":    opStringEqualsIgnoreCase,
	"StringNotEqualsIgnoreCase": opStringNotEqualsIgnoreCase,
	"StringLike":                opStringLike,
	"StringNotLike":             opStringNotLike,
	"NumericEquals":             opNumericEquals,
	"NumericNotEquals":          opNumericNotEquals,
	"NumericLessThan":           opNumericLessThan,
	"NumericLessThanEquals":     opNumericLessThanEquals,
	"NumericGreaterThan":        opNumericGreaterThan,
	"NumericGreaterThanEquals":  opNumericGreaterThanEquals,
	"DateEquals":                opDateEquals,
	"DateNotEquals":             opDateNotEquals,
	"DateLessThan":              opDateLessThan,
	"DateLessThanEquals":        opDateLessThanEquals,
	"DateGreaterThan":           opDateGreaterThan,
	"DateGreaterThanEquals":     opDateGreaterThanEquals,
	"Bool":                      opBool,
	"BinaryEquals":              opBinaryEquals,
	"IpAddress":                 opIPAddress,
	"NotIpAddress":              opNotIPAddress,
	"ArnEquals":                 opArnEquals,
	"ArnLike":                   opArnLike,
	"ArnNotEquals":              opArnNotEquals,
	"ArnNotLike":                opArnNotLike,
	"Null":                      opNull,
}

func (b opBase) isDate() bool { return b >= opDateEquals && b <= opDateGreaterThanEquals }

// negated operators match when the key does NOT match any value; with the
// key absent they are true (AWS: "negated matching condition operators").
func (b opBase) negated() bool {
	switch b {
	case opStringNotEquals, opStringNotEqualsIgnoreCase, opStringNotLike, opNumericNotEquals,
		opDateNotEquals, opNotIPAddress, opArnNotEquals, opArnNotLike:
		return true
	}
	return false
}

// positive returns the operator a negated one negates.
func (b opBase) positive() opBase {
	switch b {
	case opStringNotEquals:
		return opStringEquals
	case opStringNotEqualsIgnoreCase:
		return opStringEqualsIgnoreCase
	case opStringNotLike:
		return opStringLike
	case opNumericNotEquals:
		return opNumericEquals
	case opDateNotEquals:
		return opDateEquals
	case opNotIPAddress:
		return opIPAddress
	case opArnNotEquals:
		return opArnEquals
	case opArnNotLike:
		return opArnLike
	}
	return b
}

type setOp uint8

const (
	setNone setOp = iota
	setAny
	setAll
)

type operator struct {
	base     opBase
	set      setOp
	ifExists bool
}

// parseOperator parses "[ForAnyValue:|ForAllValues:]Base[IfExists]".
func parseOperator(s string) (operator, bool) {
	var op operator
	switch {
	case strings.HasPrefix(s, "ForAnyValue:"):
		op.set = setAny
		s = s[len("ForAnyValue:"):]
	case strings.HasPrefix(s, "ForAllValues:"):
		op.set = setAll
		s = s[len("ForAllValues:"):]
	}
	if b, ok := opNames[s]; ok {
		op.base = b
		return op, true
	}
	if t, ok := strings.CutSuffix(s, "IfExists"); ok {
		if b, ok := opNames[t]; ok && b != opNull {
			op.base = b
			op.ifExists = true
			return op, true
		}
	}
	return op, false
}

// cvalue is one compiled condition value.
type cvalue struct {
	str  pattern     // string and Like operators (may hold variables)
	arn  *arnPattern // Arn operators
	num  float64
	t    int64 // Date operators: Unix nanoseconds
	ip   netip.Prefix
	b    bool
	ok   bool // the value parsed for its operator
	text string
}

// ccond is one compiled condition.
type ccond struct {
	op   operator
	name string // key as written
	key  Key
	vals []cvalue
}

func compileCondition(c Condition, vars bool) ccond {
	op, _ := parseOperator(c.Operator)
	cc := ccond{op: op, name: c.Key, key: LookupKey(c.Key), vals: make([]cvalue, len(c.Values))}
	base := op.base.positive()
	for i, v := range c.Values {
		cv := cvalue{text: v, ok: true}
		switch base {
		case opStringEquals:
			cv.str = compilePattern(v, vars, false)
		case opStringEqualsIgnoreCase:
			cv.str = compilePattern(v, vars, false)
		case opStringLike:
			cv.str = compilePattern(v, vars, true)
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			cv.num, cv.ok = parseNumber(v)
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			cv.t, cv.ok = parseDate(v)
		case opBool, opNull:
			cv.b = strings.EqualFold(v, "true")
			cv.ok = cv.b || strings.EqualFold(v, "false")
		case opBinaryEquals:
		case opIPAddress:
			cv.ip, cv.ok = parseCIDR(v)
		case opArnEquals, opArnLike:
			ap := compileARNPattern(v, vars)
			cv.arn = &ap
		}
		cc.vals[i] = cv
	}
	return cc
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f)
}

func parseCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseDate parses an ISO 8601 date or date-time, or epoch seconds, into
// Unix nanoseconds.
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return 0, false
		}
		return n * int64(time.Second), true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && strings.IndexByte(s, '-') < 0 {
		if f >= float64(math.MaxInt64/int64(time.Second)) {
			return 0, false
		}
		return int64(f * float64(time.Second)), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixNano(), true
		}
	}
	// Lower-case 't'/'z' and "+hh" offsets without minutes.
	up := strings.ToUpper(s)
	if up != s {
		return parseDate(up)
	}
	if len(s) > 3 && (s[len(s)-3] == '+' || s[len(s)-3] == '-') && strings.IndexByte(s, 'T') > 0 {
		return parseDate(s + ":00")
	}
	return 0, false
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02T15",
	"2006-01-02",
	"2006-01",
	"2006",
}

// eval evaluates the condition. It reports whether the key was present.
func (c *ccond) eval(ctx *Context) (result, present bool) {
	var v Value
	if ctx != nil {
		if c.key != KeyNone {
			v = ctx.fixed[c.key]
		} else {
			v = ctx.lookupExtra(c.name)
		}
	}
	present = v.state != 0
	base := c.op.base
	if base == opNull {
		absent := v.Len() == 0
		for i := range c.vals {
			if c.vals[i].ok && c.vals[i].b == absent {
				return true, present
			}
		}
		return false, present
	}
	n := v.Len()
	switch c.op.set {
	case setAll:
		if n == 0 {
			return true, present
		}
		for i := 0; i < n; i++ {
			if !c.one(v.At(i), ctx) {
				return false, true
			}
		}
		return true, true
	case setAny:
		if n == 0 {
			return c.op.ifExists && !present, present
		}
		for i := 0; i < n; i++ {
			if c.one(v.At(i), ctx) {
				return true, true
			}
		}
		return false, true
	}
	if !present {
		return c.op.ifExists || base.negated(), false
	}
	if v.state == 2 {
		// A multivalued key (set as a list) under an operator without
		// ForAnyValue:/ForAllValues: matches no value, as AWS's simulator
		// evaluates it: positive operators are false, negated ones true.
		return base.negated(), true
	}
	if base.negated() {
		// True when no request value matches any condition value.
		for i := 0; i < n; i++ {
			if c.matchAny(base.positive(), v.At(i), ctx) {
				return false, true
			}
		}
		return true, true
	}
	for i := 0; i < n; i++ {
		if c.matchAny(base, v.At(i), ctx) {
			return true, true
		}
	}
	return false, true
}

// one evaluates the operator (negation included) for one request value.
func (c *ccond) one(s string, ctx *Context) bool {
	base := c.op.base
	if base.negated() {
		return !c.matchAny(base.positive(), s, ctx)
	}
	return c.matchAny(base, s, ctx)
}

// matchAny reports whether request value s matches any condition value
// under the (positive) operator base.
func (c *ccond) matchAny(base opBase, s string, ctx *Context) bool {
	switch base {
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		x, ok := parseNumber(s)
		if !ok {
			return false
		}
		for i := range c.vals {
			cv := &c.vals[i]
			if cv.ok && cmpOrdered(base-opNumericEquals, x, cv.num) {
				return true
			}
		}
		return false
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		x, ok := parseDate(s)
		if !ok {
			return false
		}
		for i := range c.vals {
			cv := &c.vals[i]
			if cv.ok && cmpOrdered(base-opDateEquals, x, cv.t) {
				return true
			}
		}
		return false
	case opIPAddress:
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for i := range c.vals {
			cv := &c.vals[i]
			if cv.ok && cv.ip.Contains(a) {
				return true
			}
		}
		return false
	case opBool:
		b := strings.EqualFold(s, "true")
		if !b && !strings.EqualFold(s, "false") {
			return false
		}
		for i := range c.vals {
			if c.vals[i].ok && c.vals[i].b == b {
				return true
			}
		}
		return false
	case opBinaryEquals:
		for i := range c.vals {
			if c.vals[i].text == s {
				return true
			}
		}
		return false
	case opArnEquals, opArnLike:
		for i := range c.vals {
			if m, _ := c.vals[i].arn.match(s, ctx); m {
				return true
			}
		}
		return false
	case opStringEqualsIgnoreCase:
		for i := range c.vals {
			if c.vals[i].str.equalFold(s, ctx) {
				return true
			}
		}
		return false
	}
	// StringEquals, StringLike.
	for i := range c.vals {
		if m, _ := c.vals[i].str.match(s, ctx); m {
			return true
		}
	}
	return false
}

// cmpOrdered applies Equals(0), NotEquals(1, unused), LessThan(2),
// LessThanEquals(3), GreaterThan(4), GreaterThanEquals(5).
func cmpOrdered[T int64 | float64](rel opBase, x, y T) bool {
	switch rel {
	case 0:
		return x == y
	case 2:
		return x < y
	case 3:
		return x <= y
	case 4:
		return x > y
	}
	return x >= y // 5; NotEquals (1) is evaluated as negated Equals
}

// equalFold compares s with the pattern's (substituted) text ignoring case.
func (p *pattern) equalFold(s string, ctx *Context) bool {
	if p.toks == nil {
		return strings.EqualFold(p.g.raw, s)
	}
	// Walk tokens against s.
	rest := s
	for i := range p.toks {
		t := &p.toks[i]
		var part string
		switch t.kind {
		case tokLit, tokChar:
			part = t.s
		case tokVar:
			v, ok := t.resolve(ctx)
			if !ok {
				return false
			}
			part = v
		}
		if len(rest) < len(part) || !strings.EqualFold(rest[:len(part)], part) {
			return false
		}
		rest = rest[len(part):]
	}
	return rest == ""
}
