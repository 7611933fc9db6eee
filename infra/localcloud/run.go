package localcloud

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kabinet/kabinet/infra/functions"
	"github.com/kabinet/kabinet/infra/samtemplate"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// FindRoot returns the nearest directory, from the working directory up, that holds both
// template.yaml and go.mod.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		_, e1 := os.Stat(filepath.Join(dir, "template.yaml"))
		_, e2 := os.Stat(filepath.Join(dir, "go.mod"))
		if e1 == nil && e2 == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no directory with template.yaml and go.mod above the working directory; pass -root")
		}
		dir = parent
	}
}

// SetFunctionEnv puts the environment of every function of the template, resolved against the
// local resources, into the process environment: one process hosts them all (the local server,
// tests). Two functions giving one variable different values is an error.
func SetFunctionEnv(tpl *samtemplate.Template, res *Resources, params map[string]string) error {
	seen := map[string]string{}
	for _, f := range tpl.Functions {
		env, err := res.FunctionEnv(f, params, tpl)
		if err != nil {
			return fmt.Errorf("environment of %s: %w", f.LogicalID, err)
		}
		for k, v := range env {
			if old, ok := seen[k]; ok && old != v {
				return fmt.Errorf("%s is %q for one function and %q for %s: use distinct names", k, old, v, f.LogicalID)
			}
			seen[k] = v
			if err := os.Setenv(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// WorkerQueue returns how to poll for a worker function (by folder name) as its SQS event
// source mapping in the template does: the local queue and the batch size.
func WorkerQueue(tpl *samtemplate.Template, res *Resources, function string) (sqsworker.PollOptions, error) {
	f, ok := tpl.Function(functions.LogicalID(function))
	if !ok || len(f.SQSEvents) == 0 {
		return sqsworker.PollOptions{}, fmt.Errorf("%s has no SQS event in the template", function)
	}
	ev := f.SQSEvents[0]
	q, ok := res.Queues[ev.Queue]
	if !ok {
		return sqsworker.PollOptions{}, fmt.Errorf("queue %s not provisioned", ev.Queue)
	}
	return sqsworker.PollOptions{QueueURL: q.URL, QueueARN: q.ARN, BatchSize: ev.BatchSize, Wait: time.Second}, nil
}
