package applications

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/identity"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// The agent API (A12, seed 000 "Создать/редактировать заявку"): an agent's own system creates
// and edits applications with an app-id / shared-key pair (HTTP Basic). The seed's body is
// flat; Modify maps it onto the application's sections.

// KeyOwners tells which user made an agent API credential: the key acts as that user unless
// the call names another agent of the organisation.
type KeyOwners interface {
	KeyOwner(ctx context.Context, appID string) (userID string, err error)
}

// Places resolves the departments directory's ids (A12) into the names an application shows;
// ok is false when the directory has no such city, or no such office (in that city).
type Places interface {
	Place(ctx context.Context, cityID, officeID string) (office Office, ok bool, err error)
}

// Modification is the seed's body; a nil field is not sent.
type Modification struct {
	DocumentID string // "" creates; otherwise the application's number (or id) to update
	AgentID    string // the user the application is for: "" is the key's owner
	INN        *string
	KPP        *string
	Company    *string
	FullName   *string
	Phone      *string
	CityID     *string
	OfficeID   *string
	Email      *string
	Comment    *string
}

// seedFields are the seed's names of the fields validate reports, so that errors point at
// what the agent system sent.
var seedFields = map[string]string{
	"company.inn": "tin", "company.kpp": "crr", "company.shortName": "company",
	"contact.fullName": "fullName", "contact.phone": "phone", "contact.email": "email",
	"office.idCity": "idCity", "office.idOffice": "idOffice", "comment": "comment",
}

// Modify creates an application (DocumentID "") or updates one of the organisation's that is
// still editable, for the agent API credential appID of organisation orgID. created tells
// which happened.
func (s *Service) Modify(ctx context.Context, orgID, appID string, m Modification) (app Application, created bool, err error) {
	if s.KeyOwners == nil || s.Places == nil {
		return Application{}, false, errors.New("applications: agent API needs KeyOwners and Places")
	}
	agent, err := s.agent(ctx, orgID, appID, m.AgentID)
	if err != nil {
		return Application{}, false, err
	}
	if m.DocumentID == "" {
		var d Draft
		if err := s.modification(ctx, &Application{}, m, &d); err != nil {
			return Application{}, false, err
		}
		app, err := s.create(ctx, agent, d)
		return app, true, seedNames(err)
	}
	app, err = s.byDocumentID(ctx, orgID, m.DocumentID)
	if err != nil {
		return Application{}, false, err
	}
	if m.AgentID != "" && app.CreatedBy != agent.ID {
		return Application{}, false, apperr.New(apperr.NotFound, "no application with this documentId for this agent")
	}
	if !Editable(app.Status) {
		return Application{}, false, apperr.Newf(apperr.Conflict, "an application in status %s cannot be edited", app.Status)
	}
	var d Draft
	if err := s.modification(ctx, &app, m, &d); err != nil {
		return Application{}, false, err
	}
	apply(&app, d)
	if err := validate(app, false); err != nil {
		return Application{}, false, seedNames(err)
	}
	app.UpdatedAt = s.now()
	app, err = s.save(ctx, app, nil, nil)
	return app, false, err
}

// agent is the user the call acts for: the key's owner, or agentID of the same organisation.
// Either must be active.
func (s *Service) agent(ctx context.Context, orgID, appID, agentID string) (identity.User, error) {
	if agentID == "" {
		owner, err := s.KeyOwners.KeyOwner(ctx, appID)
		if err != nil {
			return identity.User{}, fmt.Errorf("read key owner: %w", err)
		}
		u, err := s.Users.User(ctx, owner)
		if err != nil {
			return identity.User{}, fmt.Errorf("read key owner: %w", err)
		}
		if u.OrgID != orgID || u.Status != identity.StatusActive {
			return identity.User{}, apperr.New(apperr.Forbidden, "the user who made this API key is no longer active: make a new key, or name an active agent in agentId")
		}
		return u, nil
	}
	noAgent := apperr.InvalidField("agentId", "no active agent with this id in your organisation")
	if _, err := ulid.ParseStrict(agentID); err != nil {
		return identity.User{}, noAgent
	}
	u, err := s.Users.User(ctx, agentID)
	if errors.Is(err, identity.ErrNotFound) {
		return identity.User{}, noAgent
	}
	if err != nil {
		return identity.User{}, fmt.Errorf("read agent: %w", err)
	}
	if u.OrgID != orgID || u.Status != identity.StatusActive {
		return identity.User{}, noAgent
	}
	return u, nil
}

// byDocumentID finds the organisation's application by its number or its id; anything else
// is "not found".
func (s *Service) byDocumentID(ctx context.Context, orgID, documentID string) (Application, error) {
	notFound := apperr.New(apperr.NotFound, "no application with this documentId")
	var app Application
	var err error
	if n, perr := strconv.ParseInt(documentID, 10, 64); perr == nil {
		if n < 1 {
			return Application{}, notFound
		}
		app, err = s.Store.ByNumber(ctx, orgID, n)
	} else if _, perr := ulid.ParseStrict(documentID); perr == nil {
		app, err = s.Store.Get(ctx, documentID)
	} else {
		return Application{}, notFound
	}
	if errors.Is(err, ErrNotFound) || (err == nil && app.OrgID != orgID) {
		return Application{}, notFound
	}
	return app, err
}

// modification turns the flat fields of m into sections of d, starting from app's.
func (s *Service) modification(ctx context.Context, app *Application, m Modification, d *Draft) error {
	set := func(dst *string, src *string) bool {
		if src != nil {
			*dst = *src
		}
		return src != nil
	}
	c := app.Company
	if a, b, e := set(&c.INN, m.INN), set(&c.KPP, m.KPP), set(&c.ShortName, m.Company); a || b || e {
		d.Company = &c
	}
	ct := app.Contact
	if a, b, e := set(&ct.FullName, m.FullName), set(&ct.Phone, m.Phone), set(&ct.Email, m.Email); a || b || e {
		d.Contact = &ct
	}
	d.Comment = m.Comment
	if m.CityID == nil && m.OfficeID == nil {
		return nil
	}
	cityID, officeID := app.Office.CityID, app.Office.OfficeID
	set(&cityID, m.CityID)
	set(&officeID, m.OfficeID)
	if m.CityID != nil && m.OfficeID == nil && cityID != app.Office.CityID {
		officeID = "" // another city: the old office is not in it
	}
	cityID, officeID = strings.TrimSpace(cityID), strings.TrimSpace(officeID)
	if cityID == "" && officeID == "" {
		d.Office = &Office{}
		return nil
	}
	o, ok, err := s.Places.Place(ctx, cityID, officeID)
	if err != nil {
		return fmt.Errorf("resolve office: %w", err)
	}
	if !ok {
		f := apperr.Fields{}
		if officeID != "" {
			f.Add("idOffice", "no such office in the directory (GET /api/voz/departments/get)"+map[bool]string{true: " in this city", false: ""}[cityID != ""])
		} else {
			f.Add("idCity", "no such city in the directory (GET /api/voz/departments/get)")
		}
		return f.Err()
	}
	d.Office = &o
	return nil
}

// seedNames renames validation fields to the seed's names.
func seedNames(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		if n, ok := seedFields[k]; ok {
			k = n
		}
		fields[k] = v
	}
	return apperr.Invalid(fields)
}
