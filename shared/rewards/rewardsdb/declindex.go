package rewardsdb

import (
	"github.com/kabinet/kabinet/shared/platform/dynamo"
	"github.com/kabinet/kabinet/shared/rewards"
)

// The bank's open declarations (issue 5, seed 004 activeDeclarations; shared/declarations): a
// reward accrued for an opened account is the agent's claim the bank has to settle. The reward
// item APP#<appId> / REWARD is written (AccrualWrites) on the ApplicationsTable's gsi1 with
//
//   - gsi1pk "BANKDECL#OPEN", gsi1sk "<accruedAt>#<appId>" (accruedAt UTC fixed width, so newest
//     first is ScanIndexForward=false)
//
// and stays there until the bank closes the declaration: shared/declarations/declarationsdb
// removes the two keys (and puts them back when it reopens one) in the transaction that saves
// the declaration. The index is sparse: it holds only what is still open, never the years of
// settled rewards. gsi1 projects ALL, so a Query returns whole reward items.
const OpenDeclarationsPK = "BANKDECL#OPEN"

// OpenDeclarationKeys are the gsi1 keys of an open declaration of application appID whose
// reward was accrued at accruedAt (dynamo.StampLayout).
func OpenDeclarationKeys(appID, accruedAt string) dynamo.Item {
	return dynamo.Item{"gsi1pk": dynamo.S(OpenDeclarationsPK), "gsi1sk": dynamo.S(accruedAt + "#" + appID)}
}

// RewardKey is the key of the reward item of an application.
func RewardKey(applicationID string) dynamo.Item { return rewardKey(applicationID) }

// UnmarshalReward reads a reward item (of the table or of the open declarations' index).
func UnmarshalReward(raw dynamo.Item) (rewards.Reward, error) { return unmarshalReward(raw) }
