// Package identitydb keeps organisations, users, login claims, sessions, challenges and the
// audit log in the identity table (IDENTITY_TABLE, keys pk/sk, index gsi1).
//
// Items and access patterns:
//   - ORG#<id> / ORG                       organisation: GetItem; an agent organisation's item is
//     also on gsi1 "AGENTORGS" / "<name lower>#<id>", the bank's list of agents (agents.go)
//   - USER#<id> / USER                     user: GetItem; gsi1 "ORGUSERS#<org>" / "<name lower>#<id>"
//     lists an organisation's users by name (A16)
//   - LOGIN#<login> / LOGIN                login claim (phone E.164 or lower-case e-mail) → user id:
//     GetItem; written with attribute_not_exists, so a login has one user
//   - SESSION#<id> / SESSION               session: GetItem; BatchGetItem with the user per
//     authenticated request; rotation conditioned on the current refresh hash; TTL expiresAt
//   - CHAL#<id> / CHAL                     SMS challenge: GetItem; versioned PutItem; TTL expiresAt
//   - AUDIT#<org> / <time>#<id>            audit entry: Query newest first with sealed page
//     tokens; TTL expiresAt (one year)
//
// Items past their expiresAt are treated as absent (TTL deletes only eventually).
package identitydb

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
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements identity.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Pages *dynamo.PageTokens
	Now   func() time.Time
}

var _ identity.Store = (*Store)(nil)

// AuditRetention is how long audit entries are kept.
const AuditRetention = 365 * 24 * time.Hour

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func key(pk, sk string) dynamo.Item { return dynamo.Item{"pk": dynamo.S(pk), "sk": dynamo.S(sk)} }

// UserKey, OrgKey and LoginKey are the keys of those items.
func UserKey(id string) dynamo.Item     { return key("USER#"+id, "USER") }
func OrgKey(id string) dynamo.Item      { return key("ORG#"+id, "ORG") }
func LoginKey(login string) dynamo.Item { return key("LOGIN#"+login, "LOGIN") }

type orgItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	Kind      string `dynamodbav:"kind"`
	Name      string `dynamodbav:"name"`
	Status    string `dynamodbav:"status"`
	CreatedAt int64  `dynamodbav:"createdAt"`
	Version   int64  `dynamodbav:"version"`
}

type userItem struct {
	PK                 string `dynamodbav:"pk"`
	SK                 string `dynamodbav:"sk"`
	GSI1PK             string `dynamodbav:"gsi1pk"`
	GSI1SK             string `dynamodbav:"gsi1sk"`
	Type               string `dynamodbav:"type"`
	ID                 string `dynamodbav:"id"`
	OrgID              string `dynamodbav:"orgId"`
	Role               string `dynamodbav:"role"`
	GroupID            string `dynamodbav:"groupId,omitempty"`
	Status             string `dynamodbav:"status"`
	FullName           string `dynamodbav:"fullName"`
	Email              string `dynamodbav:"email"`
	Phone              string `dynamodbav:"phone"`
	Login              string `dynamodbav:"login"`
	PasswordHash       string `dynamodbav:"passwordHash"`
	MustChangePassword bool   `dynamodbav:"mustChangePassword"`
	SessionEpoch       int64  `dynamodbav:"sessionEpoch"`
	FailedLogins       int    `dynamodbav:"failedLogins"`
	LockedUntil        int64  `dynamodbav:"lockedUntil"`
	CreatedAt          int64  `dynamodbav:"createdAt"`
	Version            int64  `dynamodbav:"version"`
}

// NewAccountPuts returns the transaction items that create an organisation, its first user
// and the user's login claim; each fails if its key exists (the claim: the login is taken).
// The claim is last, so a cancellation reason at index 2 means "login taken".
func NewAccountPuts(table string, org identity.Org, u identity.User) ([]types.TransactWriteItem, error) {
	oi, err := attributevalue.MarshalMap(orgItem{PK: "ORG#" + org.ID, SK: "ORG", Type: "org", ID: org.ID, Kind: string(org.Kind),
		Name: org.Name, Status: org.Status, CreatedAt: dynamo.EpochSeconds(org.CreatedAt), Version: 1})
	if err != nil {
		return nil, err
	}
	agentIndex(oi, org, u) // the bank's list of agents: agents.go
	u.Version = 1
	ui, err := attributevalue.MarshalMap(toUserItem(u))
	if err != nil {
		return nil, err
	}
	claim := LoginClaim(u.Login, u.ID)
	absent := aws.String("attribute_not_exists(pk)")
	return []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(table), Item: oi, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(table), Item: ui, ConditionExpression: absent}},
		{Put: &types.Put{TableName: aws.String(table), Item: claim, ConditionExpression: absent}},
	}, nil
}

// MarshalUser returns the item of a user (with its gsi1 keys).
func MarshalUser(u identity.User) (dynamo.Item, error) {
	return attributevalue.MarshalMap(toUserItem(u))
}

// UnmarshalUser reads a user item.
func UnmarshalUser(item dynamo.Item) (identity.User, error) {
	var it userItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return identity.User{}, err
	}
	return fromUserItem(it), nil
}

// LoginClaim returns the item claiming login for userID.
func LoginClaim(login, userID string) dynamo.Item {
	claim := LoginKey(login)
	claim["userId"] = dynamo.S(userID)
	claim["type"] = dynamo.S("login")
	return claim
}

// OrgUsersIndexKey is the gsi1 partition listing an organisation's users by name.
func OrgUsersIndexKey(orgID string) string { return "ORGUSERS#" + orgID }

// UserIndexSortKey is the gsi1 sort key of a user: its lower-case name, then its id.
func UserIndexSortKey(fullName, id string) string { return strings.ToLower(fullName) + "#" + id }

func toUserItem(u identity.User) userItem {
	return userItem{
		PK: "USER#" + u.ID, SK: "USER", GSI1PK: OrgUsersIndexKey(u.OrgID), GSI1SK: UserIndexSortKey(u.FullName, u.ID),
		Type: "user", ID: u.ID, OrgID: u.OrgID, Role: string(u.Role), GroupID: u.GroupID, Status: u.Status,
		FullName: u.FullName, Email: u.Email, Phone: u.Phone, Login: u.Login, PasswordHash: u.PasswordHash,
		MustChangePassword: u.MustChangePassword, SessionEpoch: u.SessionEpoch, FailedLogins: u.FailedLogins,
		LockedUntil: dynamo.EpochSeconds(u.LockedUntil), CreatedAt: dynamo.EpochSeconds(u.CreatedAt), Version: u.Version,
	}
}

func fromUserItem(it userItem) identity.User {
	return identity.User{
		ID: it.ID, OrgID: it.OrgID, Role: identity.Role(it.Role), GroupID: it.GroupID, Status: it.Status,
		FullName: it.FullName, Email: it.Email, Phone: it.Phone, Login: it.Login, PasswordHash: it.PasswordHash,
		MustChangePassword: it.MustChangePassword, SessionEpoch: it.SessionEpoch, FailedLogins: it.FailedLogins,
		LockedUntil: dynamo.FromEpochSeconds(it.LockedUntil), CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt), Version: it.Version,
	}
}

func (s *Store) get(ctx context.Context, k dynamo.Item, out any) (bool, error) {
	res, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, dynamo.Wrap("get "+dynamo.GetS(k, "pk"), err)
	}
	if res.Item == nil || dynamo.Expired(res.Item, "expiresAt", s.now()) {
		return false, nil
	}
	return true, attributevalue.UnmarshalMap(res.Item, out)
}

func (s *Store) UserByLogin(ctx context.Context, login string) (identity.User, error) {
	var claim struct {
		UserID string `dynamodbav:"userId"`
	}
	found, err := s.get(ctx, LoginKey(login), &claim)
	if err != nil {
		return identity.User{}, err
	}
	if !found {
		return identity.User{}, identity.ErrNotFound
	}
	return s.User(ctx, claim.UserID)
}

func (s *Store) User(ctx context.Context, id string) (identity.User, error) {
	var it userItem
	found, err := s.get(ctx, UserKey(id), &it)
	if err != nil {
		return identity.User{}, err
	}
	if !found {
		return identity.User{}, identity.ErrNotFound
	}
	return fromUserItem(it), nil
}

func (s *Store) Org(ctx context.Context, id string) (identity.Org, error) {
	var it orgItem
	found, err := s.get(ctx, OrgKey(id), &it)
	if err != nil {
		return identity.Org{}, err
	}
	if !found {
		return identity.Org{}, identity.ErrNotFound
	}
	return identity.Org{ID: it.ID, Kind: identity.OrgKind(it.Kind), Name: it.Name, Status: it.Status, CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt)}, nil
}

func (s *Store) update(ctx context.Context, k dynamo.Item, expr string, names map[string]string, values dynamo.Item) error {
	in := &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: k, UpdateExpression: aws.String(expr),
		ConditionExpression: aws.String("attribute_exists(pk)"), ExpressionAttributeValues: values,
	}
	if len(names) > 0 {
		in.ExpressionAttributeNames = names
	}
	_, err := s.DB.UpdateItem(ctx, in)
	if dynamo.IsConditionFailed(err) {
		return identity.ErrNotFound
	}
	return dynamo.Wrap("update "+dynamo.GetS(k, "pk"), err)
}

func (s *Store) RecordLoginFailure(ctx context.Context, userID string, failures int, lockedUntil time.Time) error {
	return s.update(ctx, UserKey(userID), "SET failedLogins = :f, lockedUntil = :l ADD version :one", nil,
		dynamo.Item{":f": dynamo.N(int64(failures)), ":l": dynamo.N(dynamo.EpochSeconds(lockedUntil)), ":one": dynamo.N(1)})
}

func (s *Store) RecordLoginSuccess(ctx context.Context, userID string, confirmInvitation bool) error {
	expr, names, values := "SET failedLogins = :z, lockedUntil = :z", map[string]string(nil), dynamo.Item{":z": dynamo.N(0), ":one": dynamo.N(1)}
	if confirmInvitation { // an invited user's first login confirms the invitation (A15)
		expr += ", #s = :active"
		names = map[string]string{"#s": "status"}
		values[":active"] = dynamo.S(identity.StatusActive)
	}
	return s.update(ctx, UserKey(userID), expr+" ADD version :one", names, values)
}

func (s *Store) SetPassword(ctx context.Context, userID, hash string) (int64, error) {
	out, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: UserKey(userID),
		UpdateExpression:          aws.String("SET passwordHash = :h, mustChangePassword = :f, failedLogins = :z, lockedUntil = :z ADD sessionEpoch :one, version :one"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: dynamo.Item{":h": dynamo.S(hash), ":f": dynamo.Bool(false), ":z": dynamo.N(0), ":one": dynamo.N(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if dynamo.IsConditionFailed(err) {
		return 0, identity.ErrNotFound
	}
	if err != nil {
		return 0, dynamo.Wrap("set password", err)
	}
	return dynamo.GetN(out.Attributes, "sessionEpoch"), nil
}

type sessionItem struct {
	PK          string   `dynamodbav:"pk"`
	SK          string   `dynamodbav:"sk"`
	Type        string   `dynamodbav:"type"`
	ID          string   `dynamodbav:"id"`
	UserID      string   `dynamodbav:"userId"`
	OrgID       string   `dynamodbav:"orgId"`
	Epoch       int64    `dynamodbav:"epoch"`
	CurrentHash string   `dynamodbav:"currentHash"`
	UsedHashes  []string `dynamodbav:"usedHashes,omitempty"`
	Revoked     string   `dynamodbav:"revoked,omitempty"`
	IP          string   `dynamodbav:"ip,omitempty"`
	CreatedAt   int64    `dynamodbav:"createdAt"`
	RefreshedAt int64    `dynamodbav:"refreshedAt"`
	ExpiresAt   int64    `dynamodbav:"expiresAt"`
}

func sessionKey(id string) dynamo.Item { return key("SESSION#"+id, "SESSION") }

func fromSessionItem(it sessionItem) identity.Session {
	return identity.Session{ID: it.ID, UserID: it.UserID, OrgID: it.OrgID, Epoch: it.Epoch, CurrentHash: it.CurrentHash,
		UsedHashes: it.UsedHashes, Revoked: it.Revoked, IP: it.IP, CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt),
		RefreshedAt: dynamo.FromEpochSeconds(it.RefreshedAt), ExpiresAt: dynamo.FromEpochSeconds(it.ExpiresAt)}
}

func (s *Store) CreateSession(ctx context.Context, x identity.Session) error {
	item, err := attributevalue.MarshalMap(sessionItem{PK: "SESSION#" + x.ID, SK: "SESSION", Type: "session", ID: x.ID,
		UserID: x.UserID, OrgID: x.OrgID, Epoch: x.Epoch, CurrentHash: x.CurrentHash, IP: x.IP,
		CreatedAt: dynamo.EpochSeconds(x.CreatedAt), RefreshedAt: dynamo.EpochSeconds(x.RefreshedAt), ExpiresAt: dynamo.EpochSeconds(x.ExpiresAt)})
	if err != nil {
		return err
	}
	return dynamo.Wrap("create session", dynamo.PutNew(ctx, s.DB, s.Table, item))
}

func (s *Store) Session(ctx context.Context, id string) (identity.Session, error) {
	var it sessionItem
	found, err := s.get(ctx, sessionKey(id), &it)
	if err != nil {
		return identity.Session{}, err
	}
	if !found {
		return identity.Session{}, identity.ErrNotFound
	}
	return fromSessionItem(it), nil
}

// usedKept is how many used refresh hashes a session remembers to detect reuse.
const usedKept = 20

func (s *Store) RotateSession(ctx context.Context, id, oldHash, newHash string, at time.Time) error {
	sess, err := s.Session(ctx, id)
	if err != nil {
		return err
	}
	used := append([]string{oldHash}, sess.UsedHashes...)
	if len(used) > usedKept {
		used = used[:usedKept]
	}
	uv, err := attributevalue.Marshal(used)
	if err != nil {
		return err
	}
	_, err = s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: sessionKey(id),
		UpdateExpression:    aws.String("SET currentHash = :new, usedHashes = :used, refreshedAt = :at, expiresAt = :exp"),
		ConditionExpression: aws.String("currentHash = :old AND attribute_not_exists(revoked)"),
		ExpressionAttributeValues: dynamo.Item{":new": dynamo.S(newHash), ":old": dynamo.S(oldHash), ":used": uv,
			":at": dynamo.Unix(at), ":exp": dynamo.Unix(at.Add(identity.SessionTTL))},
	})
	if dynamo.IsConditionFailed(err) {
		return identity.ErrStale
	}
	return dynamo.Wrap("rotate session", err)
}

func (s *Store) RevokeSession(ctx context.Context, id, reason string) error {
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Table), Key: sessionKey(id),
		UpdateExpression:          aws.String("SET revoked = :r"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: dynamo.Item{":r": dynamo.S(reason)},
	})
	if dynamo.IsConditionFailed(err) {
		return nil
	}
	return dynamo.Wrap("revoke session", err)
}

type challengeItem struct {
	PK              string `dynamodbav:"pk"`
	SK              string `dynamodbav:"sk"`
	Type            string `dynamodbav:"type"`
	ID              string `dynamodbav:"id"`
	Purpose         string `dynamodbav:"purpose"`
	UserID          string `dynamodbav:"userId,omitempty"`
	Phone           string `dynamodbav:"phone"`
	CodeHash        string `dynamodbav:"codeHash,omitempty"`
	CodeUntil       int64  `dynamodbav:"codeUntil"`
	Attempts        int    `dynamodbav:"attempts"`
	SentAt          int64  `dynamodbav:"sentAt"`
	Sends           int    `dynamodbav:"sends"`
	NewPasswordHash string `dynamodbav:"newPasswordHash,omitempty"`
	Done            bool   `dynamodbav:"done"`
	IP              string `dynamodbav:"ip,omitempty"`
	CreatedAt       int64  `dynamodbav:"createdAt"`
	ExpiresAt       int64  `dynamodbav:"expiresAt"`
	Version         int64  `dynamodbav:"version"`
}

func toChallengeItem(c identity.Challenge) challengeItem {
	return challengeItem{PK: "CHAL#" + c.ID, SK: "CHAL", Type: "challenge", ID: c.ID, Purpose: c.Purpose, UserID: c.UserID,
		Phone: c.Phone, CodeHash: c.CodeHash, CodeUntil: dynamo.EpochSeconds(c.CodeUntil), Attempts: c.Attempts, SentAt: dynamo.EpochSeconds(c.SentAt),
		Sends: c.Sends, NewPasswordHash: c.NewPasswordHash, Done: c.Done, IP: c.IP, CreatedAt: dynamo.EpochSeconds(c.CreatedAt),
		ExpiresAt: dynamo.EpochSeconds(c.ExpiresAt), Version: c.Version}
}

func (s *Store) CreateChallenge(ctx context.Context, c identity.Challenge) error {
	c.Version = 1
	item, err := attributevalue.MarshalMap(toChallengeItem(c))
	if err != nil {
		return err
	}
	return dynamo.Wrap("create challenge", dynamo.PutNew(ctx, s.DB, s.Table, item))
}

func (s *Store) Challenge(ctx context.Context, id string) (identity.Challenge, error) {
	var it challengeItem
	found, err := s.get(ctx, key("CHAL#"+id, "CHAL"), &it)
	if err != nil {
		return identity.Challenge{}, err
	}
	if !found {
		return identity.Challenge{}, identity.ErrNotFound
	}
	return identity.Challenge{ID: it.ID, Purpose: it.Purpose, UserID: it.UserID, Phone: it.Phone, CodeHash: it.CodeHash,
		CodeUntil: dynamo.FromEpochSeconds(it.CodeUntil), Attempts: it.Attempts, SentAt: dynamo.FromEpochSeconds(it.SentAt), Sends: it.Sends,
		NewPasswordHash: it.NewPasswordHash, Done: it.Done, IP: it.IP, CreatedAt: dynamo.FromEpochSeconds(it.CreatedAt),
		ExpiresAt: dynamo.FromEpochSeconds(it.ExpiresAt), Version: it.Version}, nil
}

func (s *Store) SaveChallenge(ctx context.Context, c identity.Challenge) error {
	expected := c.Version
	c.Version++
	item, err := attributevalue.MarshalMap(toChallengeItem(c))
	if err != nil {
		return err
	}
	err = dynamo.PutVersioned(ctx, s.DB, s.Table, item, expected)
	if err == dynamo.ErrConditionFailed {
		return identity.ErrStale
	}
	return dynamo.Wrap("save challenge", err)
}

type auditItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ID        string `dynamodbav:"id"`
	OrgID     string `dynamodbav:"orgId"`
	At        string `dynamodbav:"at"`
	Action    string `dynamodbav:"action"`
	Actor     string `dynamodbav:"actor,omitempty"`
	Target    string `dynamodbav:"target,omitempty"`
	IP        string `dynamodbav:"ip,omitempty"`
	Detail    string `dynamodbav:"detail,omitempty"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

func (s *Store) Audit(ctx context.Context, e identity.AuditEntry) error {
	at := e.At.UTC().Format(time.RFC3339Nano)
	item, err := attributevalue.MarshalMap(auditItem{PK: "AUDIT#" + e.OrgID, SK: at + "#" + e.ID, Type: "audit", ID: e.ID,
		OrgID: e.OrgID, At: at, Action: e.Action, Actor: e.Actor, Target: e.Target, IP: e.IP, Detail: e.Detail,
		ExpiresAt: dynamo.EpochSeconds(e.At.Add(AuditRetention))})
	if err != nil {
		return err
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: item})
	return dynamo.Wrap("audit", err)
}

func (s *Store) AuditLog(ctx context.Context, orgID, pageToken string, limit int) ([]identity.AuditEntry, string, error) {
	scope := "audit:" + orgID
	start, err := s.Pages.Decode(scope, pageToken)
	if err != nil {
		return nil, "", pageTokenError()
	}
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.Table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("AUDIT#" + orgID)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	})
	if err != nil {
		return nil, "", dynamo.Wrap("query audit", err)
	}
	entries := make([]identity.AuditEntry, 0, len(out.Items))
	for _, raw := range out.Items {
		var it auditItem
		if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
			return nil, "", fmt.Errorf("decode audit entry: %w", err)
		}
		at, _ := time.Parse(time.RFC3339Nano, it.At)
		entries = append(entries, identity.AuditEntry{ID: it.ID, OrgID: it.OrgID, At: at, Action: it.Action,
			Actor: it.Actor, Target: it.Target, IP: it.IP, Detail: it.Detail})
	}
	next, err := s.Pages.Encode(scope, out.LastEvaluatedKey)
	return entries, next, err
}

func pageTokenError() error {
	return apperr.InvalidField("pageToken", "not a page token of this list; start from the first page")
}
