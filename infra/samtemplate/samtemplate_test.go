package samtemplate

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const fixtureRoot = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
  Secret: {Type: String, NoEcho: true}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
        - {AttributeName: byUser, AttributeType: S}
        - {AttributeName: at, AttributeType: N}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: byUser
          KeySchema:
            - {AttributeName: byUser, KeyType: HASH}
            - {AttributeName: at, KeyType: RANGE}
          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [total]}
      TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
  JobsQueue:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      ContentBasedDeduplication: true
      VisibilityTimeout: 120
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt [JobsDlq, Arn]
        maxReceiveCount: 3
  JobsDlq:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: "true"
      MessageRetentionPeriod: 1209600
  FilesBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
  App:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./nested/app.yaml
      Parameters:
        Stage: !Ref Stage
        Table: !Ref OrdersTable
        TableArn: !GetAtt OrdersTable.Arn
        QueueArn: {"Fn::GetAtt": [JobsQueue, Arn]}
        QueueUrl: {Ref: JobsQueue}
        Secret: !Ref Secret
        Fixed: hello
        Computed: !Sub "${AWS::StackName}-x"
        Switch: !If [IsProd, a, !Ref AWS::NoValue]
Outputs:
  Url:
    Value: !Join ["", [!GetAtt App.Outputs.Url, !Select [0, !Split [",", "a,b"]]]]
`

const fixtureNested = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String}
  Table: {Type: String}
  TableArn: {Type: String}
  QueueArn: {Type: String}
  QueueUrl: {Type: String}
  Secret: {Type: String}
  Fixed: {Type: String}
  Computed: {Type: String}
  Switch: {Type: String}
  NotPassed: {Type: String, Default: fallback}
Conditions:
  HasSwitch: !Not [!Equals [!Ref Switch, ""]]
Globals:
  Function:
    Runtime: provided.al2023
    Architectures: [arm64]
    Handler: bootstrap
    Timeout: 10
    MemorySize: 256
    Environment:
      Variables:
        STAGE: !Ref Stage
        TABLE: !Ref Table
        OVERRIDE: from-globals
Resources:
  PartnerApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Auth:
        UsagePlan: {CreateUsagePlan: PER_API}
      EndpointConfiguration:
        VPCEndpointIds: !If [HasSwitch, [!Ref Switch], !Ref AWS::NoValue]
  LocalQueue:
    Type: AWS::SQS::Queue
  WorkerFunction:
    Type: AWS::Serverless::Function
    Metadata: {BuildMethod: makefile}
    Properties:
      CodeUri: ../fn/worker/
      Timeout: 30
      Architectures: [x86_64]
      Environment:
        Variables:
          OVERRIDE: mine
          TABLE_ARN: !Ref TableArn
          QUEUE_URL: !Ref QueueUrl
          SECRET: !Ref Secret
          FIXED: !Ref Fixed
          COMPUTED: !Ref Computed
          DEFAULTED: !Ref NotPassed
          LOCAL_QUEUE: !Ref LocalQueue
          LOCAL_QUEUE_ARN: !GetAtt LocalQueue.Arn
          API_ID: !Sub "${PartnerApi}"
          REGION: !Ref AWS::Region
          SPLIT: !Select [5, !Split [":", !Ref QueueArn]]
          LITERAL: 42
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !Ref QueueArn
            FunctionResponseTypes: [ReportBatchItemFailures]
            MaximumBatchingWindowInSeconds: 2
        Local:
          Type: SQS
          Properties: {Queue: !GetAtt LocalQueue.Arn, BatchSize: 1}
        Get:
          Type: Api
          Properties: {RestApiId: !Ref PartnerApi, Path: "/v1/items/{id}", Method: get}
  PlainFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: plain
`

func writeFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "template.yaml")
	if err := os.WriteFile(root, []byte(fixtureRoot), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nested", "app.yaml"), []byte(fixtureNested), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestLoadFixture(t *testing.T) {
	tpl, err := Load(writeFixture(t))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("stacks", func(t *testing.T) {
		if len(tpl.Stacks) != 2 || tpl.Stacks[0] != tpl.Root {
			t.Fatalf("stacks = %d, root first = %v", len(tpl.Stacks), tpl.Stacks[0] == tpl.Root)
		}
		got := []Stack{*tpl.Stacks[0], *tpl.Stacks[1]}
		want := []struct {
			name, path   string
			count, estim int
		}{
			{"", "template.yaml", 5, 5},
			// Api 3 + usage plan 3; queue 1; WorkerFunction 2 + 2 SQS + 1 Api; PlainFunction 2.
			{"App", "nested/app.yaml", 4, 6 + 1 + 5 + 2},
		}
		for i, w := range want {
			if got[i].Name != w.name || got[i].Path != w.path || got[i].ResourceCount != w.count || got[i].EstimatedCfnResources != w.estim {
				t.Errorf("stack %d = {%q %q %d %d}, want %+v", i, got[i].Name, got[i].Path, got[i].ResourceCount, got[i].EstimatedCfnResources, w)
			}
		}
	})

	t.Run("parameters", func(t *testing.T) {
		if p := tpl.Parameters["Stage"]; !p.HasDefault || p.Default != "dev" || p.NoEcho {
			t.Errorf("Stage = %+v", p)
		}
		if p := tpl.Parameters["Secret"]; p.HasDefault || !p.NoEcho {
			t.Errorf("Secret = %+v", p)
		}
	})

	t.Run("table", func(t *testing.T) {
		tb, ok := tpl.Table("OrdersTable")
		if !ok {
			t.Fatal("no OrdersTable")
		}
		want := Table{
			LogicalID: "OrdersTable", HashKey: "pk", RangeKey: "sk",
			Attributes:   map[string]string{"pk": "S", "sk": "S", "byUser": "S", "at": "N"},
			GSIs:         []GSI{{Name: "byUser", HashKey: "byUser", RangeKey: "at", ProjectionType: "INCLUDE", NonKeyAttributes: []string{"total"}}},
			TTLAttribute: "ttl",
		}
		if !reflect.DeepEqual(tb, want) {
			t.Errorf("table =\n%+v\nwant\n%+v", tb, want)
		}
	})

	t.Run("queues", func(t *testing.T) {
		tests := []struct {
			id   string
			want Queue
		}{
			{"JobsQueue", Queue{LogicalID: "JobsQueue", FIFO: true, ContentBasedDeduplication: true, VisibilityTimeout: 120,
				MessageRetentionPeriod: 345600, DeadLetterQueue: "JobsDlq", MaxReceiveCount: 3}},
			{"JobsDlq", Queue{LogicalID: "JobsDlq", FIFO: true, VisibilityTimeout: 30, MessageRetentionPeriod: 1209600}},
			{"LocalQueue", Queue{LogicalID: "LocalQueue", Stack: "App", VisibilityTimeout: 30, MessageRetentionPeriod: 345600}},
		}
		for _, tt := range tests {
			q, ok := tpl.Queue(tt.id)
			if !ok || q != tt.want {
				t.Errorf("%s = %+v (found %v), want %+v", tt.id, q, ok, tt.want)
			}
		}
	})

	t.Run("bucket and api", func(t *testing.T) {
		if b, _ := tpl.Bucket("FilesBucket"); !b.Versioning || b.Stack != "" {
			t.Errorf("bucket = %+v", b)
		}
		want := []Api{{LogicalID: "PartnerApi", Stack: "App", Audience: "partner", UsagePlan: true}}
		if !reflect.DeepEqual(tpl.Apis, want) {
			t.Errorf("apis = %+v", tpl.Apis)
		}
	})

	f, ok := tpl.Function("WorkerFunction")
	if !ok {
		t.Fatal("no WorkerFunction")
	}
	t.Run("globals merge", func(t *testing.T) {
		if f.Stack != "App" || f.CodeURI != "fn/worker" || f.Timeout != 30 || f.MemorySize != 256 ||
			f.Runtime != "provided.al2023" || f.Handler != "bootstrap" || f.BuildMethod != "makefile" ||
			!reflect.DeepEqual(f.Architectures, []string{"x86_64"}) {
			t.Errorf("function = %+v", f)
		}
		p, _ := tpl.Function("PlainFunction")
		if p.CodeURI != "nested/plain" || p.Timeout != 10 || !reflect.DeepEqual(p.Architectures, []string{"arm64"}) || p.BuildMethod != "" {
			t.Errorf("plain = %+v", p)
		}
		if len(p.Env) != 3 || p.Env["OVERRIDE"].Literal != "from-globals" {
			t.Errorf("plain env = %v", p.Env)
		}
	})

	t.Run("env resolution", func(t *testing.T) {
		tests := []struct {
			name string
			want Value
		}{
			{"STAGE", Value{Param: "Stage"}},
			{"TABLE", Value{Resource: "OrdersTable"}},
			{"TABLE_ARN", Value{Resource: "OrdersTable", Attr: "Arn"}}, // GetAtt A.B
			{"QUEUE_URL", Value{Resource: "JobsQueue"}},                // long form Ref
			{"SECRET", Value{Param: "Secret"}},
			{"OVERRIDE", Value{Literal: "mine"}}, // function wins over Globals
			{"FIXED", Value{Literal: "hello"}},
			{"LITERAL", Value{Literal: "42"}},
			{"COMPUTED", Value{Opaque: true}}, // !Sub with a pseudo parameter
			{"DEFAULTED", Value{Literal: "fallback"}},
			{"LOCAL_QUEUE", Value{Resource: "LocalQueue", Stack: "App"}},
			{"LOCAL_QUEUE_ARN", Value{Resource: "LocalQueue", Stack: "App", Attr: "Arn"}},
			{"API_ID", Value{Resource: "PartnerApi", Stack: "App"}},
			{"REGION", Value{Opaque: true}},
			{"SPLIT", Value{Opaque: true}},
		}
		if len(f.Env) != len(tests) {
			t.Errorf("env has %d entries, want %d: %v", len(f.Env), len(tests), f.EnvNames())
		}
		for _, tt := range tests {
			if got := f.Env[tt.name]; got != tt.want {
				t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
			}
		}
	})

	t.Run("events", func(t *testing.T) {
		wantSQS := []SQSEvent{
			{Name: "Jobs", Queue: "JobsQueue", QueueValue: Value{Resource: "JobsQueue", Attr: "Arn"}, BatchSize: 10, ReportBatchItemFailures: true, MaximumBatchingWindow: 2},
			{Name: "Local", Queue: "LocalQueue", QueueValue: Value{Resource: "LocalQueue", Stack: "App", Attr: "Arn"}, BatchSize: 1},
		}
		if !reflect.DeepEqual(f.SQSEvents, wantSQS) {
			t.Errorf("sqs events = %+v", f.SQSEvents)
		}
		wantApi := []ApiEvent{{Name: "Get", Api: "PartnerApi", Audience: "partner", Method: "GET", Path: "/v1/items/{id}"}}
		if !reflect.DeepEqual(f.ApiEvents, wantApi) {
			t.Errorf("api events = %+v", f.ApiEvents)
		}
	})
}

func TestShortTags(t *testing.T) {
	doc, err := decodeFile([]byte(`
a: !Ref X
b: !GetAtt A.B.C
c: !Sub ["${x}", {x: !Ref Y}]
d: !If [Cond, !Ref AWS::NoValue, [1, 2]]
e: !Join [",", [!Select [0, !Split ["/", "p/q"]]]]
f: !Not [!Equals [a, b]]
g: !Base64 xyz
h: !ImportValue Other
i: {"Fn::Sub": "${Z}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"a": "Ref", "b": "Fn::GetAtt", "c": "Fn::Sub", "d": "Fn::If", "e": "Fn::Join",
		"f": "Fn::Not", "g": "Fn::Base64", "h": "Fn::ImportValue", "i": "Fn::Sub"}
	for k, want := range names {
		in, ok := doc.m[k].(*Intrinsic)
		if !ok || in.Name != want {
			t.Errorf("%s = %#v, want intrinsic %s", k, doc.m[k], want)
		}
	}
	st := &Stack{resources: map[string]string{"A": "x", "Z": "y"}, Parameters: map[string]Parameter{}}
	if v := st.resolve(doc.m["b"]); v != (Value{Resource: "A", Attr: "B.C"}) {
		t.Errorf("GetAtt A.B.C = %v", v)
	}
	if v := st.resolve(doc.m["i"]); v != (Value{Resource: "Z"}) {
		t.Errorf("Sub ${Z} = %v", v)
	}
	for _, k := range []string{"a", "c", "d", "e", "f", "g", "h"} {
		if v := st.resolve(doc.m[k]); !v.Opaque {
			t.Errorf("%s = %v, want opaque", k, v)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing root: no error")
	}
	root := filepath.Join(dir, "template.yaml")
	os.WriteFile(root, []byte("Resources:\n  N:\n    Type: AWS::Serverless::Application\n    Properties: {Location: gone.yaml}\n"), 0o644)
	if _, err := Load(root); err == nil {
		t.Error("missing nested: no error")
	}
	os.WriteFile(root, []byte("Resources:\n  N:\n    Type: AWS::Serverless::Application\n    Properties: {Location: template.yaml}\n"), 0o644)
	if _, err := Load(root); err == nil {
		t.Error("cycle: no error")
	}
}

func TestRealTemplate(t *testing.T) {
	tpl, err := Load("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, ok := tpl.Function("NotificationsSmsSenderFunction")
	if !ok {
		t.Fatal("NotificationsSmsSenderFunction not found")
	}
	if len(f.SQSEvents) != 1 || f.SQSEvents[0].Queue != "SmsQueue" || f.SQSEvents[0].QueueValue.Stack != "" {
		t.Fatalf("SQS events = %+v, want one on root SmsQueue", f.SQSEvents)
	}
	if e := f.SQSEvents[0]; !e.ReportBatchItemFailures || e.BatchSize != 10 {
		t.Errorf("SQS event = %+v", e)
	}
	if f.CodeURI != "functions/notifications/sms-sender" {
		t.Errorf("CodeURI = %q", f.CodeURI)
	}
	for _, s := range tpl.Stacks {
		if s.EstimatedCfnResources > 450 {
			t.Errorf("stack %q: ~%d CloudFormation resources, close to the 500 limit", s.Name, s.EstimatedCfnResources)
		}
	}
}
