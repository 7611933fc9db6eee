package smtp_test

import (
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/email/smtp"
)

func TestComposeKeepsHeadersIntact(t *testing.T) {
	from, _ := mail.ParseAddress("no-reply@kabinet.example")
	to, _ := email.ParseRecipients([]string{"ivanov@example.ru"})
	raw, err := smtp.Compose(from, to, email.Message{ID: "x", Subject: "Hello\r\nBcc: someone@example.ru", Text: "Строка 1\nСтрока 2"},
		smtp.MessageID("x", from.Address), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || !strings.Contains(msg.Header.Get("Subject"), "Bcc") {
		t.Fatalf("subject broke out of its header: %q", raw)
	}
	for _, h := range []string{"From", "To", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"} {
		if msg.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if strings.Contains(strings.ReplaceAll(string(raw), "\r\n", ""), "\n") {
		t.Errorf("bare LF in message: %q", raw)
	}
}

func TestMessageIDIsStable(t *testing.T) {
	a, b := smtp.MessageID("invitation-1", "no-reply@kabinet.example"), smtp.MessageID("invitation-1", "no-reply@kabinet.example")
	if a != b || a == smtp.MessageID("invitation-2", "no-reply@kabinet.example") || !strings.HasSuffix(a, "@kabinet.example>") {
		t.Fatalf("%s %s", a, b)
	}
}
