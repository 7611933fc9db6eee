// Package ratelimit counts calls per key in fixed windows kept in DynamoDB, so limits hold
// across every Lambda instance (SMS pumping, brute force; OWASP API4).
//
// Access pattern (RATE_LIMITS_TABLE, key pk only):
//   - pk = "<rule>#<key>#<window start unix>": UpdateItem ADD hits, SET expiresAt; one write per check.
//     Items expire by TTL one window after their window ends.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Rule is a limit: at most Limit calls per Window for one key.
type Rule struct {
	Name    string // e.g. "sms-phone"
	Limit   int
	Window  time.Duration
	Message string // shown with the 429
}

// Limiter checks rules against DynamoDB counters.
type Limiter struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
}

// Allow counts one call for key under rule; beyond the limit it returns an apperr
// TooManyRequests error whose RetryAfter is the end of the window.
func (l *Limiter) Allow(ctx context.Context, rule Rule, key string) error {
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	start := now.Truncate(rule.Window)
	end := start.Add(rule.Window)
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(l.Table),
		Key:                       dynamo.Item{"pk": dynamo.S(rule.Name + "#" + key + "#" + strconv.FormatInt(start.Unix(), 10))},
		UpdateExpression:          aws.String("ADD hits :one SET expiresAt = if_not_exists(expiresAt, :exp)"),
		ExpressionAttributeValues: dynamo.Item{":one": dynamo.N(1), ":exp": dynamo.Unix(end.Add(rule.Window))},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return fmt.Errorf("rate limit %s: %w", rule.Name, err)
	}
	if dynamo.GetN(out.Attributes, "hits") > int64(rule.Limit) {
		msg := rule.Message
		if msg == "" {
			msg = "too many requests, try again later"
		}
		return apperr.TooMany(msg, end.Sub(now))
	}
	return nil
}
