// Package appdocsdb stores the document types and the documents of applications in the
// applications table (APPLICATIONS_TABLE; keys pk/sk; TTL attribute expiresAt; no Scan).
//
// Items:
//   - DOCTYPES / LIST            the bank's list of document types (E6): version (N, optimistic
//     locking), doc (S, the types as JSON), updatedAt, updatedBy. Absent until the bank first
//     saves one (the service then serves appdocs.Default)
//   - APP#<app> / DOC#           an application's document set: version (N), moved on by every
//     new document and every confirm, so that two requests cannot both take the last place
//     of a type's fileCount. It sorts before the documents, in the same Query
//   - APP#<app> / DOC#<doc>      one document (doc a ULID, so documents sort by creation): type,
//     ids, orgId, typeId, typeName, fileName, contentType, size, status (pending | uploaded),
//     uploadedBy, byBank, createdAt, uploadedAt; a pending one also uploadBy and expiresAt (N,
//     epoch seconds: the TTL that removes abandoned uploads; readers treat a past expiresAt as
//     absent, since TTL deletes only eventually and DynamoDB Local never); gsi1pk
//     "DOCID#<doc>", gsi1sk "DOC" find it by its id alone (seed 004's GET /binary/{id})
//
// Access patterns:
//   - the types: GetItem DOCTYPES / LIST; save: PutItem with "attribute_not_exists(pk)" for the
//     first save (version 1) or "#version = :previous" after that; a failed condition is a 409
//   - an application's documents with the set's version, oldest first: Query pk = APP#<app>
//     AND begins_with(sk, "DOC#"), consistent (at most appdocs.MaxDocuments documents plus
//     expired pending ones until TTL removes them)
//   - one document: GetItem APP#<app> / DOC#<doc>
//   - a new document: TransactWriteItems of the Put (attribute_not_exists) and an Update of
//     the set's version conditioned on the version read (attribute_not_exists(pk) for 0)
//   - confirm: TransactWriteItems of the Put of the uploaded document conditioned on its
//     status still pending, and the same Update of the set's version
//   - delete: DeleteItem APP#<app> / DOC#<doc>
//   - a document by its id alone (the back office's downloads, shared/bankdocs): Query gsi1,
//     gsi1pk = "DOCID#<doc>" (one item; eventually consistent, so a document just made may be
//     missing for a moment)
//
// The application item (APP#<app> / APP) and its history (HIST#…) share the partition; their
// queries (shared/applications/applicationsdb) never read DOC# items, nor these theirs.
package appdocsdb

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Types implements appdocs.TypeStore.
type Types struct {
	DB    *dynamodb.Client
	Table string
}

var _ appdocs.TypeStore = (*Types)(nil)

// TypesKey is the key of the types item.
func TypesKey() dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("DOCTYPES"), "sk": dynamo.S("LIST")}
}

func (s *Types) doc() dynamo.Document {
	return dynamo.Document{DB: s.DB, Table: s.Table, Key: TypesKey(), Type: "document-types", What: "document types"}
}

// Get reads the types item.
func (s *Types) Get(ctx context.Context) (appdocs.TypeList, bool, error) {
	var l appdocs.TypeList
	m, ok, err := s.doc().Get(ctx, &l.Types)
	if !ok || err != nil {
		return appdocs.TypeList{}, false, err
	}
	l.Version, l.UpdatedAt, l.UpdatedBy = m.Version, m.UpdatedAt, m.UpdatedBy
	return l, true, nil
}

// Put saves l when the stored version is l.Version-1.
func (s *Types) Put(ctx context.Context, l appdocs.TypeList) error {
	err := s.doc().Put(ctx, dynamo.DocumentMeta{Version: l.Version, UpdatedAt: l.UpdatedAt, UpdatedBy: l.UpdatedBy}, l.Types)
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return apperr.New(apperr.Conflict, "the document types were changed since they were read: read them again")
	}
	return err
}

// Docs implements appdocs.DocStore.
type Docs struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time // for the TTL check; time.Now when nil
}

var _ appdocs.DocStore = (*Docs)(nil)

const (
	docPrefix = "DOC#"
	setSK     = docPrefix // the set item: "DOC#" sorts before every "DOC#<id>"
)

func (s *Docs) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// DocKey is the key of a document item.
func DocKey(applicationID, documentID string) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S("APP#" + applicationID), "sk": dynamo.S(docPrefix + documentID)}
}

type docItem struct {
	PK            string `dynamodbav:"pk"`
	SK            string `dynamodbav:"sk"`
	Type          string `dynamodbav:"type"`
	ID            string `dynamodbav:"id"`
	ApplicationID string `dynamodbav:"applicationId"`
	OrgID         string `dynamodbav:"orgId"`
	TypeID        int64  `dynamodbav:"typeId"`
	TypeName      string `dynamodbav:"typeName"`
	FileName      string `dynamodbav:"fileName"`
	ContentType   string `dynamodbav:"contentType"`
	Size          int64  `dynamodbav:"size"`
	Status        string `dynamodbav:"status"`
	UploadedBy    string `dynamodbav:"uploadedBy"`
	ByBank        bool   `dynamodbav:"byBank"`
	CreatedAt     string `dynamodbav:"createdAt"`
	UploadedAt    string `dynamodbav:"uploadedAt,omitempty"`
	UploadBy      string `dynamodbav:"uploadBy,omitempty"`
	ExpiresAt     int64  `dynamodbav:"expiresAt,omitempty"` // TTL: pending documents only
	GSI1PK        string `dynamodbav:"gsi1pk"`              // DOCID#<doc>: the document by its id
	GSI1SK        string `dynamodbav:"gsi1sk"`
}

func marshalDoc(d appdocs.Document) (dynamo.Item, error) {
	return attributevalue.MarshalMap(docItem{PK: "APP#" + d.ApplicationID, SK: docPrefix + d.ID, Type: "document",
		ID: d.ID, ApplicationID: d.ApplicationID, OrgID: d.OrgID, TypeID: d.TypeID, TypeName: d.TypeName,
		FileName: d.FileName, ContentType: d.ContentType, Size: d.Size, Status: d.Status, UploadedBy: d.UploadedBy, ByBank: d.ByBank,
		CreatedAt: dynamo.Stamp(d.CreatedAt), UploadedAt: dynamo.Stamp(d.UploadedAt), UploadBy: dynamo.Stamp(d.UploadBy), ExpiresAt: dynamo.EpochSeconds(d.ExpiresAt),
		GSI1PK: docIDPrefix + d.ID, GSI1SK: "DOC"})
}

func unmarshalDoc(raw dynamo.Item) (appdocs.Document, error) {
	var it docItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return appdocs.Document{}, err
	}
	return appdocs.Document{ID: it.ID, ApplicationID: it.ApplicationID, OrgID: it.OrgID, TypeID: it.TypeID, TypeName: it.TypeName,
		FileName: it.FileName, ContentType: it.ContentType, Size: it.Size, Status: it.Status, UploadedBy: it.UploadedBy, ByBank: it.ByBank,
		CreatedAt: dynamo.Unstamp(it.CreatedAt), UploadedAt: dynamo.Unstamp(it.UploadedAt), UploadBy: dynamo.Unstamp(it.UploadBy),
		ExpiresAt: dynamo.FromEpochSeconds(it.ExpiresAt)}, nil
}

// List queries the application's set item and documents.
func (s *Docs) List(ctx context.Context, applicationID string) ([]appdocs.Document, int64, error) {
	var docs []appdocs.Document
	var version int64
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :doc)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("APP#" + applicationID), ":doc": dynamo.S(docPrefix)},
	}, "query documents", func(raw dynamo.Item) error {
		if dynamo.GetS(raw, "sk") == setSK {
			version = dynamo.GetN(raw, "version")
			return nil
		}
		d, err := unmarshalDoc(raw)
		if err != nil {
			return err
		}
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return docs, version, nil
}

// Get reads one document; an expired pending one is absent.
func (s *Docs) Get(ctx context.Context, applicationID, documentID string) (appdocs.Document, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: DocKey(applicationID, documentID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return appdocs.Document{}, dynamo.Wrap("get document", err)
	}
	if out.Item == nil || dynamo.Expired(out.Item, "expiresAt", s.now()) {
		return appdocs.Document{}, appdocs.ErrNotFound
	}
	return unmarshalDoc(out.Item)
}

const docIDPrefix = "DOCID#"

// ByID finds a document by its id alone, in any application (ErrNotFound; an expired pending
// one too).
func (s *Docs) ByID(ctx context.Context, documentID string) (appdocs.Document, error) {
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(docIDPrefix + documentID)}, Limit: aws.Int32(1)})
	if err != nil {
		return appdocs.Document{}, dynamo.Wrap("find document", err)
	}
	if len(out.Items) == 0 || dynamo.Expired(out.Items[0], "expiresAt", s.now()) {
		return appdocs.Document{}, appdocs.ErrNotFound
	}
	return unmarshalDoc(out.Items[0])
}

// bump moves the set of applicationID from version to version+1.
func (s *Docs) bump(applicationID string, version int64) *types.Update {
	u := &types.Update{TableName: aws.String(s.Table),
		Key:                       dynamo.Item{"pk": dynamo.S("APP#" + applicationID), "sk": dynamo.S(setSK)},
		UpdateExpression:          aws.String("SET #type = :type, #version = :next"),
		ExpressionAttributeNames:  map[string]string{"#type": "type", "#version": "version"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("document-set"), ":next": dynamo.N(version + 1)},
	}
	if version == 0 {
		u.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		u.ConditionExpression = aws.String("#version = :previous")
		u.ExpressionAttributeValues[":previous"] = dynamo.N(version)
	}
	return u
}

// Create writes a new document and moves the set on, in one transaction.
func (s *Docs) Create(ctx context.Context, d appdocs.Document, setVersion int64) error {
	item, err := marshalDoc(d)
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Update: s.bump(d.ApplicationID, setVersion)},
	}})
	if dynamo.IsConditionFailed(err) {
		return appdocs.ErrStale
	}
	return dynamo.Wrap("create document", err)
}

// MarkUploaded replaces the pending document with d and moves the set on, in one transaction.
func (s *Docs) MarkUploaded(ctx context.Context, d appdocs.Document, setVersion int64) error {
	item, err := marshalDoc(d)
	if err != nil {
		return err
	}
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.Table), Item: item,
			ConditionExpression:       aws.String("#status = :pending"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: dynamo.Item{":pending": dynamo.S(appdocs.StatusPending)}}},
		{Update: s.bump(d.ApplicationID, setVersion)},
	}})
	if dynamo.IsConditionFailed(err) {
		return appdocs.ErrStale
	}
	return dynamo.Wrap("confirm document", err)
}

// Delete removes a document item.
func (s *Docs) Delete(ctx context.Context, applicationID, documentID string) error {
	if strings.TrimSpace(documentID) == "" {
		return nil // never the set item
	}
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: DocKey(applicationID, documentID)})
	return dynamo.Wrap("delete document", err)
}
