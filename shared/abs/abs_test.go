package abs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/abs"
	"github.com/kabinet/kabinet/shared/platform/apperr"
	"github.com/kabinet/kabinet/shared/platform/logging"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// company is the seed's example company (ООО "ИФР").
func company(kind abs.Kind) abs.Request {
	return abs.Request{
		Kind: kind, ApplicationID: "01KAPP0000000000000000000", Number: "LK-0000316-2020",
		INN: "9715316168", KPP: "773401001", OGRN: "1187746470834", OKPO: "28517963",
		OrgNameShort: `ООО "ИФР"`, OrgNameFull: `Общество с Ограниченной Ответственностью "Инновационные Финансовые Решения"`,
		RegAddress:       abs.AddressOf("123298, г Москва, ул Народного Ополчения, д 38 к 3"),
		RegActualAddress: abs.AddressOf(" город Москва, улица Народного Ополчения, дом 38 "),
		RegDate:          time.Date(2018, 5, 10, 21, 0, 0, 0, time.UTC), // 2018-05-11 00:00 in Moscow
		Branch:           "Дополнительный офис «Сколково»",
		OKVED:            []abs.OKVED{{Code: "62.01", Name: "Разработка компьютерного программного обеспечения"}, {Code: "62.02.9"}},
		BankForm:         map[string]string{"OKPO": "28517963", "INN": "9715316168", "CLIENT_PHONE": "79852874030"},
	}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Each kind sends the keys the seed shows for it, in its formats.
func TestRequestBodies(t *testing.T) {
	withClient := func(r abs.Request) abs.Request {
		r.ClientID, r.AccountNumber = 115853, "40702810010200293486"
		return r
	}
	companyKeys := []string{"bankForm", "branch", "inn", "kpp", "ogrn", "okpo", "okved", "orgnameFull", "orgnameShort", "regActualAddress", "regAddress", "regDate"}
	tests := []struct {
		name string
		req  abs.Request
		want []string
	}{
		{"InitialCheck", company(abs.InitialCheck), []string{"_input_type", "inn", "orgnameFull"}},
		{"NewClient", company(abs.NewClient), append([]string{"_input_type", "applicationId", "number"}, companyKeys...)},
		{"OpenAccount", withClient(company(abs.OpenAccount)), append([]string{"_account_number", "_client_id", "_input_type", "applicationId"}, companyKeys...)},
		{"DeleteClient", withClient(company(abs.DeleteClient)), []string{"_client_id", "_input_type"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			m := decode(t, b)
			want := append([]string(nil), tc.want...)
			slices.Sort(want)
			if got := keys(m); !reflect.DeepEqual(got, want) {
				t.Fatalf("keys %v; want %v", got, want)
			}
			if m["_input_type"] != string(tc.req.Kind) {
				t.Fatalf("_input_type %v", m["_input_type"])
			}
			if id, ok := m["_client_id"]; ok && id != float64(115853) {
				t.Fatalf("_client_id %v (an integer, as the seed's examples)", id)
			}
		})
	}

	m := decode(t, must(json.Marshal(company(abs.NewClient))))
	if m["regDate"] != "2018-05-11T00:00:00" || m["number"] != "LK-0000316-2020" {
		t.Fatalf("regDate %v, number %v", m["regDate"], m["number"])
	}
	addr := m["regActualAddress"].(map[string]any)
	if addr["value"] != "город Москва, улица Народного Ополчения, дом 38" || addr["unrestricted_value"] != addr["value"] ||
		addr["data"].(map[string]any)["source"] != addr["value"] {
		t.Fatalf("address %v", addr)
	}
	if got := m["okved"].([]any); len(got) != 2 || got[0].(map[string]any)["code"] != "62.01" || got[1].(map[string]any)["name"] != "" {
		t.Fatalf("okved %v", got)
	}
	form := m["bankForm"].([]any)
	if len(form) != 3 || form[0].(map[string]any)["key"] != "CLIENT_PHONE" || form[1].(map[string]any)["key"] != "INN" ||
		form[0].(map[string]any)["value"] != "79852874030" || form[0].(map[string]any)["description"] != nil {
		t.Fatalf("bankForm %v", form)
	}

	// empty values: null where the seed has nulls, empty lists rather than null
	bare := abs.Request{Kind: abs.NewClient, ApplicationID: "a", INN: "9715316168"}
	m = decode(t, must(json.Marshal(bare)))
	if m["number"] != nil || m["regAddress"] != nil || m["regDate"] != nil || m["okved"] == nil || m["bankForm"] == nil {
		t.Fatalf("bare %v", m)
	}
	// a whole DaData record goes as it is
	full := bare
	full.RegAddress = abs.Address{Value: "x", Full: json.RawMessage(`{"value":"ООО \"ИФР\"","data":{"inn":"9715316168"}}`)}
	m = decode(t, must(json.Marshal(full)))
	if m["regAddress"].(map[string]any)["value"] != `ООО "ИФР"` {
		t.Fatalf("full address %v", m["regAddress"])
	}
	full.RegAddress.Full = json.RawMessage(`{broken`)
	if _, err := json.Marshal(full); err == nil {
		t.Fatal("a broken Full address was sent")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		req  abs.Request
		want string // "" = valid
	}{
		{"check", abs.Request{Kind: abs.InitialCheck, INN: "9715316168"}, ""},
		{"check without inn", abs.Request{Kind: abs.InitialCheck}, "inn"},
		{"reserve", abs.Request{Kind: abs.NewClient, ApplicationID: "a", INN: "1"}, ""},
		{"reserve without application", abs.Request{Kind: abs.NewClient, INN: "1"}, "applicationId"},
		{"open without client", abs.Request{Kind: abs.OpenAccount, ApplicationID: "a", AccountNumber: "1"}, "_client_id"},
		{"open without account", abs.Request{Kind: abs.OpenAccount, ApplicationID: "a", ClientID: 1}, "_account_number"},
		{"delete", abs.Request{Kind: abs.DeleteClient, ClientID: 1}, ""},
		{"delete without client", abs.Request{Kind: abs.DeleteClient}, "_client_id"},
		{"unknown kind", abs.Request{Kind: "Close"}, "unknown kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v; want %q", err, tc.want)
			}
		})
	}
}

// Reading answers with the seed's keys and with an administrator's own.
func TestInterpret(t *testing.T) {
	seed := abs.DefaultEndpoint("https://abs.example/send-request")
	custom := abs.Endpoint{Enabled: true, URL: "https://abs.example", SuccessKey: "answerPermit", SuccessValue: "PERMIT",
		ErrorKey: "answerError", ErrorValue: "ERROR", CommentKey: "comment", DateFromKey: "answerDateFrom", DateToKey: "answerDateto"}
	tests := []struct {
		name     string
		ep       abs.Endpoint
		kind     abs.Kind
		body     string
		protocol bool // an error wrapping ErrProtocol
		want     abs.Result
	}{
		{name: "seed success", ep: seed, kind: abs.NewClient,
			body: `{"_input_type":"NewClient","_rc":"1","_comment":"null","_notes4staff":"null","_client_id":115893,"_account_number":"40702810010200293486"}`,
			want: abs.Result{OK: true, ClientID: 115893, AccountNumber: "40702810010200293486"}},
		{name: "seed error", ep: seed, kind: abs.InitialCheck,
			body: `{"_rc":"-1","_comment":"Проверка завершилась с ошибкой","_client_id":843687}`,
			want: abs.Result{OK: false, Comment: "Проверка завершилась с ошибкой", ClientID: 843687}},
		{name: "_rc as a number, spaces around", ep: seed, kind: abs.OpenAccount, body: `{"_rc":1,"_comment":" открыт "}`,
			want: abs.Result{OK: true, Comment: "открыт"}},
		{name: "seed's DeleteClient error with comment", ep: seed, kind: abs.DeleteClient,
			body: `{"_input_type":"-1","_rc":"-1","comment":"внутренняя проблема с АБС. Не удалось удалить клиента"}`,
			want: abs.Result{Comment: "внутренняя проблема с АБС. Не удалось удалить клиента"}},
		{name: "account with spaces, client id as text", ep: seed, kind: abs.NewClient,
			body: `{"_rc":"1","_client_id":"115853","_account_number":"4070 2810 1234 5678 9012"}`,
			want: abs.Result{OK: true, ClientID: 115853, AccountNumber: "40702810123456789012"}},
		{name: "custom success", ep: custom, kind: abs.OpenAccount,
			body: `{"answerPermit":"PERMIT","comment":"Счет открыт","answerDateFrom":"2026-03-02","answerDateto":null}`,
			want: abs.Result{OK: true, Comment: "Счет открыт", DateFrom: "2026-03-02"}},
		{name: "custom error", ep: custom, kind: abs.OpenAccount, body: `{"answerError":"ERROR","comment":"Отказ"}`,
			want: abs.Result{Comment: "Отказ"}},
		{name: "custom keys, _rc -1 is an error still", ep: custom, kind: abs.DeleteClient, body: `{"_rc":"-1","_comment":"нет"}`,
			want: abs.Result{Comment: "нет"}},
		{name: "custom keys, the seed's success is not enough", ep: custom, kind: abs.DeleteClient, body: `{"_rc":"1"}`, protocol: true},
		{name: "no key at all", ep: seed, kind: abs.OpenAccount, body: `{"status":"ok"}`, protocol: true},
		{name: "another _rc", ep: seed, kind: abs.OpenAccount, body: `{"_rc":"0"}`, protocol: true},
		{name: "success and error at once", ep: custom, kind: abs.OpenAccount, body: `{"answerPermit":"PERMIT","answerError":"ERROR"}`, protocol: true},
		{name: "not JSON", ep: seed, kind: abs.OpenAccount, body: `<html>502</html>`, protocol: true},
		{name: "JSON but a list", ep: seed, kind: abs.OpenAccount, body: `[{"_rc":"1"}]`, protocol: true},
		{name: "empty", ep: seed, kind: abs.OpenAccount, body: ``, protocol: true},
		{name: "two values", ep: seed, kind: abs.OpenAccount, body: `{"_rc":"1"}{"_rc":"-1"}`, protocol: true},
		{name: "reservation without a number", ep: seed, kind: abs.NewClient, body: `{"_rc":"1","_client_id":1}`, protocol: true},
		{name: "reservation without a client", ep: seed, kind: abs.NewClient, body: `{"_rc":"1","_account_number":"40702810010200293486"}`, protocol: true},
		{name: "client id not a number", ep: seed, kind: abs.InitialCheck, body: `{"_rc":"1","_client_id":"abc"}`, protocol: true},
		{name: "an error needs no number", ep: seed, kind: abs.NewClient, body: `{"_rc":"-1"}`, want: abs.Result{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.ep.Interpret(tc.kind, []byte(tc.body))
			if tc.protocol {
				if !errors.Is(err, abs.ErrProtocol) || got.OK {
					t.Fatalf("Interpret = %+v, %v; want a protocol error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Raw == nil {
				t.Fatal("no Raw")
			}
			got.Raw, got.Notes = nil, nil
			tc.want.Kind = tc.kind
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Interpret = %+v;\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	tests := []struct {
		name  string
		notes string // the value of _notes4staff; "" = absent
		want  []abs.Note
		bad   bool
	}{
		{name: "absent"},
		{name: "null", notes: `null`},
		{name: `the string "null"`, notes: `"null"`},
		{name: "the seed's list", notes: `[{"Тип Проверки":"Проверка на терроризм/экстремизм","Прошла":1,"Сообщение":"ОК"},
			{"Тип Проверки":"Наличие задолженности по уплате налогов","Прошла":0,"Сообщение":"Внимание! у клиента имеется задолженность"}]`,
			want: []abs.Note{{Check: "Проверка на терроризм/экстремизм", Passed: true, Message: "ОК"},
				{Check: "Наличие задолженности по уплате налогов", Message: "Внимание! у клиента имеется задолженность"}}},
		{name: "the seed's list as printed", notes: `[{"Тип Проверки":"Проверка на терроризм/экстремизм","Прошла":1,"Сообщение":"ОК"},
			{"Тип Проверки":"Наличие задолженности по уплате налогов","Прошла":0,"Сообщение":"Внимание! у клиента имеется задолженность"},
			{"... etc"}]`, bad: true}, // the seed's own placeholder is not JSON
		{name: "a list with text", notes: `[{"Тип Проверки":"A","Прошла":1,"Сообщение":"ОК"},"... etc",null]`,
			want: []abs.Note{{Check: "A", Passed: true, Message: "ОК"}, {Message: "... etc"}}},
		{name: "passed as text and bool", notes: `[{"Тип Проверки":"A","Прошла":"1"},{"Тип Проверки":"B","Прошла":"0"},{"Тип Проверки":"C","Прошла":true},{"Тип Проверки":"D"}]`,
			want: []abs.Note{{Check: "A", Passed: true}, {Check: "B"}, {Check: "C", Passed: true}, {Check: "D"}}},
		{name: "one object", notes: `{"Тип Проверки":"Организация в негативных списках","Прошла":0,"Сообщение":"Найдена"}`,
			want: []abs.Note{{Check: "Организация в негативных списках", Message: "Найдена"}}},
		{name: "an object of check to message", notes: `{"Налоги":"задолженность","Суды":"нет","Прочее":{"x":1}}`,
			want: []abs.Note{{Check: "Налоги", Message: "задолженность"}, {Check: "Прочее", Message: `{"x":1}`}, {Check: "Суды", Message: "нет"}}},
		{name: "a plain message", notes: `"Проверка не проводилась"`, want: []abs.Note{{Message: "Проверка не проводилась"}}},
		{name: "a number", notes: `7`, bad: true},
		{name: "a list of lists", notes: `[[1]]`, bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"_rc":"1"`
			if tc.notes != "" {
				body += `,"_notes4staff":` + tc.notes
			}
			got, err := abs.DefaultEndpoint("").Interpret(abs.InitialCheck, []byte(body+"}"))
			if tc.bad {
				if !errors.Is(err, abs.ErrProtocol) {
					t.Fatalf("err = %v; want a protocol error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Notes, tc.want) {
				t.Fatalf("notes %+v; want %+v", got.Notes, tc.want)
			}
		})
	}
	r := abs.Result{Notes: []abs.Note{{Check: "A", Passed: true}, {Check: "B"}}}
	if f := r.Failed(); len(f) != 1 || f[0].Check != "B" {
		t.Fatalf("Failed() = %v", f)
	}
}

func TestSettings(t *testing.T) {
	s := abs.DefaultSettings("http://127.0.0.1:9092/")
	if s.NewClient.URL != "http://127.0.0.1:9092/api/reservationInvoice" || s.InitialCheck.URL != "http://127.0.0.1:9092/send-request" ||
		s.DeleteClient.SuccessKey != "_rc" || s.DeleteClient.SuccessValue != "1" || s.DeleteClient.ErrorValue != "-1" ||
		s.DeleteClient.CommentKey != "_comment" || !s.OpenAccount.Enabled || s.AutoReject {
		t.Fatalf("defaults %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.OpenAccount.URL, s.DeleteClient.SuccessKey = "ftp://x", ""
	s.InitialCheck = abs.Endpoint{} // disabled: not checked
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), "OpenAccount: url") || !strings.Contains(err.Error(), "DeleteClient: successKey is required") || strings.Contains(err.Error(), "InitialCheck") {
		t.Fatalf("Validate() = %v", err)
	}
	if s.For("Close") != (abs.Endpoint{}) {
		t.Fatal("an unknown kind has an endpoint")
	}
}

// server answers every call with h and counts the calls.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *int) {
	t.Helper()
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { *n++; h(w, r) }))
	t.Cleanup(srv.Close)
	return srv, n
}

func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func client(url string, o abs.Options) *abs.Client {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return abs.New(abs.Static(abs.DefaultSettings(url)), o)
}

// The failures a queue consumer must tell apart: retry later, or stop and tell a human.
func TestCallFailures(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	hanging := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // the server notices a gone client only after the body
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close() // nothing listens there any more

	tests := []struct {
		name       string
		handler    http.HandlerFunc
		url        string // instead of a server
		opts       abs.Options
		ctxTimeout time.Duration
		transient  bool
		timeout    bool // a net.Error timeout, fast
		status     int
		retryAfter time.Duration
		protocol   bool
	}{
		{name: "hanging past the client timeout", handler: hanging, opts: abs.Options{Timeout: 150 * time.Millisecond}, transient: true, timeout: true},
		{name: "hanging past the context deadline", handler: hanging, ctxTimeout: 150 * time.Millisecond, transient: true},
		{name: "connection refused", url: refusedURL, transient: true},
		{name: "500", handler: reply(500, "oops"), transient: true, status: 500},
		{name: "502", handler: reply(502, ""), transient: true, status: 502},
		{name: "503 with Retry-After", handler: reply(503, "", "Retry-After", "7"), transient: true, status: 503, retryAfter: 7 * time.Second},
		{name: "503 with a Retry-After date", handler: reply(503, "", "Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)), transient: true, status: 503, retryAfter: 15 * time.Minute},
		{name: "429", handler: reply(429, "", "Retry-After", "2"), transient: true, status: 429, retryAfter: 2 * time.Second},
		{name: "408", handler: reply(408, ""), transient: true, status: 408},
		{name: "400", handler: reply(400, `{"error":"bad"}`), status: 400},
		{name: "401", handler: reply(401, ""), status: 401},
		{name: "404", handler: reply(404, ""), status: 404},
		{name: "a redirect is not followed", handler: reply(302, "", "Location", "https://elsewhere.example/"), status: 302},
		{name: "200 with bad JSON", handler: reply(200, `{"_rc": "1"`), status: 200, protocol: true},
		{name: "200 with HTML", handler: reply(200, `<html>maintenance</html>`), status: 200, protocol: true},
		{name: "200 over the size cap", handler: reply(200, `{"_rc":"1","_comment":"`+strings.Repeat("x", 2048)+`"}`), opts: abs.Options{MaxBody: 1024}, status: 200, protocol: true},
		{name: "200 without the protocol's keys", handler: reply(200, `{"result":"ok"}`), status: 200, protocol: true},
		{name: "bad URL in the settings", url: "abs.example/send-request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url
			if tc.handler != nil {
				srv, _ := server(t, tc.handler)
				url = srv.URL
			}
			ctx := context.Background()
			if tc.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctxTimeout)
				defer cancel()
			}
			started := time.Now()
			res, err := client(url, tc.opts).Call(ctx, abs.Request{Kind: abs.OpenAccount, ApplicationID: "a", ClientID: 1, AccountNumber: "40702810010200293486"})
			if err == nil {
				t.Fatalf("no error: %+v", res)
			}
			if time.Since(started) > 2*time.Second {
				t.Fatalf("took %v", time.Since(started))
			}
			if abs.IsTransient(err) != tc.transient || abs.IsPermanent(err) == tc.transient || sqsworker.IsPermanent(err) == tc.transient {
				t.Fatalf("err = %v: transient %v, permanent %v", err, abs.IsTransient(err), sqsworker.IsPermanent(err))
			}
			wantCode := apperr.Internal
			if tc.transient {
				wantCode = apperr.Unavailable
			}
			if e, ok := apperr.As(err); !ok || e.Code != wantCode || e.RetryAfter != tc.retryAfter {
				t.Fatalf("err = %v; want %s after %v", err, wantCode, tc.retryAfter)
			}
			if got := abs.RetryAfter(err); got < tc.retryAfter-2*time.Second || got > tc.retryAfter {
				t.Fatalf("RetryAfter = %v; want %v", got, tc.retryAfter)
			}
			var ae *abs.Error
			if !errors.As(err, &ae) || ae.HTTPStatus != tc.status || res.HTTPStatus != tc.status || ae.Kind != abs.OpenAccount {
				t.Fatalf("err = %#v, result status %d; want HTTP %d", ae, res.HTTPStatus, tc.status)
			}
			if errors.Is(err, abs.ErrProtocol) != tc.protocol || res.OK {
				t.Fatalf("err = %v; protocol error %v", err, errors.Is(err, abs.ErrProtocol))
			}
			if tc.timeout {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					t.Fatalf("not a timeout: %v", err)
				}
			}
			if strings.Contains(err.Error(), "/send-request") {
				t.Fatalf("the URL is in the error: %v", err)
			}
		})
	}
}

// An ABS "-1" is the business outcome, not a failure: no error, OK false, the comment and
// notes kept.
func TestCallABSError(t *testing.T) {
	srv, _ := server(t, reply(200, `{"_rc":"-1","_comment":"Проверка завершилась с ошибкой","_client_id":843687,"_notes4staff":[{"Тип Проверки":"Организация в негативных списках","Прошла":0,"Сообщение":"Найдена"}]}`))
	res, err := client(srv.URL, abs.Options{}).Call(context.Background(), abs.Request{Kind: abs.InitialCheck, INN: "9715316168"})
	if err != nil || res.OK || res.Comment != "Проверка завершилась с ошибкой" || res.ClientID != 843687 || len(res.Failed()) != 1 ||
		res.HTTPStatus != 200 || res.RequestID == "" || res.Raw["_rc"] != "-1" {
		t.Fatalf("Call = %+v, %v", res, err)
	}
}

// Nothing is sent for a disabled call or an incomplete request.
func TestCallNotMade(t *testing.T) {
	srv, calls := server(t, reply(200, `{"_rc":"1"}`))
	settings := abs.DefaultSettings(srv.URL)
	settings.OpenAccount.Enabled = false
	c := abs.New(abs.Static(settings), abs.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	_, err := c.Call(context.Background(), abs.Request{Kind: abs.OpenAccount, ApplicationID: "a", ClientID: 1, AccountNumber: "1"})
	if !errors.Is(err, abs.ErrDisabled) || abs.IsTransient(err) || abs.IsPermanent(err) {
		t.Fatalf("disabled: %v", err)
	}
	_, err = c.Call(context.Background(), abs.Request{Kind: abs.DeleteClient})
	if !abs.IsPermanent(err) || !sqsworker.IsPermanent(err) {
		t.Fatalf("incomplete: %v", err)
	}
	_, err = abs.New(failingSource{}, abs.Options{}).Call(context.Background(), abs.Request{Kind: abs.DeleteClient, ClientID: 1})
	if !abs.IsTransient(err) {
		t.Fatalf("settings unavailable: %v", err)
	}
	if *calls != 0 {
		t.Fatalf("%d calls made", *calls)
	}
}

type failingSource struct{}

func (failingSource) Settings(context.Context) (abs.Settings, error) {
	return abs.Settings{}, errors.New("table unavailable")
}

// What goes over the wire, and what reaches the log: never the body.
func TestCallWireAndLog(t *testing.T) {
	var got *http.Request
	var body []byte
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
		_, _ = io.WriteString(w, `{"_rc":"1","_comment":"null","_notes4staff":"null","_client_id":115893,"_account_number":"40702810010200293486"}`)
	})
	var logs bytes.Buffer
	c := client(srv.URL, abs.Options{Logger: logging.New(&logs, slog.LevelDebug)})
	ctx := logging.WithRequestID(context.Background(), "lambda-request-1")
	req := company(abs.NewClient)
	res, err := c.Call(ctx, req)
	if err != nil || !res.OK || res.ClientID != 115893 || res.AccountNumber != "40702810010200293486" || res.Comment != "" || res.Notes != nil {
		t.Fatalf("Call = %+v, %v", res, err)
	}
	if got.Method != "POST" || got.URL.Path != "/api/reservationInvoice" || got.Header.Get("Content-Type") != "application/json; charset=utf-8" ||
		got.Header.Get("X-Request-Id") != res.RequestID || len(res.RequestID) != 26 {
		t.Fatalf("request %s %s %v", got.Method, got.URL, got.Header)
	}
	if !bytes.Equal(body, must(json.Marshal(req))) {
		t.Fatalf("body %s", body)
	}
	line := logs.String()
	for _, want := range []string{`"msg":"abs call"`, `"kind":"NewClient"`, `"applicationId":"01KAPP0000000000000000000"`, `"httpStatus":200`, `"outcome":"ok"`, `"durationMs":`, `"requestId":"lambda-request-1"`, `"absRequestId":"` + res.RequestID} {
		if !strings.Contains(line, want) {
			t.Fatalf("log %s lacks %s", line, want)
		}
	}
	for _, secret := range []string{req.INN, "ИФР", "Народного", "79852874030", "40702810010200293486"} {
		if strings.Contains(line, secret) {
			t.Fatalf("log %s shows %q", line, secret)
		}
	}
}
