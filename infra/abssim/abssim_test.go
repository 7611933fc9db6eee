package abssim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/abssim"
)

func start(t *testing.T) (*abssim.Server, string) {
	t.Helper()
	sim := abssim.New()
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	return sim, srv.URL
}

// answer is a decoded ABS answer with its HTTP status and headers.
type answer struct {
	status int
	header http.Header
	raw    string
	m      map[string]any
}

func (a answer) rc() string          { s, _ := a.m["_rc"].(string); return s }
func (a answer) str(k string) string { s, _ := a.m[k].(string); return s }
func (a answer) clientID() int64     { n, _ := a.m["_client_id"].(float64); return int64(n) }

func post(t *testing.T, url string, body any) answer {
	t.Helper()
	return postCtx(t, context.Background(), url, body)
}

func postCtx(t *testing.T, ctx context.Context, url string, body any) answer {
	t.Helper()
	var b []byte
	if s, ok := body.(string); ok {
		b = []byte(s)
	} else {
		b, _ = json.Marshal(body)
	}
	req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "req-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{raw: err.Error()}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.m)
	return a
}

func send(t *testing.T, method, url, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func check(inn string) map[string]any {
	return map[string]any{"_input_type": "InitialCheck", "inn": inn, "orgnameFull": "ООО Тест"}
}

func reserve(app, inn string) map[string]any {
	return map[string]any{"applicationId": app, "_input_type": "NewClient", "number": nil, "inn": inn, "orgnameShort": "ООО Тест"}
}

func open(app string, client int64, account string) map[string]any {
	return map[string]any{"applicationId": app, "_input_type": "OpenAccount", "_client_id": client, "_account_number": account, "inn": "9715316168"}
}

func remove(client int64) map[string]any {
	return map[string]any{"_input_type": "DeleteClient", "_client_id": client}
}

// The flow of one application, and each call's replay: same answers, effects counted once.
func TestFlowIsIdempotent(t *testing.T) {
	sim, url := start(t)
	api := url + "/send-request"

	c := post(t, api, check("9715316168"))
	notes, _ := c.m["_notes4staff"].([]any)
	if c.status != 200 || c.rc() != "1" || c.clientID() == 0 || len(notes) != 6 || c.str("_input_type") != "InitialCheck" {
		t.Fatalf("InitialCheck: %d %s", c.status, c.raw)
	}
	failed := 0
	for _, n := range notes {
		if n.(map[string]any)["Прошла"] == float64(0) {
			failed++
		}
	}
	if failed != 2 {
		t.Fatalf("%d checks not passed; want the seed's 2 warnings", failed)
	}
	if again := post(t, api, check("9715316168")); again.clientID() != c.clientID() {
		t.Fatalf("InitialCheck again: client %d, then %d", c.clientID(), again.clientID())
	}

	r := post(t, url+"/api/reservationInvoice", reserve("app-1", "9715316168"))
	account := r.str("_account_number")
	if r.rc() != "1" || r.clientID() != c.clientID() || !strings.HasPrefix(account, "40702810") || !abssim.ValidAccount(account, abssim.BIK) ||
		r.str("_comment") != "null" || r.str("_notes4staff") != "null" {
		t.Fatalf("NewClient: %s", r.raw)
	}
	if again := post(t, api, reserve("app-1", "9715316168")); again.rc() != "1" || again.str("_account_number") != account || again.clientID() != r.clientID() {
		t.Fatalf("NewClient again: %s; want %s", again.raw, account)
	}
	other := post(t, api, reserve("app-2", "7707083893"))
	if other.str("_account_number") == account || other.clientID() == r.clientID() || !abssim.ValidAccount(other.str("_account_number"), abssim.BIK) {
		t.Fatalf("another application: %s", other.raw)
	}

	spaced := account[:4] + " " + account[4:8] + " " + account[8:12] + " " + account[12:16] + " " + account[16:] // as the seed writes it once
	for i := range 2 {
		if o := post(t, api, open("app-1", r.clientID(), spaced)); o.rc() != "1" || o.str("_input_type") != "OpenAccount" {
			t.Fatalf("OpenAccount %d: %s", i, o.raw)
		}
	}
	for i := range 2 {
		if d := post(t, api, remove(r.clientID())); d.rc() != "1" {
			t.Fatalf("DeleteClient %d: %s", i, d.raw)
		}
	}
	e := sim.Effects("app-1")
	want := abssim.Effects{Reserved: 1, Opened: 1, Deleted: 1, Calls: map[string]int{"NewClient": 2, "OpenAccount": 2, "DeleteClient": 2}}
	if e.Reserved != want.Reserved || e.Opened != want.Opened || e.Deleted != want.Deleted || len(e.Calls) != 3 ||
		e.Calls["NewClient"] != 2 || e.Calls["OpenAccount"] != 2 || e.Calls["DeleteClient"] != 2 {
		t.Fatalf("effects %+v; want %+v", e, want)
	}
	cl := sim.Clients("app-1")
	if len(cl) != 1 || cl[0].Status != "deleted" || cl[0].AccountNumber != account || cl[0].Checks != 2 {
		t.Fatalf("clients %+v", cl)
	}
	effects := []string{}
	for _, call := range sim.Calls("") {
		effects = append(effects, call.Effect)
	}
	if got := strings.Join(effects, ","); got != "checked,checked,reserved,replay,reserved,opened,replay,deleted,replay" {
		t.Fatalf("effects %s", got)
	}
	if last := sim.Calls("DeleteClient"); last[1].ApplicationID != "app-1" || last[1].RequestID != "req-1" || last[1].Status != 200 || last[1].RC != "1" {
		t.Fatalf("last call %+v", last[1])
	}
	// after the delete the INN starts afresh
	if c2 := post(t, api, check("9715316168")); c2.clientID() == c.clientID() {
		t.Fatal("a deleted client was checked again")
	}
}

// The refusals the simulator gives by itself, in the seed's shape.
func TestRefusals(t *testing.T) {
	_, url := start(t)
	api := url + "/send-request"
	checked := post(t, api, check("7707083893")).clientID()
	r := post(t, api, reserve("app-1", "9715316168"))
	gone := post(t, api, reserve("app-gone", "5047039250")).clientID()
	post(t, api, remove(gone))

	tests := []struct {
		name    string
		body    any
		status  int
		comment string
		key     string // where the comment is
	}{
		{"check without INN", check(""), 200, "не заполнены обязательные поля: inn", "_comment"},
		{"reserve without application", reserve("", "9715316168"), 200, "не заполнены обязательные поля: applicationId, inn", "_comment"},
		{"reserve for a deleted client", reserve("app-gone", "5047039250"), 200, "Клиент удален, счет не может быть зарезервирован", "_comment"},
		{"open an unknown client", open("app-1", 1, ""), 200, "Клиент не найден", "_comment"},
		{"open another account", open("app-1", r.clientID(), "40702810000000000000"), 200, "Номер счета не совпадает с зарезервированным", "_comment"},
		{"open what was not reserved", open("x", checked, ""), 200, "Счет не зарезервирован", "_comment"},
		{"open a deleted client", open("app-gone", gone, ""), 200, "Клиент удален", "_comment"},
		{"delete an unknown client", remove(42), 200, "Клиент не найден", "comment"},
		{"client id as text", map[string]any{"_input_type": "DeleteClient", "_client_id": "x"}, 400, `_client_id "x" is not an integer`, "_comment"},
		{"unknown kind", map[string]any{"_input_type": "CloseAccount"}, 400, `unknown _input_type "CloseAccount"`, "_comment"},
		{"not JSON", "inn=9715316168", 400, "the body is not a JSON object", "_comment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, api, tc.body)
			if a.status != tc.status || a.rc() != "-1" || a.str(tc.key) != tc.comment {
				t.Fatalf("%d %s; want %d with %s %q", a.status, a.raw, tc.status, tc.key, tc.comment)
			}
		})
	}
	// a client id sent as text is fine
	if a := post(t, api, map[string]any{"_input_type": "OpenAccount", "applicationId": "app-1", "_client_id": strconv.FormatInt(r.clientID(), 10)}); a.rc() != "1" {
		t.Fatalf("text client id: %s", a.raw)
	}
}

func TestFaults(t *testing.T) {
	sim, url := start(t)
	api := url + "/send-request"
	setFault := func(t *testing.T, f string) {
		t.Helper()
		if code := send(t, "PUT", url+"/_sim/fault", f); code != 204 {
			t.Fatalf("PUT /_sim/fault %s: %d", f, code)
		}
	}

	t.Run("http 500 for the next 2 calls", func(t *testing.T) {
		setFault(t, `{"mode":"http","times":2}`)
		for i := range 2 {
			if a := post(t, api, check("7707083893")); a.status != 500 {
				t.Fatalf("call %d: %d %s", i, a.status, a.raw)
			}
		}
		if a := post(t, api, check("7707083893")); a.status != 200 || a.rc() != "1" {
			t.Fatalf("after 2: %d %s", a.status, a.raw)
		}
	})
	t.Run("down with Retry-After until cleared", func(t *testing.T) {
		setFault(t, `{"mode":"down","retryAfterSeconds":30}`)
		for range 3 {
			if a := post(t, api, check("7707083893")); a.status != 503 || a.header.Get("Retry-After") != "30" {
				t.Fatalf("%d %v", a.status, a.header)
			}
		}
		if code := send(t, "DELETE", url+"/_sim/fault", ""); code != 204 {
			t.Fatal(code)
		}
		if a := post(t, api, check("7707083893")); a.status != 200 {
			t.Fatalf("healed: %d", a.status)
		}
	})
	t.Run("another status", func(t *testing.T) {
		setFault(t, `{"mode":"http","statusCode":429,"times":1}`)
		if a := post(t, api, check("7707083893")); a.status != 429 {
			t.Fatal(a.status)
		}
	})
	t.Run("error for one kind, with the seed's texts", func(t *testing.T) {
		setFault(t, `{"mode":"error","kind":"DeleteClient"}`)
		if a := post(t, api, check("7707083893")); a.rc() != "1" {
			t.Fatalf("another kind failed: %s", a.raw)
		}
		d := post(t, api, remove(1))
		if d.status != 200 || d.rc() != "-1" || d.str("comment") != "внутренняя проблема с АБС. Не удалось удалить клиента" {
			t.Fatalf("DeleteClient: %s", d.raw)
		}
		setFault(t, `{"mode":"error","kind":"InitialCheck","comment":"Организация в негативных списках","times":1}`)
		if a := post(t, api, check("7707083893")); a.rc() != "-1" || a.str("_comment") != "Организация в негативных списках" {
			t.Fatalf("InitialCheck: %s", a.raw)
		}
		if a := post(t, api, check("7707083893")); a.rc() != "1" {
			t.Fatalf("after once: %s", a.raw)
		}
		setFault(t, `{"mode":"error","kind":"InitialCheck"}`)
		if a := post(t, api, check("7707083893")); a.str("_comment") != "Проверка завершилась с ошибкой" {
			t.Fatalf("default text: %s", a.raw)
		}
		if code := send(t, "DELETE", url+"/_sim/fault?kind=InitialCheck", ""); code != 204 {
			t.Fatal(code)
		}
		if a := post(t, api, check("7707083893")); a.rc() != "1" {
			t.Fatalf("InitialCheck healed: %s", a.raw)
		}
		if d := post(t, api, remove(1)); d.rc() != "-1" {
			t.Fatalf("DeleteClient's fault went too: %s", d.raw)
		}
		sim.SetFault(nil)
	})
	t.Run("a kind's fault wins over the general one", func(t *testing.T) {
		setFault(t, `{"mode":"down"}`)
		setFault(t, `{"mode":"garbage","kind":"OpenAccount"}`)
		a := post(t, api, open("x", 1, ""))
		if a.status != 200 || a.m != nil || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
			t.Fatalf("garbage: %d %s", a.status, a.raw)
		}
		if a := post(t, api, check("7707083893")); a.status != 503 {
			t.Fatalf("the general fault: %d", a.status)
		}
		sim.SetFault(nil)
	})
	t.Run("hang past the caller's timeout", func(t *testing.T) {
		setFault(t, `{"mode":"hang","kind":"NewClient","times":1}`)
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		started := time.Now()
		a := postCtx(t, ctx, api, reserve("app-hang", "7707083893"))
		if a.status != 0 || time.Since(started) > 2*time.Second {
			t.Fatalf("answered %d after %v", a.status, time.Since(started))
		}
		waitFor(t, func() bool {
			c := sim.Calls("NewClient")
			return len(c) > 0 && c[len(c)-1].Fault == "hang" && c[len(c)-1].Status == 0
		})
		if e := sim.Effects("app-hang"); e.Reserved != 0 || e.Calls["NewClient"] != 1 {
			t.Fatalf("a call that never answered took effect: %+v", e)
		}
		if a := post(t, api, reserve("app-hang", "7707083893")); a.rc() != "1" || sim.Effects("app-hang").Reserved != 1 {
			t.Fatalf("the retry: %s", a.raw)
		}
	})
	t.Run("hang that ends answers late", func(t *testing.T) {
		setFault(t, `{"mode":"hang","delayMs":50,"times":1}`)
		started := time.Now()
		if a := post(t, api, check("7707083893")); a.rc() != "1" || time.Since(started) < 50*time.Millisecond {
			t.Fatalf("%s after %v", a.raw, time.Since(started))
		}
	})
	t.Run("after the effect: the retry finds it done", func(t *testing.T) {
		for _, mode := range []string{`{"mode":"hang","delayMs":5000`, `{"mode":"http"`, `{"mode":"garbage"`} {
			app := "app-after-" + strings.Split(mode, `"`)[3]
			setFault(t, mode+`,"kind":"NewClient","afterEffect":true,"times":1}`)
			ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
			first := postCtx(t, ctx, api, reserve(app, "7707083893"))
			cancel()
			if first.rc() == "1" {
				t.Fatalf("%s: the first call answered: %s", mode, first.raw)
			}
			waitFor(t, func() bool { return sim.Effects(app).Reserved == 1 })
			retry := post(t, api, reserve(app, "7707083893"))
			cl := sim.Clients(app)
			if retry.rc() != "1" || len(cl) != 1 || retry.str("_account_number") != cl[0].AccountNumber || sim.Effects(app).Reserved != 1 {
				t.Fatalf("%s: retry %s, clients %+v", mode, retry.raw, cl)
			}
		}
	})
	t.Run("bad faults", func(t *testing.T) {
		for _, f := range []string{`{"mode":"sideways"}`, `{"mode":"http","statusCode":200}`, `{"mode":"error","kind":"Close"}`, `{"mode":"down","times":-1}`, `nope`} {
			if code := send(t, "PUT", url+"/_sim/fault", f); code != 400 {
				t.Fatalf("%s: %d", f, code)
			}
		}
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not reached")
}

// The developer endpoints, and answers with an administrator's keys.
func TestDeveloperEndpoints(t *testing.T) {
	sim, url := start(t)
	api := url + "/send-request"
	post(t, api, check("7707083893"))
	r := post(t, api, reserve("app-1", "9715316168"))

	get := func(path string, v any) int {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(v)
		return resp.StatusCode
	}
	var calls []abssim.Call
	if code := get("/_sim/calls", &calls); code != 200 || len(calls) != 2 || calls[0].Kind != "InitialCheck" || calls[1].Path != "/send-request" {
		t.Fatalf("calls %d %+v", code, calls)
	}
	var body map[string]any
	if err := json.Unmarshal(calls[1].Body, &body); err != nil || body["applicationId"] != "app-1" {
		t.Fatalf("body %s", calls[1].Body)
	}
	var last abssim.Call
	if code := get("/_sim/calls/last?kind=InitialCheck", &last); code != 200 || last.Seq != 1 || last.INN != "7707083893" || last.ClientID == 0 {
		t.Fatalf("last %d %+v", code, last)
	}
	if code := get("/_sim/calls/last?kind=DeleteClient", &last); code != 404 {
		t.Fatalf("no DeleteClient yet: %d", code)
	}
	var clients []abssim.Client
	if code := get("/_sim/clients?applicationId=app-1", &clients); code != 200 || len(clients) != 1 || clients[0].AccountNumber != r.str("_account_number") || clients[0].Reserved != 1 {
		t.Fatalf("clients %d %+v", code, clients)
	}

	// the administrator's keys
	if code := send(t, "PUT", url+"/_sim/keys", `{"successKey":"answerPermit","successValue":"PERMIT","errorKey":"answerError","errorValue":"ERROR","commentKey":"comment"}`); code != 204 {
		t.Fatal(code)
	}
	if a := post(t, api, open("app-1", r.clientID(), "")); a.str("answerPermit") != "PERMIT" || a.rc() != "1" || a.str("comment") != "null" {
		t.Fatalf("with keys: %s", a.raw)
	}
	sim.SetFault(&abssim.Fault{Mode: "error", Comment: "нет"})
	if a := post(t, api, open("app-1", r.clientID(), "")); a.str("answerError") != "ERROR" || a.str("comment") != "нет" || a.m["answerPermit"] != nil {
		t.Fatalf("error with keys: %s", a.raw)
	}
	if code := send(t, "PUT", url+"/_sim/keys", `{}`); code != 400 {
		t.Fatal(code)
	}
	send(t, "DELETE", url+"/_sim/keys", "")
	sim.SetFault(nil)
	if a := post(t, api, open("app-1", r.clientID(), "")); a.m["answerPermit"] != nil {
		t.Fatalf("keys stayed: %s", a.raw)
	}

	// a POST under /_sim/ that is not a developer endpoint is not an ABS call
	if code := send(t, "POST", url+"/_sim/calls", `{"_input_type":"InitialCheck","inn":"1"}`); code != 404 {
		t.Fatal(code)
	}
	if code := send(t, "POST", url+"/_sim/reset", ""); code != 204 || len(sim.Calls("")) != 0 || len(sim.Clients("")) != 0 {
		t.Fatalf("reset %d", code)
	}
	if a := post(t, api, reserve("app-1", "9715316168")); a.clientID() != 115893 || a.str("_account_number") != r.str("_account_number") {
		t.Fatalf("numbering did not restart: %s", a.raw)
	}
}

func TestAccountCheckDigit(t *testing.T) {
	_, url := start(t)
	seen := map[string]bool{}
	for i := range 20 {
		a := post(t, url+"/send-request", reserve("app-"+strconv.Itoa(i), "7707083893"))
		n := a.str("_account_number")
		if seen[n] || !abssim.ValidAccount(n, abssim.BIK) || len(n) != 20 {
			t.Fatalf("%s: duplicate or invalid", n)
		}
		seen[n] = true
		for pos := range 20 { // any one changed digit is caught
			b := []byte(n)
			b[pos] = '0' + (b[pos]-'0'+1)%10
			if abssim.ValidAccount(string(b), abssim.BIK) {
				t.Fatalf("%s with position %d changed passes", n, pos)
			}
		}
	}
	if abssim.ValidAccount("4070281001020029348", abssim.BIK) || abssim.ValidAccount("4070281001020029348x", abssim.BIK) {
		t.Fatal("a malformed number passes")
	}
}
