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

// Clients are the service clients of the process. Building them makes no network call.
type Clients struct {
	Config   aws.Config
	DynamoDB *dynamodb.Client
	SQS      *sqs.Client
	S3       *s3.Client
}

var (
	once    sync.Once
	clients *Clients
	loadErr error
)

// Get returns the process's clients, loading the AWS configuration on first use.
// S3_FORCE_PATH_STYLE=true selects path-style S3 addressing, which emulators need.
func Get(ctx context.Context) (*Clients, error) {
	once.Do(func() {
		cfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			loadErr = fmt.Errorf("load AWS config: %w", err)
			return
		}
		pathStyle, _ := strconv.ParseBool(os.Getenv("S3_FORCE_PATH_STYLE"))
		clients = &Clients{
			Config:   cfg,
			DynamoDB: dynamodb.NewFromConfig(cfg),
			SQS:      sqs.NewFromConfig(cfg),
			S3:       s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle }),
		}
	})
	return clients, loadErr
}
