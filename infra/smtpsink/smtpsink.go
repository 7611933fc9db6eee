// Package smtpsink is an SMTP server for local runs and tests that delivers nowhere: it keeps
// every message it accepts in memory, decoded (subject, text, HTML), so a developer can read
// the invitations and alerts the e-mail consumer "sent".
//
// Developer endpoints (HTTP, like infra/smssim):
//
//	GET    /_sim/messages[?to=ivanov@example.ru]   received messages, newest last
//	GET    /_sim/messages/last?to=...               the newest message to that address (404 if none)
//	PUT    /_sim/fault  {"mode":"down"}             answer 421 (service unavailable, transient)
//	PUT    /_sim/fault  {"mode":"reject"}           answer 550 (mailbox unavailable, permanent)
//	DELETE /_sim/fault                              back to normal
package smtpsink

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/kabinet/kabinet/infra/simhttp"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"os"
	"strings"
	"sync"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// Message is a message the sink accepted.
type Message struct {
	ID         string    `json:"id"`
	MessageID  string    `json:"messageId,omitempty"` // the Message-ID header
	From       string    `json:"from"`                // envelope sender (MAIL FROM)
	To         []string  `json:"to"`                  // envelope recipients (RCPT TO)
	Subject    string    `json:"subject"`             // decoded
	Text       string    `json:"text"`                // the text/plain body, decoded
	HTML       string    `json:"html,omitempty"`      // the text/html body, if any
	ReceivedAt time.Time `json:"receivedAt"`
}

// Fault makes the sink fail.
type Fault struct {
	Mode string `json:"mode"` // "down" (421) or "reject" (550)
}

// Server is the sink: an SMTP server (ServeSMTP, Listen) and the developer HTTP handler.
type Server struct {
	mu    sync.Mutex
	msgs  []Message
	fault *Fault
	calls int
	mux   *http.ServeMux
	smtp  *gosmtp.Server
}

// New returns a sink; start its SMTP side with Listen or ServeSMTP.
func New() *Server {
	s := &Server{mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /_sim/messages", simhttp.List("to", s.Messages))
	s.mux.HandleFunc("GET /_sim/messages/last", simhttp.Last("to", s.Messages))
	s.mux.HandleFunc("PUT /_sim/fault", simhttp.SetFault(func(f Fault) bool { return f.Mode == "down" || f.Mode == "reject" }, `mode must be "down" or "reject"`, s.SetFault))
	s.mux.HandleFunc("DELETE /_sim/fault", func(w http.ResponseWriter, r *http.Request) { s.SetFault(nil); w.WriteHeader(http.StatusNoContent) })
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.ErrorLog = log.New(os.Stderr, "smtpsink: ", log.LstdFlags)
	s.smtp = srv
	return s
}

// ServeSMTP serves SMTP on ln until Close.
func (s *Server) ServeSMTP(ln net.Listener) error {
	err := s.smtp.Serve(ln)
	if errors.Is(err, gosmtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Listen serves SMTP on addr ("127.0.0.1:0" for any free port) in the background and
// returns the address it listens on.
func (s *Server) Listen(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go func() { _ = s.ServeSMTP(ln) }()
	return ln.Addr().String(), nil
}

// Close stops the SMTP server.
func (s *Server) Close() error {
	if err := s.smtp.Close(); err != nil && !errors.Is(err, gosmtp.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFault sets or (nil) clears a fault.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Messages returns what was received for address to ("" for all), newest last.
func (s *Server) Messages(to string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.msgs {
		if to == "" || hasRecipient(m, to) {
			out = append(out, m)
		}
	}
	return out
}

// Calls counts delivery attempts (MAIL FROM commands), failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func hasRecipient(m Message, to string) bool {
	for _, r := range m.To {
		if strings.EqualFold(r, to) {
			return true
		}
	}
	return false
}

var (
	errDown   = &gosmtp.SMTPError{Code: 421, EnhancedCode: gosmtp.EnhancedCode{4, 3, 2}, Message: "Service not available (simulated)"}
	errReject = &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable (simulated)"}
)

// session is one SMTP transaction.
type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *gosmtp.MailOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.calls++
	if x.s.fault != nil && x.s.fault.Mode == "down" {
		return errDown
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	x.s.mu.Lock()
	f := x.s.fault
	x.s.mu.Unlock()
	if f != nil && f.Mode == "reject" {
		return errReject
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &gosmtp.SMTPError{Code: 554, EnhancedCode: gosmtp.EnhancedCode{5, 6, 0}, Message: "Malformed message: " + err.Error()}
	}
	m.From, m.To, m.ReceivedAt = x.from, append([]string(nil), x.to...), time.Now().UTC()
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	m.ID = fmt.Sprintf("%08d", len(x.s.msgs)+1)
	x.s.msgs = append(x.s.msgs, m)
	return nil
}

// parse decodes the headers and bodies a developer wants to read.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	var m Message
	dec := &mime.WordDecoder{}
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	m.MessageID = msg.Header.Get("Message-ID")
	ct := msg.Header.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	typ, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return Message{}, fmt.Errorf("content type: %w", err)
	}
	if !strings.HasPrefix(typ, "multipart/") {
		body, err := decodeBody(msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		if err != nil {
			return Message{}, err
		}
		body = strings.TrimSuffix(body, "\n") // the line end that closes DATA
		if typ == "text/html" {
			m.HTML = body
		} else {
			m.Text = body
		}
		return m, nil
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable itself
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return Message{}, err
		}
		ptyp, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, err := decodeBody(p.Header.Get("Content-Transfer-Encoding"), p)
		if err != nil {
			return Message{}, err
		}
		switch {
		case ptyp == "text/plain" && m.Text == "":
			m.Text = body
		case ptyp == "text/html" && m.HTML == "":
			m.HTML = body
		}
	}
}

// decodeBody undoes a Content-Transfer-Encoding and turns CRLF into LF.
func decodeBody(cte string, r io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &lineJoiner{r: r})
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("body: %w", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}

// lineJoiner drops line ends, which base64 bodies are wrapped with.
type lineJoiner struct{ r io.Reader }

func (l *lineJoiner) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	k := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[k] = c
			k++
		}
	}
	return k, err
}
