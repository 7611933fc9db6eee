package applicationsdb

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/dynamo"
)

// The bank's indexes over every organisation's applications (issue 5, seed 004
// applicationList, E2). Each projects only the attributes the bank's filters test
// (bankProjection), so walking an index to skip an offset or to count reads ~300 bytes per
// application, and a page's items come by BatchGetItem from the table:
//
//   - gsi4 "BANKAPPS#<YYYY-MM>" / "<createdAt>#<id>": every application by creation time,
//     sharded by the UTC month of createdAt so that no partition takes every write; newest
//     first walks the months that have applications (the month counters, bankcounts.go)
//   - gsi5 "BANKSTATUS#<status>" / "<createdAt>#<id>": by status, so statusid filters are
//     key conditions (one partition per status, merged newest first)
//   - gsi6 "BANKINN" / "<inn>#<id>": INN prefix search; sparse (drafts without an INN)
//   - gsi7 "BANKNAME" / "<lower short name>#<id>": short-name prefix search; sparse
//
// gsi6 and gsi7 have one partition key each: the bank's whole write rate of applications
// (far below a partition's 1 000 writes a second) goes to each; a prefix search needs the
// keys in one order.
//
// The filter attributes, top-level on the application item so that index filter
// expressions can test them: bkTaker (Bank.TakerID), bkSigners (string set of
// Bank.Signers), bkOffice (Office.OfficeID), bkClosed and bkLife (Bank.ClosedAt and
// Bank.LifeDate, UTC fixed width); each absent when empty.
const (
	bankAppsIndex   = "gsi4"
	bankStatusIndex = "gsi5"
	bankINNIndex    = "gsi6"
	bankNameIndex   = "gsi7"
)

// bankProjection is the INCLUDE projection of gsi4–gsi7 (template.yaml must list the same).
var bankProjection = []string{"status", "createdAt", "bkTaker", "bkSigners", "bkOffice", "bkClosed", "bkLife"}

// bankMonth is the gsi4 shard of a creation time.
func bankMonth(a applications.Application) string { return a.CreatedAt.UTC().Format("2006-01") }

// bankIndexKeys are the index keys and filter attributes written with every application item.
func bankIndexKeys(a applications.Application) dynamo.Item {
	sk := dynamo.S(dynamo.Stamp(a.CreatedAt) + "#" + a.ID)
	it := dynamo.Item{
		"gsi4pk": dynamo.S("BANKAPPS#" + bankMonth(a)), "gsi4sk": sk,
		"gsi5pk": dynamo.S("BANKSTATUS#" + a.Status), "gsi5sk": sk,
	}
	if a.Company.INN != "" {
		it["gsi6pk"], it["gsi6sk"] = dynamo.S("BANKINN"), dynamo.S(a.Company.INN+"#"+a.ID)
	}
	if n := nameKey(a.Company.ShortName); n != "" {
		it["gsi7pk"], it["gsi7sk"] = dynamo.S("BANKNAME"), dynamo.S(n+"#"+a.ID)
	}
	if a.Bank.TakerID != "" {
		it["bkTaker"] = dynamo.S(a.Bank.TakerID)
	}
	if signers := dedupe(a.Bank.Signers); len(signers) > 0 {
		it["bkSigners"] = &types.AttributeValueMemberSS{Value: signers}
	}
	if a.Office.OfficeID != "" {
		it["bkOffice"] = dynamo.S(a.Office.OfficeID)
	}
	if !a.Bank.ClosedAt.IsZero() {
		it["bkClosed"] = dynamo.S(dynamo.Stamp(a.Bank.ClosedAt))
	}
	if !a.Bank.LifeDate.IsZero() {
		it["bkLife"] = dynamo.S(dynamo.Stamp(a.Bank.LifeDate))
	}
	return it
}

// dedupe drops repeated and empty values: a string set holds each once.
func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// MarshalApplication is the stored item of a (version as given), index keys included: for
// bulk loads that bypass Create (the 100 000-application benchmark), which must then add to
// the bank counters themselves (AddBankCounts).
func MarshalApplication(a applications.Application) (dynamo.Item, error) { return marshalApp(a) }
