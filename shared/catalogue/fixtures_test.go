package catalogue_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kabinet/kabinet/infra/functions"
	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/launch"
)

// TestFixtures replays every sample event under events/<function>/ through that function's
// Lambda handler against the emulators. A file name starts with what it must give: the HTTP
// status for API events ("202-individual.json"), the number of batch item failures for SQS
// events ("0-failed-….json").
func TestFixtures(t *testing.T) {
	env := testenv.Get(t)
	fns, err := functions.List(env.Root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, fn := range fns {
		files, _ := filepath.Glob(filepath.Join(env.Root, "events", fn.Name, "*.json"))
		for _, file := range files {
			name := filepath.Base(file)
			want, err := strconv.Atoi(strings.SplitN(name, "-", 2)[0])
			if err != nil {
				t.Errorf("%s: name must start with the expected status or failure count", file)
				continue
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fn.Name+"/"+name, func(t *testing.T) {
				if len(catalogue.RoutesOf(fn.Name)) > 0 {
					h, err := launch.APIHandler(ctx, catalogue.Routes(), fn.Name)
					if err != nil {
						t.Fatal(err)
					}
					var ev events.APIGatewayProxyRequest
					if err := json.Unmarshal(raw, &ev); err != nil {
						t.Fatal(err)
					}
					resp, err := h(ctx, ev)
					if err != nil {
						t.Fatal(err)
					}
					if resp.StatusCode != want {
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, resp.Body)
					}
					if !json.Valid([]byte(resp.Body)) || resp.Headers["Content-Type"] == "" && len(resp.MultiValueHeaders["Content-Type"]) == 0 {
						t.Fatalf("response is not JSON: %q", resp.Body)
					}
					return
				}
				h, err := launch.SQSHandler(ctx, catalogue.Workers(), fn.Name)
				if err != nil {
					t.Fatal(err)
				}
				var ev events.SQSEvent
				if err := json.Unmarshal(raw, &ev); err != nil {
					t.Fatal(err)
				}
				resp, err := h(ctx, ev)
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.BatchItemFailures) != want {
					t.Fatalf("%d batch item failures, want %d", len(resp.BatchItemFailures), want)
				}
			})
		}
	}
}
