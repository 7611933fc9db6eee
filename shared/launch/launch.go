// Package launch starts a Lambda function by its folder name: an HTTP function serves its
// catalogue routes through aws-lambda-go-api-proxy, an SQS function runs its consumer. It is
// all a function's main needs.
package launch

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/logging"
)

// Function configures logging, wires the function named (e.g. "onboarding/registration-start")
// and hands it to the Lambda runtime. A wiring failure (missing configuration…) is logged and
// ends the process, so the init error is visible at once.
func Function(name string) {
	logging.Setup()
	ctx := context.Background()
	if routes := catalogue.RoutesOf(name); len(routes) > 0 {
		h, err := APIHandler(ctx, name)
		if err != nil {
			fail(name, err)
		}
		lambda.Start(h)
		return
	}
	if _, ok := catalogue.ConsumerOf(name); ok {
		h, err := SQSHandler(ctx, name)
		if err != nil {
			fail(name, err)
		}
		lambda.Start(h)
		return
	}
	fail(name, fmt.Errorf("function %q is not in the catalogue", name))
}

func fail(name string, err error) {
	slog.Error("function cannot start", "function", name, "error", err.Error())
	os.Exit(1)
}

// APIHandler returns the Lambda handler (REST API proxy events) of an HTTP function.
func APIHandler(ctx context.Context, name string) (func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error), error) {
	routes := catalogue.RoutesOf(name)
	if len(routes) == 0 {
		return nil, fmt.Errorf("function %q serves no route", name)
	}
	// One function may serve the same method and path on several APIs (e.g. the version):
	// an invocation comes from one of them, so each pattern is mounted once.
	seen := map[string]bool{}
	unique := routes[:0:0]
	for _, r := range routes {
		if p := httpapi.Pattern(r.Method, r.Path); !seen[p] {
			seen[p] = true
			unique = append(unique, r)
		}
	}
	mounted, err := httpapi.BuildAll(ctx, unique)
	if err != nil {
		return nil, err
	}
	auth, err := catalogue.Authenticators(ctx)
	if err != nil {
		return nil, err
	}
	return httpadapter.New(httpapi.NewServer(auth, mounted...)).ProxyWithContext, nil
}

// SQSHandler returns the Lambda handler of a consumer function.
func SQSHandler(ctx context.Context, name string) (func(context.Context, events.SQSEvent) (events.SQSEventResponse, error), error) {
	c, ok := catalogue.ConsumerOf(name)
	if !ok {
		return nil, fmt.Errorf("function %q is not a consumer", name)
	}
	consumer, err := c.Build(ctx)
	if err != nil {
		return nil, err
	}
	return consumer.HandleEvent, nil
}
