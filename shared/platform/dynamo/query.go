package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// QueryAll runs in to its last page and calls each with every item, in order, as a T:
// a struct the item unmarshals into (attributevalue.UnmarshalMap), or Item for the raw
// item. A failed page or unmarshal is wrapped with op (Wrap); an error from each stops the
// walk and is returned as it is. It is for queries read whole; a caller that pages for a
// client (Limit and a page token) or stops early keeps its own loop.
func QueryAll[T any](ctx context.Context, db dynamodb.QueryAPIClient, in *dynamodb.QueryInput, op string, each func(T) error) error {
	p := dynamodb.NewQueryPaginator(db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Wrap(op, err)
		}
		for _, raw := range page.Items {
			var v T
			if it, ok := any(&v).(*Item); ok {
				*it = raw
			} else if err := attributevalue.UnmarshalMap(raw, &v); err != nil {
				return Wrap(op, err)
			}
			if err := each(v); err != nil {
				return err
			}
		}
	}
	return nil
}
