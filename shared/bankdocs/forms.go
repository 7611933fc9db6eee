package bankdocs

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/kabinet/kabinet/shared/applications"
	"github.com/kabinet/kabinet/shared/platform/moscow"
)

// Form is one print form of the bank (E7).
type Form struct {
	FileName string
	Title    string
	body     func(p *fpdf.Fpdf, app applications.Application)
}

// Forms are the print forms generatebankform makes, in order.
var Forms = []Form{
	{FileName: "Заявление на открытие счёта.pdf", Title: "Заявление на открытие счёта", body: applicationForm},
	{FileName: "Анкета клиента.pdf", Title: "Анкета клиента", body: questionnaireForm},
}

// font is Go Regular, embedded in the binary: it has Cyrillic glyphs, which fpdf's core fonts
// lack.
const font = "goregular"

// Render makes the form of app as a PDF dated at now. compress false leaves the content
// streams readable (the tests look for text in them; fpdf writes UTF-16BE strings).
func (f Form) Render(app applications.Application, now time.Time, compress bool) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(compress)
	p.SetCreationDate(now)
	p.SetModificationDate(now)
	p.SetTitle(f.Title, true)
	p.SetCreator("Kabinet", true)
	p.AddUTF8FontFromBytes(font, "", goregular.TTF)
	p.SetMargins(20, 20, 20)
	p.AddPage()
	p.SetFont(font, "", 16)
	p.CellFormat(0, 10, f.Title, "", 1, "C", false, 0, "")
	p.SetFont(font, "", 10)
	p.CellFormat(0, 6, fmt.Sprintf("№ %d от %s", app.Number, app.CreatedAt.In(moscow.Zone).Format("02.01.2006")), "", 1, "C", false, 0, "")
	p.Ln(4)
	f.body(p, app)
	p.Ln(8)
	p.SetFont(font, "", 9)
	p.CellFormat(0, 5, "Сформировано "+now.In(moscow.Zone).Format("02.01.2006 15:04")+" (МСК)", "", 1, "L", false, 0, "")
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("render %s: %w", f.FileName, err)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, fmt.Errorf("render %s: %w", f.FileName, err)
	}
	return b.Bytes(), nil
}

// row prints a label and its value; a value too long for the line wraps.
func row(p *fpdf.Fpdf, label, value string) {
	if strings.TrimSpace(value) == "" {
		value = "—"
	}
	p.SetFont(font, "", 10)
	x := p.GetX()
	p.CellFormat(60, 6, label, "", 0, "L", false, 0, "")
	p.MultiCell(0, 6, value, "", "L", false)
	p.SetX(x)
}

func section(p *fpdf.Fpdf, title string) {
	p.Ln(3)
	p.SetFont(font, "", 12)
	p.CellFormat(0, 8, title, "B", 1, "L", false, 0, "")
	p.Ln(1)
}

func applicationForm(p *fpdf.Fpdf, app applications.Application) {
	c := app.Company
	p.SetFont(font, "", 10)
	p.MultiCell(0, 6, "Прошу открыть расчётный счёт в российских рублях и заключить договор банковского счёта на условиях банка.", "", "L", false)
	section(p, "Клиент")
	row(p, "Наименование", c.ShortName)
	row(p, "Полное наименование", c.FullName)
	row(p, "ИНН", c.INN)
	row(p, "КПП", c.KPP)
	row(p, "ОГРН", c.OGRN)
	row(p, "ОКПО", c.OKPO)
	row(p, "Адрес регистрации", c.RegAddress)
	row(p, "Фактический адрес", c.ActualAddress)
	row(p, "ОКВЭД", strings.Join(c.OKVED, ", "))
	section(p, "Контактное лицо")
	row(p, "ФИО", app.Contact.FullName)
	row(p, "Телефон", app.Contact.Phone)
	row(p, "Электронная почта", app.Contact.Email)
	section(p, "Обслуживание")
	row(p, "Город", app.Office.City)
	row(p, "Офис банка", app.Office.Office)
	if app.Bank.AccountNumber != "" {
		row(p, "Номер счёта", app.Bank.AccountNumber)
	}
	if len(app.Founders) > 0 {
		section(p, "Учредители")
		for _, f := range app.Founders {
			row(p, f.FullName, fmt.Sprintf("%d.%02d %%", f.Share/100, f.Share%100))
		}
	}
	p.Ln(10)
	row(p, "Руководитель", "____________________ / ____________________")
	row(p, "Дата", "«____» ______________ 20___ г.")
}

func questionnaireForm(p *fpdf.Fpdf, app applications.Application) {
	row(p, "Клиент", app.Company.ShortName)
	row(p, "ИНН", app.Company.INN)
	section(p, "Ответы анкеты")
	keys := make([]string, 0, len(app.Questionnaire))
	for k := range app.Questionnaire {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		p.SetFont(font, "", 10)
		p.CellFormat(0, 6, "Анкета не заполнена.", "", 1, "L", false, 0, "")
	}
	for _, k := range keys {
		row(p, k, app.Questionnaire[k])
	}
}
