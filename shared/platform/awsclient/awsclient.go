// Package awsclient loads the AWS configuration once per process (Lambda cold start).
// Endpoints come from the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables,
// so the same code talks to AWS, the local emulators and LocalStack. It imports no service
// package: each function links only the clients it builds (dynamodb.NewFromConfig(cfg)…).
package awsclient

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/kabinet/kabinet/shared/platform/config"
)

var (
	once    sync.Once
	cfg     aws.Config
	loadErr error
)

// Config returns the process's AWS configuration, loading it on first use.
func Config(ctx context.Context) (aws.Config, error) {
	once.Do(func() {
		cfg, loadErr = awsconfig.LoadDefaultConfig(ctx)
		if loadErr != nil {
			loadErr = fmt.Errorf("load AWS config: %w", loadErr)
		}
	})
	return cfg, loadErr
}

// Load fills cfg (a pointer to a config struct, see shared/platform/config) from the
// environment and returns the AWS configuration: what every function's wiring starts with.
func Load(ctx context.Context, cfg any) (aws.Config, error) {
	if err := config.Load(cfg); err != nil {
		return aws.Config{}, err
	}
	return Config(ctx)
}
