package wire

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kabinet/kabinet/shared/apikeys"
	"github.com/kabinet/kabinet/shared/apikeys/apikeysdb"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/departments"
	"github.com/kabinet/kabinet/shared/departments/departmentsdb"
	"github.com/kabinet/kabinet/shared/platform/awsclient"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
)

// agentAPIRoute is the seed 000 agent API call (A12) on the partner API: HTTP Basic with an
// agent credential (app-id:shared-key). A retried create runs once (Idempotency-Key).
func agentAPIRoute() httpapi.Route {
	return httpapi.Route{API: httpapi.Partner, Method: "POST", Path: "/api/voz/agentapi/document/modification",
		Function: "applications/agent-document-modification", Auth: httpapi.AgentKey,
		Example:    `{"tin":"7707083893","crr":"773601001","company":"ПАО Сбербанк","fullName":"Иванов Иван Иванович","phone":"70010020304","idOffice":"77-001-01","idCity":"77-001","email":"ivanov@example.ru","comment":"Клиент просит позвонить после 15:00","documentId":null,"agentId":null}`,
		Idempotent: true, Idempotency: idempotencyStore, MaxBody: maxBody,
		Build: func(ctx context.Context) (httpapi.Handler, error) {
			svc, err := Service(ctx)
			if err != nil {
				return nil, err
			}
			var cfg Config
			aws, err := awsclient.Load(ctx, &cfg)
			if err != nil {
				return nil, err
			}
			db := dynamodb.NewFromConfig(aws)
			svc.KeyOwners = keyOwners{&apikeysdb.Store{DB: db, Table: cfg.IdentityTable}}
			svc.Places = places{&departments.Service{Store: &departmentsdb.Store{DB: db, Table: cfg.ApplicationsTable}}}
			return (&applications.HTTP{Service: svc}).Modification, nil
		}}
}

// keyOwners reads who made an agent credential (apikeys.Credential.CreatedBy).
type keyOwners struct{ store *apikeysdb.Store }

func (k keyOwners) KeyOwner(ctx context.Context, appID string) (string, error) {
	c, err := k.store.Credential(ctx, apikeys.Agent, appID)
	if err != nil {
		return "", fmt.Errorf("agent credential %s: %w", appID, err)
	}
	return c.CreatedBy, nil
}

// places resolves the departments directory's city and office ids (A12).
type places struct{ dir *departments.Service }

func (p places) Place(ctx context.Context, cityID, officeID string) (applications.Office, bool, error) {
	d, err := p.dir.Get(ctx)
	if err != nil {
		return applications.Office{}, false, err
	}
	c, o, ok := d.Locate(cityID, officeID)
	if !ok {
		return applications.Office{}, false, nil
	}
	return applications.Office{City: c.Name, Office: o.Name, CityID: c.ID, OfficeID: o.ID}, true, nil
}
