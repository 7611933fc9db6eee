package bankdocs

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/appdocs"
	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Service is the bank's document work on applications.
type Service struct {
	Docs      *appdocs.Service // the documents and their types (Bank* methods)
	Finder    Finder
	Store     Store
	Apps      Questionnaires       // any application, for the bank
	AgentApps appdocs.Applications // the agent's view (applications.Service.Get), for the client API
	Objects   Objects              // generic binary objects, downloaded like documents
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var (
	errDocNotFound = apperr.New(apperr.NotFound, "document not found")
	errReqNotFound = apperr.New(apperr.NotFound, "document request not found")
	errFulfilled   = apperr.New(apperr.Conflict, "Один из запросов доп. документов был выполнен, запрос на отзыв не исполнен: a requested document was already uploaded, nothing was recalled")
	errChanged     = apperr.New(apperr.Conflict, "the document's verification changed meanwhile: read it again")
)

// final tells whether an application's status ends its life (no more document work).
func final(status string) bool {
	return status == applications.StatusAccountOpened || status == applications.StatusRejected || status == applications.StatusAnnulled
}

// LegalEntityType is the seed's legalentitytype of an application's company: an INN of 12
// digits is an individual entrepreneur's.
func LegalEntityType(app applications.Application) string {
	if len(app.Company.INN) == 12 {
		return "INDIVIDUAL_ENTREPRENEUR"
	}
	return "LEGAL_ENTITY"
}

// --- Extra-document requests (E6) ---

// CreateRequest asks the agent for a document of an agent-visible type (createDocRequirement):
// 400 for another type, 409 once the application is final or has MaxRequests requests.
func (s *Service) CreateRequest(ctx context.Context, bankUserID, applicationID string, typeID int64, comment string) (Request, error) {
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 2000 {
		return Request{}, apperr.InvalidField("comment", "must be at most 2000 characters")
	}
	app, err := s.Apps.BankQuestionnaire(ctx, applicationID)
	if err != nil {
		return Request{}, err
	}
	if final(app.Status) {
		return Request{}, apperr.Newf(apperr.Conflict, "documents cannot be requested for an application that is %s", app.Status)
	}
	l, err := s.Docs.TypeList(ctx)
	if err != nil {
		return Request{}, err
	}
	i := slices.IndexFunc(l.Types, func(t appdocs.DocumentType) bool { return t.ID == typeID && t.ForAgents() })
	if i < 0 {
		return Request{}, apperr.InvalidField("typeId", "must be a document type agents upload (lka, not deleted): see GET /v1/document-types")
	}
	existing, err := s.Store.Requests(ctx, app.ID)
	if err != nil {
		return Request{}, err
	}
	if len(existing) >= MaxRequests {
		return Request{}, apperr.Newf(apperr.Conflict, "an application has at most %d document requests", MaxRequests)
	}
	q := Request{ID: ulid.Make().String(), ApplicationID: app.ID, TypeID: typeID, TypeName: l.Types[i].Name, Comment: comment,
		Status: RequestOpen, RequestedBy: bankUserID, RequestedAt: s.now()}
	if err := s.Store.CreateRequest(ctx, q); err != nil {
		return Request{}, err
	}
	return q, nil
}

// Requests returns every request of an application, oldest first (404 for none such).
func (s *Service) Requests(ctx context.Context, applicationID string) ([]Request, error) {
	app, err := s.Apps.BankQuestionnaire(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	return s.Store.Requests(ctx, app.ID)
}

// AgentRequests returns the open requests of an application the agent sees (another
// organisation's or one outside the caller's scope is a 404).
func (s *Service) AgentRequests(ctx context.Context, a applications.Actor, applicationID string) ([]Request, error) {
	app, err := s.AgentApps.Get(ctx, a, applicationID)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Requests(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	out := []Request{}
	for _, q := range all {
		if q.Status == RequestOpen {
			out = append(out, q)
		}
	}
	return out, nil
}

// Uploaded is appdocs' hook: an agent's document of a requested type fulfils the oldest open
// request of that type. A failure is logged; the bank still sees the document. It needs only
// Store (shared/appdocs/wire builds it so).
func (s *Service) Uploaded(ctx context.Context, d appdocs.Document) {
	all, err := s.Store.Requests(ctx, d.ApplicationID)
	if err != nil {
		slog.WarnContext(ctx, "document requests not read", "applicationId", d.ApplicationID, "error", err.Error())
		return
	}
	for _, q := range all {
		if q.Status != RequestOpen || q.TypeID != d.TypeID {
			continue
		}
		err := s.Store.Fulfil(ctx, d.ApplicationID, q.ID, d.ID, s.now())
		if errors.Is(err, ErrStale) {
			continue // recalled or fulfilled meanwhile: the next one
		}
		if err != nil {
			slog.WarnContext(ctx, "document request not fulfilled", "applicationId", d.ApplicationID, "requestId", q.ID, "error", err.Error())
		}
		return
	}
}

// Recall withdraws requests (seed 004 recalled): all or none; 409 when one was fulfilled,
// 404 when one is not the application's.
func (s *Service) Recall(ctx context.Context, bankUserID, applicationID string, ids []string) error {
	if len(ids) == 0 || len(ids) > MaxRequests {
		return apperr.InvalidField("ids", "must list 1 to 100 request ids")
	}
	app, err := s.Apps.BankQuestionnaire(ctx, applicationID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var uniq []string
	for _, id := range ids {
		if _, err := ulid.ParseStrict(id); err != nil {
			return errReqNotFound
		}
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	switch err := s.Store.Recall(ctx, app.ID, uniq, bankUserID, s.now()); {
	case errors.Is(err, ErrFulfilled):
		return errFulfilled
	case errors.Is(err, ErrNotFound):
		return errReqNotFound
	default:
		return err
	}
}

// --- Documents (E6) ---

// TypeGroup is the documents of one type (getClientDocuments, getFieldDocuments).
type TypeGroup struct {
	Type appdocs.DocumentType
	Docs []Listed
}

// Listed is a document with its verification.
type Listed struct {
	appdocs.Document
	Verification Verification
}

// Documents returns an application's uploaded documents, the agent's (bank false: clientdocs)
// or the bank's (fielddocs), grouped by type in the types' order, with their verifications.
func (s *Service) Documents(ctx context.Context, applicationID string, bank bool) ([]TypeGroup, error) {
	docs, err := s.Docs.BankList(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	checks, err := s.Store.Verifications(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	l, err := s.Docs.TypeList(ctx)
	if err != nil {
		return nil, err
	}
	types := map[int64]appdocs.DocumentType{}
	for _, t := range l.Types {
		types[t.ID] = t
	}
	groups := map[int64]*TypeGroup{}
	var order []int64
	for _, d := range docs {
		if d.ByBank != bank {
			continue
		}
		g := groups[d.TypeID]
		if g == nil {
			t, ok := types[d.TypeID]
			if !ok { // a type the bank removed, or the print forms
				t = appdocs.DocumentType{ID: d.TypeID, Name: d.TypeName, OrderNum: 1 << 30}
			}
			g = &TypeGroup{Type: t}
			groups[d.TypeID] = g
			order = append(order, d.TypeID)
		}
		v := checks[d.ID]
		v.ApplicationID, v.DocumentID = d.ApplicationID, d.ID
		g.Docs = append(g.Docs, Listed{Document: d, Verification: v})
	}
	out := make([]TypeGroup, 0, len(order))
	for _, id := range order {
		out = append(out, *groups[id])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Type.OrderNum < out[j].Type.OrderNum })
	return out, nil
}

// UploadTypes returns the types a bank user may upload to the application (fieldDocumentTypes):
// not deleted, of the company's legalentitytype, by orderNum.
func (s *Service) UploadTypes(ctx context.Context, applicationID string) ([]appdocs.DocumentType, error) {
	app, err := s.Apps.BankQuestionnaire(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	l, err := s.Docs.TypeList(ctx)
	if err != nil {
		return nil, err
	}
	le := LegalEntityType(app)
	out := []appdocs.DocumentType{}
	for _, t := range l.Types {
		if !t.Deleted && t.LegalEntityType == le {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].OrderNum < out[j].OrderNum })
	return out, nil
}

// Download returns a short-lived link to any uploaded document by its id alone.
func (s *Service) Download(ctx context.Context, documentID string) (appdocs.Document, appdocs.Download, error) {
	if _, err := ulid.ParseStrict(documentID); err != nil {
		return appdocs.Document{}, appdocs.Download{}, errDocNotFound
	}
	d, err := s.Finder.ByID(ctx, documentID)
	if errors.Is(err, appdocs.ErrNotFound) {
		return appdocs.Document{}, appdocs.Download{}, errDocNotFound
	} else if err != nil {
		return appdocs.Document{}, appdocs.Download{}, err
	}
	dl, err := s.Docs.BankDownload(ctx, d.ApplicationID, d.ID)
	return d, dl, err
}

// uploadedDoc returns an uploaded document of the application.
func (s *Service) uploadedDoc(ctx context.Context, applicationID, documentID string) (appdocs.Document, error) {
	docs, err := s.Docs.BankList(ctx, applicationID)
	if err != nil {
		return appdocs.Document{}, err
	}
	for _, d := range docs {
		if d.ID == documentID {
			return d, nil
		}
	}
	return appdocs.Document{}, errDocNotFound
}

// Verify records a bank user's check of a document (setVerify: result true = verified, false =
// not), keeping the history; it returns the verification.
func (s *Service) Verify(ctx context.Context, bankUserID, applicationID, documentID string, result bool, comment string) (Verification, error) {
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 2000 {
		return Verification{}, apperr.InvalidField("comment", "must be at most 2000 characters")
	}
	d, err := s.uploadedDoc(ctx, applicationID, documentID)
	if err != nil {
		return Verification{}, err
	}
	all, err := s.Store.Verifications(ctx, d.ApplicationID)
	if err != nil {
		return Verification{}, err
	}
	v := all[d.ID]
	v.ApplicationID, v.DocumentID = d.ApplicationID, d.ID
	v.History = append(v.History, Check{Result: result, Comment: comment, By: bankUserID, At: s.now()})
	if len(v.History) > MaxChecks {
		v.History = v.History[len(v.History)-MaxChecks:]
	}
	v.Version++
	if err := s.Store.SaveVerification(ctx, v); errors.Is(err, ErrStale) {
		return Verification{}, errChanged
	} else if err != nil {
		return Verification{}, err
	}
	return v, nil
}

// Delete removes a document of the application (deleteAppDoc) and its verification.
func (s *Service) Delete(ctx context.Context, applicationID, documentID string) error {
	if err := s.Docs.BankDelete(ctx, applicationID, documentID); err != nil {
		return err
	}
	return s.Store.DeleteVerification(ctx, applicationID, documentID)
}

// --- Print forms (E7) ---

// GenerateForms renders the bank's print forms of an application (the account-opening
// application form and the questionnaire) and keeps them as bank documents, replacing earlier
// ones.
func (s *Service) GenerateForms(ctx context.Context, bankUserID, applicationID string) ([]appdocs.Document, error) {
	app, err := s.Apps.BankQuestionnaire(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []appdocs.Document
	for _, f := range Forms {
		pdf, err := f.Render(app, now, true)
		if err != nil {
			return nil, err
		}
		d, err := s.Docs.BankStoreForm(ctx, bankUserID, app.ID, f.FileName, pdf)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
