package dynamo

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Document is a versioned JSON document kept whole in one item: the directories and settings
// the bank edits as a whole (departments, document types, reward rules, status model). The
// item is Key plus type, version (N, optimistic locking), doc (S, the JSON), updatedAt
// (RFC 3339) and updatedBy; it is absent until first saved (readers then use a default).
type Document struct {
	DB    *dynamodb.Client
	Table string
	Key   Item
	Type  string // the item's type attribute; "" writes none
	What  string // what it is, for wrapped errors: "document types"
}

// DocumentMeta is a document's version and who saved it when.
type DocumentMeta struct {
	Version   int64
	UpdatedAt time.Time
	UpdatedBy string
}

// Get reads the document into body (a pointer); ok is false when it was never saved.
func (d Document) Get(ctx context.Context, body any) (m DocumentMeta, ok bool, err error) {
	out, err := d.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(d.Table), Key: d.Key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return DocumentMeta{}, false, Wrap("get "+d.What, err)
	}
	if out.Item == nil {
		return DocumentMeta{}, false, nil
	}
	it := Item(out.Item)
	m = DocumentMeta{Version: GetN(it, "version"), UpdatedBy: GetS(it, "updatedBy")}
	m.UpdatedAt, _ = time.Parse(time.RFC3339Nano, GetS(it, "updatedAt"))
	if err := json.Unmarshal([]byte(GetS(it, "doc")), body); err != nil {
		return DocumentMeta{}, false, Wrap("read "+d.What, err)
	}
	return m, true, nil
}

// Put saves body as version m.Version when the stored one is m.Version-1 (absent for
// version 1); ErrConditionFailed when another save came first.
func (d Document) Put(ctx context.Context, m DocumentMeta, body any) error {
	doc, err := json.Marshal(body)
	if err != nil {
		return err
	}
	it := Item{}
	for k, v := range d.Key {
		it[k] = v
	}
	if d.Type != "" {
		it["type"] = S(d.Type)
	}
	it["version"] = N(m.Version)
	it["doc"] = S(string(doc))
	it["updatedAt"] = S(m.UpdatedAt.UTC().Format(time.RFC3339Nano))
	it["updatedBy"] = S(m.UpdatedBy)
	in := &dynamodb.PutItemInput{TableName: aws.String(d.Table), Item: it}
	if m.Version <= 1 {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	} else {
		in.ConditionExpression = aws.String("#version = :previous")
		in.ExpressionAttributeNames = map[string]string{"#version": "version"}
		in.ExpressionAttributeValues = Item{":previous": N(m.Version - 1)}
	}
	if _, err := d.DB.PutItem(ctx, in); err != nil {
		if IsConditionFailed(err) {
			return ErrConditionFailed
		}
		return Wrap("put "+d.What, err)
	}
	return nil
}
