package abs

import (
	"context"
	"time"
)

// Job is one ABS call queued for an application (E13). Calls of one application go through a
// FIFO queue in order (MessageGroupId = ApplicationID); ID deduplicates a retried send.
type Job struct {
	ID            string    `json:"id"` // ULID
	ApplicationID string    `json:"applicationId"`
	Kind          Kind      `json:"kind"`
	Step          string    `json:"step,omitempty"`        // the status-model action that asked for it
	RequestedBy   string    `json:"requestedBy,omitempty"` // bank user id, or "" for the system
	RequestedAt   time.Time `json:"requestedAt"`
}

// Queue sends jobs to the ABS consumer.
type Queue interface {
	Enqueue(ctx context.Context, j Job) error
}

// Outcomes is the application flow's side of a call, implemented by the bank's review flow:
// the consumer asks it for the request (built from the application's current state, so a
// replayed job sends current data) and hands it the outcome.
type Outcomes interface {
	// Request builds the call for j; a permanent error (the application is gone, the job is
	// no longer due) drops the job after Apply records it.
	Request(ctx context.Context, j Job) (Request, error)
	// Apply records the outcome: res when the ABS answered (res.OK or not), or failure when the
	// call failed for good (a permanent error). A job whose retries run out is not applied: it
	// waits in the dead-letter queue, with an alarm, to be replayed. Apply must be idempotent:
	// the same job may be applied twice.
	Apply(ctx context.Context, j Job, res Result, failure error) error
}
