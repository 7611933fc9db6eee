package catalogue

import (
	"context"
	"time"

	"github.com/kabinet/kabinet/shared/onboarding"
	"github.com/kabinet/kabinet/shared/onboarding/onboardingdb"
	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/config"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
	"github.com/kabinet/kabinet/shared/sms"
	"github.com/kabinet/kabinet/shared/sms/smsru"
)

type onboardingHTTP = onboarding.HTTP

// onboardingConfig is what the onboarding functions read from their environment.
type onboardingConfig struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	RateLimitsTable string `env:"RATE_LIMITS_TABLE"`
	SmsQueueURL     string `env:"SMS_QUEUE_URL"`
	CodePepper      string `env:"CODE_PEPPER" secret:"true" minlen:"32"`
}

func onboardingRoute(pick func(*onboardingHTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		var cfg onboardingConfig
		if err := config.Load(&cfg); err != nil {
			return nil, err
		}
		db, err := awsclient.DynamoDB(ctx)
		if err != nil {
			return nil, err
		}
		q, err := awsclient.SQS(ctx)
		if err != nil {
			return nil, err
		}
		codes, err := otp.NewHasher(cfg.CodePepper)
		if err != nil {
			return nil, err
		}
		svc := &onboarding.Service{
			Store:        &onboardingdb.Store{DB: db, Table: cfg.IdentityTable},
			Outbox:       &sms.Outbox{SQS: q, QueueURL: cfg.SmsQueueURL},
			Limits:       &ratelimit.Limiter{DB: db, Table: cfg.RateLimitsTable},
			Codes:        codes,
			HashPassword: password.Hash,
			Policy:       onboarding.DefaultPolicy,
		}
		return pick(&onboarding.HTTP{Service: svc}), nil
	}
}

// smsConfig is what the SMS sender reads from its environment.
type smsConfig struct {
	ProcessedMessagesTable string        `env:"PROCESSED_MESSAGES_TABLE"`
	DeadLetterQueueURL     string        `env:"SMS_DEAD_LETTER_QUEUE_URL"`
	GatewayURL             string        `env:"SMS_GATEWAY_URL"`
	APIID                  string        `env:"SMS_API_ID" secret:"true"`
	Sender                 string        `env:"SMS_SENDER" default:""`
	Lease                  time.Duration `env:"SMS_CLAIM_LEASE" default:"60s"`
}

func smsConsumer(ctx context.Context) (*sqsworker.Consumer, error) {
	var cfg smsConfig
	if err := config.Load(&cfg); err != nil {
		return nil, err
	}
	db, err := awsclient.DynamoDB(ctx)
	if err != nil {
		return nil, err
	}
	q, err := awsclient.SQS(ctx)
	if err != nil {
		return nil, err
	}
	return sms.NewConsumer(
		smsru.New(cfg.GatewayURL, cfg.APIID, cfg.Sender),
		&sqsworker.DynamoClaims{DB: db, Table: cfg.ProcessedMessagesTable},
		&sqsworker.QueueDeadLetter{SQS: q, URL: cfg.DeadLetterQueueURL},
		cfg.Lease,
	), nil
}
