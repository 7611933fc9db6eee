package applicationsdb

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Bank-wide counters (issue 5, seed 004 statusCount and the unfiltered applicationCount),
// kept on write in the same transaction as the change they count, never computed by reading
// the applications:
//
//   - BANKCOUNT / STATUS#<status>#<shard>   applications now in status (n, ADD)
//   - BANKCOUNT / MONTH#<YYYY-MM>#<shard>   applications created in the UTC month (n, ADD):
//     which gsi4 months exist, and whole months an unfiltered offset skips
//
// shard = FNV-1a(application id) mod bankShards: concurrent changes of different
// applications mostly touch different counter items, so their transactions rarely conflict.
// Reading them: Query pk = BANKCOUNT AND begins_with(sk, "STATUS#" | "MONTH#"), at most
// bankShards items per status or month.
//
// Contract with Save's callers: a status change comes with its history entry (A6), whose
// From and To move the counters.
const bankShards = 16

func bankShard(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % bankShards)
}

func (s *Store) bankCount(sk string, n int64) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{TableName: aws.String(s.Table),
		Key:                       dynamo.Item{"pk": dynamo.S("BANKCOUNT"), "sk": dynamo.S(sk)},
		UpdateExpression:          aws.String("SET #type = :type ADD n :n"),
		ExpressionAttributeNames:  map[string]string{"#type": "type"},
		ExpressionAttributeValues: dynamo.Item{":type": dynamo.S("bankcount"), ":n": dynamo.N(n)},
	}}
}

// bankCreateCounts are Create's additions: one more application of its month and status.
func (s *Store) bankCreateCounts(a applications.Application) []types.TransactWriteItem {
	shard := bankShard(a.ID)
	return []types.TransactWriteItem{
		s.bankCount(fmt.Sprintf("MONTH#%s#%02d", bankMonth(a), shard), 1),
		s.bankCount(fmt.Sprintf("STATUS#%s#%02d", a.Status, shard), 1),
	}
}

// bankMoveCounts are Save's: h moves a from h.From to h.To (nothing when the status stays).
func (s *Store) bankMoveCounts(a applications.Application, h *applications.HistoryEntry) []types.TransactWriteItem {
	if h == nil || h.From == "" || h.From == h.To {
		return nil
	}
	shard := bankShard(a.ID)
	return []types.TransactWriteItem{
		s.bankCount(fmt.Sprintf("STATUS#%s#%02d", h.From, shard), -1),
		s.bankCount(fmt.Sprintf("STATUS#%s#%02d", h.To, shard), 1),
	}
}

// AddBankCounts adds to the counters of bulk-loaded applications (MarshalApplication):
// n applications created in month (YYYY-MM) in status, on shard 0.
func (s *Store) AddBankCounts(ctx context.Context, month, status string, n int64) error {
	for _, sk := range []string{fmt.Sprintf("MONTH#%s#00", month), fmt.Sprintf("STATUS#%s#00", status)} {
		u := s.bankCount(sk, n).Update
		if _, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression,
			ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues}); err != nil {
			return dynamo.Wrap("add bank counts", err)
		}
	}
	return nil
}

// bankCounts sums the counters of one kind ("STATUS" or "MONTH") by status or month.
func (s *Store) bankCounts(ctx context.Context, kind string) (map[string]int64, error) {
	out := map[string]int64{}
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :kind)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("BANKCOUNT"), ":kind": dynamo.S(kind + "#")},
	}, "query bank counts", func(it dynamo.Item) error {
		rest := strings.TrimPrefix(dynamo.GetS(it, "sk"), kind+"#")
		name := rest[:strings.LastIndexByte(rest, '#')]
		out[name] += dynamo.GetN(it, "n")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BankStatusCounts returns how many applications each status holds (seed 004 statusCount):
// at most bankShards items per status read.
func (s *Store) BankStatusCounts(ctx context.Context) (map[string]int64, error) {
	return s.bankCounts(ctx, "STATUS")
}
