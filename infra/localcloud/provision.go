package localcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/kabinet/kabinet/infra/samtemplate"
)

// Resources are the physical names of what Provision created, by logical id.
type Resources struct {
	Region  string
	Account string
	Tables  map[string]string // logical id -> table name
	Queues  map[string]QueueInfo
	Buckets map[string]string // logical id -> bucket name
}

// QueueInfo identifies a provisioned queue.
type QueueInfo struct {
	Name, URL, ARN string
}

// TableName returns the physical table name for a logical id: prefix + logicalID.
func TableName(prefix, logicalID string) string { return prefix + logicalID }

// QueueName returns the physical queue name: prefix + logicalID, plus ".fifo" for FIFO queues.
func QueueName(prefix string, q samtemplate.Queue) string {
	if q.FIFO {
		return prefix + q.LogicalID + ".fifo"
	}
	return prefix + q.LogicalID
}

// BucketName returns the physical bucket name: prefix + kebab-case(logicalID), lower case
// ("DocumentsBucket" -> "documents-bucket").
func BucketName(prefix, logicalID string) string {
	return strings.ToLower(prefix + kebab(logicalID))
}

func kebab(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) {
			prev := r[i-1]
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// Provision creates the template's tables, queues and buckets on the stack's emulators.
// See ProvisionWith.
func Provision(ctx context.Context, s *Stack, t *samtemplate.Template, prefix string) (*Resources, error) {
	return ProvisionWith(ctx, s.DynamoDB(), s.SQS(), s.S3(), t, prefix)
}

// ProvisionWith creates every table (with GSIs/LSIs, TTL enabled), queue (dead-letter
// queues first, with RedrivePolicy, VisibilityTimeout, retention and FIFO attributes) and
// bucket (versioning when declared and supported) of the template through the given
// clients, so it works against any endpoint set (the local stack, LocalStack...).
// Physical names: see TableName, QueueName and BucketName. It is idempotent: existing
// tables and buckets are kept, existing queues get their attributes updated.
func ProvisionWith(ctx context.Context, ddb *dynamodb.Client, sqsc *sqs.Client, s3c *s3.Client, t *samtemplate.Template, prefix string) (*Resources, error) {
	r := &Resources{
		Region:  ddb.Options().Region,
		Account: AccountID,
		Tables:  map[string]string{},
		Queues:  map[string]QueueInfo{},
		Buckets: map[string]string{},
	}
	if r.Region == "" {
		r.Region = Region
	}
	for _, tb := range t.Tables {
		if _, dup := r.Tables[tb.LogicalID]; dup {
			return nil, fmt.Errorf("provision: two tables with logical id %s", tb.LogicalID)
		}
		name := TableName(prefix, tb.LogicalID)
		if err := createTable(ctx, ddb, name, tb); err != nil {
			return nil, fmt.Errorf("provision: table %s (%s): %w", tb.LogicalID, name, err)
		}
		r.Tables[tb.LogicalID] = name
	}

	order, err := queueOrder(t.Queues)
	if err != nil {
		return nil, err
	}
	for _, q := range order {
		info, err := createQueue(ctx, sqsc, prefix, q, r)
		if err != nil {
			return nil, fmt.Errorf("provision: queue %s: %w", q.LogicalID, err)
		}
		r.Queues[q.LogicalID] = info
	}

	for _, b := range t.Buckets {
		name := BucketName(prefix, b.LogicalID)
		if err := createBucket(ctx, s3c, name, b, s3c.Options().Region); err != nil {
			return nil, fmt.Errorf("provision: bucket %s (%s): %w", b.LogicalID, name, err)
		}
		r.Buckets[b.LogicalID] = name
	}
	return r, nil
}

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func createTable(ctx context.Context, ddb *dynamodb.Client, name string, tb samtemplate.Table) error {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		KeySchema:   keySchema(tb.HashKey, tb.RangeKey),
	}
	for _, n := range slices.Sorted(maps.Keys(tb.Attributes)) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, ddbtypes.AttributeDefinition{
			AttributeName: aws.String(n), AttributeType: ddbtypes.ScalarAttributeType(tb.Attributes[n]),
		})
	}
	for _, g := range tb.GSIs {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.Name), KeySchema: keySchema(g.HashKey, g.RangeKey), Projection: projection(g),
		})
	}
	for _, l := range tb.LSIs {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, ddbtypes.LocalSecondaryIndex{
			IndexName: aws.String(l.Name), KeySchema: keySchema(l.HashKey, l.RangeKey), Projection: projection(l),
		})
	}
	if tb.StreamView != "" {
		in.StreamSpecification = &ddbtypes.StreamSpecification{
			StreamEnabled: aws.Bool(true), StreamViewType: ddbtypes.StreamViewType(tb.StreamView),
		}
	}
	if _, err := ddb.CreateTable(ctx, in); err != nil && errCode(err) != "ResourceInUseException" {
		return err
	}
	w := dynamodb.NewTableExistsWaiter(ddb, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
		return err
	}
	if tb.TTLAttribute == "" {
		return nil
	}
	d, err := ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return err
	}
	if ttl := d.TimeToLiveDescription; ttl != nil && aws.ToString(ttl.AttributeName) == tb.TTLAttribute &&
		(ttl.TimeToLiveStatus == ddbtypes.TimeToLiveStatusEnabled || ttl.TimeToLiveStatus == ddbtypes.TimeToLiveStatusEnabling) {
		return nil
	}
	_, err = ddb.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &ddbtypes.TimeToLiveSpecification{
			AttributeName: aws.String(tb.TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	return err
}

func keySchema(hash, rng string) []ddbtypes.KeySchemaElement {
	ks := []ddbtypes.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: ddbtypes.KeyTypeHash}}
	if rng != "" {
		ks = append(ks, ddbtypes.KeySchemaElement{AttributeName: aws.String(rng), KeyType: ddbtypes.KeyTypeRange})
	}
	return ks
}

func projection(g samtemplate.GSI) *ddbtypes.Projection {
	p := &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionType(g.ProjectionType)}
	if len(g.NonKeyAttributes) > 0 {
		p.NonKeyAttributes = g.NonKeyAttributes
	}
	return p
}

// queueOrder puts every dead-letter queue before the queues that redrive into it.
func queueOrder(qs []samtemplate.Queue) ([]samtemplate.Queue, error) {
	byID := map[string]samtemplate.Queue{}
	for _, q := range qs {
		byID[q.LogicalID] = q
	}
	var out []samtemplate.Queue
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(q samtemplate.Queue) error
	visit = func(q samtemplate.Queue) error {
		switch state[q.LogicalID] {
		case 1:
			return fmt.Errorf("provision: redrive cycle through queue %s", q.LogicalID)
		case 2:
			return nil
		}
		state[q.LogicalID] = 1
		if q.DeadLetterQueue != "" {
			dlq, ok := byID[q.DeadLetterQueue]
			if !ok {
				return fmt.Errorf("provision: queue %s: dead-letter queue %s is not a queue of the template", q.LogicalID, q.DeadLetterQueue)
			}
			if err := visit(dlq); err != nil {
				return err
			}
		}
		state[q.LogicalID] = 2
		out = append(out, q)
		return nil
	}
	for _, q := range qs {
		if err := visit(q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func createQueue(ctx context.Context, sqsc *sqs.Client, prefix string, q samtemplate.Queue, r *Resources) (QueueInfo, error) {
	info := QueueInfo{Name: QueueName(prefix, q)}
	attrs := map[string]string{
		"VisibilityTimeout":             strconv.Itoa(q.VisibilityTimeout),
		"MessageRetentionPeriod":        strconv.Itoa(q.MessageRetentionPeriod),
		"DelaySeconds":                  strconv.Itoa(q.DelaySeconds),
		"ReceiveMessageWaitTimeSeconds": strconv.Itoa(q.ReceiveMessageWaitTime),
	}
	if q.FIFO {
		attrs["FifoQueue"] = "true"
		attrs["ContentBasedDeduplication"] = strconv.FormatBool(q.ContentBasedDeduplication)
	}
	if q.DeadLetterQueue != "" {
		dlq, ok := r.Queues[q.DeadLetterQueue]
		if !ok {
			return info, fmt.Errorf("dead-letter queue %s not created", q.DeadLetterQueue)
		}
		rp, _ := json.Marshal(map[string]any{"deadLetterTargetArn": dlq.ARN, "maxReceiveCount": q.MaxReceiveCount})
		attrs["RedrivePolicy"] = string(rp)
	}
	out, err := sqsc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(info.Name), Attributes: attrs})
	switch {
	case err == nil:
		info.URL = aws.ToString(out.QueueUrl)
	case errCode(err) == "QueueAlreadyExists" || errCode(err) == "QueueNameExists":
		// Created earlier with other attributes (persistent data dir, template changed).
		u, gerr := sqsc.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(info.Name)})
		if gerr != nil {
			return info, gerr
		}
		info.URL = aws.ToString(u.QueueUrl)
		delete(attrs, "FifoQueue") // immutable
		if _, err := sqsc.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: u.QueueUrl, Attributes: attrs}); err != nil {
			return info, fmt.Errorf("updating attributes of existing queue %s: %w", info.Name, err)
		}
	default:
		return info, err
	}
	ga, err := sqsc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(info.URL), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return info, err
	}
	info.ARN = ga.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
	if info.ARN == "" {
		info.ARN = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", r.Region, r.Account, info.Name)
	}
	return info, nil
}

func createBucket(ctx context.Context, s3c *s3.Client, name string, b samtemplate.Bucket, region string) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "" && region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	if _, err := s3c.CreateBucket(ctx, in); err != nil {
		// Local emulators: an existing bucket of that name is ours (gofakes3 answers
		// BucketAlreadyExists where AWS would say BucketAlreadyOwnedByYou).
		if c := errCode(err); c != "BucketAlreadyOwnedByYou" && c != "BucketAlreadyExists" {
			return err
		}
	}
	if b.Versioning {
		_, err := s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
			Bucket:                  aws.String(name),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled},
		})
		if err != nil && errCode(err) != "NotImplemented" { // gofakes3's bolt backend has no versioning
			return fmt.Errorf("enabling versioning: %w", err)
		}
	}
	return nil
}

// TableARN returns the ARN of a provisioned table (region and account of the emulators).
func (r *Resources) TableARN(logicalID string) string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", r.Region, r.Account, r.Tables[logicalID])
}

// Resolve turns a template Value into its local string:
//   - Literal: itself;
//   - Param: params[name], else the root parameter's Default, else an error;
//   - Resource with Attr "": table name, queue URL or bucket name;
//   - Attr "Arn": table / queue / bucket ARN; queue "QueueName" and "QueueUrl" also work;
//   - anything else (opaque values, APIs, other attributes): an error.
func (r *Resources) Resolve(v samtemplate.Value, params map[string]string, t *samtemplate.Template) (string, error) {
	switch {
	case v.Opaque:
		return "", errors.New("value is not a literal, a parameter or a resource reference")
	case v.Param != "":
		if s, ok := params[v.Param]; ok {
			return s, nil
		}
		if t != nil {
			if p, ok := t.Parameters[v.Param]; ok && p.HasDefault {
				return p.Default, nil
			}
		}
		return "", fmt.Errorf("parameter %s has no default and no value was given", v.Param)
	case v.Resource != "":
		if name, ok := r.Tables[v.Resource]; ok {
			switch v.Attr {
			case "":
				return name, nil
			case "Arn":
				return r.TableARN(v.Resource), nil
			}
		} else if q, ok := r.Queues[v.Resource]; ok {
			switch v.Attr {
			case "", "QueueUrl":
				return q.URL, nil
			case "Arn":
				return q.ARN, nil
			case "QueueName":
				return q.Name, nil
			}
		} else if name, ok := r.Buckets[v.Resource]; ok {
			switch v.Attr {
			case "":
				return name, nil
			case "Arn":
				return "arn:aws:s3:::" + name, nil
			}
		} else {
			return "", fmt.Errorf("resource %s is not provisioned locally", v.Resource)
		}
		return "", fmt.Errorf("attribute %s of %s is not supported locally", v.Attr, v.Resource)
	}
	return v.Literal, nil
}

// FunctionEnv returns the environment a function gets from the template, each entry
// resolved with Resolve. Entries that cannot be resolved are left out and reported in
// the (joined) error; the map holds the rest.
func (r *Resources) FunctionEnv(f samtemplate.Function, params map[string]string, t *samtemplate.Template) (map[string]string, error) {
	env := make(map[string]string, len(f.Env))
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(f.Env)) {
		s, err := r.Resolve(f.Env[k], params, t)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", f.LogicalID, k, err))
			continue
		}
		env[k] = s
	}
	return env, errors.Join(errs...)
}
