package wire

import (
	"context"
	"slices"
	"testing"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/review"
)

type noModel struct{ reads int }

func (n *noModel) Get(context.Context) (review.Model, bool, error) {
	n.reads++
	return review.Model{}, false, nil
}
func (n *noModel) Put(context.Context, review.Model) error { return nil }

// The list's actions are the default model's steps from the status the caller's active role
// may take; none while an ABS call is pending; the model is read once for many items.
func TestModelActions(t *testing.T) {
	store := &noModel{}
	a := &modelActions{models: store}
	cases := []struct {
		status, role, pending string
		want                  []string
	}{
		{applications.StatusSubmitted, "2", "", []string{"review", "rework", "reject", "annul"}},
		{applications.StatusSubmitted, "3", "", []string{"reject"}},
		{applications.StatusAccountReserved, "3", "", []string{"open", "reject"}},
		{applications.StatusAccountReserved, "4", "", nil},
		{applications.StatusInReview, "4", "NewClient", nil},
		{applications.StatusAccountOpened, "1", "", nil},
	}
	for _, c := range cases {
		app := applications.Application{Status: c.status, Bank: applications.Bank{ABSPending: c.pending}}
		got, err := a.Actions(context.Background(), app, httpapi.Principal{Roles: []string{c.role}})
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, g := range got {
			codes = append(codes, g.ID)
		}
		if !slices.Equal(codes, c.want) {
			t.Errorf("%s as role %s (pending %q): %v, want %v", c.status, c.role, c.pending, codes, c.want)
		}
	}
	if store.reads != 1 {
		t.Fatalf("the model was read %d times, want once", store.reads)
	}
}
