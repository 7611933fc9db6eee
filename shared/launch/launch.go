// Package launch hands a function to the Lambda runtime: an HTTP function serves its routes
// through aws-lambda-go-api-proxy, an SQS function runs its consumer. It is all a function's
// main needs besides its domain's route or worker list.
package launch

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kabinet/kabinet/shared/identity/authn"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/logging"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// API serves the routes of function (e.g. "onboarding/registration-start") on Lambda.
// A wiring failure (missing configuration…) is logged and ends the process, so the init
// error shows at once.
func API(routes []httpapi.Route, function string) {
	logging.Setup()
	h, err := APIHandler(context.Background(), routes, function)
	if err != nil {
		fail(function, err)
	}
	lambda.Start(h)
}

// Worker runs the SQS consumer of function on Lambda.
func Worker(workers []sqsworker.Worker, function string) {
	logging.Setup()
	h, err := SQSHandler(context.Background(), workers, function)
	if err != nil {
		fail(function, err)
	}
	lambda.Start(h)
}

func fail(function string, err error) {
	slog.Error("function cannot start", "function", function, "error", err.Error())
	os.Exit(1)
}

// APIHandler returns the Lambda handler (REST API proxy events) of the routes of function.
func APIHandler(ctx context.Context, routes []httpapi.Route, function string) (func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error), error) {
	// One function may serve a method and path on several APIs (the version): an invocation
	// comes from one of them, so each pattern is mounted once.
	seen := map[string]bool{}
	var mine []httpapi.Route
	for _, r := range routes {
		if p := httpapi.Pattern(r.Method, r.Path); r.Function == function && !seen[p] {
			seen[p] = true
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return nil, fmt.Errorf("function %q serves no route", function)
	}
	mounted, err := httpapi.BuildAll(ctx, mine)
	if err != nil {
		return nil, err
	}
	auth, err := authn.For(ctx, mine)
	if err != nil {
		return nil, err
	}
	return httpadapter.New(httpapi.NewServer(auth, mounted...)).ProxyWithContext, nil
}

// SQSHandler returns the Lambda handler of the worker of function.
func SQSHandler(ctx context.Context, workers []sqsworker.Worker, function string) (func(context.Context, events.SQSEvent) (events.SQSEventResponse, error), error) {
	for _, w := range workers {
		if w.Function == function {
			c, err := w.Build(ctx)
			if err != nil {
				return nil, err
			}
			return c.HandleEvent, nil
		}
	}
	return nil, fmt.Errorf("function %q is not a worker", function)
}
