package identitydb

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// The bank's list of agent organisations (issue 5, seed 004 GET /api/agent; shared/declarations
// and the agents' acts name an agent by its organisation id). No Scan: the item of every agent
// organisation (ORG#<id> / ORG) is on gsi1 under one partition,
//
//   - gsi1pk "AGENTORGS", gsi1sk "<lower name>#<id>" (name order), with founderId and
//     founderLogin: the superuser who registered it (A1), whose login never changes,
//
// written by NewAccountPuts with the organisation. Read: Query gsi1 gsi1pk = "AGENTORGS"
// (AgentOrgs). One partition takes every registration: far below its write limit.
const AgentOrgsIndexKey = "AGENTORGS"

// agentIndex adds the list's keys and the founder to the item of org when it is an agent's.
func agentIndex(item dynamo.Item, org identity.Org, founder identity.User) {
	if org.Kind != identity.AgentOrg {
		return
	}
	item["gsi1pk"] = dynamo.S(AgentOrgsIndexKey)
	item["gsi1sk"] = dynamo.S(strings.ToLower(org.Name) + "#" + org.ID)
	item["founderId"] = dynamo.S(founder.ID)
	item["founderLogin"] = dynamo.S(founder.Login)
}

// AgentOrg is an agent organisation as the bank's list has it.
type AgentOrg struct {
	ID, Name, Status string
	FounderID        string // its superuser, who registered it
	FounderLogin     string
	CreatedAt        time.Time
}

func agentOrg(it dynamo.Item) AgentOrg {
	return AgentOrg{ID: dynamo.GetS(it, "id"), Name: dynamo.GetS(it, "name"), Status: dynamo.GetS(it, "status"),
		FounderID: dynamo.GetS(it, "founderId"), FounderLogin: dynamo.GetS(it, "founderLogin"),
		CreatedAt: dynamo.FromEpochSeconds(dynamo.GetN(it, "createdAt"))}
}

// AgentOrgs returns the agent organisations in name order, at most max of them (more reports
// truncated true).
func (s *Store) AgentOrgs(ctx context.Context, max int) (orgs []AgentOrg, truncated bool, err error) {
	p := dynamodb.NewQueryPaginator(s.DB, &dynamodb.QueryInput{
		TableName: aws.String(s.Table), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: dynamo.Item{":pk": dynamo.S(AgentOrgsIndexKey)},
		ProjectionExpression:      aws.String("id, #name, #status, founderId, founderLogin, createdAt"),
		ExpressionAttributeNames:  map[string]string{"#name": "name", "#status": "status"},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, false, dynamo.Wrap("query agent organisations", err)
		}
		for _, it := range page.Items {
			if len(orgs) == max {
				return orgs, true, nil
			}
			orgs = append(orgs, agentOrg(it))
		}
	}
	return orgs, false, nil
}

// AgentOrgsByID reads agent organisations by id (BatchGetItem of ORG#<id> / ORG, 100 a call);
// ids without an item are left out.
func (s *Store) AgentOrgsByID(ctx context.Context, ids []string) (map[string]AgentOrg, error) {
	out := map[string]AgentOrg{}
	for i := 0; i < len(ids); i += 100 {
		var keys []dynamo.Item
		for _, id := range ids[i:min(i+100, len(ids))] {
			keys = append(keys, OrgKey(id))
		}
		req := map[string]types.KeysAndAttributes{s.Table: {Keys: keys}}
		for len(req) > 0 {
			res, err := s.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, dynamo.Wrap("get organisations", err)
			}
			for _, it := range res.Responses[s.Table] {
				o := agentOrg(it)
				out[o.ID] = o
			}
			req = res.UnprocessedKeys
		}
	}
	return out, nil
}
