package localcloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/kabinet/kabinet/infra/samtemplate"
)

const repoRoot = "../.."

func startStack(t *testing.T, o Options) *Stack {
	t.Helper()
	o.Root = repoRoot
	o.Logf = t.Logf
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // first run installs
	defer cancel()
	begin := time.Now()
	s, err := Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %s", time.Since(begin).Round(time.Millisecond))
	t.Cleanup(func() { s.Stop() })
	return s
}

func randomPrefix(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "t" + hex.EncodeToString(b) + "-"
}

func assertGone(t *testing.T, pids map[string]int) {
	t.Helper()
	for name, pid := range pids {
		if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s (process group %d) still alive after Stop: %v", name, pid, err)
		}
	}
}

func TestStartProvision(t *testing.T) {
	ctx := context.Background()
	s := startStack(t, Options{})
	for name, rss := range s.RSS() {
		t.Logf("RSS %s: %d MB", name, rss>>20)
	}
	tpl, err := samtemplate.Load(filepath.Join(repoRoot, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	prefix := randomPrefix(t)
	begin := time.Now()
	res, err := Provision(ctx, s, tpl, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Provision took %s", time.Since(begin).Round(time.Millisecond))
	if _, err := Provision(ctx, s, tpl, prefix); err != nil {
		t.Fatalf("second Provision (idempotent): %v", err)
	}

	// Table with GSI and TTL.
	ddb := s.DynamoDB()
	table := prefix + "IdentityTable"
	if res.Tables["IdentityTable"] != table {
		t.Fatalf("Tables[IdentityTable] = %q", res.Tables["IdentityTable"])
	}
	d, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Table.GlobalSecondaryIndexes) != 1 || aws.ToString(d.Table.GlobalSecondaryIndexes[0].IndexName) != "gsi1" {
		t.Errorf("GSIs = %+v", d.Table.GlobalSecondaryIndexes)
	}
	ttl, err := ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if ttl.TimeToLiveDescription.TimeToLiveStatus != ddbtypes.TimeToLiveStatusEnabled || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != "expiresAt" {
		t.Errorf("TTL = %+v", ttl.TimeToLiveDescription)
	}

	// Queue with redrive policy.
	q := res.Queues["SmsQueue"]
	ga, err := s.SQS().GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(q.URL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		t.Fatal(err)
	}
	var rp struct {
		DeadLetterTargetArn string      `json:"deadLetterTargetArn"`
		MaxReceiveCount     json.Number `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(ga.Attributes["RedrivePolicy"]), &rp); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", ga.Attributes["RedrivePolicy"], err)
	}
	if rp.MaxReceiveCount.String() != "5" || rp.DeadLetterTargetArn != res.Queues["SmsDeadLetterQueue"].ARN {
		t.Errorf("RedrivePolicy = %+v, DLQ ARN %s", rp, res.Queues["SmsDeadLetterQueue"].ARN)
	}
	if ga.Attributes["VisibilityTimeout"] != "60" {
		t.Errorf("VisibilityTimeout = %q", ga.Attributes["VisibilityTimeout"])
	}

	// Bucket.
	bucket := res.Buckets["DocumentsBucket"]
	if bucket != prefix+"documents-bucket" {
		t.Errorf("bucket name = %q", bucket)
	}
	if _, err := s.S3().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("HeadBucket: %v", err)
	}

	// Function environment.
	f, ok := tpl.Function("OnboardingRegistrationStartFunction")
	if !ok {
		t.Fatal("OnboardingRegistrationStartFunction not in template")
	}
	env, err := res.FunctionEnv(f, map[string]string{"CodePepper": strings.Repeat("p", 32)}, tpl)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"IDENTITY_TABLE": table, "SMS_QUEUE_URL": q.URL, "STAGE": "dev", "RATE_LIMITS_TABLE": prefix + "RateLimitsTable"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("env %s = %q, want %q", k, env[k], v)
		}
	}
	if _, err := res.FunctionEnv(f, nil, tpl); err == nil || !strings.Contains(err.Error(), "CodePepper") {
		t.Errorf("missing CodePepper: err = %v", err)
	}

	pids := s.Pids()
	begin = time.Now()
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	t.Logf("Stop took %s", time.Since(begin).Round(time.Millisecond))
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	assertGone(t, pids)
}

func TestPersistence(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tpl, err := samtemplate.Load(filepath.Join(repoRoot, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	s := startStack(t, Options{DataDir: dir})
	res, err := Provision(ctx, s, tpl, "")
	if err != nil {
		t.Fatal(err)
	}
	table, queue, bucket := res.Tables["IdentityTable"], res.Queues["SmsQueue"].URL, res.Buckets["DocumentsBucket"]
	if _, err := s.DynamoDB().PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{
		"pk": &ddbtypes.AttributeValueMemberS{Value: "p1"}, "sk": &ddbtypes.AttributeValueMemberS{Value: "s1"},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.txt"), Body: strings.NewReader("hello")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SQS().SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(queue), MessageBody: aws.String("m1")}); err != nil {
		t.Fatal(err)
	}
	pids := s.Pids()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, pids)

	check := func(s *Stack, wantPresent bool) {
		t.Helper()
		res, err := Provision(ctx, s, tpl, "") // idempotent over existing data
		if err != nil {
			t.Fatal(err)
		}
		it, err := s.DynamoDB().GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]ddbtypes.AttributeValue{
			"pk": &ddbtypes.AttributeValueMemberS{Value: "p1"}, "sk": &ddbtypes.AttributeValueMemberS{Value: "s1"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if (it.Item != nil) != wantPresent {
			t.Errorf("item present = %v, want %v", it.Item != nil, wantPresent)
		}
		obj, err := s.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.txt")})
		if wantPresent {
			if err != nil {
				t.Errorf("GetObject: %v", err)
			} else {
				b, _ := io.ReadAll(obj.Body)
				obj.Body.Close()
				if string(b) != "hello" {
					t.Errorf("object = %q", b)
				}
			}
		} else if err == nil {
			t.Error("object still there")
		}
		msg, err := s.SQS().ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(res.Queues["SmsQueue"].URL), WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(msg.Messages) == 1 && aws.ToString(msg.Messages[0].Body) == "m1"; got != wantPresent {
			t.Errorf("message present = %v (%d messages), want %v", got, len(msg.Messages), wantPresent)
		}
	}

	s = startStack(t, Options{DataDir: dir})
	check(s, true)
	s.Stop()

	s = startStack(t, Options{DataDir: dir, Fresh: true})
	check(s, false)
	s.Stop()
}

func TestNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DocumentsBucket", "documents-bucket"},
		{"S3DocsBucket", "s3-docs-bucket"},
		{"PDFExportsBucket", "pdf-exports-bucket"},
		{"Bucket2", "bucket2"},
	}
	for _, tt := range tests {
		if got := BucketName("", tt.in); got != tt.want {
			t.Errorf("BucketName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := BucketName("Dev-", "DocumentsBucket"); got != "dev-documents-bucket" {
		t.Errorf("prefixed = %q", got)
	}
	if got := QueueName("p-", samtemplate.Queue{LogicalID: "JobsQueue", FIFO: true}); got != "p-JobsQueue.fifo" {
		t.Errorf("fifo name = %q", got)
	}
}
