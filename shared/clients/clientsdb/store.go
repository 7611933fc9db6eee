// Package clientsdb keeps the bank's views of its clients (seed 004 «Клиент», E10): the
// registration funnel rows in the identity table (IDENTITY_TABLE, written by onboarding and
// identity) and the clients by INN in the applications table (APPLICATIONS_TABLE, written by
// the applications store). writes.go builds those writes; this file reads. No Scan.
//
// Items:
//   - identity CLIREP#<phone> / CLIREP: one funnel row per phone: id, fio, email, kind,
//     inputPhone (first), sentSms (last), confirmedPhone, registered, userId, orgId, lastLogin
//     (stamps, UTC); gsi1 "CLIREPORT#<Moscow month of inputPhone>" / "<inputPhone>#<phone>".
//     Upserted in onboarding's transactions (start, resend/attempt, confirm: FunnelWrite);
//     lastLogin by identity on each successful login (RecordLogin, conditioned on userId).
//   - identity CLIREPORT / MONTHS: the string set of months that have rows (ADD after each
//     new registration commits: MarkMonth), so a walk visits only those.
//   - applications CLIENT#<inn> / CLIENT: the client; gsi1 "BANKCLIENTS" / "<firstSeen>#<inn>"
//     (newest first; one partition: the bank's rate of application writes is far below a
//     partition's limit). Upserted by the applications store after each Create and Save
//     commits (WriteApplication): the data of the application changed last; absClientId
//     once known.
//   - applications CLIORG#<org> / CLIORG: the string set of INNs of an organisation's
//     applications (ADD with the client), joined to the funnel rows by orgId.
//
// Access patterns:
//   - the report and its count: the months (GetItem CLIREPORT/MONTHS, newest first; with an
//     inputPhone day only that day's month and a key range on gsi1sk), each a Query of gsi1
//     newest first in pages of 100; each page's organisations' INNs by one BatchGetItem of
//     CLIORG items; the inn and clientWithoutApp filters apply to the joined rows. So a page
//     reads the rows up to offset + size (offset ≤ 10 000) and the count reads every row of the
//     months in range (one day's with inputPhone): ~300 bytes a row plus its CLIORG item.
//   - the client list: Query gsi1 "BANKCLIENTS" newest first, Limit = the page size, the page
//     token being the last item's gsi1sk (time and INN, nothing secret) as ExclusiveStartKey.
//   - one client: GetItem CLIENT#<id>.
package clientsdb

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/clients"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Store implements clients.Store.
type Store struct {
	DB                *dynamodb.Client
	IdentityTable     string
	ApplicationsTable string
}

var _ clients.Store = (*Store)(nil)

type rowItem struct {
	ID             string `dynamodbav:"id"`
	FullName       string `dynamodbav:"fio"`
	Phone          string `dynamodbav:"phone"`
	Email          string `dynamodbav:"email"`
	Kind           string `dynamodbav:"kind"`
	InputPhone     string `dynamodbav:"inputPhone"`
	SentSMS        string `dynamodbav:"sentSms"`
	ConfirmedPhone string `dynamodbav:"confirmedPhone"`
	Registered     string `dynamodbav:"registered"`
	LastLogin      string `dynamodbav:"lastLogin"`
	UserID         string `dynamodbav:"userId"`
	OrgID          string `dynamodbav:"orgId"`
}

func (it rowItem) row() clients.ReportRow {
	return clients.ReportRow{ID: it.ID, FullName: it.FullName, Phone: it.Phone, Email: it.Email, Kind: it.Kind,
		InputPhone: dynamo.Unstamp(it.InputPhone), SentSMS: dynamo.Unstamp(it.SentSMS), ConfirmedPhone: dynamo.Unstamp(it.ConfirmedPhone),
		Registered: dynamo.Unstamp(it.Registered), LastLogin: dynamo.Unstamp(it.LastLogin), UserID: it.UserID, OrgID: it.OrgID}
}

// months returns the months to walk, newest first, and the gsi1sk range within them.
func (s *Store) months(ctx context.Context, f clients.ReportFilter) ([]string, string, string, error) {
	if !f.Day.IsZero() {
		from := f.Day.In(moscow.Zone)
		to := from.AddDate(0, 0, 1)
		return []string{from.Format(moscowMonthShape)}, dynamo.Stamp(from), dynamo.Stamp(to), nil
	}
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.IdentityTable), Key: key(monthsPK, monthsSK)})
	if err != nil {
		return nil, "", "", dynamo.Wrap("get report months", err)
	}
	var m struct {
		Months []string `dynamodbav:"months,stringset"`
	}
	if out.Item != nil {
		if err := attributevalue.UnmarshalMap(out.Item, &m); err != nil {
			return nil, "", "", fmt.Errorf("decode report months: %w", err)
		}
	}
	slices.Sort(m.Months)
	slices.Reverse(m.Months)
	return m.Months, "", "", nil
}

// walk calls fn with every row passing f, newest inputPhone first, until fn returns false.
func (s *Store) walk(ctx context.Context, f clients.ReportFilter, fn func(clients.ReportRow) bool) error {
	months, from, to, err := s.months(ctx, f)
	if err != nil {
		return err
	}
	for _, month := range months {
		in := &dynamodb.QueryInput{
			TableName: aws.String(s.IdentityTable), IndexName: aws.String(reportIndex), ScanIndexForward: aws.Bool(false), Limit: aws.Int32(100),
			KeyConditionExpression:    aws.String("gsi1pk = :pk"),
			ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(reportIndexPK + month)},
		}
		if from != "" { // the day's rows: an sk is "<stamp>#<phone>", so it is ≤ :to only before the next day
			in.KeyConditionExpression = aws.String("gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to")
			in.ExpressionAttributeValues[":from"], in.ExpressionAttributeValues[":to"] = dynamo.S(from), dynamo.S(to)
		}
		p := dynamodb.NewQueryPaginator(s.DB, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return dynamo.Wrap("query client report", err)
			}
			var items []rowItem
			if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
				return fmt.Errorf("decode client report: %w", err)
			}
			rows := make([]clients.ReportRow, len(items))
			for i, it := range items {
				rows[i] = it.row()
			}
			if err := s.fillINNs(ctx, rows); err != nil {
				return err
			}
			for _, r := range rows {
				if f.Match(r) && !fn(r) {
					return nil
				}
			}
		}
	}
	return nil
}

// fillINNs sets the INNs of the rows' organisations (one BatchGetItem of CLIORG items).
func (s *Store) fillINNs(ctx context.Context, rows []clients.ReportRow) error {
	var keys []dynamo.Item
	seen := map[string]bool{}
	for _, r := range rows {
		if r.OrgID != "" && !seen[r.OrgID] {
			seen[r.OrgID] = true
			keys = append(keys, key(orgINNsPrefix+r.OrgID, orgINNsSK))
		}
	}
	inns := map[string][]string{}
	for len(keys) > 0 {
		out, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
			s.ApplicationsTable: {Keys: keys, ProjectionExpression: aws.String("pk, inns")},
		}})
		if err != nil {
			return dynamo.Wrap("get organisations' INNs", err)
		}
		for _, it := range out.Responses[s.ApplicationsTable] {
			var v struct {
				PK   string   `dynamodbav:"pk"`
				INNs []string `dynamodbav:"inns,stringset"`
			}
			if err := attributevalue.UnmarshalMap(it, &v); err != nil {
				return fmt.Errorf("decode organisation's INNs: %w", err)
			}
			slices.Sort(v.INNs)
			inns[strings.TrimPrefix(v.PK, orgINNsPrefix)] = v.INNs
		}
		keys = out.UnprocessedKeys[s.ApplicationsTable].Keys
	}
	for i := range rows {
		rows[i].INNs = inns[rows[i].OrgID]
		if rows[i].INNs == nil {
			rows[i].INNs = []string{}
		}
	}
	return nil
}

func (s *Store) Report(ctx context.Context, f clients.ReportFilter, offset, limit int) ([]clients.ReportRow, error) {
	out := []clients.ReportRow{}
	skipped := 0
	err := s.walk(ctx, f, func(r clients.ReportRow) bool {
		if skipped < offset {
			skipped++
			return true
		}
		out = append(out, r)
		return len(out) < limit
	})
	return out, err
}

func (s *Store) ReportCount(ctx context.Context, f clients.ReportFilter) (int64, error) {
	var n int64
	err := s.walk(ctx, f, func(clients.ReportRow) bool { n++; return true })
	return n, err
}

type clientItem struct {
	ID                string `dynamodbav:"id"`
	INN               string `dynamodbav:"inn"`
	KPP               string `dynamodbav:"kpp"`
	OGRN              string `dynamodbav:"ogrn"`
	ShortName         string `dynamodbav:"shortName"`
	FullName          string `dynamodbav:"fullName"`
	Address           string `dynamodbav:"address"`
	ContactFIO        string `dynamodbav:"contactFio"`
	Phone             string `dynamodbav:"phone"`
	Email             string `dynamodbav:"email"`
	ABSClientID       int64  `dynamodbav:"absClientId"`
	LastApplicationID string `dynamodbav:"lastApplicationId"`
	FirstSeen         string `dynamodbav:"firstSeen"`
	UpdatedAt         string `dynamodbav:"updatedAt"`
	GSI1SK            string `dynamodbav:"gsi1sk"`
}

func (it clientItem) client() clients.Client {
	return clients.Client{ID: it.ID, INN: it.INN, KPP: it.KPP, OGRN: it.OGRN, ShortName: it.ShortName, FullName: it.FullName,
		Address: it.Address, ContactFIO: it.ContactFIO, Phone: it.Phone, Email: it.Email, ABSClientID: it.ABSClientID,
		LastApplicationID: it.LastApplicationID, FirstSeen: dynamo.Unstamp(it.FirstSeen), UpdatedAt: dynamo.Unstamp(it.UpdatedAt)}
}

// clientSortKey is the shape of a clients gsi1sk, which is also the page token (base64url).
var clientSortKey = regexp.MustCompile(`^[0-9T:.\-]+Z#([0-9]{10}|[0-9]{12})$`)

func (s *Store) Clients(ctx context.Context, pageToken string, limit int) ([]clients.Client, string, error) {
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.ApplicationsTable), IndexName: aws.String(clientsIndex), ScanIndexForward: aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(clientsIndexPK)},
	}
	if pageToken != "" {
		raw, err := base64.RawURLEncoding.DecodeString(pageToken)
		m := clientSortKey.FindStringSubmatch(string(raw))
		if err != nil || m == nil {
			return nil, "", clients.ErrBadPageToken
		}
		in.ExclusiveStartKey = dynamo.Item{"gsi1pk": dynamo.S(clientsIndexPK), "gsi1sk": dynamo.S(string(raw)),
			"pk": dynamo.S(clientPrefix + m[1]), "sk": dynamo.S(clientSK)}
	}
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", dynamo.Wrap("query clients", err)
	}
	var items []clientItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return nil, "", fmt.Errorf("decode clients: %w", err)
	}
	list := make([]clients.Client, len(items))
	for i, it := range items {
		list[i] = it.client()
	}
	next := ""
	if out.LastEvaluatedKey != nil && len(items) > 0 {
		next = base64.RawURLEncoding.EncodeToString([]byte(items[len(items)-1].GSI1SK))
	}
	return list, next, nil
}

func (s *Store) Client(ctx context.Context, id string) (clients.Client, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.ApplicationsTable), Key: key(clientPrefix+id, clientSK)})
	if err != nil {
		return clients.Client{}, dynamo.Wrap("get client", err)
	}
	if out.Item == nil {
		return clients.Client{}, clients.ErrNotFound
	}
	var it clientItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return clients.Client{}, fmt.Errorf("decode client: %w", err)
	}
	return it.client(), nil
}
