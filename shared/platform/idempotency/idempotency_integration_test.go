package idempotency_test

import (
	"context"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/idempotency"
)

func TestStoreAgainstDynamoDB(t *testing.T) {
	env := testenv.Get(t)
	now := time.Now()
	s := &idempotency.Store{DB: env.DynamoDB, Table: env.Resources.Tables["IdempotencyTable"], Now: func() time.Time { return now }}
	ctx := context.Background()
	id := "test#" + testenv.UniquePhone()
	exp := now.Add(time.Hour)

	if _, won, err := s.Claim(ctx, id, "h1", exp); err != nil || !won {
		t.Fatalf("first claim: won %v, %v", won, err)
	}
	rec, won, err := s.Claim(ctx, id, "h2", exp)
	if err != nil || won || rec.Hash != "h1" || rec.Completed {
		t.Fatalf("second claim: %+v won %v, %v", rec, won, err)
	}
	if err := s.Complete(ctx, id, "h2", httpapi.StoredResponse{Status: 201}, exp); err == nil {
		t.Fatal("completed another request's claim")
	}
	resp := httpapi.StoredResponse{Status: 201, ContentType: "application/json", Location: "/v1/x/1", Body: []byte(`{"id":"1"}`)}
	if err := s.Complete(ctx, id, "h1", resp, exp); err != nil {
		t.Fatal(err)
	}
	rec, won, err = s.Claim(ctx, id, "h1", exp)
	if err != nil || won || !rec.Completed || rec.Response.Status != 201 || string(rec.Response.Body) != `{"id":"1"}` || rec.Response.Location != "/v1/x/1" {
		t.Fatalf("after complete: %+v won %v, %v", rec, won, err)
	}

	// A release frees the key; an expired record counts as absent.
	id2 := id + "#2"
	if _, won, _ := s.Claim(ctx, id2, "h1", exp); !won {
		t.Fatal("claim id2")
	}
	if err := s.Release(ctx, id2, "h1"); err != nil {
		t.Fatal(err)
	}
	if _, won, err := s.Claim(ctx, id2, "h3", now.Add(time.Minute)); err != nil || !won {
		t.Fatalf("claim after release: won %v, %v", won, err)
	}
	now = now.Add(2 * time.Minute)
	if _, won, err := s.Claim(ctx, id2, "h4", now.Add(time.Hour)); err != nil || !won {
		t.Fatalf("claim after expiry: won %v, %v", won, err)
	}
}
