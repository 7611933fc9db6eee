package applicationsdb

import (
	"context"
	"log/slog"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/clients/clientsdb"
)

// writeClients keeps the bank's clients (E10, shared/clients) in step with the application
// once its write has committed: the client of its INN and its organisation's INNs (items and
// access patterns: clientsdb). Not in the application's transaction: those items are shared by
// every application of the INN or the organisation, and two transactions touching one item at
// once cancel each other. A failure is logged, not returned (the application is saved); the
// next write of the application writes them again.
func (s *Store) writeClients(ctx context.Context, a applications.Application) {
	at := a.UpdatedAt
	if at.IsZero() {
		at = a.CreatedAt
	}
	err := clientsdb.WriteApplication(ctx, s.DB, s.Table, clientsdb.Seen{OrgID: a.OrgID, ApplicationID: a.ID,
		INN: a.Company.INN, KPP: a.Company.KPP, OGRN: a.Company.OGRN, ShortName: a.Company.ShortName, FullName: a.Company.FullName,
		Address: a.Company.RegAddress, ContactFIO: a.Contact.FullName, Phone: a.Contact.Phone, Email: a.Contact.Email,
		ABSClientID: a.Bank.ABSClientID, At: at})
	if err != nil {
		slog.ErrorContext(ctx, "bank's client not updated", "applicationId", a.ID, "error", err.Error())
	}
}
