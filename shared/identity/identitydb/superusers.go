package identitydb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Superusers returns an organisation's superusers (D6: who is told of a login refused for
// its address). Access pattern: Query gsi1 "ORGUSERS#<org>" (every user of the organisation,
// see the package comment) with a filter on role.
func (s *Store) Superusers(ctx context.Context, orgID string) ([]identity.User, error) {
	var out []identity.User
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		FilterExpression:          aws.String("#r = :role"),
		ExpressionAttributeNames:  map[string]string{"#r": "role"},
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(OrgUsersIndexKey(orgID)), ":role": dynamo.S(string(identity.Superuser))},
	}, "query superusers", func(it userItem) error {
		out = append(out, fromUserItem(it))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
