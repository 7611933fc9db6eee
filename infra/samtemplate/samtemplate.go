// Package samtemplate reads the project's AWS SAM templates: the root template and every
// nested stack it pulls in through AWS::Serverless::Application resources with a local
// Location. It extracts what local tooling and consistency checks need (tables, queues,
// buckets, functions, APIs) and follows !Ref / !GetAtt through nested-stack parameters
// back to the root, so a function's environment can be mapped to concrete resources.
//
// CloudFormation short tags (!Ref, !GetAtt, !Sub, !If, ...) and their long forms
// ({Ref: X}, {"Fn::GetAtt": [A, B]}) are both understood; anything that cannot be
// reduced to a literal, a root parameter or a resource becomes an opaque Value.
package samtemplate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Template is the root template plus all local nested stacks.
type Template struct {
	Root       *Stack
	Stacks     []*Stack // root first, then nested stacks depth-first in declaration order
	Tables     []Table
	Queues     []Queue
	Buckets    []Bucket
	Functions  []Function
	Apis       []Api
	Parameters map[string]Parameter // parameters of the root template
}

// Stack is one template file.
type Stack struct {
	Name                  string // logical id of the AWS::Serverless::Application resource; "" for the root
	Parent                string // Name of the parent stack ("" for the root and its children)
	Path                  string // file path relative to the root template's directory, slash separated
	ResourceCount         int    // resources in the file as written
	EstimatedCfnResources int    // resources after the SAM transform (see estimateResources)
	Parameters            map[string]Parameter

	parent    *Stack
	passed    *omap // Properties.Parameters of the Application resource in the parent
	resources map[string]string
	globalFn  *omap
}

// Parameter is a template parameter.
type Parameter struct {
	Name          string
	Type          string
	Default       string
	HasDefault    bool
	NoEcho        bool
	Description   string
	AllowedValues []string
}

// Table is an AWS::DynamoDB::Table.
type Table struct {
	LogicalID    string
	Stack        string
	HashKey      string
	RangeKey     string
	Attributes   map[string]string // attribute name -> S | N | B
	GSIs         []GSI
	LSIs         []GSI
	TTLAttribute string // "" unless TimeToLiveSpecification is enabled
	StreamView   string // StreamSpecification.StreamViewType, "" if none
}

// GSI is a global (or local) secondary index.
type GSI struct {
	Name             string
	HashKey          string
	RangeKey         string
	ProjectionType   string // ALL | KEYS_ONLY | INCLUDE
	NonKeyAttributes []string
}

// Queue is an AWS::SQS::Queue.
type Queue struct {
	LogicalID                 string
	Stack                     string
	FIFO                      bool
	ContentBasedDeduplication bool
	VisibilityTimeout         int // seconds, default 30
	MessageRetentionPeriod    int // seconds, default 345600 (4 days, the SQS default)
	DelaySeconds              int
	ReceiveMessageWaitTime    int    // ReceiveMessageWaitTimeSeconds
	DeadLetterQueue           string // logical id from RedrivePolicy.deadLetterTargetArn, "" if none
	MaxReceiveCount           int
}

// Bucket is an AWS::S3::Bucket.
type Bucket struct {
	LogicalID  string
	Stack      string
	Versioning bool // VersioningConfiguration.Status == Enabled
}

// Api is an AWS::Serverless::Api.
type Api struct {
	LogicalID string
	Stack     string
	Audience  string // LogicalID without the "Api" suffix, lower case: client, partner, backoffice
	UsagePlan bool   // Auth.UsagePlan present and CreateUsagePlan is not NONE
}

// Function is an AWS::Serverless::Function with the stack's Globals.Function applied.
type Function struct {
	LogicalID     string
	Stack         string
	CodeURI       string // relative to the root template's directory, cleaned, e.g. functions/onboarding/registration-start
	Timeout       int    // default 3
	MemorySize    int    // default 128
	Runtime       string
	Architectures []string
	Handler       string
	BuildMethod   string // Metadata.BuildMethod
	Env           map[string]Value
	ApiEvents     []ApiEvent
	SQSEvents     []SQSEvent
}

// ApiEvent is an event of type Api.
type ApiEvent struct {
	Name     string
	Api      string // RestApiId logical id ("" = the implicit ServerlessRestApi)
	Audience string
	Method   string // upper case
	Path     string
}

// SQSEvent is an event of type SQS.
type SQSEvent struct {
	Name                    string
	Queue                   string // logical id of the queue (a root queue when passed down as a parameter)
	QueueValue              Value  // the full resolution of Properties.Queue
	BatchSize               int    // default 10
	ReportBatchItemFailures bool
	MaximumBatchingWindow   int // MaximumBatchingWindowInSeconds
}

// Value is what an environment variable (or parameter) resolves to, followed through
// nested-stack parameters up to the root: a literal string, a root Parameter, or a
// resource reference. Exactly one of Literal (possibly ""), Param, Resource or Opaque
// is meaningful; check Param, Resource and Opaque first.
type Value struct {
	Literal  string
	Param    string // root parameter name
	Resource string // logical id of a resource
	Stack    string // stack holding Resource ("" = root)
	Attr     string // "" for !Ref, else the GetAtt attribute, e.g. "Arn"
	Opaque   bool   // anything else (conditions, !Sub with several parts, pseudo parameters...)
}

func (v Value) String() string {
	switch {
	case v.Opaque:
		return "<opaque>"
	case v.Param != "":
		return "param:" + v.Param
	case v.Resource != "":
		s := v.Resource
		if v.Stack != "" {
			s = v.Stack + "/" + s
		}
		if v.Attr != "" {
			s += "." + v.Attr
		}
		return "resource:" + s
	}
	return fmt.Sprintf("%q", v.Literal)
}

// Function returns the function with the given logical id.
func (t *Template) Function(logicalID string) (Function, bool) {
	for _, f := range t.Functions {
		if f.LogicalID == logicalID {
			return f, true
		}
	}
	return Function{}, false
}

// Table returns the table with the given logical id.
func (t *Template) Table(logicalID string) (Table, bool) {
	for _, x := range t.Tables {
		if x.LogicalID == logicalID {
			return x, true
		}
	}
	return Table{}, false
}

// Queue returns the queue with the given logical id.
func (t *Template) Queue(logicalID string) (Queue, bool) {
	for _, x := range t.Queues {
		if x.LogicalID == logicalID {
			return x, true
		}
	}
	return Queue{}, false
}

// Bucket returns the bucket with the given logical id.
func (t *Template) Bucket(logicalID string) (Bucket, bool) {
	for _, x := range t.Buckets {
		if x.LogicalID == logicalID {
			return x, true
		}
	}
	return Bucket{}, false
}

// Stack returns the stack with the given name ("" = root).
func (t *Template) Stack(name string) (*Stack, bool) {
	for _, s := range t.Stacks {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// Load reads the root template and, recursively, every nested stack whose
// AWS::Serverless::Application Location is a local file path.
func Load(rootPath string) (*Template, error) {
	l := &loader{baseDir: filepath.Dir(rootPath), t: &Template{}, seen: map[string]bool{}}
	root, err := l.load(rootPath, "", nil, nil)
	if err != nil {
		return nil, err
	}
	l.t.Root = root
	l.t.Parameters = root.Parameters
	return l.t, nil
}

type loader struct {
	baseDir string
	t       *Template
	seen    map[string]bool // absolute paths on the current nesting chain
}

func (l *loader) load(file, name string, parent *Stack, passed *omap) (*Stack, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if l.seen[abs] {
		return nil, fmt.Errorf("%s: nested stack cycle", file)
	}
	l.seen[abs] = true
	defer delete(l.seen, abs)

	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	doc, err := decodeFile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	rel, err := filepath.Rel(l.baseDir, file)
	if err != nil {
		rel = file
	}
	st := &Stack{
		Name:       name,
		Path:       filepath.ToSlash(filepath.Clean(rel)),
		Parameters: map[string]Parameter{},
		parent:     parent,
		passed:     passed,
		resources:  map[string]string{},
		globalFn:   asMap(path(doc, "Globals", "Function")),
	}
	if parent != nil {
		st.Parent = parent.Name
	}
	if ps := asMap(path(doc, "Parameters")); ps != nil {
		for _, k := range ps.keys {
			st.Parameters[k] = parseParameter(k, ps.m[k])
		}
	}
	res := asMap(path(doc, "Resources"))
	if res == nil {
		res = &omap{m: map[string]any{}}
	}
	st.ResourceCount = len(res.keys)
	for _, id := range res.keys {
		typ, _ := asString(path(res.m[id], "Type"))
		st.resources[id] = typ
	}
	l.t.Stacks = append(l.t.Stacks, st)

	for _, id := range res.keys {
		r := res.m[id]
		props := asMap(path(r, "Properties"))
		st.EstimatedCfnResources += estimateResource(st, r)
		switch st.resources[id] {
		case "AWS::DynamoDB::Table":
			l.t.Tables = append(l.t.Tables, parseTable(id, st.Name, props))
		case "AWS::SQS::Queue":
			l.t.Queues = append(l.t.Queues, parseQueue(id, st, props))
		case "AWS::S3::Bucket":
			l.t.Buckets = append(l.t.Buckets, Bucket{LogicalID: id, Stack: st.Name,
				Versioning: path(props, "VersioningConfiguration", "Status") == "Enabled"})
		case "AWS::Serverless::Api":
			l.t.Apis = append(l.t.Apis, parseApi(id, st.Name, props))
		case "AWS::Serverless::Function":
			f, err := l.parseFunction(id, st, r)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", file, id, err)
			}
			l.t.Functions = append(l.t.Functions, f)
		}
	}
	if n := implicitApi(res); n {
		st.EstimatedCfnResources += 3
	}

	// Nested stacks after the stack's own resources, so Stacks is root-first pre-order.
	for _, id := range res.keys {
		if st.resources[id] != "AWS::Serverless::Application" {
			continue
		}
		props := asMap(path(res.m[id], "Properties"))
		loc, ok := asString(path(props, "Location"))
		if !ok || strings.Contains(loc, "://") {
			continue // SAR application or remote template: not loaded
		}
		if !filepath.IsAbs(loc) {
			loc = filepath.Join(filepath.Dir(file), filepath.FromSlash(loc))
		}
		if _, err := l.load(loc, id, st, asMap(path(props, "Parameters"))); err != nil {
			return nil, fmt.Errorf("%s: nested stack %s: %w", file, id, err)
		}
	}
	return st, nil
}

func parseParameter(name string, v any) Parameter {
	p := Parameter{Name: name}
	p.Type, _ = asString(path(v, "Type"))
	if d, ok := path(v, "Default").(string); ok {
		p.Default, p.HasDefault = d, true
	} else if o := asMap(v); o != nil {
		if _, ok := o.get("Default"); ok { // Default: null or a non-scalar
			p.HasDefault = true
		}
	}
	p.NoEcho = asBool(path(v, "NoEcho"))
	p.Description, _ = asString(path(v, "Description"))
	for _, a := range asList(path(v, "AllowedValues")) {
		if s, ok := a.(string); ok {
			p.AllowedValues = append(p.AllowedValues, s)
		}
	}
	return p
}

func keySchema(v any) (hash, rng string) {
	for _, k := range asList(v) {
		name, _ := asString(path(k, "AttributeName"))
		switch path(k, "KeyType") {
		case "HASH":
			hash = name
		case "RANGE":
			rng = name
		}
	}
	return
}

func parseIndexes(v any) []GSI {
	var out []GSI
	for _, g := range asList(v) {
		idx := GSI{}
		idx.Name, _ = asString(path(g, "IndexName"))
		idx.HashKey, idx.RangeKey = keySchema(path(g, "KeySchema"))
		idx.ProjectionType, _ = asString(path(g, "Projection", "ProjectionType"))
		if idx.ProjectionType == "" {
			idx.ProjectionType = "KEYS_ONLY" // CloudFormation default
		}
		for _, a := range asList(path(g, "Projection", "NonKeyAttributes")) {
			if s, ok := a.(string); ok {
				idx.NonKeyAttributes = append(idx.NonKeyAttributes, s)
			}
		}
		out = append(out, idx)
	}
	return out
}

func parseTable(id, stack string, props *omap) Table {
	t := Table{LogicalID: id, Stack: stack, Attributes: map[string]string{}}
	for _, a := range asList(path(props, "AttributeDefinitions")) {
		n, _ := asString(path(a, "AttributeName"))
		typ, _ := asString(path(a, "AttributeType"))
		t.Attributes[n] = typ
	}
	t.HashKey, t.RangeKey = keySchema(path(props, "KeySchema"))
	t.GSIs = parseIndexes(path(props, "GlobalSecondaryIndexes"))
	t.LSIs = parseIndexes(path(props, "LocalSecondaryIndexes"))
	if asBool(path(props, "TimeToLiveSpecification", "Enabled")) {
		t.TTLAttribute, _ = asString(path(props, "TimeToLiveSpecification", "AttributeName"))
	}
	t.StreamView, _ = asString(path(props, "StreamSpecification", "StreamViewType"))
	return t
}

func parseQueue(id string, st *Stack, props *omap) Queue {
	q := Queue{
		LogicalID:                 id,
		Stack:                     st.Name,
		FIFO:                      asBool(path(props, "FifoQueue")),
		ContentBasedDeduplication: asBool(path(props, "ContentBasedDeduplication")),
		VisibilityTimeout:         asInt(path(props, "VisibilityTimeout"), 30),
		MessageRetentionPeriod:    asInt(path(props, "MessageRetentionPeriod"), 345600),
		DelaySeconds:              asInt(path(props, "DelaySeconds"), 0),
		ReceiveMessageWaitTime:    asInt(path(props, "ReceiveMessageWaitTimeSeconds"), 0),
	}
	if rp := path(props, "RedrivePolicy"); rp != nil {
		v := st.resolve(path(rp, "deadLetterTargetArn"))
		q.DeadLetterQueue = v.Resource
		q.MaxReceiveCount = asInt(path(rp, "maxReceiveCount"), 0)
	}
	return q
}

func parseApi(id, stack string, props *omap) Api {
	a := Api{LogicalID: id, Stack: stack, Audience: audience(id)}
	if up := asMap(path(props, "Auth", "UsagePlan")); up != nil {
		a.UsagePlan = path(up, "CreateUsagePlan") != "NONE"
	}
	return a
}

func audience(apiID string) string {
	return strings.ToLower(strings.TrimSuffix(apiID, "Api"))
}

// prop returns the function property, falling back to Globals.Function.
func (st *Stack) prop(props *omap, key string) any {
	if v, ok := props.get(key); ok {
		return v
	}
	v, _ := st.globalFn.get(key)
	return v
}

func (l *loader) parseFunction(id string, st *Stack, r any) (Function, error) {
	props := asMap(path(r, "Properties"))
	f := Function{LogicalID: id, Stack: st.Name, Env: map[string]Value{}}
	f.Timeout = asInt(st.prop(props, "Timeout"), 3)
	f.MemorySize = asInt(st.prop(props, "MemorySize"), 128)
	f.Runtime, _ = asString(st.prop(props, "Runtime"))
	f.Handler, _ = asString(st.prop(props, "Handler"))
	for _, a := range asList(st.prop(props, "Architectures")) {
		if s, ok := a.(string); ok {
			f.Architectures = append(f.Architectures, s)
		}
	}
	f.BuildMethod, _ = asString(path(r, "Metadata", "BuildMethod"))
	if uri, ok := asString(st.prop(props, "CodeUri")); ok && uri != "" {
		p := filepath.FromSlash(uri)
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(filepath.FromSlash(st.Path)), p)
		}
		f.CodeURI = filepath.ToSlash(filepath.Clean(p))
	}

	for _, vars := range []*omap{
		asMap(path(st.globalFn, "Environment", "Variables")),
		asMap(path(props, "Environment", "Variables")),
	} {
		if vars == nil {
			continue
		}
		for _, k := range vars.keys {
			f.Env[k] = st.resolve(vars.m[k])
		}
	}

	events := asMap(path(props, "Events"))
	if events == nil {
		return f, nil
	}
	for _, name := range events.keys {
		ev := events.m[name]
		ep := path(ev, "Properties")
		switch path(ev, "Type") {
		case "Api":
			e := ApiEvent{Name: name}
			if ref := path(ep, "RestApiId"); ref != nil {
				v := st.resolve(ref)
				if v.Resource == "" {
					return f, fmt.Errorf("event %s: RestApiId is not a resource of this template", name)
				}
				e.Api = v.Resource
				e.Audience = audience(v.Resource)
			}
			m, _ := asString(path(ep, "Method"))
			e.Method = strings.ToUpper(m)
			e.Path, _ = asString(path(ep, "Path"))
			f.ApiEvents = append(f.ApiEvents, e)
		case "SQS":
			v := st.resolve(path(ep, "Queue"))
			e := SQSEvent{
				Name:                  name,
				Queue:                 v.Resource,
				QueueValue:            v,
				BatchSize:             asInt(path(ep, "BatchSize"), 10),
				MaximumBatchingWindow: asInt(path(ep, "MaximumBatchingWindowInSeconds"), 0),
			}
			for _, t := range asList(path(ep, "FunctionResponseTypes")) {
				if t == "ReportBatchItemFailures" {
					e.ReportBatchItemFailures = true
				}
			}
			f.SQSEvents = append(f.SQSEvents, e)
		}
	}
	return f, nil
}

// resolve reduces a template value, evaluated in stack st, to a Value.
func (st *Stack) resolve(v any) Value {
	switch x := v.(type) {
	case nil:
		return Value{Opaque: true}
	case string:
		return Value{Literal: x}
	case *Intrinsic:
		switch x.Name {
		case "Ref":
			name, ok := asString(x.Arg)
			if !ok {
				return Value{Opaque: true}
			}
			return st.ref(name, "")
		case "Fn::GetAtt":
			res, attr, ok := splitGetAtt(x.Arg)
			if !ok {
				return Value{Opaque: true}
			}
			return st.ref(res, attr)
		case "Fn::Sub":
			// Only "${X}" / "${X.Attr}" (the whole string one reference) is reducible.
			s, ok := asString(x.Arg)
			if !ok || !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") ||
				strings.Count(s, "${") != 1 || strings.HasPrefix(s, "${!") {
				return Value{Opaque: true}
			}
			inner := s[2 : len(s)-1]
			if res, attr, ok := strings.Cut(inner, "."); ok {
				return st.ref(res, attr)
			}
			return st.ref(inner, "")
		}
	}
	return Value{Opaque: true}
}

func splitGetAtt(arg any) (res, attr string, ok bool) {
	switch a := arg.(type) {
	case string:
		return strings.Cut(a, ".")
	case []any:
		if len(a) != 2 {
			return "", "", false
		}
		r, ok1 := asString(a[0])
		at, ok2 := asString(a[1])
		return r, at, ok1 && ok2
	}
	return "", "", false
}

func (st *Stack) ref(name, attr string) Value {
	if strings.HasPrefix(name, "AWS::") {
		return Value{Opaque: true} // pseudo parameters, AWS::NoValue
	}
	if _, ok := st.resources[name]; ok {
		return Value{Resource: name, Stack: st.Name, Attr: attr}
	}
	p, ok := st.Parameters[name]
	if !ok || attr != "" {
		return Value{Opaque: true}
	}
	if st.parent == nil {
		return Value{Param: name}
	}
	if passed, ok := st.passed.get(name); ok {
		return st.parent.resolve(passed)
	}
	if p.HasDefault {
		return Value{Literal: p.Default}
	}
	return Value{Opaque: true}
}

// implicitApi reports whether some function has an Api event without RestApiId, which
// makes SAM generate the implicit ServerlessRestApi.
func implicitApi(res *omap) bool {
	for _, id := range res.keys {
		r := res.m[id]
		if path(r, "Type") != "AWS::Serverless::Function" {
			continue
		}
		ev := asMap(path(r, "Properties", "Events"))
		if ev == nil {
			continue
		}
		for _, n := range ev.keys {
			if path(ev.m[n], "Type") == "Api" && path(ev.m[n], "Properties", "RestApiId") == nil {
				return true
			}
		}
	}
	return false
}

// estimateResource estimates how many CloudFormation resources one template resource
// becomes after the SAM transform, to watch the 500-resources-per-stack limit:
//
//   - a plain CloudFormation resource: 1;
//   - AWS::Serverless::Function: 2 (function + execution role; 1 when Properties.Role
//     is given), +1 per Api event (Lambda permission), +1 per SQS event (event source
//     mapping), +2 per Schedule/EventBridgeRule/CloudWatchEvent/SNS event (rule or
//     subscription + permission), +1 for any other event, +2 with AutoPublishAlias
//     (version + alias);
//   - AWS::Serverless::Api: 3 (RestApi, Deployment, Stage), +3 with Auth.UsagePlan
//     unless CreateUsagePlan is NONE (usage plan, usage plan key, API key);
//   - AWS::Serverless::HttpApi: 2 (Api, Stage); AWS::Serverless::StateMachine: 2
//     (state machine + role);
//   - AWS::Serverless::Application: 1 (the nested stack; its own resources count
//     against its own limit).
//
// The loader adds 3 more when some function has an Api event without RestApiId (the
// implicit ServerlessRestApi). The estimate ignores SAM's extras such as the
// CodeDeploy application of DeploymentPreference and the Lambda permissions of authorizers.
func estimateResource(st *Stack, r any) int {
	typ, _ := asString(path(r, "Type"))
	props := asMap(path(r, "Properties"))
	switch typ {
	case "AWS::Serverless::Function":
		n := 2
		if _, ok := props.get("Role"); ok {
			n = 1
		}
		if st.prop(props, "AutoPublishAlias") != nil {
			n += 2
		}
		ev := asMap(path(props, "Events"))
		if ev != nil {
			for _, k := range ev.keys {
				switch path(ev.m[k], "Type") {
				case "Api", "HttpApi", "SQS", "Kinesis", "DynamoDB", "S3", "MSK", "MQ":
					n++
				case "Schedule", "ScheduleV2", "EventBridgeRule", "CloudWatchEvent", "SNS":
					n += 2
				default:
					n++
				}
			}
		}
		return n
	case "AWS::Serverless::Api":
		n := 3
		if up := asMap(path(props, "Auth", "UsagePlan")); up != nil && path(up, "CreateUsagePlan") != "NONE" {
			n += 3
		}
		return n
	case "AWS::Serverless::HttpApi", "AWS::Serverless::StateMachine":
		return 2
	}
	return 1
}

// sortedKeys is a small helper for deterministic output.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// EnvNames returns the names of f's environment variables, sorted.
func (f Function) EnvNames() []string { return sortedKeys(f.Env) }
