package routetruth_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/routetruth"
	"github.com/kabinet/kabinet/shared/catalogue"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// copyRepo copies what the checker reads (templates, mains, events) into a temporary folder.
func copyRepo(t *testing.T) string {
	t.Helper()
	src, _ := filepath.Abs("../..")
	dst := t.TempDir()
	for _, top := range []string{"template.yaml", "functions", "events"} {
		err := filepath.WalkDir(filepath.Join(src, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The checker must notice each kind of drift, and only then.
func TestCheckerCatchesDrift(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, root string, routes *[]httpapi.Route)
		want   string
	}{
		{name: "in agreement", mutate: func(*testing.T, string, *[]httpapi.Route) {}},
		{name: "route deleted from the template", want: "POST /v1/registrations/{id}/resend -> onboarding/registration-resend is in the catalogue but no API event",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				edit(t, filepath.Join(root, "functions/onboarding/template.yaml"),
					`Properties: {RestApiId: !Ref ClientApi, Path: "/v1/registrations/{id}/resend", Method: POST}`,
					`Properties: {RestApiId: !Ref ClientApi, Path: "/v1/registrations/{id}/resend-again", Method: POST}`)
			}},
		{name: "handler unmounted", want: "API event client POST /v1/registrations -> onboarding/registration-start is in template.yaml but no handler",
			mutate: func(_ *testing.T, _ string, routes *[]httpapi.Route) {
				*routes = slices.DeleteFunc(*routes, func(r httpapi.Route) bool { return r.Path == "/v1/registrations" })
			}},
		{name: "fixture removed", want: "function onboarding/registration-resend has no sample event",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				if err := os.RemoveAll(filepath.Join(root, "events/onboarding/registration-resend")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "function folder without main", want: "function folder functions/onboarding/orphan has no main.go",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				if err := os.MkdirAll(filepath.Join(root, "functions/onboarding/orphan"), 0o755); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "queue without DLQ", want: "queue SmsQueue has no dead-letter queue",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				edit(t, filepath.Join(root, "template.yaml"), "maxReceiveCount: 5", "maxReceiveCount: 0")
			}},
		{name: "short visibility timeout", want: "queue SmsQueue has visibility timeout 30 s, less than 6",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				edit(t, filepath.Join(root, "template.yaml"), "VisibilityTimeout: 60", "VisibilityTimeout: 30")
			}},
		{name: "no partial batch failures", want: "lacks FunctionResponseTypes",
			mutate: func(t *testing.T, root string, _ *[]httpapi.Route) {
				edit(t, filepath.Join(root, "functions/notifications/template.yaml"), "FunctionResponseTypes: [ReportBatchItemFailures]", "")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := copyRepo(t)
			routes := catalogue.Routes()
			tc.mutate(t, root, &routes)
			problems, err := routetruth.Check(root, routes, catalogue.Workers())
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(problems) > 0 {
					t.Fatalf("unexpected problems: %v", problems)
				}
				return
			}
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Fatalf("no problem mentions %q; got %v", tc.want, problems)
			}
		})
	}
}
