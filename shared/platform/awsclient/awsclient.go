// Package awsclient builds the AWS SDK clients a process uses, once per process (Lambda
// cold start). Endpoints come from the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>
// variables, so the same code talks to AWS, the local emulators and LocalStack.
package awsclient

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

var (
	once    sync.Once
	cfg     aws.Config
	cfgErr  error
	clients struct {
		sync.Mutex
		ddb *dynamodb.Client
		sqs *sqs.Client
		s3  *s3.Client
	}
)

// Config loads the default AWS configuration once.
func Config(ctx context.Context) (aws.Config, error) {
	once.Do(func() {
		cfg, cfgErr = awsconfig.LoadDefaultConfig(ctx)
		if cfgErr != nil {
			cfgErr = fmt.Errorf("load AWS config: %w", cfgErr)
		}
	})
	return cfg, cfgErr
}

// DynamoDB returns the process's DynamoDB client.
func DynamoDB(ctx context.Context) (*dynamodb.Client, error) {
	c, err := Config(ctx)
	if err != nil {
		return nil, err
	}
	clients.Lock()
	defer clients.Unlock()
	if clients.ddb == nil {
		clients.ddb = dynamodb.NewFromConfig(c)
	}
	return clients.ddb, nil
}

// SQS returns the process's SQS client.
func SQS(ctx context.Context) (*sqs.Client, error) {
	c, err := Config(ctx)
	if err != nil {
		return nil, err
	}
	clients.Lock()
	defer clients.Unlock()
	if clients.sqs == nil {
		clients.sqs = sqs.NewFromConfig(c)
	}
	return clients.sqs, nil
}

// S3 returns the process's S3 client. S3_FORCE_PATH_STYLE=true selects path-style addressing,
// which S3-compatible emulators need.
func S3(ctx context.Context) (*s3.Client, error) {
	c, err := Config(ctx)
	if err != nil {
		return nil, err
	}
	clients.Lock()
	defer clients.Unlock()
	if clients.s3 == nil {
		pathStyle, _ := strconv.ParseBool(os.Getenv("S3_FORCE_PATH_STYLE"))
		clients.s3 = s3.NewFromConfig(c, func(o *s3.Options) { o.UsePathStyle = pathStyle })
	}
	return clients.s3, nil
}
