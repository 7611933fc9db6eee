package smtpsink_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kabinet/kabinet/infra/smtpsink"
	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/email/smtp"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

func start(t *testing.T) (*smtpsink.Server, string) {
	t.Helper()
	sink := smtpsink.New()
	addr, err := sink.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() })
	return sink, addr
}

// The SMTP adapter against the sink: delivery with a Cyrillic subject and bodies that come
// back intact, a sink that is down (421) is transient, a refusal (550) permanent.
func TestClientAgainstSink(t *testing.T) {
	sink, addr := start(t)
	ctx := context.Background()
	long := strings.TrimSpace(strings.Repeat("Приглашение в личный кабинет агента — ", 4))
	tests := []struct {
		name      string
		msg       email.Message
		fault     *smtpsink.Fault
		wantErr   bool
		permanent bool
	}{
		{name: "text", msg: email.Message{ID: "inv-1", To: []string{"ivanov@example.ru"}, Subject: "Приглашение в Кабинет",
			Text: "Здравствуйте, Иван!\nВаш логин: ivanov.\n.\nСтрока с точкой выше.", Purpose: "invitation"}},
		{name: "html and a long subject", msg: email.Message{ID: "inv-2", To: []string{"Пётр Петров <petrov@example.ru>", "sidorov@example.ru"},
			Subject: long, Text: "Текст", HTML: "<p>Здравствуйте, <b>Пётр</b>!</p>", Purpose: "alert"}},
		{name: "sink down is transient", msg: email.Message{ID: "inv-3", To: []string{"down@example.ru"}, Subject: "s", Text: "t"},
			fault: &smtpsink.Fault{Mode: "down"}, wantErr: true},
		{name: "rejected recipient is permanent", msg: email.Message{ID: "inv-4", To: []string{"gone@example.ru"}, Subject: "s", Text: "t"},
			fault: &smtpsink.Fault{Mode: "reject"}, wantErr: true, permanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sink.SetFault(tc.fault)
			defer sink.SetFault(nil)
			id, err := smtp.New(addr, "Кабинет <no-reply@kabinet.example>").Send(ctx, tc.msg)
			if (err != nil) != tc.wantErr || sqsworker.IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v (permanent %v)", err, sqsworker.IsPermanent(err))
			}
			if tc.wantErr {
				if strings.Contains(err.Error(), "@example.ru") {
					t.Errorf("address in error text: %v", err)
				}
				if n := len(sink.Messages(tc.msg.To[0])); n != 0 {
					t.Fatalf("%d messages received despite the fault", n)
				}
				return
			}
			got := sink.Messages("")
			m := got[len(got)-1]
			wantTo := []string{"ivanov@example.ru"}
			if len(tc.msg.To) == 2 {
				wantTo = []string{"petrov@example.ru", "sidorov@example.ru"}
			}
			if m.Subject != tc.msg.Subject || m.Text != tc.msg.Text || m.HTML != tc.msg.HTML || m.From != "no-reply@kabinet.example" ||
				strings.Join(m.To, " ") != strings.Join(wantTo, " ") || m.MessageID != id || m.ReceivedAt.IsZero() {
				t.Fatalf("received %+v\nsent %+v (id %s)", m, tc.msg, id)
			}
		})
	}
	if n := len(sink.Messages("")); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
	if n := len(sink.Messages("SIDOROV@example.ru")); n != 1 {
		t.Errorf("filter by recipient (case-insensitive): %d", n)
	}
}

func TestUnreachableIsTransient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = smtp.New(addr, "no-reply@kabinet.example").Send(context.Background(),
		email.Message{ID: "x", To: []string{"a@example.ru"}, Subject: "s", Text: "t"})
	if err == nil || sqsworker.IsPermanent(err) {
		t.Fatalf("unreachable server must be transient: %v", err)
	}
}

func TestInvalidAddressIsPermanent(t *testing.T) {
	sink, addr := start(t)
	_, err := smtp.New(addr, "no-reply@kabinet.example").Send(context.Background(),
		email.Message{ID: "x", To: []string{"ivanov at example.ru"}, Subject: "s", Text: "t"})
	if !sqsworker.IsPermanent(err) || sink.Calls() != 0 {
		t.Fatalf("err = %v, calls %d", err, sink.Calls())
	}
}

// The developer endpoints.
func TestHTTP(t *testing.T) {
	sink, addr := start(t)
	srv := httptest.NewServer(sink)
	defer srv.Close()
	get := func(path string, v any) int {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	var list []map[string]any
	if st := get("/_sim/messages", &list); st != 200 || len(list) != 0 {
		t.Fatalf("empty list: %d %v", st, list)
	}
	if st := get("/_sim/messages/last?to=a@example.ru", nil); st != 404 {
		t.Fatalf("last of nothing: %d", st)
	}
	for _, to := range []string{"a@example.ru", "b@example.ru", "a@example.ru"} {
		if _, err := smtp.New(addr, "no-reply@kabinet.example").Send(context.Background(),
			email.Message{ID: to, To: []string{to}, Subject: "Тема для " + to, Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	if st := get("/_sim/messages?to=a@example.ru", &list); st != 200 || len(list) != 2 {
		t.Fatalf("filtered list: %d %v", st, list)
	}
	var last map[string]any
	if st := get("/_sim/messages/last?to=b@example.ru", &last); st != 200 || last["subject"] != "Тема для b@example.ru" ||
		last["id"] != "00000002" || last["from"] != "no-reply@kabinet.example" || last["text"] != "t" || last["receivedAt"] == nil {
		t.Fatalf("last: %d %v", st, last)
	}

	put := func(body string) int {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_sim/fault", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := put(`{"mode":"sideways"}`); st != 400 {
		t.Fatalf("bad mode: %d", st)
	}
	if st := put(`{"mode":"reject"}`); st != 204 {
		t.Fatalf("set fault: %d", st)
	}
	_, err := smtp.New(addr, "no-reply@kabinet.example").Send(context.Background(), email.Message{ID: "r", To: []string{"c@example.ru"}, Subject: "s", Text: "t"})
	if !sqsworker.IsPermanent(err) {
		t.Fatalf("reject fault: %v", err)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/_sim/fault", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("clear fault: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := smtp.New(addr, "no-reply@kabinet.example").Send(context.Background(), email.Message{ID: "r", To: []string{"c@example.ru"}, Subject: "s", Text: "t"}); err != nil {
		t.Fatalf("after clearing the fault: %v", err)
	}
}
