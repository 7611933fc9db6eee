// Package checksdb stores what the bank's staff add to the ABS's checks (seed 004 E9: manual
// results and comments) in the applications table (APPLICATIONS_TABLE; keys pk/sk). The checks
// themselves — one item per ABS call with InitialCheck's _notes4staff — are reviewdb's
// APP#<id> / CHECK#<kind>#<at> items; the staff's additions live in their own items, so a
// replayed ABS outcome rewriting a CHECK# item never loses them.
//
// Items (<at> is the run's stamp, dynamo.StampLayout, as in the CHECK# item's key; <check> the
// check's number within the run, 1, 2, …):
//   - APP#<id> / CHECKNOTE#<at>#<check>#RESULT   the manual result of one check: result
//     ("passed" / "failed"), check (its «Тип Проверки» when set, for the record), by, byName,
//     at. The latest wins (PutItem)
//   - APP#<id> / CHECKNOTE#<at>#<check>#COMMENT#<ulid>   one comment: content (at most 2000
//     characters), check, by, byName, at; put with attribute_not_exists, never changed
//
// Access patterns:
//   - set a manual result: PutItem APP#<id> / CHECKNOTE#<at>#<check>#RESULT
//   - add a comment: PutItem APP#<id> / CHECKNOTE#<at>#<check>#COMMENT#<ulid> (new)
//   - everything the staff added to an application's checks: Query pk = APP#<id> AND
//     begins_with(sk, "CHECKNOTE#"), every page (the application's check runs are read with
//     reviewdb's Query pk = APP#<id> AND begins_with(sk, "CHECK#"), which "CHECKNOTE#" does not
//     match)
package checksdb

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/checks"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// Store implements checks.Store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ checks.Store = (*Store)(nil)

const prefix = "CHECKNOTE#"

func sk(m checks.Mark) string {
	s := prefix + m.Run + "#" + m.Check + "#"
	if m.Comment {
		return s + "COMMENT#" + m.ID
	}
	return s + "RESULT"
}

// PutMark writes a manual result (replacing the previous one) or a new comment.
func (s *Store) PutMark(ctx context.Context, applicationID string, m checks.Mark) error {
	it := dynamo.Item{
		"pk": dynamo.S("APP#" + applicationID), "sk": dynamo.S(sk(m)),
		"type": dynamo.S("checknote"), "check": dynamo.S(m.CheckType),
		"by": dynamo.S(m.By), "byName": dynamo.S(m.ByName), "at": dynamo.S(dynamo.Stamp(m.At)),
	}
	if m.Comment {
		it["content"] = dynamo.S(m.Content)
		return dynamo.Wrap("add a check comment", dynamo.PutNew(ctx, s.DB, s.Table, it))
	}
	it["result"] = dynamo.S(m.Result)
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: it})
	return dynamo.Wrap("set a check result", err)
}

// Marks reads every manual result and comment of an application's checks, in key order
// (comments of one check oldest first: their ULIDs sort by time).
func (s *Store) Marks(ctx context.Context, applicationID string) ([]checks.Mark, error) {
	var out []checks.Mark
	err := dynamo.QueryAll(ctx, s.DB, &dynamodb.QueryInput{TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S("APP#" + applicationID), ":p": dynamo.S(prefix)}},
		"read check notes", func(it dynamo.Item) error {
			if m, ok := parse(it); ok {
				out = append(out, m)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parse reads an item; its key gives the run, check and kind: CHECKNOTE#<at>#<check>#RESULT or
// CHECKNOTE#<at>#<check>#COMMENT#<ulid> (the stamp holds no "#").
func parse(it dynamo.Item) (checks.Mark, bool) {
	parts := strings.Split(strings.TrimPrefix(dynamo.GetS(it, "sk"), prefix), "#")
	if len(parts) < 3 {
		return checks.Mark{}, false
	}
	m := checks.Mark{Run: parts[0], Check: parts[1], CheckType: dynamo.GetS(it, "check"), By: dynamo.GetS(it, "by"),
		ByName: dynamo.GetS(it, "byName"), At: dynamo.Unstamp(dynamo.GetS(it, "at"))}
	switch {
	case parts[2] == "RESULT" && len(parts) == 3:
		m.Result = dynamo.GetS(it, "result")
	case parts[2] == "COMMENT" && len(parts) == 4:
		m.Comment, m.ID, m.Content = true, parts[3], dynamo.GetS(it, "content")
	default:
		return checks.Mark{}, false
	}
	return m, true
}
