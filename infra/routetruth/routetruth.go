// Package routetruth checks that the route catalogue in code and template.yaml describe the
// same system: every API event has its handler at the same API, method and path, and every
// handler route is declared; every function folder has a main and sample events; every
// queue has a dead-letter queue; every SQS event source reports partial batch failures with
// a visibility timeout of at least six times the function timeout; no stack nears
// CloudFormation's 500-resource limit.
package routetruth

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kabinet/kabinet/infra/functions"
	"github.com/kabinet/kabinet/infra/samtemplate"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// MaxStackResources is where a stack must be split, with headroom under CloudFormation's 500.
const MaxStackResources = 450

// Check returns every disagreement found in the repository at root; none means all agree.
func Check(root string, routes []httpapi.Route, workers []sqsworker.Worker) ([]string, error) {
	tpl, err := samtemplate.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	folders, err := functions.List(root)
	if err != nil {
		return nil, err
	}
	dirs, err := functions.Dirs(root)
	if err != nil {
		return nil, err
	}
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	// Routes: template events and catalogue routes, both ways.
	key := func(api, method, path, fn string) string { return api + " " + method + " " + path + " -> " + fn }
	inTemplate := map[string]bool{}
	for _, f := range tpl.Functions {
		for _, ev := range f.ApiEvents {
			inTemplate[key(ev.Audience, ev.Method, ev.Path, strings.TrimPrefix(f.CodeURI, "functions/"))] = true
		}
	}
	inCode := map[string]bool{}
	for _, r := range routes {
		k := key(string(r.API), r.Method, r.Path, r.Function)
		if inCode[k] {
			add("route %s is in the catalogue twice", k)
		}
		inCode[k] = true
		if !inTemplate[k] {
			add("route %s is in the catalogue but no API event of template.yaml declares it", k)
		}
		if r.Build == nil {
			add("route %s has no handler", k)
		}
	}
	for k := range inTemplate {
		if !inCode[k] {
			add("API event %s is in template.yaml but no handler is mounted for it", k)
		}
	}

	// Workers: catalogue workers and SQS-triggered functions, both ways.
	workerFns := map[string]bool{}
	for _, w := range workers {
		workerFns[w.Function] = true
	}
	for _, f := range tpl.Functions {
		name := strings.TrimPrefix(f.CodeURI, "functions/")
		if len(f.SQSEvents) > 0 && !workerFns[name] {
			add("%s has an SQS event but no worker in the catalogue", name)
		}
		delete(workerFns, name)
	}
	for name := range workerFns {
		add("worker %s is in the catalogue but not in template.yaml", name)
	}

	// Function folders: main, template declaration, fixtures.
	byDir := map[string]samtemplate.Function{}
	ids := map[string]string{}
	for _, f := range tpl.Functions {
		byDir[f.CodeURI] = f
		if other, ok := ids[f.LogicalID]; ok {
			add("logical id %s is used by two functions (%s, %s): sam build's makefile targets need unique ids", f.LogicalID, other, f.CodeURI)
		}
		ids[f.LogicalID] = f.CodeURI
	}
	hasMain := map[string]bool{}
	for _, fn := range folders {
		hasMain[fn.Dir] = true
		f, ok := byDir[fn.Dir]
		if !ok {
			add("function folder %s is not declared in template.yaml", fn.Dir)
			continue
		}
		if f.LogicalID != fn.LogicalID {
			add("function %s has logical id %s; by convention it must be %s", fn.Dir, f.LogicalID, fn.LogicalID)
		}
		src, err := os.ReadFile(filepath.Join(root, fn.Dir, "main.go"))
		if err != nil || !strings.Contains(string(src), `"`+fn.Name+`"`) {
			add("%s/main.go does not start function %q", fn.Dir, fn.Name)
		}
		fixtures, _ := filepath.Glob(filepath.Join(root, "events", fn.Name, "*.json"))
		if len(fixtures) == 0 {
			add("function %s has no sample event under events/%s/", fn.Name, fn.Name)
		}
	}
	for _, d := range dirs {
		if !hasMain[d] {
			add("function folder %s has no main.go", d)
		}
	}
	for _, f := range tpl.Functions {
		if !hasMain[f.CodeURI] {
			add("template function %s points at %s, which has no main.go", f.LogicalID, f.CodeURI)
		}
		if f.Runtime != "provided.al2023" || f.Handler != "bootstrap" || len(f.Architectures) != 1 || f.Architectures[0] != "arm64" || f.BuildMethod != "makefile" {
			add("function %s must be provided.al2023, arm64, handler bootstrap, BuildMethod makefile", f.LogicalID)
		}
	}

	// Queues and event sources.
	isDLQ := map[string]bool{}
	for _, q := range tpl.Queues {
		if q.DeadLetterQueue != "" {
			isDLQ[q.DeadLetterQueue] = true
		}
	}
	queues := map[string]samtemplate.Queue{}
	for _, q := range tpl.Queues {
		queues[q.LogicalID] = q
		if !isDLQ[q.LogicalID] && (q.DeadLetterQueue == "" || q.MaxReceiveCount <= 0) {
			add("queue %s has no dead-letter queue with maxReceiveCount", q.LogicalID)
		}
	}
	for _, f := range tpl.Functions {
		for _, ev := range f.SQSEvents {
			if !ev.ReportBatchItemFailures {
				add("SQS event %s of %s lacks FunctionResponseTypes: [ReportBatchItemFailures]", ev.Name, f.LogicalID)
			}
			q, ok := queues[ev.Queue]
			if !ok {
				add("SQS event %s of %s reads a queue not declared in the root template", ev.Name, f.LogicalID)
				continue
			}
			if q.VisibilityTimeout < 6*f.Timeout {
				add("queue %s has visibility timeout %d s, less than 6 × %s's timeout (%d s)", q.LogicalID, q.VisibilityTimeout, f.LogicalID, f.Timeout)
			}
		}
	}

	// Stack sizes.
	for _, s := range tpl.Stacks {
		if s.EstimatedCfnResources > MaxStackResources {
			add("stack %s (%s) has about %d CloudFormation resources; split it (limit 500)", s.Name, s.Path, s.EstimatedCfnResources)
		}
	}
	sort.Strings(p)
	return p, nil
}
