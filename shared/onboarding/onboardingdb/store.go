// Package onboardingdb stores registrations and the accounts they create in the identity
// table (IDENTITY_TABLE, keys pk/sk).
//
// Access patterns:
//   - registration by id:   GetItem pk="REG#<id>", sk="REG" (consistent; expired = absent)
//   - save registration:    PutItem with condition version = <expected> (optimistic locking)
//   - is a phone taken:     GetItem of the login claim LOGIN#<e164>/LOGIN (identitydb)
//   - confirm:              TransactWriteItems: put REG (version condition), then the
//     organisation, its superuser and the login claim (identitydb.NewAccountPuts; each must
//     not exist: one account per phone)
//   - with each of them, the phone's row of the bank's client report (E10):
//     clientsdb.FunnelWrite, in the same transaction; a new registration then adds its month
//     to the report's months (clientsdb.MarkMonth, a plain UpdateItem; clientreport.go)
//
// Registrations carry expiresAt (TTL); users and phone claims do not expire.
package onboardingdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/identity/identitydb"
	"github.com/kabinet/kabinet/shared/onboarding"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements onboarding.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
}

var _ onboarding.Store = (*Store)(nil)

type regItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	Kind      string `dynamodbav:"kind"`
	Phone     string `dynamodbav:"phone"`
	FullName  string `dynamodbav:"fullName"`
	Email     string `dynamodbav:"email"`
	ConsentAt int64  `dynamodbav:"consentAt"`
	IP        string `dynamodbav:"ip,omitempty"`
	Status    string `dynamodbav:"status"`
	CodeHash  string `dynamodbav:"codeHash,omitempty"`
	CodeUntil int64  `dynamodbav:"codeUntil"`
	Attempts  int    `dynamodbav:"attempts"`
	SentAt    int64  `dynamodbav:"sentAt"`
	Sends     int    `dynamodbav:"sends"`
	UserID    string `dynamodbav:"userId,omitempty"`
	CreatedAt int64  `dynamodbav:"createdAt"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
	Version   int64  `dynamodbav:"version"`
}

func regKey(id string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("REG#" + id), "sk": dynamo.S("REG")}
}
func phoneKey(phone string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("PHONE#" + phone), "sk": dynamo.S("PHONE")}
}

func toItem(r onboarding.Registration) regItem {
	return regItem{
		PK: "REG#" + r.ID, SK: "REG", Type: "registration", ID: r.ID, Kind: string(r.Kind), Phone: r.Phone,
		FullName: r.FullName, Email: r.Email, ConsentAt: dynamo.EpochSeconds(r.ConsentAt), IP: r.IP, Status: string(r.Status),
		CodeHash: r.CodeHash, CodeUntil: dynamo.EpochSeconds(r.CodeUntil), Attempts: r.Attempts, SentAt: dynamo.EpochSeconds(r.SentAt),
		Sends: r.Sends, UserID: r.UserID, CreatedAt: dynamo.EpochSeconds(r.CreatedAt), ExpiresAt: dynamo.EpochSeconds(r.ExpiresAt), Version: r.Version,
	}
}

func fromItem(it regItem) onboarding.Registration {
	return onboarding.Registration{
		ID: it.ID, Kind: onboarding.Kind(it.Kind), Phone: it.Phone, FullName: it.FullName, Email: it.Email,
		ConsentAt: dynamo.FromEpochSeconds(it.ConsentAt), IP: it.IP, Status: onboarding.Status(it.Status), CodeHash: it.CodeHash,
		CodeUntil: dynamo.FromEpochSeconds(it.CodeUntil), Attempts: it.Attempts, SentAt: dynamo.FromEpochSeconds(it.SentAt), Sends: it.Sends,
		UserID: it.UserID, CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt), ExpiresAt: dynamo.FromEpochSeconds(it.ExpiresAt), Version: it.Version,
	}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) PhoneTaken(ctx context.Context, phone string) (bool, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: identitydb.LoginKey(phone), ProjectionExpression: aws.String("pk"),
	})
	if err != nil {
		return false, dynamo.Wrap("get phone", err)
	}
	return out.Item != nil, nil
}

func (s *Store) CreateRegistration(ctx context.Context, r onboarding.Registration) error {
	r.Version = 1
	item, err := attributevalue.MarshalMap(toItem(r))
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		funnel(s.Table, r, time.Time{}, "", ""), // the client report's row: clientreport.go
	}})
	if err != nil {
		return dynamo.Wrap("create registration", err)
	}
	return s.markMonth(ctx, r)
}

func (s *Store) GetRegistration(ctx context.Context, id string) (onboarding.Registration, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: regKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return onboarding.Registration{}, dynamo.Wrap("get registration", err)
	}
	if out.Item == nil || dynamo.Expired(out.Item, "expiresAt", s.now()) {
		return onboarding.Registration{}, onboarding.ErrNotFound
	}
	var it regItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return onboarding.Registration{}, fmt.Errorf("decode registration: %w", err)
	}
	return fromItem(it), nil
}

// versionedPut writes r as version r.Version+1 if the stored one is r.Version.
func versionedPut(table string, r onboarding.Registration) (*types.Put, error) {
	expected := r.Version
	r.Version++
	item, err := attributevalue.MarshalMap(toItem(r))
	if err != nil {
		return nil, err
	}
	return dynamo.VersionedPut(table, item, expected), nil
}

func (s *Store) SaveRegistration(ctx context.Context, r onboarding.Registration) error {
	expected := r.Version
	r.Version++
	item, err := attributevalue.MarshalMap(toItem(r))
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: dynamo.VersionedPut(s.Table, item, expected)},
		funnel(s.Table, r, time.Time{}, "", ""), // the client report's row (the last code sent): clientreport.go
	}})
	if reasons := dynamo.CancellationReasons(err); len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed" {
		return onboarding.ErrStale
	}
	return dynamo.Wrap("save registration", err)
}

func (s *Store) Complete(ctx context.Context, r onboarding.Registration, org identity.Org, u identity.User) error {
	reg, err := versionedPut(s.Table, r)
	if err != nil {
		return err
	}
	account, err := identitydb.NewAccountPuts(s.Table, org, u)
	if err != nil {
		return err
	}
	items := append([]types.TransactWriteItem{{Put: reg}}, account...)
	items = append(items, funnel(s.Table, r, u.CreatedAt, u.ID, org.ID)) // the client report's row: clientreport.go
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	reasons := dynamo.CancellationReasons(err)
	switch {
	case len(reasons) >= 4 && reasons[3] == "ConditionalCheckFailed": // the login claim
		return onboarding.ErrPhoneTaken
	case len(reasons) >= 4 && reasons[0] == "ConditionalCheckFailed":
		return onboarding.ErrStale
	}
	return dynamo.Wrap("complete registration", err)
}
