package dynamo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

func TestConditionalWritesAgainstDynamoDB(t *testing.T) {
	env := testenv.Get(t)
	table := env.Resources.Tables["IdentityTable"]
	ctx := context.Background()
	item := dynamo.Item{"pk": dynamo.S("T#1"), "sk": dynamo.S("T"), "version": dynamo.N(1), "state": dynamo.S("a")}
	if err := dynamo.PutNew(ctx, env.DynamoDB, table, item); err != nil {
		t.Fatal(err)
	}
	if err := dynamo.PutNew(ctx, env.DynamoDB, table, item); !errors.Is(err, dynamo.ErrConditionFailed) {
		t.Fatalf("second PutNew: %v", err)
	}
	update := func(expected int64) error {
		_, err := env.DynamoDB.UpdateItem(ctx, dynamo.Versioned(&dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: dynamo.Item{"pk": dynamo.S("T#1"), "sk": dynamo.S("T")},
			UpdateExpression:          aws.String("SET #s = :s"),
			ExpressionAttributeNames:  map[string]string{"#s": "state"},
			ExpressionAttributeValues: dynamo.Item{":s": dynamo.S("b")},
		}, expected))
		return err
	}
	if err := update(1); err != nil {
		t.Fatal(err)
	}
	if err := update(1); !dynamo.IsConditionFailed(err) {
		t.Fatalf("stale update: %v", err)
	}
	// A transaction cancelled by one failed condition reports it per item.
	_, err := env.DynamoDB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(table), Item: dynamo.Item{"pk": dynamo.S("T#2"), "sk": dynamo.S("T")}, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Put: &types.Put{TableName: aws.String(table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}})
	if !dynamo.IsConditionFailed(err) {
		t.Fatalf("transaction: %v", err)
	}
	if r := dynamo.CancellationReasons(err); len(r) != 2 || r[0] != "None" || r[1] != "ConditionalCheckFailed" {
		t.Fatalf("reasons %v", r)
	}
}
