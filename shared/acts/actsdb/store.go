// Package actsdb stores the acts of payment to agents (shared/acts) in the applications table
// (APPLICATIONS_TABLE; keys pk/sk, indexes gsi1–gsi3; no Scan).
//
// Items:
//   - ACT#<id> / ACT    one act (id a ULID): type "act", id, number (N), agentId, agentName,
//     agentLogin, productId (N), productCode, productName, paymentKopecks (N), period
//     (YYYY-MM), paymentDate (YYYY-MM-DD), binaryId (absent without a file), createdBy,
//     createdAt; and its list keys, each sorted by the number zero-padded to 12 digits (so
//     the string order is the number order, newest last):
//     gsi1pk "ACTS#AGENT#<org>" (the agent's acts), gsi2pk "ACTS" (every act, one partition:
//     acts are made by hand, a few hundred a month), gsi3pk "ACTS#PRODUCT#<productId>" (the
//     product's acts); gsi1sk = gsi2sk = gsi3sk = the padded number
//   - SEQ#ACTS / ACTNUM the last act number, bank-wide (ADD 1)
//
// Access patterns:
//   - the next number: UpdateItem SEQ#ACTS / ACTNUM ADD seq 1, UPDATED_NEW
//   - a new act: PutItem with attribute_not_exists(pk)
//   - an agent's acts, newest first, optionally of one product: Query gsi1, gsi1pk
//     "ACTS#AGENT#<org>", ScanIndexForward=false, the product a filter expression (an
//     agent has a few acts per product and month)
//   - a product's acts, newest first: Query gsi3, gsi3pk "ACTS#PRODUCT#<id>", ScanIndexForward
//     false
//   - every act, newest first: Query gsi2, gsi2pk "ACTS", ScanIndexForward=false
//   - each list reads pages until it has the limit (acts.MaxList) or the partition ends
//
// The prefixes "ACTS#…" and "ACTS" are used by no other item of the table's gsi1–gsi3.
package actsdb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/acts"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements acts.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ acts.Store = (*Store)(nil)

type item struct {
	PK             string `dynamodbav:"pk"`
	SK             string `dynamodbav:"sk"`
	GSI1PK         string `dynamodbav:"gsi1pk"`
	GSI1SK         string `dynamodbav:"gsi1sk"`
	GSI2PK         string `dynamodbav:"gsi2pk"`
	GSI2SK         string `dynamodbav:"gsi2sk"`
	GSI3PK         string `dynamodbav:"gsi3pk"`
	GSI3SK         string `dynamodbav:"gsi3sk"`
	Type           string `dynamodbav:"type"`
	ID             string `dynamodbav:"id"`
	Number         int64  `dynamodbav:"number"`
	AgentID        string `dynamodbav:"agentId"`
	AgentName      string `dynamodbav:"agentName"`
	AgentLogin     string `dynamodbav:"agentLogin"`
	ProductID      int64  `dynamodbav:"productId"`
	ProductCode    string `dynamodbav:"productCode"`
	ProductName    string `dynamodbav:"productName"`
	PaymentKopecks int64  `dynamodbav:"paymentKopecks"`
	Period         string `dynamodbav:"period"`
	PaymentDate    string `dynamodbav:"paymentDate"`
	BinaryID       string `dynamodbav:"binaryId,omitempty"`
	CreatedBy      string `dynamodbav:"createdBy"`
	CreatedAt      string `dynamodbav:"createdAt"`
}

const allActs = "ACTS"

func agentPK(orgID string) string       { return "ACTS#AGENT#" + orgID }
func productPK(id int64) string         { return fmt.Sprintf("ACTS#PRODUCT#%d", id) }
func sortKey(number int64) string       { return fmt.Sprintf("%012d", number) }
func actKey(id string) (string, string) { return "ACT#" + id, "ACT" }

// NextNumber takes the next number of the bank-wide counter.
func (s *Store) NextNumber(ctx context.Context) (int64, error) {
	out, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.Table),
		Key:                       dynamo.Item{"pk": dynamo.S("SEQ#ACTS"), "sk": dynamo.S("ACTNUM")},
		UpdateExpression:          aws.String("SET #type = :type ADD seq :one"),
		ExpressionAttributeNames:  map[string]string{"#type": "type"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("sequence"), ":one": dynamo.N(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, dynamo.Wrap("next act number", err)
	}
	n := dynamo.GetN(out.Attributes, "seq")
	if n < 1 {
		return 0, fmt.Errorf("next act number: bad counter %v", out.Attributes)
	}
	return n, nil
}

// Create puts a new act.
func (s *Store) Create(ctx context.Context, a acts.Act) error {
	pk, sk := actKey(a.ID)
	n := sortKey(a.Number)
	it, err := attributevalue.MarshalMap(item{PK: pk, SK: sk, GSI1PK: agentPK(a.Agent.ID), GSI1SK: n, GSI2PK: allActs, GSI2SK: n,
		GSI3PK: productPK(a.Product.ID), GSI3SK: n, Type: "act", ID: a.ID, Number: a.Number, AgentID: a.Agent.ID,
		AgentName: a.Agent.Name, AgentLogin: a.Agent.Login, ProductID: a.Product.ID, ProductCode: a.Product.Code,
		ProductName: a.Product.Name, PaymentKopecks: a.PaymentKopecks, Period: a.Period, PaymentDate: a.PaymentDate,
		BinaryID: a.BinaryID, CreatedBy: a.CreatedBy, CreatedAt: dynamo.Stamp(a.CreatedAt)})
	if err != nil {
		return err
	}
	return dynamo.Wrap("create act", dynamo.PutNew(ctx, s.DB, s.Table, it))
}

// List queries the index that fits f.
func (s *Store) List(ctx context.Context, f acts.Filter, limit int) ([]acts.Act, error) {
	in := &dynamodb.QueryInput{TableName: aws.String(s.Table), ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit))}
	switch {
	case f.AgentID != "":
		in.IndexName = aws.String("gsi1")
		in.KeyConditionExpression = aws.String("gsi1pk = :pk")
		in.ExpressionAttributeValues = dynamo.Item{":pk": dynamo.S(agentPK(f.AgentID))}
		if f.ProductID != 0 {
			in.FilterExpression = aws.String("productId = :product")
			in.ExpressionAttributeValues[":product"] = dynamo.N(f.ProductID)
		}
	case f.ProductID != 0:
		in.IndexName = aws.String("gsi3")
		in.KeyConditionExpression = aws.String("gsi3pk = :pk")
		in.ExpressionAttributeValues = dynamo.Item{":pk": dynamo.S(productPK(f.ProductID))}
	default:
		in.IndexName = aws.String("gsi2")
		in.KeyConditionExpression = aws.String("gsi2pk = :pk")
		in.ExpressionAttributeValues = dynamo.Item{":pk": dynamo.S(allActs)}
	}
	out := []acts.Act{}
	p := dynamodb.NewQueryPaginator(s.DB, in)
	for p.HasMorePages() && len(out) < limit {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dynamo.Wrap("query acts", err)
		}
		for _, raw := range page.Items {
			if len(out) == limit {
				break
			}
			var it item
			if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
				return nil, err
			}
			out = append(out, acts.Act{ID: it.ID, Number: it.Number,
				Agent:          acts.Agent{ID: it.AgentID, Name: it.AgentName, Login: it.AgentLogin},
				Product:        acts.Product{ID: it.ProductID, Code: it.ProductCode, Name: it.ProductName},
				PaymentKopecks: it.PaymentKopecks, Period: it.Period, PaymentDate: it.PaymentDate, BinaryID: it.BinaryID,
				CreatedBy: it.CreatedBy, CreatedAt: dynamo.Unstamp(it.CreatedAt)})
		}
	}
	return out, nil
}
