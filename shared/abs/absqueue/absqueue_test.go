package absqueue_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/abs/absqueue"
)

func TestValidate(t *testing.T) {
	ok := abs.Job{ID: "01KAXQ7ZJ3M1P2Q3R4S5T6V7W8", ApplicationID: "01KAXQ7ZJ3M1P2Q3R4S5T6V7W9", Kind: abs.OpenAccount}
	tests := []struct {
		name    string
		edit    func(*abs.Job)
		wantErr string
	}{
		{name: "valid", edit: func(*abs.Job) {}},
		{name: "no id", edit: func(j *abs.Job) { j.ID = "" }, wantErr: "id"},
		{name: "id too long for a deduplication id", edit: func(j *abs.Job) { j.ID = strings.Repeat("x", 129) }, wantErr: "id"},
		{name: "no application", edit: func(j *abs.Job) { j.ApplicationID = "" }, wantErr: "applicationId"},
		{name: "unknown kind", edit: func(j *abs.Job) { j.Kind = "Reserve" }, wantErr: "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := ok
			tc.edit(&j)
			err := absqueue.Validate(j)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// A Retry-After delays the next try: never sooner than the queue's own retry (lease), never
// later than 15 minutes.
func TestRetryDelay(t *testing.T) {
	lease := 240 * time.Second
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		want       time.Duration
	}{
		{name: "no hint", want: lease},
		{name: "shorter than the lease", retryAfter: 30 * time.Second, want: lease},
		{name: "longer", retryAfter: 10 * time.Minute, want: 10 * time.Minute},
		{name: "over the cap", retryAfter: 2 * time.Hour, want: absqueue.MaxRetryAfter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := absqueue.RetryDelay(tc.retryAfter, lease); got != tc.want {
				t.Fatalf("RetryDelay(%s) = %s, want %s", tc.retryAfter, got, tc.want)
			}
		})
	}
}
