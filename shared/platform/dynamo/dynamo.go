// Package dynamo holds the DynamoDB patterns every store repeats: create-if-absent,
// optimistic locking by a version attribute, recognising condition failures (also inside
// transactions), and opaque, tamper-evident pagination tokens.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item is a DynamoDB item.
type Item = map[string]types.AttributeValue

// ErrConditionFailed means a conditional write found the item in another state: it already
// existed, it was missing, or its version changed meanwhile.
var ErrConditionFailed = errors.New("dynamodb condition failed")

// IsConditionFailed reports whether err is a failed condition of a single write, or a
// transaction cancelled because one of its conditions failed.
func IsConditionFailed(err error) bool {
	if errors.Is(err, ErrConditionFailed) {
		return true
	}
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true
	}
	for _, r := range CancellationReasons(err) {
		if r == "ConditionalCheckFailed" {
			return true
		}
	}
	return false
}

// CancellationReasons returns the per-item reason codes of a cancelled transaction ("None"
// for items that were fine), or nil for any other error.
func CancellationReasons(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	out := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		out[i] = aws.ToString(r.Code)
	}
	return out
}

// PutNew writes item only if no item has its key (the table's partition key is "pk").
// It returns ErrConditionFailed when one exists.
func PutNew(ctx context.Context, c *dynamodb.Client, table string, item Item) error {
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if IsConditionFailed(err) {
		return ErrConditionFailed
	}
	return err
}

// VersionAttr is the attribute that carries an item's version for optimistic locking.
const VersionAttr = "version"

// Versioned adds optimistic locking to an update: it applies only if the item's version is
// still expected, and sets it to expected+1. in.UpdateExpression must be a SET expression.
func Versioned(in *dynamodb.UpdateItemInput, expected int64) *dynamodb.UpdateItemInput {
	if in.ExpressionAttributeNames == nil {
		in.ExpressionAttributeNames = map[string]string{}
	}
	if in.ExpressionAttributeValues == nil {
		in.ExpressionAttributeValues = Item{}
	}
	in.ExpressionAttributeNames["#ver"] = VersionAttr
	in.ExpressionAttributeValues[":expectVer"] = N(expected)
	in.ExpressionAttributeValues[":nextVer"] = N(expected + 1)
	expr := aws.ToString(in.UpdateExpression)
	if rest, ok := strings.CutPrefix(expr, "SET "); ok {
		expr = "SET #ver = :nextVer, " + rest
	} else {
		expr = "SET #ver = :nextVer " + expr
	}
	in.UpdateExpression = aws.String(expr)
	cond := "#ver = :expectVer"
	if c := aws.ToString(in.ConditionExpression); c != "" {
		cond = "(" + c + ") AND " + cond
	}
	in.ConditionExpression = aws.String(cond)
	return in
}

// S is a string attribute.
func S(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// N is a number attribute.
func N(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// Bool is a boolean attribute.
func Bool(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

// Unix is a time as epoch seconds (the form DynamoDB TTL needs).
func Unix(t time.Time) types.AttributeValue { return N(t.Unix()) }

// GetS reads a string attribute ("" when absent).
func GetS(it Item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// GetN reads a number attribute (0 when absent).
func GetN(it Item, name string) int64 {
	if v, ok := it[name].(*types.AttributeValueMemberN); ok {
		n, _ := strconv.ParseInt(v.Value, 10, 64)
		return n
	}
	return 0
}

// GetBool reads a boolean attribute.
func GetBool(it Item, name string) bool {
	if v, ok := it[name].(*types.AttributeValueMemberBOOL); ok {
		return v.Value
	}
	return false
}

// GetTime reads epoch seconds as a time (zero when absent).
func GetTime(it Item, name string) time.Time {
	if n := GetN(it, name); n != 0 {
		return time.Unix(n, 0).UTC()
	}
	return time.Time{}
}

// Expired reports whether an item with a TTL attribute has expired. DynamoDB deletes expired
// items only eventually (and DynamoDB Local never), so readers must treat them as absent.
func Expired(it Item, ttlAttr string, now time.Time) bool {
	exp := GetN(it, ttlAttr)
	return exp != 0 && now.Unix() >= exp
}

// Wrap adds context to a DynamoDB error, keeping condition failures recognisable.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("dynamodb %s: %w", op, err)
}

// EpochSeconds stores a time as epoch seconds, the zero time as 0.
func EpochSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// FromEpochSeconds reads EpochSeconds back (0 is the zero time).
func FromEpochSeconds(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// VersionedPut is a Put of item (whose version attribute is already expected+1) that applies
// only if the stored item's version is still expected: optimistic locking for whole items,
// alone (PutVersioned) or inside a transaction.
func VersionedPut(table string, item Item, expected int64) *types.Put {
	return &types.Put{
		TableName: aws.String(table), Item: item,
		ConditionExpression:       aws.String("#ver = :expectVer"),
		ExpressionAttributeNames:  map[string]string{"#ver": VersionAttr},
		ExpressionAttributeValues: Item{":expectVer": N(expected)},
	}
}

// PutVersioned writes a VersionedPut; it returns ErrConditionFailed when the version moved on.
func PutVersioned(ctx context.Context, c *dynamodb.Client, table string, item Item, expected int64) error {
	p := VersionedPut(table, item, expected)
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression,
		ExpressionAttributeNames: p.ExpressionAttributeNames, ExpressionAttributeValues: p.ExpressionAttributeValues})
	if IsConditionFailed(err) {
		return ErrConditionFailed
	}
	return err
}

// StampLayout is a UTC time with fixed-width nanoseconds: as a string it sorts as time, so it
// serves in sort keys, index keys and range conditions.
const StampLayout = "2006-01-02T15:04:05.000000000Z"

// Stamp writes t in StampLayout; the zero time is "".
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(StampLayout)
}

// Unstamp reads a Stamp (or any RFC 3339 time); "" or garbage is the zero time.
func Unstamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
