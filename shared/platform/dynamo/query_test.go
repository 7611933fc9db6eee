package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/infra/testenv"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// pagedQuery serves pages in order, chained by LastEvaluatedKey, and keeps the inputs.
type pagedQuery struct {
	pages [][]dynamo.Item
	fail  int // the page (1-based) whose Query fails; 0 for none
	seen  []dynamodb.QueryInput
}

func (q *pagedQuery) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	q.seen = append(q.seen, *in)
	i := int(dynamo.GetN(in.ExclusiveStartKey, "page"))
	if i+1 == q.fail {
		return nil, errors.New("throttled")
	}
	out := &dynamodb.QueryOutput{Items: q.pages[i]}
	if i+1 < len(q.pages) {
		out.LastEvaluatedKey = dynamo.Item{"page": dynamo.N(int64(i + 1))}
	}
	return out, nil
}

type row struct {
	ID string `dynamodbav:"id"`
	N  int64  `dynamodbav:"n"`
}

func TestQueryAll(t *testing.T) {
	ctx := context.Background()
	item := func(id string, n int64) dynamo.Item { return dynamo.Item{"id": dynamo.S(id), "n": dynamo.N(n)} }
	pages := [][]dynamo.Item{{item("a", 1), item("b", 2)}, {}, {item("c", 3)}}
	in := &dynamodb.QueryInput{TableName: aws.String("t"), IndexName: aws.String("gsi1"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("pk = :pk"), ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("P")}}

	t.Run("every page, unmarshalled, in order", func(t *testing.T) {
		q := &pagedQuery{pages: pages}
		var got []string
		err := dynamo.QueryAll(ctx, q, in, "query rows", func(r row) error {
			got = append(got, fmt.Sprint(r.ID, r.N))
			return nil
		})
		if err != nil || strings.Join(got, ",") != "a1,b2,c3" {
			t.Fatalf("got %v, %v", got, err)
		}
		if len(q.seen) != 3 || aws.ToString(q.seen[2].IndexName) != "gsi1" || !aws.ToBool(q.seen[2].ConsistentRead) ||
			aws.ToString(q.seen[2].KeyConditionExpression) != "pk = :pk" {
			t.Fatalf("inputs %+v", q.seen)
		}
		if in.ExclusiveStartKey != nil {
			t.Fatal("the caller's input was changed")
		}
	})

	t.Run("raw items", func(t *testing.T) {
		var sum int64
		err := dynamo.QueryAll(ctx, &pagedQuery{pages: pages}, in, "query rows", func(it dynamo.Item) error {
			sum += dynamo.GetN(it, "n")
			return nil
		})
		if err != nil || sum != 6 {
			t.Fatalf("sum %d, %v", sum, err)
		}
	})

	t.Run("a failed page is wrapped with op", func(t *testing.T) {
		n := 0
		err := dynamo.QueryAll(ctx, &pagedQuery{pages: pages, fail: 2}, in, "query rows", func(row) error { n++; return nil })
		if err == nil || err.Error() != "dynamodb query rows: throttled" || n != 2 {
			t.Fatalf("err %v after %d items", err, n)
		}
	})

	t.Run("an item that does not unmarshal is wrapped with op", func(t *testing.T) {
		bad := [][]dynamo.Item{{{"id": dynamo.S("a"), "n": dynamo.Bool(true)}}}
		err := dynamo.QueryAll(ctx, &pagedQuery{pages: bad}, in, "query rows", func(row) error { return nil })
		if err == nil || !strings.HasPrefix(err.Error(), "dynamodb query rows: ") {
			t.Fatalf("err %v", err)
		}
	})

	t.Run("each's error stops the walk, as it is", func(t *testing.T) {
		stop := errors.New("stop")
		q := &pagedQuery{pages: pages}
		n := 0
		err := dynamo.QueryAll(ctx, q, in, "query rows", func(row) error { n++; return stop })
		if err != stop || n != 1 || len(q.seen) != 1 {
			t.Fatalf("err %v after %d items, %d pages", err, n, len(q.seen))
		}
	})
}

func TestQueryAllAgainstDynamoDB(t *testing.T) {
	env := testenv.Get(t)
	table := env.Resources.Tables["IdentityTable"]
	ctx := context.Background()
	pk := "QUERYALL#" + t.Name()
	for i := range 5 {
		it := dynamo.Item{"pk": dynamo.S(pk), "sk": dynamo.S(fmt.Sprintf("R#%d", i)), "id": dynamo.S(fmt.Sprint(i)), "n": dynamo.N(int64(i))}
		if _, err := env.DynamoDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	// Limit 2 makes three pages; QueryAll reads them all, newest first as asked.
	var got []string
	err := dynamo.QueryAll(ctx, env.DynamoDB, &dynamodb.QueryInput{
		TableName: aws.String(table), ConsistentRead: aws.Bool(true), ScanIndexForward: aws.Bool(false), Limit: aws.Int32(2),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :r)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(pk), ":r": dynamo.S("R#")},
	}, "query rows", func(r row) error {
		got = append(got, r.ID)
		return nil
	})
	if err != nil || strings.Join(got, "") != "43210" {
		t.Fatalf("got %v, %v", got, err)
	}
}
