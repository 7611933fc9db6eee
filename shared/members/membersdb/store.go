// Package membersdb stores groups and the users of organisations in the identity table
// (IDENTITY_TABLE; user, organisation and login items are identitydb's).
//
// Items and access patterns:
//   - GROUP#<org> / <groupId>               group: Query the organisation's groups; GetItem one
//   - GROUPNAME#<org>#<lower name> / NAME   unique-name claim, put with the group in one transaction
//   - USER#<id> / USER + LOGIN#<login>      new user and its login claim in one transaction
//   - users of an organisation: Query gsi1 "ORGUSERS#<org>", sort key "<lower name>#<id>"
//     (begins_with for the name search, A16), status and group as filters, sealed page tokens
//   - ORG#<id> / ORG                        activation (A2): the organisation, then each user
//     waiting for activation (Query gsi1 of the organisation), each a conditional update
//   - AUDIT#<org> / …                       audit entries (identitydb.Store.Audit)
package membersdb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/members"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements members.Store.
type Store struct {
	DB       *dynamodb.Client
	Table    string
	Pages    *dynamo.PageTokens
	Identity *identitydb.Store
}

var _ members.Store = (*Store)(nil)

type groupItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	OrgID     string `dynamodbav:"orgId"`
	Name      string `dynamodbav:"name"`
	CreatedAt int64  `dynamodbav:"createdAt"`
}

func (s *Store) CreateGroup(ctx context.Context, g members.Group) error {
	item, err := attributevalue.MarshalMap(groupItem{PK: "GROUP#" + g.OrgID, SK: g.ID, Type: "group", ID: g.ID, OrgID: g.OrgID, Name: g.Name, CreatedAt: g.CreatedAt.Unix()})
	if err != nil {
		return err
	}
	claim := dynamo.Item{"pk": dynamo.S("GROUPNAME#" + g.OrgID + "#" + strings.ToLower(g.Name)), "sk": dynamo.S("NAME"), "groupId": dynamo.S(g.ID)}
	absent := aws.String("attribute_not_exists(pk)")
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: claim, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: absent}},
	}})
	if r := dynamo.CancellationReasons(err); len(r) > 0 && r[0] == "ConditionalCheckFailed" {
		return members.ErrNameTaken
	}
	return dynamo.Wrap("create group", err)
}

func toGroup(it groupItem) members.Group {
	return members.Group{ID: it.ID, OrgID: it.OrgID, Name: it.Name, CreatedAt: time.Unix(it.CreatedAt, 0).UTC()}
}

func (s *Store) Groups(ctx context.Context, orgID string) ([]members.Group, error) {
	var out []members.Group
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("GROUP#" + orgID)},
	}, "query groups", func(it groupItem) error {
		out = append(out, toGroup(it))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) Group(ctx context.Context, orgID, id string) (members.Group, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table),
		Key: dynamo.Item{"pk": dynamo.S("GROUP#" + orgID), "sk": dynamo.S(id)}})
	if err != nil {
		return members.Group{}, dynamo.Wrap("get group", err)
	}
	if res.Item == nil {
		return members.Group{}, members.ErrNotFound
	}
	var it groupItem
	if err := attributevalue.UnmarshalMap(res.Item, &it); err != nil {
		return members.Group{}, err
	}
	return toGroup(it), nil
}

func (s *Store) CreateUser(ctx context.Context, u identity.User) error {
	u.Version = 1
	item, err := identitydb.MarshalUser(u)
	if err != nil {
		return err
	}
	absent := aws.String("attribute_not_exists(pk)")
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: identitydb.LoginClaim(u.Login, u.ID), ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: absent}},
	}})
	if r := dynamo.CancellationReasons(err); len(r) > 0 && r[0] == "ConditionalCheckFailed" {
		return members.ErrLoginTaken
	}
	return dynamo.Wrap("create user", err)
}

func (s *Store) User(ctx context.Context, id string) (identity.User, error) {
	u, err := s.Identity.User(ctx, id)
	if err == identity.ErrNotFound {
		return u, members.ErrNotFound
	}
	return u, err
}

func (s *Store) Org(ctx context.Context, id string) (identity.Org, error) {
	o, err := s.Identity.Org(ctx, id)
	if err == identity.ErrNotFound {
		return o, members.ErrNotFound
	}
	return o, err
}

func (s *Store) SaveUser(ctx context.Context, u identity.User) error {
	expected := u.Version
	u.Version++
	item, err := identitydb.MarshalUser(u)
	if err != nil {
		return err
	}
	err = dynamo.PutVersioned(ctx, s.DB, s.Table, item, expected)
	if err == dynamo.ErrConditionFailed {
		return members.ErrStale
	}
	return dynamo.Wrap("save user", err)
}

func (s *Store) Users(ctx context.Context, orgID string, f members.Filter, pageToken string, limit int) ([]identity.User, string, error) {
	scope := fmt.Sprintf("users:%s:%s:%s:%s", orgID, f.NamePrefix, f.Status, f.GroupID)
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(identitydb.OrgUsersIndexKey(orgID))},
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	}
	if f.NamePrefix != "" { // key values cannot be empty strings
		in.KeyConditionExpression = aws.String("gsi1pk = :pk AND begins_with(gsi1sk, :prefix)")
		in.ExpressionAttributeValues[":prefix"] = dynamo.S(f.NamePrefix)
	}
	var filters []string
	if f.Status != "" {
		filters = append(filters, "#s = :status")
		in.ExpressionAttributeValues[":status"] = dynamo.S(f.Status)
		in.ExpressionAttributeNames = map[string]string{"#s": "status"}
	}
	if f.GroupID != "" {
		filters = append(filters, "groupId = :group")
		in.ExpressionAttributeValues[":group"] = dynamo.S(f.GroupID)
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Wrap("query users", err)
	}
	users := make([]identity.User, 0, len(out.Items))
	for _, raw := range out.Items {
		u, err := identitydb.UnmarshalUser(raw)
		if err != nil {
			return nil, "", err
		}
		users = append(users, u)
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return users, next, err
}

func (s *Store) Activate(ctx context.Context, orgID string) (int, error) {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: identitydb.OrgKey(orgID),
		UpdateExpression:          aws.String("SET #s = :active ADD version :one"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: dynamo.Item{":active": dynamo.S(identity.StatusActive), ":one": dynamo.N(1)},
	})
	if err != nil {
		return 0, dynamo.Wrap("activate organisation", err)
	}
	n := 0
	err = dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		FilterExpression:          aws.String("#s = :waiting"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(identitydb.OrgUsersIndexKey(orgID)), ":waiting": dynamo.S(identity.StatusAwaitingActivation)},
		ProjectionExpression:      aws.String("id"),
	}, "query waiting users", func(it dynamo.Item) error {
		_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(s.Table), Key: identitydb.UserKey(dynamo.GetS(it, "id")),
			UpdateExpression:          aws.String("SET #s = :active ADD version :one"),
			ConditionExpression:       aws.String("#s = :waiting"),
			ExpressionAttributeNames:  map[string]string{"#s": "status"},
			ExpressionAttributeValues: dynamo.Item{":active": dynamo.S(identity.StatusActive), ":waiting": dynamo.S(identity.StatusAwaitingActivation), ":one": dynamo.N(1)},
		})
		if dynamo.IsConditionFailed(err) {
			return nil
		}
		if err != nil {
			return dynamo.Wrap("activate user", err)
		}
		n++
		return nil
	})
	return n, err
}

func (s *Store) Audit(ctx context.Context, e identity.AuditEntry) error {
	return s.Identity.Audit(ctx, e)
}
