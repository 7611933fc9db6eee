package reports

import (
	"strings"

	"github.com/kabinet/kabinet/shared/applications"
)

// Column is one column an agent may tick (A9): its id in requests, its title in the file's
// header, and how it reads an application. A value is a string, an int64 or a time.Time (the
// zero time is an empty cell).
type Column struct {
	ID    string
	Title string
	Width float64 // XLSX column width in characters
	value func(a applications.Application) any
}

// statusTitles are the statuses as the cabinet names them.
var statusTitles = map[string]string{
	applications.StatusDraft:           "Черновик",
	applications.StatusSubmitted:       "Отправлена в банк",
	applications.StatusInReview:        "На рассмотрении",
	applications.StatusRework:          "На доработке",
	applications.StatusAccountReserved: "Счёт зарезервирован",
	applications.StatusAccountOpened:   "Счёт открыт",
	applications.StatusRejected:        "Отклонена",
	applications.StatusAnnulled:        "Аннулирована",
}

func statusTitle(s string) string {
	if t, ok := statusTitles[s]; ok {
		return t
	}
	return s
}

// columns are the available columns, in the order GET …/columns lists them.
var columns = []Column{
	{ID: "number", Title: "№", Width: 8, value: func(a applications.Application) any { return a.Number }},
	{ID: "createdAt", Title: "Дата создания", Width: 17, value: func(a applications.Application) any { return a.CreatedAt }},
	{ID: "submittedAt", Title: "Дата отправки", Width: 17, value: func(a applications.Application) any { return a.SubmittedAt }},
	{ID: "status", Title: "Статус", Width: 22, value: func(a applications.Application) any { return statusTitle(a.Status) }},
	{ID: "product", Title: "Продукт", Width: 20, value: func(a applications.Application) any { return a.Product }},
	{ID: "inn", Title: "ИНН", Width: 14, value: func(a applications.Application) any { return a.Company.INN }},
	{ID: "kpp", Title: "КПП", Width: 12, value: func(a applications.Application) any { return a.Company.KPP }},
	{ID: "ogrn", Title: "ОГРН", Width: 17, value: func(a applications.Application) any { return a.Company.OGRN }},
	{ID: "okpo", Title: "ОКПО", Width: 12, value: func(a applications.Application) any { return a.Company.OKPO }},
	{ID: "shortName", Title: "Наименование", Width: 30, value: func(a applications.Application) any { return a.Company.ShortName }},
	{ID: "fullName", Title: "Полное наименование", Width: 45, value: func(a applications.Application) any { return a.Company.FullName }},
	{ID: "regAddress", Title: "Юридический адрес", Width: 45, value: func(a applications.Application) any { return a.Company.RegAddress }},
	{ID: "actualAddress", Title: "Фактический адрес", Width: 45, value: func(a applications.Application) any { return a.Company.ActualAddress }},
	{ID: "okved", Title: "ОКВЭД", Width: 20, value: func(a applications.Application) any { return strings.Join(a.Company.OKVED, ", ") }},
	{ID: "contactName", Title: "Контактное лицо", Width: 30, value: func(a applications.Application) any { return a.Contact.FullName }},
	{ID: "contactPhone", Title: "Телефон", Width: 16, value: func(a applications.Application) any { return a.Contact.Phone }},
	{ID: "contactEmail", Title: "E-mail", Width: 28, value: func(a applications.Application) any { return a.Contact.Email }},
	{ID: "city", Title: "Город", Width: 18, value: func(a applications.Application) any { return a.Office.City }},
	{ID: "office", Title: "Офис", Width: 24, value: func(a applications.Application) any { return a.Office.Office }},
	{ID: "updatedAt", Title: "Дата изменения", Width: 17, value: func(a applications.Application) any { return a.UpdatedAt }},
}

var columnByID = func() map[string]Column {
	m := make(map[string]Column, len(columns))
	for _, c := range columns {
		m[c.ID] = c
	}
	return m
}()

// Columns returns the available columns.
func Columns() []Column { return columns }

// pick returns the columns of ids, in that order (ids are validated).
func pick(ids []string) []Column {
	out := make([]Column, len(ids))
	for i, id := range ids {
		out[i] = columnByID[id]
	}
	return out
}
