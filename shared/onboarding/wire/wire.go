// Package wire builds the onboarding domain's handlers from the environment and lists its
// routes. A function's main imports only its own domain's wire package, so its binary holds
// only that domain.
package wire

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/kabinet/kabinet/shared/onboarding"
	"github.com/kabinet/kabinet/shared/onboarding/onboardingdb"
	"github.com/kabinet/kabinet/shared/otp"
	"github.com/kabinet/kabinet/shared/password"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/ratelimit"
	"github.com/kabinet/kabinet/shared/sms"
)

// Routes of the onboarding domain (A1).
func Routes() []httpapi.Route {
	return []httpapi.Route{
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations", Function: "onboarding/registration-start", Auth: httpapi.Public,
			Build: handler(func(h *onboarding.HTTP) httpapi.Handler { return h.Start })},
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations/{id}/confirm", Function: "onboarding/registration-confirm", Auth: httpapi.Public,
			Build: handler(func(h *onboarding.HTTP) httpapi.Handler { return h.Confirm })},
		{API: httpapi.Client, Method: "POST", Path: "/v1/registrations/{id}/resend", Function: "onboarding/registration-resend", Auth: httpapi.Public,
			Build: handler(func(h *onboarding.HTTP) httpapi.Handler { return h.Resend })},
	}
}

// Config is what the onboarding functions read from their environment.
type Config struct {
	IdentityTable   string `env:"IDENTITY_TABLE"`
	RateLimitsTable string `env:"RATE_LIMITS_TABLE"`
	SmsQueueURL     string `env:"SMS_QUEUE_URL"`
	CodePepper      string `env:"CODE_PEPPER" secret:"true" minlen:"32"`
}

// Service wires the registration service from the environment.
func Service(ctx context.Context) (*onboarding.Service, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	db := dynamodb.NewFromConfig(aws)
	codes, err := otp.NewHasher(cfg.CodePepper)
	if err != nil {
		return nil, err
	}
	return &onboarding.Service{
		Store:        &onboardingdb.Store{DB: db, Table: cfg.IdentityTable},
		Outbox:       &sms.Outbox{SQS: sqs.NewFromConfig(aws), QueueURL: cfg.SmsQueueURL},
		Limits:       &ratelimit.Limiter{DB: db, Table: cfg.RateLimitsTable},
		Codes:        codes,
		HashPassword: password.Hash,
		Policy:       onboarding.DefaultPolicy,
	}, nil
}

func handler(pick func(*onboarding.HTTP) httpapi.Handler) func(context.Context) (httpapi.Handler, error) {
	return func(ctx context.Context) (httpapi.Handler, error) {
		svc, err := Service(ctx)
		if err != nil {
			return nil, err
		}
		return pick(&onboarding.HTTP{Service: svc}), nil
	}
}
