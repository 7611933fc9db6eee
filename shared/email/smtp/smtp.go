// Package smtp sends e-mail to an SMTP server without authentication or TLS: for local runs
// and tests, where the server is the developer's sink (infra/smtpsink). The message is RFC
// 5322: a UTF-8 subject as MIME encoded-words, a quoted-printable text/plain body, or
// multipart/alternative with text/html when the message has HTML. Refused connections,
// timeouts and 4xx replies are transient; 5xx replies (550 mailbox unavailable…) permanent.
package smtp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	netsmtp "net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/kabinet/kabinet/shared/email"
	"github.com/kabinet/kabinet/shared/platform/sqsworker"
)

// Client sends e-mail to one SMTP server.
type Client struct {
	Addr    string // host:port
	From    string // "no-reply@kabinet.example" or "Кабинет <no-reply@…>"
	Helo    string // name given in EHLO; default "localhost"
	Timeout time.Duration
	Now     func() time.Time
}

// New returns a client of the server at addr with a 10-second timeout.
func New(addr, from string) *Client {
	return &Client{Addr: addr, From: from, Timeout: 10 * time.Second}
}

// Send delivers m and returns its Message-ID (derived from m.ID, so a resent message keeps it).
func (c *Client) Send(ctx context.Context, m email.Message) (string, error) {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return "", sqsworker.Permanent(fmt.Errorf("smtp: sender address: %w", err))
	}
	to, err := email.ParseRecipients(m.To)
	if err != nil {
		return "", sqsworker.Permanent(err)
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	msgID := MessageID(m.ID, from.Address)
	raw, err := Compose(from, to, m, msgID, now())
	if err != nil {
		return "", sqsworker.Permanent(fmt.Errorf("smtp: compose: %w", err))
	}
	if err := c.deliver(ctx, from.Address, to, raw); err != nil {
		return "", err
	}
	return msgID, nil
}

func (c *Client) deliver(ctx context.Context, from string, to []*mail.Address, raw []byte) error {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("smtp: server unreachable: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(c.Addr)
	cl, err := netsmtp.NewClient(conn, host)
	if err != nil {
		return classify("greeting", err)
	}
	defer cl.Close()
	helo := c.Helo
	if helo == "" {
		helo = "localhost"
	}
	if err := cl.Hello(helo); err != nil {
		return classify("EHLO", err)
	}
	if err := cl.Mail(from); err != nil {
		return classify("MAIL FROM", err)
	}
	for _, a := range to {
		if err := cl.Rcpt(a.Address); err != nil {
			return classify("RCPT TO", err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return classify("DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return classify("DATA", err)
	}
	if err := w.Close(); err != nil {
		return classify("end of DATA", err)
	}
	_ = cl.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// classify marks 5xx replies permanent; 4xx replies, timeouts and broken connections stay
// transient. Addresses in the server's reply text are redacted.
func classify(stage string, err error) error {
	wrapped := fmt.Errorf("smtp %s: %w", stage, email.RedactError(err))
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 {
		return sqsworker.Permanent(wrapped)
	}
	return wrapped
}

// MessageID returns the Message-ID of the message with business key id: stable, so a
// redelivered message can be recognised downstream.
func MessageID(id, fromAddress string) string {
	domain := "kabinet.local"
	if _, d, ok := strings.Cut(fromAddress, "@"); ok && d != "" {
		domain = d
	}
	sum := sha256.Sum256([]byte(id))
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// Compose builds the RFC 5322 message (CRLF line ends).
func Compose(from *mail.Address, to []*mail.Address, m email.Message, messageID string, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	addrs := make([]string, len(to))
	for i, a := range to {
		addrs[i] = a.String()
	}
	header("To", strings.Join(addrs, ",\r\n "))
	header("Subject", encodeSubject(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID)
	header("MIME-Version", "1.0")
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		b.WriteString("\r\n")
		return b.Bytes(), nil
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, text string }{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(pw, part.text); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

func writeQP(w io.Writer, text string) error {
	qp := quotedprintable.NewWriter(w) // text mode: line ends become CRLF
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// encodeSubject returns the subject as one header value: line breaks become spaces, non-ASCII
// text becomes Q-encoded UTF-8 words, folded between words to keep lines short.
func encodeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(mime.QEncoding.Encode("utf-8", s), "?= =?", "?=\r\n =?")
}
