// Package testenv gives integration tests the AWS endpoints that `make test` started (the
// local emulators) or that `make test-localstack` points at (LocalStack): it provisions every
// table, queue and bucket of template.yaml under a prefix unique to the test process, puts
// each function's environment (resolved from the template, as in Lambda) into the process
// environment, and runs an SMS.ru simulator as the SMS gateway, a DaData simulator as the
// company directory and an SMTP sink as the mail server (EmailTransport=smtp). Tests never
// skip: without endpoints they fail and say how to get them.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/infra/dadatasim"
	"github.com/kabinet/kabinet/infra/localcloud"
	"github.com/kabinet/kabinet/infra/samtemplate"
	"github.com/kabinet/kabinet/infra/smssim"
	"github.com/kabinet/kabinet/infra/smtpsink"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/blob"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Env is the provisioned environment of one test process.
type Env struct {
	Root      string
	Template  *samtemplate.Template
	Resources *localcloud.Resources
	Prefix    string
	Params    map[string]string
	SMS       *smssim.Server
	Dadata    *dadatasim.Server // the company directory (DadataUrl)
	ABS       *abssim.Server    // the bank's core-banking system (AbsUrl, E13)
	Mail      *smtpsink.Server  // its HTTP side: MailURL
	MailURL   string
	DynamoDB  *dynamodb.Client
	SQS       *sqs.Client
	S3        *s3.Client
}

// Missing is the failure message when no endpoints are configured.
const Missing = `integration tests need AWS endpoints and none are set (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_S3, or AWS_ENDPOINT_URL).
Run them with "make test" (it installs and starts DynamoDB Local, fauxqs and gofakes3), or
  go run ./infra/cmd/localcloud exec -- go test ./...
or against LocalStack with "make test-localstack".`

var (
	once   sync.Once
	shared *Env
	err    error
)

// Get returns the process's environment, provisioning it on first use.
func Get(t testing.TB) *Env {
	t.Helper()
	once.Do(func() { shared, err = setup() })
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return shared
}

func endpointsSet() bool {
	if os.Getenv("AWS_ENDPOINT_URL") != "" {
		return true
	}
	for _, s := range []string{"DYNAMODB", "SQS", "S3"} {
		if os.Getenv("AWS_ENDPOINT_URL_"+s) == "" {
			return false
		}
	}
	return true
}

// Root finds the repository root (the folder with template.yaml and go.mod).
func Root() (string, error) { return localcloud.FindRoot() }

func setup() (*Env, error) {
	if !endpointsSet() {
		return nil, errors.New(Missing)
	}
	root, err := Root()
	if err != nil {
		return nil, err
	}
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	aws, err := awsclient.Config(ctx)
	if err != nil {
		return nil, err
	}
	ddb, sq, s3c := dynamodb.NewFromConfig(aws), sqs.NewFromConfig(aws), blob.NewClient(aws)
	var b [4]byte
	_, _ = rand.Read(b[:])
	prefix := "t" + hex.EncodeToString(b[:]) + "-"
	res, err := localcloud.ProvisionWith(ctx, ddb, sq, s3c, tpl, prefix)
	if err != nil {
		return nil, fmt.Errorf("provision (are the endpoints up?): %w", err)
	}
	sim := smssim.New("test-api-id")
	srv := httptest.NewServer(sim) // lives as long as the test process
	mail := smtpsink.New()
	smtpAddr, err := mail.Listen("127.0.0.1:0") // so does the sink
	if err != nil {
		return nil, err
	}
	mailSrv := httptest.NewServer(mail)
	dadata := dadatasim.New("test-dadata-key")
	dadataSrv := httptest.NewServer(dadata) // lives as long as the test process
	absSim := abssim.New()
	absSrv := httptest.NewServer(absSim) // so does the ABS simulator
	params := map[string]string{
		"Stage":           "test",
		"SmsGatewayUrl":   srv.URL,
		"SmsApiId":        "test-api-id",
		"DadataUrl":       dadataSrv.URL,
		"DadataApiKey":    "test-dadata-key",
		"AbsUrl":          absSrv.URL,
		"CodePepper":      strings.Repeat("test-pepper-", 4),
		"CabinetUrl":      "https://cabinet.test",
		"TokenSecret":     strings.Repeat("test-tokens-", 4),
		"PageTokenSecret": strings.Repeat("test-paging-", 4),
		"EmailTransport":  "smtp",
		"SmtpAddr":        smtpAddr,

		"BackofficeApiKey": strings.Repeat("test-bo-apikey-", 3), // X-Authorization of the back-office API (E1)

		"PartnerKeySecret": strings.Repeat("test-partner-", 3), // seals partner-key secrets (shared/apikeys)
	}
	if err := localcloud.SetFunctionEnv(tpl, res, params); err != nil {
		return nil, err
	}
	return &Env{Root: root, Template: tpl, Resources: res, Prefix: prefix, Params: params, SMS: sim, Dadata: dadata, ABS: absSim, Mail: mail, MailURL: mailSrv.URL, DynamoDB: ddb, SQS: sq, S3: s3c}, nil
}

// Queue returns the local queue feeding a worker function (by its folder name), with the
// batch size of its event source.
func (e *Env) Queue(function string) (sqsworker.PollOptions, error) {
	return localcloud.WorkerQueue(e.Template, e.Resources, function)
}

// Drain runs handler over the worker's queue like the event source mapping would, until a
// receive comes back empty.
func (e *Env) Drain(t testing.TB, function string, handler func(context.Context, events.SQSEvent) (events.SQSEventResponse, error)) int {
	t.Helper()
	o, err := e.Queue(function)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for {
		n, err := sqsworker.PollOnce(context.Background(), e.SQS, o, handler)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}
