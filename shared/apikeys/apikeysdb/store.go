// Package apikeysdb keeps agent API credentials and partner keys in the identity table
// (IDENTITY_TABLE, keys pk/sk, index gsi1).
//
// Items and access patterns:
//   - APIKEY#<appId> / APIKEY           agent credential: GetItem (keyauth, per call; revoke);
//     gsi1 "ORGAPIKEYS#<org>" / "<appId>" lists an organisation's, newest first (ULIDs sort
//     by time); revoked ones get TTL expiresAt (kept 90 days for the list)
//   - PARTNERKEY#<keyId> / PARTNERKEY   partner key: the same, gsi1 "ORGPARTNERKEYS#<org>"
//   - APIKEYS#<org> / ACTIVE            active counts (attributes agent, partner): a credential
//     is created in one transaction with ADD count conditioned on count < max, and revoked in
//     one with ADD -1 conditioned on the credential being active, so the limits hold under
//     concurrent calls
//
// The list reads the index, which is eventually consistent: a credential created a moment
// ago may be missing from it for a moment. Authentication and limits read the base table.
package apikeysdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/apikeys"
	"github.com/kabinet/kabinet/shared/apikeys/keyauth"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements apikeys.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Pages *dynamo.PageTokens
	Now   func() time.Time
}

var _ apikeys.Store = (*Store)(nil)

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// layout of each kind: item key, index partition, count attribute.
type layout struct {
	key      func(id string) dynamo.Item
	sk       string
	pkPrefix string
	gsiPK    string
	count    string
}

var layouts = map[apikeys.Kind]layout{
	apikeys.Agent:   {key: keyauth.AgentItemKey, pkPrefix: "APIKEY#", sk: "APIKEY", gsiPK: "ORGAPIKEYS#", count: "agent"},
	apikeys.Partner: {key: keyauth.PartnerItemKey, pkPrefix: "PARTNERKEY#", sk: "PARTNERKEY", gsiPK: "ORGPARTNERKEYS#", count: "partner"},
}

func countKey(orgID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APIKEYS#" + orgID), "sk": dynamo.S("ACTIVE")}
}

type credentialItem struct {
	PK           string `dynamodbav:"pk"`
	SK           string `dynamodbav:"sk"`
	GSI1PK       string `dynamodbav:"gsi1pk"`
	GSI1SK       string `dynamodbav:"gsi1sk"`
	Type         string `dynamodbav:"type"`
	ID           string `dynamodbav:"id"`
	Kind         string `dynamodbav:"kind"`
	OrgID        string `dynamodbav:"orgId"`
	Status       string `dynamodbav:"status"`
	SecretHash   string `dynamodbav:"secretHash,omitempty"`
	SecretSealed string `dynamodbav:"secretSealed,omitempty"`
	CreatedAt    int64  `dynamodbav:"createdAt"`
	CreatedBy    string `dynamodbav:"createdBy"`
	LastUsedAt   int64  `dynamodbav:"lastUsedAt,omitempty"`
	RevokedAt    int64  `dynamodbav:"revokedAt,omitempty"`
	RevokedBy    string `dynamodbav:"revokedBy,omitempty"`
	ExpiresAt    int64  `dynamodbav:"expiresAt,omitempty"`
}

func toItem(c apikeys.Credential) credentialItem {
	l := layouts[c.Kind]
	return credentialItem{PK: l.pkPrefix + c.ID, SK: l.sk, GSI1PK: l.gsiPK + c.OrgID, GSI1SK: c.ID, Type: "apikey",
		ID: c.ID, Kind: string(c.Kind), OrgID: c.OrgID, Status: c.Status, SecretHash: c.SecretHash, SecretSealed: c.SecretSealed,
		CreatedAt: dynamo.EpochSeconds(c.CreatedAt), CreatedBy: c.CreatedBy, LastUsedAt: dynamo.EpochSeconds(c.LastUsedAt), RevokedAt: dynamo.EpochSeconds(c.RevokedAt),
		RevokedBy: c.RevokedBy, ExpiresAt: dynamo.EpochSeconds(c.ExpiresAt)}
}

func fromItem(it credentialItem) apikeys.Credential {
	return apikeys.Credential{ID: it.ID, Kind: apikeys.Kind(it.Kind), OrgID: it.OrgID, Status: it.Status,
		SecretHash: it.SecretHash, SecretSealed: it.SecretSealed, CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt), CreatedBy: it.CreatedBy,
		LastUsedAt: dynamo.FromEpochSeconds(it.LastUsedAt), RevokedAt: dynamo.FromEpochSeconds(it.RevokedAt), RevokedBy: it.RevokedBy, ExpiresAt: dynamo.FromEpochSeconds(it.ExpiresAt)}
}

func (s *Store) Create(ctx context.Context, c apikeys.Credential, maxActive int) error {
	l, ok := layouts[c.Kind]
	if !ok {
		return fmt.Errorf("unknown credential kind %q", c.Kind)
	}
	item, err := attributevalue.MarshalMap(toItem(c))
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Update: &types.Update{TableName: aws.String(s.Table), Key: countKey(c.OrgID),
			UpdateExpression:          aws.String("SET #t = :type ADD #n :one"),
			ConditionExpression:       aws.String("attribute_not_exists(#n) OR #n < :max"),
			ExpressionAttributeNames:  map[string]string{"#n": l.count, "#t": "type"},
			ExpressionAttributeValues: dynamo.Item{":one": dynamo.N(1), ":max": dynamo.N(int64(maxActive)), ":type": dynamo.S("apikey-count")},
		}},
	}})
	if reasons := dynamo.CancellationReasons(err); len(reasons) == 2 && reasons[1] == "ConditionalCheckFailed" {
		return apikeys.ErrLimit
	}
	return dynamo.Wrap("create credential", err)
}

func (s *Store) Credential(ctx context.Context, kind apikeys.Kind, id string) (apikeys.Credential, error) {
	l, ok := layouts[kind]
	if !ok {
		return apikeys.Credential{}, apikeys.ErrNotFound
	}
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: l.key(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return apikeys.Credential{}, dynamo.Wrap("get credential", err)
	}
	if out.Item == nil || dynamo.Expired(out.Item, "expiresAt", s.now()) {
		return apikeys.Credential{}, apikeys.ErrNotFound
	}
	var it credentialItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return apikeys.Credential{}, fmt.Errorf("decode credential: %w", err)
	}
	return fromItem(it), nil
}

func (s *Store) Revoke(ctx context.Context, c apikeys.Credential, by string, at, keepUntil time.Time) error {
	l, ok := layouts[c.Kind]
	if !ok {
		return apikeys.ErrNotFound
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: aws.String(s.Table), Key: l.key(c.ID),
			UpdateExpression:          aws.String("SET #s = :revoked, revokedAt = :at, revokedBy = :by, expiresAt = :exp"),
			ConditionExpression:       aws.String("#s = :active AND orgId = :org"),
			ExpressionAttributeNames:  map[string]string{"#s": "status"},
			ExpressionAttributeValues: dynamo.Item{":revoked": dynamo.S(keyauth.StatusRevoked), ":active": dynamo.S(keyauth.StatusActive), ":org": dynamo.S(c.OrgID), ":at": dynamo.Unix(at), ":by": dynamo.S(by), ":exp": dynamo.Unix(keepUntil)},
		}},
		{Update: &types.Update{TableName: aws.String(s.Table), Key: countKey(c.OrgID),
			UpdateExpression:          aws.String("ADD #n :minus"),
			ExpressionAttributeNames:  map[string]string{"#n": l.count},
			ExpressionAttributeValues: dynamo.Item{":minus": dynamo.N(-1)},
		}},
	}})
	if dynamo.IsConditionFailed(err) {
		return apikeys.ErrStale
	}
	return dynamo.Wrap("revoke credential", err)
}

func (s *Store) List(ctx context.Context, kind apikeys.Kind, orgID, pageToken string, limit int) ([]apikeys.Credential, string, error) {
	l, ok := layouts[kind]
	if !ok {
		return nil, "", fmt.Errorf("unknown credential kind %q", kind)
	}
	scope := "apikeys:" + string(kind) + ":" + orgID
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
	}
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.Table),
		IndexName:                 aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(l.gsiPK + orgID)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	})
	if err != nil {
		return nil, "", dynamo.Wrap("query credentials", err)
	}
	now := s.now()
	creds := make([]apikeys.Credential, 0, len(out.Items))
	for _, raw := range out.Items {
		if dynamo.Expired(raw, "expiresAt", now) {
			continue
		}
		var it credentialItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, "", fmt.Errorf("decode credential: %w", err)
		}
		creds = append(creds, fromItem(it))
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return creds, next, err
}
