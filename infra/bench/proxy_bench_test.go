// Package bench measures what `make bench` reports (infra/bench/run.sh): the cost of the HTTP
// layer through aws-lambda-go-api-proxy (this file, no emulators), the registration-start
// endpoint against a raw PutItem on the local stack (stack_bench_test.go).
package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kabinet/kabinet/shared/launch"
	onboarding "github.com/kabinet/kabinet/shared/onboarding/wire"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/logging"
	"github.com/kabinet/kabinet/shared/system"
)

// Access logs are encoded as in Lambda (the JSON handler) but discarded, so their cost counts
// and the output stays readable.
func init() { slog.SetDefault(logging.New(io.Discard, slog.LevelInfo)) }

// headers are what API Gateway typically forwards from a mobile client.
var headers = map[string]string{
	"Accept":            "application/json",
	"Content-Type":      "application/json",
	"Host":              "api.example.test",
	"User-Agent":        "Kabinet/1.0 (Android 14)",
	"X-Amzn-Trace-Id":   "Root=1-67891233-abcdef012345678912345678",
	"X-Forwarded-For":   "203.0.113.7",
	"X-Forwarded-Port":  "443",
	"X-Forwarded-Proto": "https",
}

// apiEvent is a REST API (v1) proxy event as API Gateway sends it to the function.
func apiEvent(method, path, body, sourceIP string) events.APIGatewayProxyRequest {
	multi := make(map[string][]string, len(headers))
	for k, v := range headers {
		multi[k] = []string{v}
	}
	return events.APIGatewayProxyRequest{
		Resource: path, Path: path, HTTPMethod: method, Body: body,
		Headers: headers, MultiValueHeaders: multi,
		RequestContext: events.APIGatewayProxyRequestContext{
			RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", Stage: "prod", DomainName: "api.example.test",
			HTTPMethod: method, Path: "/prod" + path, ResourcePath: path,
			Identity: events.APIGatewayRequestIdentity{SourceIP: sourceIP},
		},
	}
}

type lambdaHandler = func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

func apiHandler(b *testing.B, routes []httpapi.Route, function string) lambdaHandler {
	b.Helper()
	h, err := launch.APIHandler(context.Background(), routes, function)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// invoke runs one event through h and fails unless it answers want.
func invoke(b *testing.B, h lambdaHandler, ev events.APIGatewayProxyRequest, want int) {
	resp, err := h(context.Background(), ev)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != want {
		b.Fatalf("%s %s: status %d, want %d: %s", ev.HTTPMethod, ev.Path, resp.StatusCode, want, resp.Body)
	}
}

// BenchmarkProxyVersion is the whole HTTP layer of a function: proxy event to http.Request,
// mux, request id, access log, handler, response back to a proxy response.
func BenchmarkProxyVersion(b *testing.B) {
	b.ReportAllocs()
	h := apiHandler(b, system.Routes(), "system/version")
	ev := apiEvent("GET", "/v1/version", "", "203.0.113.7")
	for b.Loop() {
		invoke(b, h, ev, http.StatusOK)
	}
}

// BenchmarkDirectVersion serves the same request without the proxy, so the proxy's share is
// the difference with BenchmarkProxyVersion.
func BenchmarkDirectVersion(b *testing.B) {
	b.ReportAllocs()
	// Mount what launch.APIHandler mounts: each pattern of the function once.
	seen := map[string]bool{}
	var mine []httpapi.Route
	for _, r := range system.Routes() {
		if p := httpapi.Pattern(r.Method, r.Path); !seen[p] {
			seen[p] = true
			mine = append(mine, r)
		}
	}
	mounted, err := httpapi.BuildAll(context.Background(), mine)
	if err != nil {
		b.Fatal(err)
	}
	srv := httpapi.NewServer(map[httpapi.AuthScheme]httpapi.Authenticator{}, mounted...)
	for b.Loop() {
		r, err := http.NewRequest("GET", "https://api.example.test/v1/version", nil)
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		r.Header.Set("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef") // as the proxy has one
		r.RemoteAddr = "203.0.113.7:443"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkProxyDecodeError is a rejected registration (malformed JSON): the proxy, the
// middleware and the JSON error, without any AWS call.
func BenchmarkProxyDecodeError(b *testing.B) {
	b.ReportAllocs()
	// The handler is wired as in Lambda, so it needs its configuration. Values already set
	// (by localcloud or testenv) are kept: the AWS configuration is loaded once per process.
	for k, v := range map[string]string{
		"IDENTITY_TABLE":        "bench-identity",
		"RATE_LIMITS_TABLE":     "bench-rate-limits",
		"SMS_QUEUE_URL":         "http://127.0.0.1:9/000000000000/bench-sms",
		"CODE_PEPPER":           strings.Repeat("bench-pepper-", 3),
		"AWS_REGION":            "eu-central-1",
		"AWS_ACCESS_KEY_ID":     "bench",
		"AWS_SECRET_ACCESS_KEY": "bench",
		"AWS_ENDPOINT_URL":      "http://127.0.0.1:9", // never called
	} {
		if os.Getenv(k) == "" {
			b.Setenv(k, v)
		}
	}
	h := apiHandler(b, onboarding.Routes(), "onboarding/registration-start")
	ev := apiEvent("POST", "/v1/registrations", `{"type":"individual","phone":`, "203.0.113.7")
	for b.Loop() {
		invoke(b, h, ev, http.StatusBadRequest)
	}
}
