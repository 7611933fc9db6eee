// Package wire builds the back office's binary objects (shared/binaries) from the environment
// for the functions that keep them: the bankdocs domain's /api/binary routes and the acts'
// files (shared/acts). It has no routes of its own.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/appdocs/appdocss3"
	"github.com/kabinet/kabinet/shared/binaries"
	"github.com/kabinet/kabinet/shared/binaries/binariesdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
)

// Config is what the objects read from the environment.
type Config struct {
	ApplicationsTable string `env:"APPLICATIONS_TABLE"`
	DocumentsBucket   string `env:"DOCUMENTS_BUCKET"`
}

// Service wires the objects: items in the applications table, bytes in the documents bucket.
func Service(ctx context.Context) (*binaries.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &binaries.Service{
		Store: &binariesdb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.ApplicationsTable},
		Files: appdocss3.New(blob.NewClient(aws), cfg.DocumentsBucket),
	}, nil
}
