package acts

import (
	"net/http"
	"time"

	"github.com/kabinet/kabinet/shared/backoffice/boauth"
	"github.com/kabinet/kabinet/shared/binaries"
	"github.com/kabinet/kabinet/shared/platform/httpapi"
	"github.com/kabinet/kabinet/shared/platform/money"
)

// FileField is the multipart field of an act's optional file (seed 004's data).
const FileField = "data"

// HTTP serves the acts on the back-office API.
type HTTP struct{ Service *Service }

// actJSON is an act: the seed's fields (number, agent, period, product, paymentsum,
// paymentdate, binaryuuid: null when the act has no file) and ours (id, paymentKopecks,
// createdBy, createdAt UTC). paymentsum is roubles with a point and two decimals, period
// YYYY-MM, paymentdate YYYY-MM-DD.
type actJSON struct {
	ID             string      `json:"id"`
	Number         string      `json:"number"`
	Agent          agentJSON   `json:"agent"`
	Period         string      `json:"period"`
	Product        productJSON `json:"product"`
	PaymentSum     string      `json:"paymentsum"`
	PaymentKopecks int64       `json:"paymentKopecks"`
	PaymentDate    string      `json:"paymentdate"`
	BinaryUUID     *string     `json:"binaryuuid"`
	CreatedBy      string      `json:"createdBy"`
	CreatedAt      time.Time   `json:"createdAt"`
}

// agentJSON is the seed's Agent: the organisation's id, its name as fio, its superuser's login.
type agentJSON struct {
	ID    string `json:"id"`
	FIO   string `json:"fio"`
	Login string `json:"login"`
}

// productJSON is the seed's Product {id, name} with the catalogue's code.
type productJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Code string `json:"code"`
}

func toJSON(a Act) actJSON {
	out := actJSON{ID: a.ID, Number: a.Label(), Agent: agentJSON{ID: a.Agent.ID, FIO: a.Agent.Name, Login: a.Agent.Login},
		Period: a.Period, Product: productJSON{ID: a.Product.ID, Name: a.Product.Name, Code: a.Product.Code},
		PaymentSum: money.FormatKopecks(a.PaymentKopecks), PaymentKopecks: a.PaymentKopecks, PaymentDate: a.PaymentDate,
		CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt}
	if a.BinaryID != "" {
		id := a.BinaryID
		out.BinaryUUID = &id
	}
	return out
}

// Create handles POST /api/act/{agent}/{product}/{paymentSum}/{period}/{paymentdate}
// (createAgentAct): the act's data in the path, its file optional in multipart field data
// (at most binaries.MaxSize bytes in all); 200 with the act.
func (h *HTTP) Create(w http.ResponseWriter, r *http.Request) error {
	p, err := boauth.CurrentUser(r)
	if err != nil {
		return err
	}
	f, ok, err := binaries.ReadFile(w, r, FileField)
	if err != nil {
		return err
	}
	in := NewAct{AgentID: r.PathValue("agent"), ProductID: r.PathValue("product"), PaymentSum: r.PathValue("paymentSum"),
		Period: r.PathValue("period"), PaymentDate: r.PathValue("paymentdate")}
	if ok {
		in.File = &f
	}
	a, err := h.Service.Create(r.Context(), p.Subject, in)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, toJSON(a))
	return nil
}

// List handles GET /api/acts?agentid=&productid= (actList): the acts of an agent organisation
// and/or a product, newest first, at most MaxList.
func (h *HTTP) List(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	l, err := h.Service.List(r.Context(), q.Get("agentid"), q.Get("productid"))
	if err != nil {
		return err
	}
	out := make([]actJSON, len(l))
	for i, a := range l {
		out[i] = toJSON(a)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}
