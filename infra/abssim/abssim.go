// Package abssim simulates the bank's core-banking system (АБС) for local runs and tests, as
// seed 004 ("Интеграция РАДАР и АБС банка") describes its API and shared/abs calls it: a POST
// of JSON to any path (the settings' URLs; by default /send-request, and /api/reservationInvoice
// for NewClient), told apart by "_input_type":
//
//	InitialCheck  {"inn","orgnameFull"}  → "_rc" "1", a "_client_id" and the seed's list of
//	              checks in "_notes4staff", two of them not passed (warnings for the staff)
//	NewClient     {"applicationId","inn",…}  → "_client_id" and a 20-digit "_account_number"
//	              40702810…, with a valid check digit for the simulator's BIK
//	OpenAccount   {"applicationId","_client_id","_account_number",…}  → "_rc" "1"
//	DeleteClient  {"_client_id"}  → "_rc" "1"
//
// Effects are idempotent, as the flow's retries need (and as the bank must confirm of its
// ABS): the same application reserved twice gets the same client and account number and is
// counted once; an OpenAccount or DeleteClient replayed for an account already opened or a
// client already deleted answers "_rc" "1" again and counts nothing. An InitialCheck reuses the
// live client of its INN, which the application's NewClient then takes over. Refusals answer
// "_rc" "-1" with a comment: an unknown client, an account number that is not the one reserved,
// opening what was not reserved or was deleted, reserving for a deleted client, missing fields.
// A body that is not JSON or an unknown "_input_type" is an HTTP 400.
//
// Developer endpoints:
//
//	GET    /_sim/calls[?kind=NewClient]          every call, newest last (body as received)
//	GET    /_sim/calls/last[?kind=…]             the newest call (404 if none)
//	GET    /_sim/clients[?applicationId=…]       clients with their account and effect counts
//	PUT    /_sim/fault {"mode":"http","statusCode":500}             answer HTTP 500 (or another status)
//	PUT    /_sim/fault {"mode":"down","retryAfterSeconds":30}       answer HTTP 503, Retry-After
//	PUT    /_sim/fault {"mode":"hang","delayMs":120000}             answer nothing for the delay
//	                                              (default 2 minutes, past the client's timeout)
//	PUT    /_sim/fault {"mode":"error","comment":"…"}               answer "_rc" "-1" (default: the
//	                                              seed's texts, "Проверка завершилась с ошибкой"…;
//	                                              InitialCheck's names the INN's "_client_id", as
//	                                              the seed's example does)
//	PUT    /_sim/fault {"mode":"garbage"}                           answer HTTP 200 with HTML
//	       each also takes "kind" (one call kind; default all), "times" (the next N calls;
//	       default until cleared) and, for http/down/hang/garbage, "afterEffect": true (act
//	       first, then fail the answer: the ambiguous failure a retry must survive)
//	DELETE /_sim/fault[?kind=…]                   clear the faults (of one kind)
//	PUT    /_sim/keys {"successKey":"answerPermit","successValue":"PERMIT",…}  also answer with
//	                                              these keys (the settings' dynamic fields)
//	DELETE /_sim/keys                             the seed's keys only
//	POST   /_sim/reset                            forget calls, clients, faults and keys
package abssim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kabinet/kabinet/infra/simhttp"
)

// The call kinds ("_input_type").
const (
	InitialCheck = "InitialCheck"
	NewClient    = "NewClient"
	OpenAccount  = "OpenAccount"
	DeleteClient = "DeleteClient"
)

var kinds = []string{InitialCheck, NewClient, OpenAccount, DeleteClient}

const (
	// BIK is the simulated bank office's BIK (the seed's OFFICE_BIK); account check digits are
	// computed with it.
	BIK = "044525984"
	// accountPrefix is a legal entity's settlement account (40702) in roubles (810).
	accountPrefix = "40702810"
	branch        = "1020"
	firstSerial   = 293486 // the seed's example number is 40702810010200293486
	firstClientID = 115893 // the seed's example client id

	defaultHang = 2 * time.Minute
	maxBody     = 1 << 20
)

// The seed's error texts, the default comments of the "error" fault.
var errorComments = map[string]string{
	InitialCheck: "Проверка завершилась с ошибкой",
	NewClient:    "внутренняя проблема с АБС. Не удалось зарезервировать счет",
	OpenAccount:  "внутренняя проблема с АБС. Не удалось открыть счет",
	DeleteClient: "внутренняя проблема с АБС. Не удалось удалить клиента",
}

// Fault makes the simulator fail.
type Fault struct {
	Kind              string `json:"kind,omitempty"` // one call kind; "" = all
	Mode              string `json:"mode"`           // "http", "down", "hang", "error" or "garbage"
	StatusCode        int    `json:"statusCode,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"` // http, down: the Retry-After header
	DelayMS           int    `json:"delayMs,omitempty"`           // hang
	Comment           string `json:"comment,omitempty"`           // error
	Times             int    `json:"times,omitempty"`             // the next N calls; 0 = until cleared
	AfterEffect       bool   `json:"afterEffect,omitempty"`       // http, down, hang, garbage
}

func (f Fault) valid() bool {
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) || f.Times < 0 || f.DelayMS < 0 || f.RetryAfterSeconds < 0 {
		return false
	}
	switch f.Mode {
	case "http":
		return f.StatusCode == 0 || f.StatusCode >= 400 && f.StatusCode <= 599
	case "down", "hang", "error", "garbage":
		return true
	}
	return false
}

// Keys are extra answer keys, as an administrator may configure the client to read them.
type Keys struct {
	SuccessKey   string `json:"successKey"`
	SuccessValue string `json:"successValue"`
	ErrorKey     string `json:"errorKey"`
	ErrorValue   string `json:"errorValue"`
	CommentKey   string `json:"commentKey"`
}

// Call is one API call as the simulator saw and answered it.
type Call struct {
	Seq           int             `json:"seq"`
	At            time.Time       `json:"at"`
	Path          string          `json:"path"`
	Kind          string          `json:"kind"`
	ApplicationID string          `json:"applicationId,omitempty"` // sent, or the client's
	INN           string          `json:"inn,omitempty"`
	ClientID      int64           `json:"clientId,omitempty"`
	RequestID     string          `json:"requestId,omitempty"` // X-Request-Id
	Body          json.RawMessage `json:"body"`
	Fault         string          `json:"fault,omitempty"`  // the fault mode applied
	Status        int             `json:"status"`           // HTTP status (0: the caller left)
	RC            string          `json:"rc,omitempty"`     // "_rc" answered
	Effect        string          `json:"effect,omitempty"` // checked, reserved, opened, deleted, replay
}

// Client is a client of the simulated ABS.
type Client struct {
	ClientID      int64  `json:"clientId"`
	INN           string `json:"inn"`
	ApplicationID string `json:"applicationId,omitempty"`
	AccountNumber string `json:"accountNumber,omitempty"`
	Status        string `json:"status"` // checked, reserved, opened, deleted
	Checks        int    `json:"checks"` // InitialCheck answers
	// The effects, each 0 or 1 whatever the replays.
	Reserved int `json:"reserved"`
	Opened   int `json:"opened"`
	Deleted  int `json:"deleted"`
}

// Effects are what an application's calls did: effects (0 or 1 each) and calls by kind,
// replays and failures included.
type Effects struct {
	Reserved int            `json:"reserved"`
	Opened   int            `json:"opened"`
	Deleted  int            `json:"deleted"`
	Calls    map[string]int `json:"calls"`
}

// Server is the simulator.
type Server struct {
	mu       sync.Mutex
	calls    []Call
	clients  []*Client // oldest first; ids are firstClientID + index
	faults   map[string]*Fault
	keys     *Keys
	serial   int
	mux      *http.ServeMux
	now      func() time.Time
	hangDone chan struct{} // closed by Close: hanging answers end
	closed   bool
}

// New returns a simulator with no clients.
func New() *Server {
	s := &Server{faults: map[string]*Fault{}, mux: http.NewServeMux(), now: time.Now, hangDone: make(chan struct{})}
	s.mux.HandleFunc("POST /", s.api)
	s.mux.HandleFunc("GET /_sim/calls", simhttp.List("kind", s.Calls))
	s.mux.HandleFunc("GET /_sim/calls/last", simhttp.Last("kind", s.Calls))
	s.mux.HandleFunc("GET /_sim/clients", simhttp.List("applicationId", s.Clients))
	s.mux.HandleFunc("PUT /_sim/fault", simhttp.SetFault(Fault.valid,
		`mode must be "http" (statusCode 400-599), "down", "hang", "error" or "garbage"; kind one of InitialCheck, NewClient, OpenAccount, DeleteClient`, s.SetFault))
	s.mux.HandleFunc("DELETE /_sim/fault", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFault(r.URL.Query().Get("kind"))
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.HandleFunc("PUT /_sim/keys", simhttp.SetFault(func(k Keys) bool { return k.SuccessKey != "" || k.ErrorKey != "" || k.CommentKey != "" },
		"name at least one of successKey, errorKey, commentKey", s.SetKeys))
	s.mux.HandleFunc("DELETE /_sim/keys", func(w http.ResponseWriter, r *http.Request) { s.SetKeys(nil); w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("POST /_sim/reset", func(w http.ResponseWriter, r *http.Request) { s.Reset(); w.WriteHeader(http.StatusNoContent) })
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close ends hanging answers (a test server's Close waits for them otherwise).
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.hangDone)
	}
}

// SetFault sets the fault of f.Kind ("" = every kind without its own); nil clears them all.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		clear(s.faults)
		return
	}
	c := *f
	s.faults[c.Kind] = &c
}

// ClearFault clears the fault of kind, or every fault for "".
func (s *Server) ClearFault(kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind == "" {
		clear(s.faults)
		return
	}
	delete(s.faults, kind)
}

// SetKeys makes answers also carry k's keys; nil goes back to the seed's only.
func (s *Server) SetKeys(k *Keys) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k == nil {
		s.keys = nil
		return
	}
	c := *k
	s.keys = &c
}

// Reset forgets everything: calls, clients, faults, keys.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.clients, s.keys, s.serial = nil, nil, nil, 0
	clear(s.faults)
}

// Calls returns the calls of kind ("" for all), oldest first.
func (s *Server) Calls(kind string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if kind == "" || c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// Clients returns the clients of an application ("" for all), oldest first.
func (s *Server) Clients(applicationID string) []Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Client
	for _, c := range s.clients {
		if applicationID == "" || c.ApplicationID == applicationID {
			out = append(out, *c)
		}
	}
	return out
}

// Effects sums what the calls of an application did.
func (s *Server) Effects(applicationID string) Effects {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := Effects{Calls: map[string]int{}}
	for _, c := range s.clients {
		if c.ApplicationID == applicationID {
			e.Reserved += c.Reserved
			e.Opened += c.Opened
			e.Deleted += c.Deleted
		}
	}
	for _, c := range s.calls {
		if c.ApplicationID == applicationID {
			e.Calls[c.Kind]++
		}
	}
	return e
}

// request is what the simulator reads of a call.
type request struct {
	kind, applicationID, inn, account string
	clientID                          int64
}

func parse(body []byte) (request, error) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return request{}, fmt.Errorf("the body is not a JSON object")
	}
	str := func(k string) string {
		switch v := m[k].(type) {
		case string:
			return strings.TrimSpace(v)
		case json.Number:
			return v.String()
		}
		return ""
	}
	r := request{kind: str("_input_type"), applicationID: str("applicationId"), inn: str("inn"),
		account: strings.Join(strings.Fields(str("_account_number")), "")}
	if !slices.Contains(kinds, r.kind) {
		return r, fmt.Errorf("unknown _input_type %q", r.kind)
	}
	if id := str("_client_id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return r, fmt.Errorf("_client_id %q is not an integer", id)
		}
		r.clientID = n
	}
	return r, nil
}

// api answers the ABS calls.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	raw := json.RawMessage(body)
	if !json.Valid(body) {
		raw, _ = json.Marshal(string(body))
	}
	req, perr := parse(body)
	s.mu.Lock()
	call := Call{Seq: len(s.calls) + 1, At: s.now().UTC(), Path: r.URL.Path, Kind: req.kind, ApplicationID: req.applicationID,
		INN: req.inn, ClientID: req.clientID, RequestID: r.Header.Get("X-Request-Id"), Body: raw}
	if c := s.lookup(req); c != nil && call.ApplicationID == "" {
		call.ApplicationID = c.ApplicationID
	}
	var fault *Fault
	if err == nil && perr == nil {
		fault = s.takeFault(req.kind)
	}
	s.calls = append(s.calls, call)
	idx := len(s.calls) - 1
	s.mu.Unlock()

	if err != nil || perr != nil {
		msg := "the body could not be read"
		if perr != nil {
			msg = perr.Error()
		}
		s.answer(w, idx, http.StatusBadRequest, map[string]any{"_rc": "-1", "_comment": msg}, "")
		return
	}
	if fault != nil {
		s.setFaultApplied(idx, fault.Mode)
		if fault.Mode == "error" {
			comment := fault.Comment
			if comment == "" {
				comment = errorComments[req.kind]
			}
			ans := s.refusal(req.kind, comment)
			if req.kind == InitialCheck && req.inn != "" { // the seed's error answer names the INN's client too
				ans["_client_id"] = s.checkedClient(req.inn)
			}
			s.answer(w, idx, http.StatusOK, ans, "")
			return
		}
		var status int
		var ans map[string]any
		var effect string
		if fault.AfterEffect {
			status, ans, effect = s.act(req)
		}
		switch fault.Mode {
		case "http", "down":
			code := fault.StatusCode
			switch {
			case fault.Mode == "down":
				code = http.StatusServiceUnavailable
			case code == 0:
				code = http.StatusInternalServerError
			}
			if fault.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfterSeconds))
			}
			s.record(idx, code, "", effect)
			http.Error(w, http.StatusText(code)+" (simulated)", code)
			return
		case "garbage":
			s.record(idx, http.StatusOK, "", effect)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "<html><body><h1>Proxy error</h1><p>upstream said: {\"_rc\": </p></body></html>")
			return
		case "hang":
			delay := defaultHang
			if fault.DelayMS > 0 {
				delay = time.Duration(fault.DelayMS) * time.Millisecond
			}
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				s.record(idx, 0, "", effect)
				return
			case <-s.hangDone:
				s.record(idx, 0, "", effect)
				return
			}
			if fault.AfterEffect { // the effect is done: the late answer is the one it gave
				s.answer(w, idx, status, ans, effect)
				return
			}
		}
	}
	status, ans, effect := s.act(req)
	s.answer(w, idx, status, ans, effect)
}

// checkedClient is the client an InitialCheck of inn names, also in an error answer.
func (s *Server) checkedClient(inn string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkedLocked(inn).ClientID
}

// checkedLocked counts a check of inn on its live client, made when there is none. Callers
// hold mu.
func (s *Server) checkedLocked(inn string) *Client {
	c := s.liveByINN(inn, false)
	if c == nil {
		c = s.newClient(inn)
	}
	c.Checks++
	return c
}

// takeFault returns the fault for kind and counts it down. Callers hold mu.
func (s *Server) takeFault(kind string) *Fault {
	f, key := s.faults[kind], kind
	if f == nil {
		f, key = s.faults[""], ""
	}
	if f == nil {
		return nil
	}
	c := *f
	if f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(s.faults, key)
		}
	}
	return &c
}

// lookup finds the client a request is about, without changing anything. Callers hold mu.
func (s *Server) lookup(r request) *Client {
	if r.clientID != 0 {
		return s.byID(r.clientID)
	}
	if r.applicationID != "" {
		return s.byApplication(r.applicationID)
	}
	return nil
}

func (s *Server) byID(id int64) *Client {
	i := id - firstClientID
	if i < 0 || i >= int64(len(s.clients)) {
		return nil
	}
	return s.clients[i]
}

func (s *Server) byApplication(app string) *Client {
	for _, c := range s.clients {
		if c.ApplicationID == app {
			return c
		}
	}
	return nil
}

// liveByINN is the newest client of inn that is not deleted and, when free, has no application.
func (s *Server) liveByINN(inn string, free bool) *Client {
	for i := len(s.clients) - 1; i >= 0; i-- {
		c := s.clients[i]
		if c.INN == inn && c.Status != "deleted" && (!free || c.ApplicationID == "") {
			return c
		}
	}
	return nil
}

func (s *Server) newClient(inn string) *Client {
	c := &Client{ClientID: firstClientID + int64(len(s.clients)), INN: inn, Status: "checked"}
	s.clients = append(s.clients, c)
	return c
}

// act performs a call and returns its answer and effect.
func (s *Server) act(r request) (int, map[string]any, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := func(extra map[string]any) map[string]any {
		m := map[string]any{"_input_type": r.kind, "_rc": "1", "_comment": "null", "_notes4staff": "null"}
		for k, v := range extra {
			m[k] = v
		}
		return s.withKeys(m, true, "")
	}
	refuse := func(comment string) (int, map[string]any, string) {
		return http.StatusOK, s.refusalLocked(r.kind, comment), ""
	}
	switch r.kind {
	case InitialCheck:
		if r.inn == "" {
			return refuse("не заполнены обязательные поля: inn")
		}
		c := s.checkedLocked(r.inn)
		return http.StatusOK, ok(map[string]any{"_comment": "Проверка завершена", "_client_id": c.ClientID, "_notes4staff": checks()}), "checked"
	case NewClient:
		if r.applicationID == "" || r.inn == "" {
			return refuse("не заполнены обязательные поля: applicationId, inn")
		}
		c := s.byApplication(r.applicationID)
		effect := "replay"
		switch {
		case c != nil && c.Status == "deleted":
			return refuse("Клиент удален, счет не может быть зарезервирован")
		case c == nil:
			if c = s.liveByINN(r.inn, true); c == nil {
				c = s.newClient(r.inn)
			}
			c.ApplicationID, c.AccountNumber, c.Reserved, c.Status = r.applicationID, s.nextAccount(), 1, "reserved"
			effect = "reserved"
		}
		return http.StatusOK, ok(map[string]any{"_client_id": c.ClientID, "_account_number": c.AccountNumber}), effect
	case OpenAccount:
		c := s.byID(r.clientID)
		switch {
		case c == nil:
			return refuse("Клиент не найден")
		case r.account != "" && r.account != c.AccountNumber:
			return refuse("Номер счета не совпадает с зарезервированным")
		case c.Status == "deleted":
			return refuse("Клиент удален")
		case c.Status == "checked":
			return refuse("Счет не зарезервирован")
		case c.Status == "opened":
			return http.StatusOK, ok(nil), "replay"
		}
		c.Opened, c.Status = 1, "opened"
		return http.StatusOK, ok(nil), "opened"
	case DeleteClient:
		c := s.byID(r.clientID)
		switch {
		case c == nil:
			return refuse("Клиент не найден")
		case c.Status == "deleted":
			return http.StatusOK, ok(nil), "replay"
		}
		c.Deleted, c.Status = 1, "deleted"
		return http.StatusOK, ok(nil), "deleted"
	}
	return http.StatusBadRequest, map[string]any{"_rc": "-1", "_comment": "unknown _input_type"}, ""
}

func (s *Server) refusal(kind, comment string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refusalLocked(kind, comment)
}

// refusalLocked is an "_rc" "-1" answer; DeleteClient's puts its comment under "comment", as
// the seed's example does.
func (s *Server) refusalLocked(kind, comment string) map[string]any {
	m := map[string]any{"_input_type": kind, "_rc": "-1", "_comment": comment, "_notes4staff": "null"}
	if kind == DeleteClient {
		m = map[string]any{"_input_type": kind, "_rc": "-1", "comment": comment}
	}
	return s.withKeys(m, false, comment)
}

// withKeys adds the configured keys. Callers hold mu.
func (s *Server) withKeys(m map[string]any, success bool, comment string) map[string]any {
	k := s.keys
	if k == nil {
		return m
	}
	if success && k.SuccessKey != "" {
		m[k.SuccessKey] = k.SuccessValue
	}
	if !success && k.ErrorKey != "" {
		m[k.ErrorKey] = k.ErrorValue
	}
	if k.CommentKey != "" {
		if comment == "" {
			comment = "null"
			if c, ok := m["_comment"].(string); ok {
				comment = c
			}
		}
		m[k.CommentKey] = comment
	}
	return m
}

// nextAccount is a new account number. Callers hold mu.
func (s *Server) nextAccount() string {
	n := accountPrefix + "0" + branch + fmt.Sprintf("%07d", firstSerial+s.serial)
	s.serial++
	return n[:8] + string(rune('0'+CheckDigit(n, BIK))) + n[9:]
}

// CheckDigit is the control digit (position 9) of a 20-digit account at the bank with bik, by
// the Bank of Russia's rule: the last three digits of the BIK and the account, with 0 in
// place of the control digit, weighted 7, 1, 3, …; the control digit is 3 × the last digit of
// the sum of the products' last digits, mod 10.
func CheckDigit(account, bik string) int {
	digits := bik[len(bik)-3:] + account[:8] + "0" + account[9:]
	weights := [3]int{7, 1, 3}
	sum := 0
	for i, d := range digits {
		sum += int(d-'0') * weights[i%3] % 10
	}
	return sum % 10 * 3 % 10
}

// ValidAccount reports whether account is 20 digits with the right control digit for bik.
func ValidAccount(account, bik string) bool {
	if len(account) != 20 || strings.Trim(account, "0123456789") != "" || len(bik) != 9 {
		return false
	}
	return int(account[8]-'0') == CheckDigit(account, bik)
}

// checks is the seed's "_notes4staff": the bank's list checks, two not passed (warnings).
func checks() []map[string]any {
	note := func(check string, passed int, msg string) map[string]any {
		return map[string]any{"Тип Проверки": check, "Прошла": passed, "Сообщение": msg}
	}
	return []map[string]any{
		note("Проверка на терроризм/экстремизм", 1, "ОК"),
		note("Наличие информации о судебных разбирательствах о взыскании задолженности на сумму более 10 млн руб. (арбитражи)", 1, "ОК"),
		note("Присутствие организации по своему местонахождению (отличие фактического адреса от юридического адреса)", 1, "ОК"),
		note("Возраст единственного учредителя / участника / руководителя в критической зоне", 0, "Внимание! клиент в критической зоне"),
		note("Организация в негативных списках", 1, "ОК"),
		note("Наличие задолженности по уплате налогов", 0, "Внимание! у клиента имеется задолженность"),
	}
}

func (s *Server) setFaultApplied(idx int, mode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[idx].Fault = mode
}

func (s *Server) record(idx, status int, rc, effect string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.calls[idx]
	c.Status, c.RC, c.Effect = status, rc, effect
	if c.ApplicationID == "" { // a first InitialCheck or NewClient made the client
		if cl := s.lookupAfter(*c); cl != nil {
			c.ApplicationID, c.ClientID = cl.ApplicationID, cl.ClientID
		}
	}
}

// lookupAfter finds the client of a recorded call once it acted (InitialCheck by INN).
// Callers hold mu.
func (s *Server) lookupAfter(c Call) *Client {
	if c.ClientID != 0 {
		return s.byID(c.ClientID)
	}
	if c.Kind == InitialCheck && c.INN != "" && c.Effect == "checked" {
		return s.liveByINN(c.INN, false)
	}
	return nil
}

func (s *Server) answer(w http.ResponseWriter, idx, status int, body map[string]any, effect string) {
	rc, _ := body["_rc"].(string)
	if id, ok := body["_client_id"].(int64); ok {
		s.mu.Lock()
		if s.calls[idx].ClientID == 0 {
			s.calls[idx].ClientID = id
		}
		s.mu.Unlock()
	}
	s.record(idx, status, rc, effect)
	simhttp.WriteJSON(w, status, body)
}
