package onboardingdb

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kabinet/kabinet/shared/clients/clientsdb"
	"github.com/kabinet/kabinet/shared/onboarding"
)

// funnel is the write that keeps the bank's client report (E10, shared/clients) in step with
// a registration: its phone's funnel row, in the same transaction as the registration itself.
// confirmedAt, userID and orgID are set by the confirmation only.
func funnel(table string, r onboarding.Registration, confirmedAt time.Time, userID, orgID string) types.TransactWriteItem {
	return clientsdb.FunnelWrite(table, clientsdb.Attempt{Phone: r.Phone, FullName: r.FullName, Email: r.Email, Kind: string(r.Kind),
		InputAt: r.CreatedAt, SentAt: r.SentAt, ConfirmedAt: confirmedAt, UserID: userID, OrgID: orgID})
}

// markMonth lists the month of r's row among the report's months, once r's transaction has
// committed (a plain write: every registration touches that one item).
func (s *Store) markMonth(ctx context.Context, r onboarding.Registration) error {
	return clientsdb.MarkMonth(ctx, s.DB, s.Table, r.CreatedAt)
}
