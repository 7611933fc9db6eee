package access

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// DynamoState reads USER#<id>/USER and SESSION#<id>/SESSION from the identity table in one
// BatchGetItem (the items identitydb writes; attribute names are shared with it).
type DynamoState struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
}

func (d *DynamoState) AuthState(ctx context.Context, userID, sessionID string) (UserState, SessionState, error) {
	keys := []dynamo.Item{
		{"pk": dynamo.S("USER#" + userID), "sk": dynamo.S("USER")},
		{"pk": dynamo.S("SESSION#" + sessionID), "sk": dynamo.S("SESSION")},
	}
	out, err := d.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		d.Table: {Keys: keys, ConsistentRead: aws.Bool(true),
			ProjectionExpression:     aws.String("#t, id, orgId, #r, #s, sessionEpoch, mustChangePassword, userId, revoked, expiresAt"),
			ExpressionAttributeNames: map[string]string{"#t": "type", "#r": "role", "#s": "status"}},
	}})
	if err != nil {
		return UserState{}, SessionState{}, dynamo.Wrap("read auth state", err)
	}
	items := out.Responses[d.Table]
	if len(out.UnprocessedKeys) > 0 { // throttled: read what is missing one by one
		for _, k := range out.UnprocessedKeys[d.Table].Keys {
			res, err := d.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.Table), Key: k, ConsistentRead: aws.Bool(true)})
			if err != nil {
				return UserState{}, SessionState{}, dynamo.Wrap("read auth state", err)
			}
			if res.Item != nil {
				items = append(items, res.Item)
			}
		}
	}
	now := time.Now()
	if d.Now != nil {
		now = d.Now()
	}
	var u UserState
	var s SessionState
	for _, it := range items {
		switch dynamo.GetS(it, "type") {
		case "user":
			u = UserState{ID: dynamo.GetS(it, "id"), OrgID: dynamo.GetS(it, "orgId"), Role: dynamo.GetS(it, "role"),
				Status: dynamo.GetS(it, "status"), Epoch: dynamo.GetN(it, "sessionEpoch"), MustChangePassword: dynamo.GetBool(it, "mustChangePassword")}
		case "session":
			if !dynamo.Expired(it, "expiresAt", now) {
				s = SessionState{ID: sessionID, UserID: dynamo.GetS(it, "userId"), Revoked: dynamo.GetS(it, "revoked")}
			}
		}
	}
	if u.ID == "" || s.ID == "" {
		return u, s, ErrNotFound
	}
	return u, s, nil
}

// Config is what the Session scheme reads from the environment.
type Config struct {
	IdentityTable string `env:"IDENTITY_TABLE"`
	TokenSecret   string `env:"TOKEN_SECRET" secret:"true" minlen:"32"`
}

// FromEnv builds the Session scheme's checker from the environment.
func FromEnv(ctx context.Context) (*Checker, error) {
	var cfg Config
	aws, err := awsclient.Load(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	tokens, err := NewTokens(cfg.TokenSecret, nil)
	if err != nil {
		return nil, err
	}
	return &Checker{Tokens: tokens, State: &DynamoState{DB: dynamodb.NewFromConfig(aws), Table: cfg.IdentityTable}}, nil
}
