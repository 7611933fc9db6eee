// Package backofficedb keeps the back office's items in the identity table (IDENTITY_TABLE,
// keys pk/sk, index gsi1), next to identitydb's organisations, users and sessions.
//
// Items and access patterns:
//   - BANK / BANK                          which organisation is the bank (orgId): GetItem;
//     read with the user on every authenticated back-office request (boauth's BatchGetItem);
//     written once by Bootstrap (attribute_not_exists)
//   - LKBUSER#<userId> / LKBUSER           back-office profile of a bank user: orgId,
//     employeeId, roles (list of role ids), activeRole: GetItem; BatchGetItem per authenticated
//     request (boauth) and per page of staff; UpdateItem of activeRole conditioned on
//     contains(roles, :role)
//   - the bank's staff: Query gsi1 "ORGUSERS#<bank org>" (identitydb's user items, by name),
//     then BatchGetItem of their LKBUSER items (users without one are not staff)
//   - SESSION#<id> / SESSION (identitydb's): a back-office login replaces the fresh session's
//     refresh hash by the cookie's hash, conditioned on the old hash, and shortens its expiry
//
// No Scan anywhere.
package backofficedb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/backoffice"
	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements backoffice.Staffing.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ backoffice.Staffing = (*Store)(nil)

type bankItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	OrgID     string `dynamodbav:"orgId"`
	CreatedAt int64  `dynamodbav:"createdAt"`
}

type profileItem struct {
	PK         string  `dynamodbav:"pk"`
	SK         string  `dynamodbav:"sk"`
	Type       string  `dynamodbav:"type"`
	UserID     string  `dynamodbav:"userId"`
	OrgID      string  `dynamodbav:"orgId"`
	EmployeeID string  `dynamodbav:"employeeId"`
	Roles      []int64 `dynamodbav:"roles"`
	ActiveRole int64   `dynamodbav:"activeRole"`
	CreatedAt  int64   `dynamodbav:"createdAt"`
	Version    int64   `dynamodbav:"version"`
}

func toProfileItem(p backoffice.Profile) profileItem {
	roles := make([]int64, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = int64(r)
	}
	return profileItem{PK: "LKBUSER#" + p.UserID, SK: "LKBUSER", Type: "lkbuser", UserID: p.UserID, OrgID: p.OrgID,
		EmployeeID: p.EmployeeID, Roles: roles, ActiveRole: int64(p.ActiveRole), CreatedAt: p.CreatedAt.Unix(), Version: 1}
}

func fromProfileItem(it profileItem) backoffice.Profile {
	roles := make([]backoffice.RoleID, len(it.Roles))
	for i, r := range it.Roles {
		roles[i] = backoffice.RoleID(r)
	}
	return backoffice.Profile{UserID: it.UserID, OrgID: it.OrgID, EmployeeID: it.EmployeeID, Roles: roles,
		ActiveRole: backoffice.RoleID(it.ActiveRole), CreatedAt: time.Unix(it.CreatedAt, 0).UTC()}
}

// memberUser is the part of identitydb's user item the staff lists show.
type memberUser struct {
	ID                 string `dynamodbav:"id"`
	OrgID              string `dynamodbav:"orgId"`
	Role               string `dynamodbav:"role"`
	Status             string `dynamodbav:"status"`
	FullName           string `dynamodbav:"fullName"`
	Email              string `dynamodbav:"email"`
	Phone              string `dynamodbav:"phone"`
	Login              string `dynamodbav:"login"`
	MustChangePassword bool   `dynamodbav:"mustChangePassword"`
}

func (s *Store) get(ctx context.Context, k dynamo.Item, out any) (bool, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, dynamo.Wrap("get "+dynamo.GetS(k, "pk"), err)
	}
	if res.Item == nil {
		return false, nil
	}
	return true, attributevalue.UnmarshalMap(res.Item, out)
}

func (s *Store) BankOrg(ctx context.Context) (string, error) {
	var it bankItem
	found, err := s.get(ctx, boauth.BankKey(), &it)
	if err != nil {
		return "", err
	}
	if !found || it.OrgID == "" {
		return "", identity.ErrNotFound
	}
	return it.OrgID, nil
}

func (s *Store) Profile(ctx context.Context, userID string) (backoffice.Profile, error) {
	var it profileItem
	found, err := s.get(ctx, boauth.ProfileKey(userID), &it)
	if err != nil {
		return backoffice.Profile{}, err
	}
	if !found {
		return backoffice.Profile{}, identity.ErrNotFound
	}
	return fromProfileItem(it), nil
}

func (s *Store) UserByLogin(ctx context.Context, login string) (identity.User, error) {
	return (&identitydb.Store{DB: s.DB, Table: s.Table}).UserByLogin(ctx, login)
}

func (s *Store) Members(ctx context.Context, bankOrg string) ([]backoffice.Member, error) {
	var users []memberUser
	var start dynamo.Item
	for {
		out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
			TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
			KeyConditionExpression:    aws.String("gsi1pk = :p"),
			ExpressionAttributeValues: dynamo.Item{":p": dynamo.S("ORGUSERS#" + bankOrg)},
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return nil, dynamo.Wrap("query bank users", err)
		}
		for _, raw := range out.Items {
			var u memberUser
			if err := attributevalue.UnmarshalMap(raw, &u); err != nil {
				return nil, fmt.Errorf("decode user: %w", err)
			}
			users = append(users, u)
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		start = out.LastEvaluatedKey
	}
	profiles := map[string]backoffice.Profile{}
	for i := 0; i < len(users); i += 100 {
		keys := make([]dynamo.Item, 0, 100)
		for _, u := range users[i:min(i+100, len(users))] {
			keys = append(keys, boauth.ProfileKey(u.ID))
		}
		items, err := s.batchGet(ctx, keys)
		if err != nil {
			return nil, err
		}
		for _, raw := range items {
			var it profileItem
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return nil, fmt.Errorf("decode profile: %w", err)
			}
			profiles[it.UserID] = fromProfileItem(it)
		}
	}
	out := make([]backoffice.Member, 0, len(users))
	for _, u := range users {
		p, ok := profiles[u.ID]
		if !ok || p.OrgID != bankOrg {
			continue
		}
		out = append(out, backoffice.Member{Profile: p, User: identity.User{ID: u.ID, OrgID: u.OrgID, Role: identity.Role(u.Role),
			Status: u.Status, FullName: u.FullName, Email: u.Email, Phone: u.Phone, Login: u.Login, MustChangePassword: u.MustChangePassword}})
	}
	return out, nil
}

// batchGet reads up to 100 keys, retrying what DynamoDB leaves unprocessed.
func (s *Store) batchGet(ctx context.Context, keys []dynamo.Item) ([]dynamo.Item, error) {
	var items []dynamo.Item
	req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys}}
	for attempt := 0; len(req) > 0; attempt++ {
		if attempt == 8 {
			return nil, errors.New("dynamodb batch get: keys left unprocessed")
		}
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(25<<attempt) * time.Millisecond):
			}
		}
		out, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return nil, dynamo.Wrap("batch get profiles", err)
		}
		items = append(items, out.Responses[s.Table]...)
		req = out.UnprocessedKeys
	}
	return items, nil
}

func (s *Store) SetActiveRole(ctx context.Context, userID string, role backoffice.RoleID) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: boauth.ProfileKey(userID),
		UpdateExpression:          aws.String("SET activeRole = :r ADD version :one"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND contains(#roles, :r)"),
		ExpressionAttributeNames:  map[string]string{"#roles": "roles"},
		ExpressionAttributeValues: dynamo.Item{":r": dynamo.N(int64(role)), ":one": dynamo.N(1)},
	})
	if dynamo.IsConditionFailed(err) {
		return identity.ErrNotFound
	}
	return dynamo.Wrap("set active role", err)
}

func (s *Store) BindSession(ctx context.Context, sessionID, oldHash, newHash string, expiresAt time.Time) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: dynamo.Item{"pk": dynamo.S("SESSION#" + sessionID), "sk": dynamo.S("SESSION")},
		UpdateExpression:          aws.String("SET currentHash = :new, expiresAt = :exp"),
		ConditionExpression:       aws.String("currentHash = :old AND attribute_not_exists(revoked)"),
		ExpressionAttributeValues: dynamo.Item{":new": dynamo.S(newHash), ":old": dynamo.S(oldHash), ":exp": dynamo.Unix(expiresAt)},
	})
	if dynamo.IsConditionFailed(err) {
		return identity.ErrStale
	}
	return dynamo.Wrap("bind session", err)
}

func (s *Store) CreateBank(ctx context.Context, org identity.Org, u identity.User, p backoffice.Profile) error {
	puts, err := identitydb.NewAccountPuts(s.Table, org, u) // org, user, login claim
	if err != nil {
		return err
	}
	prof, err := attributevalue.MarshalMap(toProfileItem(p))
	if err != nil {
		return err
	}
	bank, err := attributevalue.MarshalMap(bankItem{PK: "BANK", SK: "BANK", Type: "bank", OrgID: org.ID, CreatedAt: org.CreatedAt.Unix()})
	if err != nil {
		return err
	}
	absent := aws.String("attribute_not_exists(pk)")
	puts = append(puts,
		types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: prof, ConditionExpression: absent}},
		types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: bank, ConditionExpression: absent}})
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts})
	reasons := dynamo.CancellationReasons(err)
	switch {
	case len(reasons) == 5 && reasons[4] == "ConditionalCheckFailed":
		return backoffice.ErrBankExists
	case len(reasons) == 5 && reasons[2] == "ConditionalCheckFailed":
		return backoffice.ErrLoginTaken
	}
	return dynamo.Wrap("create bank", err)
}

func (s *Store) CreateMember(ctx context.Context, u identity.User, p backoffice.Profile) error {
	// NewAccountPuts gives [organisation, user, login claim]; the organisation exists already.
	puts, err := identitydb.NewAccountPuts(s.Table, identity.Org{ID: u.OrgID}, u)
	if err != nil {
		return err
	}
	puts = puts[1:]
	prof, err := attributevalue.MarshalMap(toProfileItem(p))
	if err != nil {
		return err
	}
	puts = append(puts,
		types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: prof, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: aws.String(s.Table), Key: boauth.BankKey(),
			ConditionExpression: aws.String("orgId = :o"), ExpressionAttributeValues: dynamo.Item{":o": dynamo.S(u.OrgID)}}})
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts})
	reasons := dynamo.CancellationReasons(err)
	switch {
	case len(reasons) == 4 && reasons[1] == "ConditionalCheckFailed":
		return backoffice.ErrLoginTaken
	case len(reasons) == 4 && reasons[3] == "ConditionalCheckFailed":
		return fmt.Errorf("organisation %s is not the bank", u.OrgID)
	}
	return dynamo.Wrap("create bank user", err)
}
