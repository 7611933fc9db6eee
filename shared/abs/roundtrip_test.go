package abs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kabinet/kabinet/infra/abssim"
	"github.com/kabinet/kabinet/shared/abs"
)

func simulator(t *testing.T) (*abssim.Server, string) {
	t.Helper()
	sim := abssim.New()
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	return sim, srv.URL
}

// One application through the four calls against the simulator, each call once more as a
// queue redelivery would make it.
func TestRoundTrip(t *testing.T) {
	sim, url := simulator(t)
	c := client(url, abs.Options{})
	ctx := context.Background()
	app := company(abs.NewClient).ApplicationID

	check := company(abs.InitialCheck)
	res, err := c.Call(ctx, check)
	if err != nil || !res.OK || res.ClientID == 0 || len(res.Notes) != 6 || len(res.Failed()) != 2 || res.Comment != "Проверка завершена" {
		t.Fatalf("InitialCheck = %+v, %v", res, err)
	}
	clientID := res.ClientID

	var account string
	for i := range 2 {
		res, err = c.Call(ctx, company(abs.NewClient))
		if err != nil || !res.OK || res.ClientID != clientID || !abssim.ValidAccount(res.AccountNumber, abssim.BIK) || res.Comment != "" || res.Notes != nil {
			t.Fatalf("NewClient %d = %+v, %v", i, res, err)
		}
		if account != "" && res.AccountNumber != account {
			t.Fatalf("NewClient replay reserved %s after %s", res.AccountNumber, account)
		}
		account = res.AccountNumber
	}

	open := company(abs.OpenAccount)
	open.ClientID, open.AccountNumber = clientID, account
	del := abs.Request{Kind: abs.DeleteClient, ClientID: clientID}
	for _, req := range []abs.Request{open, open, del, del} {
		if res, err := c.Call(ctx, req); err != nil || !res.OK {
			t.Fatalf("%s = %+v, %v", req.Kind, res, err)
		}
	}
	if e := sim.Effects(app); e.Reserved != 1 || e.Opened != 1 || e.Deleted != 1 || e.Calls["NewClient"] != 2 || e.Calls["OpenAccount"] != 2 || e.Calls["DeleteClient"] != 2 {
		t.Fatalf("effects %+v", e)
	}
	calls := sim.Calls("")
	if len(calls) != 7 || calls[1].Path != "/api/reservationInvoice" || calls[0].Path != "/send-request" || calls[0].RequestID == "" || calls[0].RequestID == calls[1].RequestID {
		t.Fatalf("calls %+v", calls)
	}
}

// The simulator's faults as the client classifies them.
func TestRoundTripFaults(t *testing.T) {
	sim, url := simulator(t)
	ctx := context.Background()
	c := client(url, abs.Options{Timeout: 200 * time.Millisecond})
	check := company(abs.InitialCheck)

	tests := []struct {
		name      string
		fault     abssim.Fault
		req       abs.Request
		transient bool
		retry     time.Duration
		protocol  bool
		comment   string // an ABS error answer: no Go error
	}{
		{name: "500", fault: abssim.Fault{Mode: "http"}, req: check, transient: true},
		{name: "503 with Retry-After", fault: abssim.Fault{Mode: "down", RetryAfterSeconds: 30}, req: check, transient: true, retry: 30 * time.Second},
		{name: "hang", fault: abssim.Fault{Mode: "hang"}, req: check, transient: true},
		{name: "400", fault: abssim.Fault{Mode: "http", StatusCode: 400}, req: check},
		{name: "garbage", fault: abssim.Fault{Mode: "garbage"}, req: check, protocol: true},
		{name: "error", fault: abssim.Fault{Mode: "error"}, req: check, comment: "Проверка завершилась с ошибкой"},
		{name: "DeleteClient error under comment", fault: abssim.Fault{Mode: "error"}, req: abs.Request{Kind: abs.DeleteClient, ClientID: 1},
			comment: "внутренняя проблема с АБС. Не удалось удалить клиента"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fault
			f.Times = 1
			sim.SetFault(&f)
			res, err := c.Call(ctx, tc.req)
			if tc.comment != "" {
				if err != nil || res.OK || res.Comment != tc.comment {
					t.Fatalf("Call = %+v, %v; want the ABS error %q", res, err, tc.comment)
				}
				return
			}
			if err == nil || abs.IsTransient(err) != tc.transient || abs.RetryAfter(err) != tc.retry || errors.Is(err, abs.ErrProtocol) != tc.protocol {
				t.Fatalf("Call = %+v, %v", res, err)
			}
			// the fault was for one call: the retry goes through
			if res, err := c.Call(ctx, tc.req); err != nil || !res.OK {
				t.Fatalf("retry = %+v, %v", res, err)
			}
		})
	}
}

// An administrator's keys, read by the client from the simulator's answers.
func TestRoundTripCustomKeys(t *testing.T) {
	sim, url := simulator(t)
	sim.SetKeys(&abssim.Keys{SuccessKey: "answerPermit", SuccessValue: "PERMIT", ErrorKey: "answerError", ErrorValue: "ERROR", CommentKey: "comment"})
	settings := abs.DefaultSettings(url)
	settings.InitialCheck.SuccessKey, settings.InitialCheck.SuccessValue = "answerPermit", "PERMIT"
	settings.InitialCheck.ErrorKey, settings.InitialCheck.ErrorValue, settings.InitialCheck.CommentKey = "answerError", "ERROR", "comment"
	c := abs.New(abs.Static(settings), abs.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if res, err := c.Call(context.Background(), company(abs.InitialCheck)); err != nil || !res.OK || res.Comment != "Проверка завершена" {
		t.Fatalf("success = %+v, %v", res, err)
	}
	sim.SetFault(&abssim.Fault{Mode: "error", Comment: "Организация в негативных списках"})
	if res, err := c.Call(context.Background(), company(abs.InitialCheck)); err != nil || res.OK || res.Comment != "Организация в негативных списках" || res.Raw["answerError"] != "ERROR" {
		t.Fatalf("error = %+v, %v", res, err)
	}
}
