package clientsdb

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// The writes other domains make so that the clients' views stay current: onboarding and
// identity keep the registration funnel rows (identity table), the applications store keeps
// the client per INN and each organisation's INNs (applications table). Each write is an
// upsert (UpdateItem), so it needs no read and works for records older than the views.
//
// Items shared by many writers (the list of months, a client, an organisation's INNs) are
// never written inside a transaction: two transactions touching one item at once cancel each
// other (TransactionConflict), plain updates of it just queue. So those are plain UpdateItems
// made right after the change commits; only the funnel row of one phone goes into
// onboarding's transactions.

// Item keys.
const (
	reportPrefix     = "CLIREP#"    // + phone (E.164): one funnel row per phone
	reportSK         = "CLIREP"     //
	reportIndexPK    = "CLIREPORT#" // + Moscow month of inputPhone: the gsi1 partition of the rows
	monthsPK         = "CLIREPORT"  // the months that have rows
	monthsSK         = "MONTHS"     //
	clientPrefix     = "CLIENT#"    // + INN: the bank's client
	clientSK         = "CLIENT"     //
	clientsIndexPK   = "BANKCLIENTS"
	orgINNsPrefix    = "CLIORG#" // + organisation id: the INNs of its applications
	orgINNsSK        = "CLIORG"  //
	reportIndex      = "gsi1"    // identity table
	clientsIndex     = "gsi1"    // applications table
	moscowMonthShape = "2006-01"
)

func key(pk, sk string) dynamo.Item { return dynamo.Item{"pk": dynamo.S(pk), "sk": dynamo.S(sk)} }

// ReportKey is the key of the funnel row of a phone.
func ReportKey(phone string) dynamo.Item { return key(reportPrefix+phone, reportSK) }

// Attempt is what onboarding knows of a registration attempt at one of its steps.
type Attempt struct {
	Phone, FullName, Email, Kind string
	InputAt                      time.Time // when the phone was entered (the attempt began)
	SentAt                       time.Time // the last code queued by SMS
	ConfirmedAt                  time.Time // zero until the code was confirmed (the account exists)
	UserID, OrgID                string    // the account, once confirmed
}

// FunnelWrite is the transaction item that records an attempt on its phone's row. The first
// attempt's inputPhone (and so the row's place in the index) stays; the rest is the latest
// attempt's. MarkMonth must follow once the transaction commits.
func FunnelWrite(identityTable string, a Attempt) types.TransactWriteItem {
	in := a.InputAt.UTC()
	set := "SET #type = :type, id = if_not_exists(id, :id), phone = :phone, fio = :fio, email = :email, kind = :kind, " +
		"inputPhone = if_not_exists(inputPhone, :in), gsi1pk = if_not_exists(gsi1pk, :gpk), gsi1sk = if_not_exists(gsi1sk, :gsk), sentSms = :sent"
	values := dynamo.Item{
		":type": dynamo.S("clientreport"), ":id": dynamo.S(ulid.Make().String()), ":phone": dynamo.S(a.Phone), ":fio": dynamo.S(a.FullName),
		":email": dynamo.S(a.Email), ":kind": dynamo.S(a.Kind), ":in": dynamo.S(dynamo.Stamp(in)),
		":gpk": dynamo.S(reportIndexPK + month(in)), ":gsk": dynamo.S(dynamo.Stamp(in) + "#" + a.Phone), ":sent": dynamo.S(dynamo.Stamp(a.SentAt)),
	}
	if !a.ConfirmedAt.IsZero() { // the code creates the account: the phone is confirmed and the registration done at once
		set += ", confirmedPhone = :c, registered = :c, userId = :u, orgId = :o"
		values[":c"], values[":u"], values[":o"] = dynamo.S(dynamo.Stamp(a.ConfirmedAt)), dynamo.S(a.UserID), dynamo.S(a.OrgID)
	}
	return types.TransactWriteItem{Update: &types.Update{TableName: aws.String(identityTable), Key: ReportKey(a.Phone),
		UpdateExpression: aws.String(set), ExpressionAttributeNames: map[string]string{"#type": "type"}, ExpressionAttributeValues: values}}
}

func month(t time.Time) string { return t.In(moscow.Zone).Format(moscowMonthShape) }

// MarkMonth adds the Moscow month of inputAt to the months that have funnel rows (idempotent).
func MarkMonth(ctx context.Context, db *dynamodb.Client, identityTable string, inputAt time.Time) error {
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(identityTable), Key: key(monthsPK, monthsSK),
		UpdateExpression:          aws.String("SET #type = :type ADD months :m"),
		ExpressionAttributeNames:  map[string]string{"#type": "type"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("clientreportmonths"), ":m": &types.AttributeValueMemberSS{Value: []string{month(inputAt)}}}})
	return dynamo.Wrap("mark client report month", err)
}

// Seen is an application as the client views need it.
type Seen struct {
	OrgID, ApplicationID         string
	INN, KPP, OGRN               string
	ShortName, FullName, Address string
	ContactFIO, Phone, Email     string
	ABSClientID                  int64
	At                           time.Time // the application's last change
}

// WriteApplication keeps the client of s.INN (the data of the application changed last) and
// the organisation's INNs, after the application's own write; nothing without an INN.
func WriteApplication(ctx context.Context, db *dynamodb.Client, applicationsTable string, s Seen) error {
	if s.INN == "" {
		return nil
	}
	at := dynamo.Stamp(s.At.UTC())
	set := "SET #type = :type, id = :inn, inn = :inn, kpp = :kpp, ogrn = :ogrn, shortName = :short, fullName = :full, address = :addr, " +
		"contactFio = :cfio, phone = :phone, email = :email, lastApplicationId = :app, updatedAt = :at, firstSeen = if_not_exists(firstSeen, :at), " +
		"gsi1pk = :gpk, gsi1sk = if_not_exists(gsi1sk, :gsk)"
	values := dynamo.Item{
		":type": dynamo.S("client"), ":inn": dynamo.S(s.INN), ":kpp": dynamo.S(s.KPP), ":ogrn": dynamo.S(s.OGRN),
		":short": dynamo.S(s.ShortName), ":full": dynamo.S(s.FullName), ":addr": dynamo.S(s.Address), ":cfio": dynamo.S(s.ContactFIO),
		":phone": dynamo.S(s.Phone), ":email": dynamo.S(s.Email), ":app": dynamo.S(s.ApplicationID), ":at": dynamo.S(at),
		":gpk": dynamo.S(clientsIndexPK), ":gsk": dynamo.S(at + "#" + s.INN),
	}
	if s.ABSClientID > 0 { // kept once the ABS named it, even when a later application has none yet
		set += ", absClientId = :abs"
		values[":abs"] = dynamo.N(s.ABSClientID)
	}
	// Only if newer: of two applications of one INN saved at once, the later one's data stays.
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(applicationsTable), Key: key(clientPrefix+s.INN, clientSK),
		UpdateExpression: aws.String(set), ConditionExpression: aws.String("attribute_not_exists(updatedAt) OR updatedAt <= :at"),
		ExpressionAttributeNames: map[string]string{"#type": "type"}, ExpressionAttributeValues: values})
	if err != nil && !dynamo.IsConditionFailed(err) {
		return dynamo.Wrap("write client", err)
	}
	_, err = db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(applicationsTable), Key: key(orgINNsPrefix+s.OrgID, orgINNsSK),
		UpdateExpression:          aws.String("SET #type = :type ADD inns :inn"),
		ExpressionAttributeNames:  map[string]string{"#type": "type"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("clientorg"), ":inn": &types.AttributeValueMemberSS{Value: []string{s.INN}}}})
	return dynamo.Wrap("write organisation's INNs", err)
}

// RecordLogin records a successful login of userID on the funnel row of phone: the row of
// the registration that created the account. Anyone else (an invited user, a phone that
// never registered) has no such row, which is not an error.
func RecordLogin(ctx context.Context, db *dynamodb.Client, identityTable, phone, userID string, at time.Time) error {
	if phone == "" {
		return nil
	}
	// The condition (the row's account is userID) fails for anyone who did not register with
	// that phone.
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(identityTable), Key: ReportKey(phone),
		UpdateExpression:          aws.String("SET lastLogin = :at"),
		ConditionExpression:       aws.String("userId = :u"),
		ExpressionAttributeValues: dynamo.Item{":at": dynamo.S(dynamo.Stamp(at)), ":u": dynamo.S(userID)},
	})
	if dynamo.IsConditionFailed(err) {
		return nil
	}
	return dynamo.Wrap("record last login", err)
}
