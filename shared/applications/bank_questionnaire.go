package applications

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/kabinet/kabinet/shared/platform/apperr"
)

// Limits of a questionnaire (the same as the agent's draft).
const (
	MaxQuestionnaireAnswers = 100
	MaxQuestionnaireKey     = 100
	MaxQuestionnaireValue   = 4000
)

// BankQuestionnaire returns any application for the bank's questionnaire (E8): its answers and
// version.
func (s *Service) BankQuestionnaire(ctx context.Context, id string) (Application, error) {
	if _, err := ulid.ParseStrict(id); err != nil {
		return Application{}, errNotFound
	}
	app, err := s.Store.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Application{}, errNotFound
	}
	return app, err
}

// BankSetQuestionnaire replaces the questionnaire answers of any application not yet final,
// for a bank user (E8; seed 004 updateQuestionnaire), when version is the application's
// current one: 409 otherwise (optimistic locking), 409 too once the application is opened,
// rejected or annulled. No history entry: the status does not change.
func (s *Service) BankSetQuestionnaire(ctx context.Context, bankUserID, id string, version int64, answers map[string]string) (Application, error) {
	q := make(map[string]string, len(answers))
	f := apperr.Fields{}
	f.Check(len(answers) <= MaxQuestionnaireAnswers, "questionnaire", "at most 100 answers")
	for k, v := range answers {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" || utf8.RuneCountInString(k) > MaxQuestionnaireKey {
			f.Add("questionnaire", "keys must be 1 to 100 characters")
		} else if utf8.RuneCountInString(v) > MaxQuestionnaireValue {
			f.Add("questionnaire."+k, "must be at most 4000 characters")
		}
		q[k] = v
	}
	if err := f.Err(); err != nil {
		return Application{}, err
	}
	app, err := s.BankQuestionnaire(ctx, id)
	if err != nil {
		return Application{}, err
	}
	switch {
	case app.Version != version:
		return Application{}, apperr.New(apperr.Conflict, "the application was changed since it was read: read it again")
	case app.Status == StatusAccountOpened || app.Status == StatusRejected || app.Status == StatusAnnulled:
		return Application{}, apperr.Newf(apperr.Conflict, "the questionnaire of an application that is %s cannot change", app.Status)
	}
	app.Questionnaire, app.UpdatedAt, app.Version = q, s.now(), app.Version+1
	if err := s.Store.Save(ctx, app, nil, nil, nil); errors.Is(err, ErrStale) {
		return Application{}, apperr.New(apperr.Conflict, "the application was changed since it was read: read it again")
	} else if err != nil {
		return Application{}, err
	}
	return app, nil
}
