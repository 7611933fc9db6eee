// Package wire builds the ABS queue's consumer (functions/abs/abs-caller, E13), the queue the
// review flow enqueues on, and the settings the bank's administrator edits (GET / PUT
// /v1/abs-settings, shared/abs/abssettings), from the environment.
//
// The consumer needs the review flow's abs.Outcomes, which lives in another domain; this
// package does not import it. The review flow plugs it in with RegisterOutcomes, from an init
// function of its wire package:
//
//	func init() { abswire.RegisterOutcomes(func(ctx context.Context) (abs.Outcomes, error) { … }) }
//
// and the function's main imports that package for the side effect (the catalogue, which
// kabinet-local and the tests use, imports every wire package anyway):
//
//	import _ "github.com/kabinet/kabinet/shared/<review>/wire"
//
// Until then Caller refuses to start with ErrNoOutcomes.
package wire

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/absqueue"
	"github.com/kabinet/kabinet/shared/abs/abssettings"
	"github.com/kabinet/kabinet/shared/abs/abssettings/abssettingsdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Function is the consumer's function.
const Function = "abs/abs-caller"

// Workers of the ABS domain: the caller off AbsQueue.
func Workers() []sqsworker.Worker {
	return []sqsworker.Worker{{Function: Function, Build: Caller}}
}

// Routes of the ABS domain: its settings on the back-office API, administrators only (E13).
func Routes() []httpapi.Route {
	r := func(method, fn string, pick func(*abssettings.HTTP) httpapi.Handler) httpapi.Route {
		return httpapi.Route{API: httpapi.Backoffice, Method: method, Path: "/v1/abs-settings", Function: "abs/" + fn,
			Auth: httpapi.BackofficeID, Roles: []string{"1"}, Build: settingsHandler(pick)} // backoffice.Administrator
	}
	put := r("PUT", "settings-update", func(h *abssettings.HTTP) httpapi.Handler { return h.Put })
	put.Example = `{"version":0,"initialCheck":{"enabled":true,"url":"https://abs.bank.example/send-request","successKey":"answerPermit","successValue":"PERMIT","errorKey":"answerError","errorValue":"ERROR","commentKey":"comment"},` +
		`"newClient":{"enabled":true,"url":"https://abs.bank.example/api/reservationInvoice","successKey":"_rc","successValue":"1","errorKey":"_rc","errorValue":"-1","commentKey":"_comment"},` +
		`"openAccount":{"enabled":true,"url":"https://abs.bank.example/send-request","successKey":"answerPermit","successValue":"PERMIT","errorKey":"answerError","errorValue":"ERROR","commentKey":"comment","dateFromKey":"answerDateFrom","dateFromValue":"DATEFROM","dateToKey":"answerDateto","dateToValue":"DATETO"},` +
		`"deleteClient":{"enabled":false,"url":"","successKey":"_rc","successValue":"1","errorKey":"_rc","errorValue":"-1","commentKey":"comment"},"autoReject":true}`
	return []httpapi.Route{r("GET", "settings-get", func(h *abssettings.HTTP) httpapi.Handler { return h.Get }), put}
}

// SettingsConfig is what reading the settings needs of the environment: the applications
// table (the document; DynamoDBReadPolicy on it, Crud to save), the ABS's base URL of the
// defaults (template parameter AbsUrl; empty: every call off until the administrator sets
// them) and how long a container caches them.
type SettingsConfig struct {
	ApplicationsTable string        `env:"APPLICATIONS_TABLE"`
	URL               string        `env:"ABS_URL" default:""`
	CacheTTL          time.Duration `env:"ABS_SETTINGS_CACHE" default:"30s"`
}

// SettingsService wires the settings' service from the environment.
func SettingsService(ctx context.Context) (*abssettings.Service, SettingsConfig, error) {
	var cfg SettingsConfig
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, cfg, err
	}
	return &abssettings.Service{Store: &abssettingsdb.Store{DB: dynamodb.NewFromConfig(aws), Table: cfg.ApplicationsTable},
		Defaults: abssettings.Defaults(cfg.URL)}, cfg, nil
}

// Settings is the stored settings as the consumer and the review flow read them, cached per
// container for ABS_SETTINGS_CACHE (30 s in the template: an edit takes effect within it; 0
// reads at every use).
func Settings(ctx context.Context) (abs.SettingsSource, error) {
	svc, cfg, err := SettingsService(ctx)
	if err != nil {
		return nil, err
	}
	return &abssettings.Source{Service: svc, TTL: cfg.CacheTTL}, nil
}

func settingsHandler(pick func(*abssettings.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, _, err := SettingsService(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&abssettings.HTTP{Service: svc}), nil
	}
}

// OutcomesBuilder builds the review flow's side of the calls.
type OutcomesBuilder func(ctx context.Context) (abs.Outcomes, error)

var (
	mu       sync.Mutex
	outcomes OutcomesBuilder
)

// ErrNoOutcomes: nothing registered the review flow's abs.Outcomes (RegisterOutcomes).
var ErrNoOutcomes = errors.New("abs/abs-caller: no abs.Outcomes registered: the review flow's wire package must call abswire.RegisterOutcomes in an init function, and the function's main import it")

// RegisterOutcomes sets how the consumer gets its abs.Outcomes; the last registration wins.
func RegisterOutcomes(b OutcomesBuilder) {
	mu.Lock()
	defer mu.Unlock()
	outcomes = b
}

// Registered reports whether an OutcomesBuilder is registered.
func Registered() bool {
	mu.Lock()
	defer mu.Unlock()
	return outcomes != nil
}

// Config is what the consumer reads from its environment. The timings must agree with
// AbsQueue in template.yaml (a test checks it): the lease is its visibility timeout, the
// receive count its maxReceiveCount, the call timeout well under the function's timeout.
type Config struct {
	// ABS_URL is the ABS's base URL (template parameter AbsUrl): until the administrator
	// saves the settings (GET / PUT /v1/abs-settings) the calls go to the seed's paths under
	// it (abs.DefaultSettings); after that to the stored URLs (SettingsConfig).
	URL string `env:"ABS_URL"`
	// ABS_QUEUE_URL is AbsQueue's URL: a transient failure with a Retry-After delays its job
	// there (ChangeMessageVisibility); the review flow queues DeleteClient on it.
	QueueURL               string        `env:"ABS_QUEUE_URL"`
	ProcessedMessagesTable string        `env:"PROCESSED_MESSAGES_TABLE"`
	DeadLetterQueueURL     string        `env:"ABS_DEAD_LETTER_QUEUE_URL"`
	CallTimeout            time.Duration `env:"ABS_CALL_TIMEOUT" default:"30s"`
	MaxReceiveCount        int           `env:"ABS_MAX_RECEIVE_COUNT" default:"15"`
	Lease                  time.Duration `env:"ABS_CLAIM_LEASE" default:"240s"`
}

// Validate checks what the tags cannot.
func (c Config) Validate() error {
	if err := abs.DefaultSettings(c.URL).Validate(); err != nil || c.URL == "" {
		return fmt.Errorf("config: ABS_URL must be the ABS's absolute http(s) base URL (template parameter AbsUrl)")
	}
	if c.CallTimeout <= 0 || c.MaxReceiveCount <= 0 || c.Lease <= c.CallTimeout {
		return fmt.Errorf("config: ABS_CALL_TIMEOUT and ABS_MAX_RECEIVE_COUNT must be positive, ABS_CLAIM_LEASE longer than the call timeout")
	}
	return nil
}

// Caller wires the consumer: the registered Outcomes, the ABS client with the stored settings
// (Settings), claims in DynamoDB, malformed messages to the DLQ, Retry-After through AbsQueue's
// visibility.
func Caller(ctx context.Context) (*sqsworker.Consumer, error) {
	mu.Lock()
	build := outcomes
	mu.Unlock()
	if build == nil {
		return nil, ErrNoOutcomes
	}
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	out, err := build(ctx)
	if err != nil {
		return nil, fmt.Errorf("abs/abs-caller: outcomes: %w", err)
	}
	settings, err := Settings(ctx)
	if err != nil {
		return nil, err
	}
	client := abs.New(settings, abs.Options{Timeout: cfg.CallTimeout})
	q := sqs.NewFromConfig(aws)
	return absqueue.NewConsumer(out, client,
		&sqsworker.DynamoClaims{DB: dynamodb.NewFromConfig(aws), Table: cfg.ProcessedMessagesTable},
		&sqsworker.QueueDeadLetter{SQS: q, URL: cfg.DeadLetterQueueURL},
		absqueue.Options{MaxReceiveCount: cfg.MaxReceiveCount, Lease: cfg.Lease,
			Visibility: &absqueue.QueueVisibility{SQS: q, URL: cfg.QueueURL}}), nil
}

// Queue wires the queue the review flow enqueues on (ABS_QUEUE_URL; its function needs
// SQSSendMessagePolicy on AbsQueue).
func Queue(ctx context.Context) (*absqueue.Queue, error) {
	var cfg struct {
		QueueURL string `env:"ABS_QUEUE_URL"`
	}
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	return &absqueue.Queue{SQS: sqs.NewFromConfig(aws), URL: cfg.QueueURL}, nil
}
